package sdk

// This file holds the pieces that candidate and application records share.
// Fields the wire marks as nullable are pointers (or nil slices and maps) and
// are nil when the server sends null or leaves an optional key out.

// Outcome is where an application ended up.
type Outcome string

// The outcomes of an application.
const (
	// OutcomePending means no decision has been made yet.
	OutcomePending Outcome = "PENDING"
	// OutcomeHired means the candidate was hired.
	OutcomeHired Outcome = "HIRED"
	// OutcomeDeclined means the application was rejected or withdrawn.
	OutcomeDeclined Outcome = "DECLINED"
)

// Tag is a label the ATS puts on a candidate.
type Tag struct {
	// ID is the tag's Kombo ID.
	ID string `json:"id"`
	// Name is the tag's text.
	Name *string `json:"name"`
	// RemoteID is the tag's ID in the ATS.
	RemoteID *string `json:"remote_id"`
}

// EmailAddress is one of a candidate's email addresses.
type EmailAddress struct {
	// EmailAddress is the address itself. The server drops addresses that are
	// not valid.
	EmailAddress *string `json:"email_address"`
	// Type says what kind of address it is.
	Type *string `json:"type"`
}

// PhoneNumber is one of a candidate's phone numbers.
type PhoneNumber struct {
	// PhoneNumber is the number as the ATS holds it.
	PhoneNumber string `json:"phone_number"`
	// Type says what kind of number it is.
	Type *string `json:"type"`
}

// SocialMediaProfile is a candidate's profile on a social or professional
// network.
type SocialMediaProfile struct {
	// Link is the profile's URL.
	Link *string `json:"link"`
	// Type names the network.
	Type *string `json:"type"`
	// Username is the candidate's name on the network.
	Username *string `json:"username"`
}

// Location is a postal address; any part may be unknown.
type Location struct {
	// City is the city or town.
	City *string `json:"city"`
	// Country is the country, as a two-letter ISO code where the ATS allows.
	Country *string `json:"country"`
	// Raw is the address as one string, as the ATS gave it.
	Raw *string `json:"raw"`
	// State is the state, province or region.
	State *string `json:"state"`
	// Street1 is the first street line.
	Street1 *string `json:"street_1"`
	// Street2 is the second street line.
	Street2 *string `json:"street_2"`
	// ZipCode is the postal code.
	ZipCode *string `json:"zip_code"`
}

// IntegrationFieldType tells a field the ATS always has from one its user
// created.
type IntegrationFieldType string

// The kinds of integration field.
const (
	// IntegrationFieldDefault is a field every account of the ATS has.
	IntegrationFieldDefault IntegrationFieldType = "DEFAULT"
	// IntegrationFieldCustom is a field the ATS's user created.
	IntegrationFieldCustom IntegrationFieldType = "CUSTOM"
)

// IntegrationField is a raw field of the ATS record that the integration was
// set up to pass along. Kombo's public API sends these; its SDKs do not read
// them.
type IntegrationField struct {
	// ID is the field's Kombo ID.
	ID string `json:"id"`
	// Key is the field's key in the ATS.
	Key string `json:"key"`
	// Type says whether the field is built in or custom.
	Type IntegrationFieldType `json:"type"`
	// Value is the field's value, decoded from JSON as it came.
	Value any `json:"value"`
	// Label is the field's display name in the ATS.
	Label *string `json:"label"`
}

// ApplicationJob is the job an application is for.
type ApplicationJob struct {
	// ID is the job's Kombo ID.
	ID string `json:"id"`
	// Name is the job's title.
	Name *string `json:"name"`
	// RemoteID is the job's ID in the ATS.
	RemoteID string `json:"remote_id"`
}
