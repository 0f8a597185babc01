package connector

// Setup tells a customer how to connect an ATS account: where in the ATS's
// admin to create the credentials, which permissions to grant, and which
// values to enter. The connect pages show it.
type Setup struct {
	// Steps are the instructions, in order, each one sentence or two.
	Steps []string
	// Fields are the values to enter, in order. Each Key is a key of the
	// connector's credentials JSON; every field's value is a string.
	Fields []Field
	// HostKeys are the keys of the credentials JSON that name the ATS's
	// hosts (a base URL and, for some, an authorization server's); an
	// operator may point them elsewhere for the integrations customers
	// connect (a regional or staging host, a test double).
	HostKeys []string
}

// Field is one value of a connector's credentials a customer enters.
type Field struct {
	// Key is the field's key in the credentials JSON.
	Key string
	// Label names the field for people.
	Label string
	// Help says where in the ATS the value is found.
	Help string
	// Secret marks a value that is typed into a password field and never
	// shown again.
	Secret bool
	// Optional marks a value that may be left empty; an empty optional
	// value is left out of the credentials.
	Optional bool
}
