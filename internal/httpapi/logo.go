package httpapi

// ToolLogo returns the path of a tool's logo under /assets/tools/, the
// generic one when the tool has none.
func ToolLogo(tool string) string {
	if _, err := toolAssets.ReadFile("assets/tools/" + tool + ".svg"); err != nil {
		return "/assets/tools/generic.svg"
	}
	return "/assets/tools/" + tool + ".svg"
}
