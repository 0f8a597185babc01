package lever

// Every timestamp in the Lever Data API is an integer count of milliseconds
// since the Unix epoch (vendors.md §2.4), so the types below use int64.

// ErrorBody is Lever's error envelope {"code","message"} (vendors.md §2.5;
// corbaltcode/lever-data-api-go model/error.go).
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Page is the envelope of every Lever list: the records under data, hasNext,
// and an opaque next token to pass back as offset. next is left out on the
// last page, as in recorded Lever responses (Nango fixture get-stages).
type Page[T any] struct {
	Data    []T    `json:"data"`
	HasNext bool   `json:"hasNext"`
	Next    string `json:"next,omitempty"`
}

// Item is the envelope of a single record: {"data": ...}.
type Item[T any] struct {
	Data T `json:"data"`
}

// Phone is a contact phone number.
type Phone struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Archived is an opportunity's archive state: the archive reason id and when
// it was archived.
type Archived struct {
	Reason     string `json:"reason"`
	ArchivedAt int64  `json:"archivedAt"`
}

// StageChange is one entry of an opportunity's stage history.
type StageChange struct {
	ToStageID    string `json:"toStageId"`
	ToStageIndex int    `json:"toStageIndex"`
	UpdatedAt    int64  `json:"updatedAt"`
	UserID       string `json:"userId"`
}

// OpportunityURLs holds the Lever UI links of an opportunity.
type OpportunityURLs struct {
	List string `json:"list"`
	Show string `json:"show"`
}

// Opportunity is one candidacy of a contact (Lever's "candidate" routes are
// deprecated aliases of these). Field names follow the recorded
// GET /v1/opportunities/{id} response in the Nango fixture get-opportunity
// and corbaltcode/lever-data-api-go internal/multimodel/opportunity.go.
// Links belong to the contact, so every opportunity of a contact shows the
// same links. DeletedAt and DeletedBy appear only on deleted opportunities.
type Opportunity struct {
	ID                  string          `json:"id"`
	Name                string          `json:"name"`
	Headline            string          `json:"headline"`
	Contact             string          `json:"contact"`
	Stage               string          `json:"stage"`
	Confidentiality     string          `json:"confidentiality"`
	Location            string          `json:"location"`
	Phones              []Phone         `json:"phones"`
	Emails              []string        `json:"emails"`
	Links               []string        `json:"links"`
	Archived            *Archived       `json:"archived"`
	Tags                []string        `json:"tags"`
	Sources             []string        `json:"sources"`
	StageChanges        []StageChange   `json:"stageChanges"`
	Origin              string          `json:"origin"`
	SourcedBy           *string         `json:"sourcedBy"`
	Owner               *string         `json:"owner"`
	Followers           []string        `json:"followers"`
	Applications        []string        `json:"applications"`
	CreatedAt           int64           `json:"createdAt"`
	UpdatedAt           int64           `json:"updatedAt"`
	LastInteractionAt   int64           `json:"lastInteractionAt"`
	LastAdvancedAt      int64           `json:"lastAdvancedAt"`
	SnoozedUntil        *int64          `json:"snoozedUntil"`
	URLs                OpportunityURLs `json:"urls"`
	IsAnonymized        bool            `json:"isAnonymized"`
	DataProtection      any             `json:"dataProtection"`
	OpportunityLocation string          `json:"opportunityLocation,omitempty"`
	DeletedBy           string          `json:"deletedBy,omitempty"`
	DeletedAt           int64           `json:"deletedAt,omitempty"`
}

// Application is the application of an opportunity to a posting
// (GET /v1/opportunities/{id}/applications). Each opportunity has at most
// one.
type Application struct {
	ID                   string    `json:"id"`
	OpportunityID        string    `json:"opportunityId"`
	CandidateID          string    `json:"candidateId"`
	CreatedAt            int64     `json:"createdAt"`
	Type                 string    `json:"type"`
	Posting              string    `json:"posting"`
	PostingHiringManager *string   `json:"postingHiringManager"`
	PostingOwner         *string   `json:"postingOwner"`
	User                 *string   `json:"user"`
	Name                 string    `json:"name"`
	Email                string    `json:"email"`
	Phone                *Phone    `json:"phone"`
	Company              *string   `json:"company"`
	Links                []string  `json:"links"`
	Comments             *string   `json:"comments"`
	CustomQuestions      []any     `json:"customQuestions"`
	Archived             *Archived `json:"archived"`
	RequisitionForHire   any       `json:"requisitionForHire"`
}

// ContactLocation is a contact's free-text location.
type ContactLocation struct {
	Name string `json:"name"`
}

// Contact is the person behind one or more opportunities
// (GET /v1/contacts/{id}).
type Contact struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Headline     string          `json:"headline"`
	IsAnonymized bool            `json:"isAnonymized"`
	Location     ContactLocation `json:"location"`
	Emails       []string        `json:"emails"`
	Phones       []Phone         `json:"phones"`
}

// PostingCategories are a posting's category tags.
type PostingCategories struct {
	Team         string   `json:"team"`
	Department   string   `json:"department"`
	Location     string   `json:"location"`
	Commitment   string   `json:"commitment"`
	AllLocations []string `json:"allLocations"`
}

// PostingContent is the description of a posting.
type PostingContent struct {
	Description     string `json:"description"`
	DescriptionHTML string `json:"descriptionHtml"`
}

// PostingURLs holds a posting's job-site links.
type PostingURLs struct {
	List  string `json:"list"`
	Show  string `json:"show"`
	Apply string `json:"apply"`
}

// Posting is a job posting (GET /v1/postings), Lever's "job". Field names
// follow corbaltcode/lever-data-api-go model/posting.go. State is one of
// published, internal, closed, draft, pending or rejected.
type Posting struct {
	ID                   string            `json:"id"`
	Text                 string            `json:"text"`
	CreatedAt            int64             `json:"createdAt"`
	UpdatedAt            int64             `json:"updatedAt"`
	State                string            `json:"state"`
	DistributionChannels []string          `json:"distributionChannels"`
	Confidentiality      string            `json:"confidentiality"`
	User                 string            `json:"user"`
	Owner                string            `json:"owner"`
	HiringManager        string            `json:"hiringManager"`
	Categories           PostingCategories `json:"categories"`
	Tags                 []string          `json:"tags"`
	Content              PostingContent    `json:"content"`
	Country              string            `json:"country"`
	Followers            []string          `json:"followers"`
	RequisitionCodes     []string          `json:"requisitionCodes"`
	URLs                 PostingURLs       `json:"urls"`
	WorkplaceType        string            `json:"workplaceType"`
}

// Stage is a pipeline stage (GET /v1/stages). Lever's stages are
// account-wide, not per posting; the built-in ones have readable ids such as
// "lead-new" and "offer", the custom ones UUIDs (Nango fixture get-stages).
type Stage struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// User is a Lever user (GET /v1/users). AccessRole is one of "super admin",
// "admin", "team member", "limited team member" or "interviewer";
// DeactivatedAt is null for an active user.
type User struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Username      string `json:"username"`
	Email         string `json:"email"`
	CreatedAt     int64  `json:"createdAt"`
	DeactivatedAt *int64 `json:"deactivatedAt"`
	AccessRole    string `json:"accessRole"`
	Photo         string `json:"photo"`
	JobTitle      string `json:"jobTitle"`
}

// NoteField is the single field of a free-text note: type "note", text
// "Comment", and the note's text as value.
type NoteField struct {
	Type      string   `json:"type"`
	Text      string   `json:"text"`
	Value     string   `json:"value"`
	User      string   `json:"user"`
	CreatedAt int64    `json:"createdAt"`
	Score     *float64 `json:"score"`
	Stage     string   `json:"stage"`
}

// Note is a note on an opportunity, as GET
// /v1/opportunities/{id}/notes/{noteId} renders it (Nango fixtures
// create-note and get-note). The create response carries the same object
// plus a noteId equal to id.
type Note struct {
	ID          string      `json:"id"`
	Text        string      `json:"text"`
	Fields      []NoteField `json:"fields"`
	User        string      `json:"user"`
	Secret      bool        `json:"secret"`
	CompletedAt int64       `json:"completedAt"`
	CreatedAt   int64       `json:"createdAt"`
	DeletedAt   *int64      `json:"deletedAt"`
}

// Value returns the note's text (the value of its first field).
func (n Note) Value() string {
	if len(n.Fields) == 0 {
		return ""
	}
	return n.Fields[0].Value
}
