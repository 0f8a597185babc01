package wire

// Tag is a candidate's label.
type Tag struct {
	ID       string  `json:"id"`
	Name     *string `json:"name"`
	RemoteID *string `json:"remote_id"`
}

// PhoneNumber is a candidate's phone number.
type PhoneNumber struct {
	PhoneNumber string  `json:"phone_number"`
	Type        *string `json:"type"`
}

// EmailAddress is a candidate's e-mail address.
type EmailAddress struct {
	EmailAddress *string `json:"email_address"`
	Type         *string `json:"type"`
}

// SocialMedia is a candidate's profile.
type SocialMedia struct {
	Link     *string `json:"link"`
	Type     *string `json:"type"`
	Username *string `json:"username"`
}

// Location is a postal location.
type Location struct {
	City    *string `json:"city"`
	Country *string `json:"country"`
	Raw     *string `json:"raw"`
	State   *string `json:"state"`
	Street1 *string `json:"street_1"`
	Street2 *string `json:"street_2"`
	ZipCode *string `json:"zip_code"`
}

// IntegrationField is a field of the ATS record exposed as is.
type IntegrationField struct {
	ID    string  `json:"id"`
	Key   string  `json:"key"`
	Type  string  `json:"type"`
	Value any     `json:"value"`
	Label *string `json:"label"`
}

// Candidate is a record of GET /ats/candidates.
type Candidate struct {
	ID                string                 `json:"id"`
	RemoteID          string                 `json:"remote_id"`
	FirstName         *string                `json:"first_name"`
	LastName          *string                `json:"last_name"`
	Company           *string                `json:"company"`
	Title             *string                `json:"title"`
	Confidential      *bool                  `json:"confidential"`
	Source            *string                `json:"source"`
	PhoneNumbers      []PhoneNumber          `json:"phone_numbers"`
	EmailAddresses    []EmailAddress         `json:"email_addresses"`
	SocialMedia       []SocialMedia          `json:"social_media"`
	Location          *Location              `json:"location"`
	CustomFields      map[string]any         `json:"custom_fields"`
	IntegrationFields []IntegrationField     `json:"integration_fields"`
	RemoteURL         *string                `json:"remote_url"`
	RemoteCreatedAt   *Time                  `json:"remote_created_at"`
	RemoteUpdatedAt   *Time                  `json:"remote_updated_at"`
	RemoteData        map[string]any         `json:"remote_data"`
	ChangedAt         Time                   `json:"changed_at"`
	RemoteDeletedAt   *Time                  `json:"remote_deleted_at"`
	Applications      []CandidateApplication `json:"applications"`
	Tags              []Tag                  `json:"tags"`
}

// CandidateApplication is an application nested in a candidate.
type CandidateApplication struct {
	ID                  string          `json:"id"`
	RemoteID            *string         `json:"remote_id"`
	Outcome             *string         `json:"outcome"`
	RejectionReasonName *string         `json:"rejection_reason_name"`
	RejectedAt          *Time           `json:"rejected_at"`
	RemoteURL           *string         `json:"remote_url"`
	ChangedAt           Time            `json:"changed_at"`
	RemoteCreatedAt     *Time           `json:"remote_created_at"`
	RemoteUpdatedAt     *Time           `json:"remote_updated_at"`
	CurrentStage        *CandidateStage `json:"current_stage"`
	Job                 *CandidateJob   `json:"job"`
}

// CandidateStage is the current stage of an application nested in a candidate.
type CandidateStage struct {
	ID       string  `json:"id"`
	Name     *string `json:"name"`
	RemoteID *string `json:"remote_id"`
	Index    *int    `json:"index"`
}

// CandidateJob is the job of an application nested in a candidate.
type CandidateJob struct {
	ID       string  `json:"id"`
	Name     *string `json:"name"`
	RemoteID string  `json:"remote_id"`
}

// Application is a record of GET /ats/applications.
type Application struct {
	ID                       string                `json:"id"`
	RemoteID                 *string               `json:"remote_id"`
	Outcome                  *string               `json:"outcome"`
	RejectionReasonName      *string               `json:"rejection_reason_name"`
	RejectedAt               *Time                 `json:"rejected_at"`
	CurrentStageID           *string               `json:"current_stage_id"`
	JobID                    *string               `json:"job_id"`
	CandidateID              *string               `json:"candidate_id"`
	ScreeningQuestionAnswers []any                 `json:"screening_question_answers"`
	CustomFields             map[string]any        `json:"custom_fields"`
	IntegrationFields        []IntegrationField    `json:"integration_fields"`
	RemoteURL                *string               `json:"remote_url"`
	ChangedAt                Time                  `json:"changed_at"`
	RemoteDeletedAt          *Time                 `json:"remote_deleted_at"`
	RemoteCreatedAt          *Time                 `json:"remote_created_at"`
	RemoteUpdatedAt          *Time                 `json:"remote_updated_at"`
	RemoteData               map[string]any        `json:"remote_data"`
	Candidate                *ApplicationCandidate `json:"candidate"`
	CurrentStage             *ApplicationStage     `json:"current_stage"`
	Job                      *ApplicationJob       `json:"job"`
	Interviews               []Interview           `json:"interviews"`
	Offers                   []Offer               `json:"offers"`
}

// ApplicationCandidate is the candidate nested in an application.
type ApplicationCandidate struct {
	ID             string         `json:"id"`
	RemoteID       string         `json:"remote_id"`
	FirstName      *string        `json:"first_name"`
	LastName       *string        `json:"last_name"`
	Source         *string        `json:"source"`
	RemoteURL      *string        `json:"remote_url"`
	Tags           []Tag          `json:"tags"`
	EmailAddresses []EmailAddress `json:"email_addresses"`
	PhoneNumbers   []PhoneNumber  `json:"phone_numbers"`
	SocialMedia    []SocialMedia  `json:"social_media"`
}

// ApplicationStage is the current stage nested in an application.
type ApplicationStage struct {
	ID           string         `json:"id"`
	RemoteID     *string        `json:"remote_id"`
	Name         *string        `json:"name"`
	Index        *int           `json:"index"`
	Status       *string        `json:"status"`
	CustomFields map[string]any `json:"custom_fields"`
}

// ApplicationJob is the job nested in an application.
type ApplicationJob struct {
	ID       string  `json:"id"`
	RemoteID string  `json:"remote_id"`
	Name     *string `json:"name"`
}

// Interview is an interview of an application.
type Interview struct {
	ID         string  `json:"id"`
	RemoteID   *string `json:"remote_id"`
	Title      *string `json:"title"`
	StartingAt *Time   `json:"starting_at"`
	EndingAt   *Time   `json:"ending_at"`
	Canceled   *bool   `json:"canceled"`
}

// Offer is an offer of an application.
type Offer struct {
	ID       string  `json:"id"`
	RemoteID *string `json:"remote_id"`
	Status   *string `json:"status"`
}
