package web

// Page is what the layout needs from every page's data; pages embed it.
type Page struct {
	// Title names the page (the document title and its heading).
	Title string
	// SignedIn shows the dashboard's navigation and the sign-out button.
	SignedIn bool
	// Who is the signed-in key or operator, shown beside sign-out.
	Who string
	// Environment is the signed-in environment's name.
	Environment string
	// Section is the navigation entry to mark current: "integrations",
	// "result-links", "webhooks".
	Section string
	// CSRF is the form token every form of the page carries.
	CSRF string
	// Notice and Problem are messages to show at the top: one that
	// something worked, one that something did not.
	Notice, Problem string
}
