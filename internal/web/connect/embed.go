package connect

import "io/fs"

// mustSub returns the page templates' directory.
func mustSub() fs.FS {
	sub, err := fs.Sub(pageFiles, "pages")
	if err != nil {
		panic(err)
	}
	return sub
}
