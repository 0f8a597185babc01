package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
)

// CandidateDoc is the JSON document holding a candidate's fields that are
// not columns of their own.
type CandidateDoc struct {
	FirstName       *string                    `json:"first_name"`
	LastName        *string                    `json:"last_name"`
	Company         *string                    `json:"company"`
	Title           *string                    `json:"title"`
	Confidential    *bool                      `json:"confidential"`
	Source          *string                    `json:"source"`
	PhoneNumbers    []resultlinks.PhoneNumber  `json:"phone_numbers"`
	EmailAddresses  []resultlinks.EmailAddress `json:"email_addresses"`
	SocialMedia     []resultlinks.SocialMedia  `json:"social_media"`
	Location        *resultlinks.Location      `json:"location"`
	RemoteURL       *string                    `json:"remote_url"`
	RemoteCreatedAt *time.Time                 `json:"remote_created_at"`
	RemoteUpdatedAt *time.Time                 `json:"remote_updated_at"`
	Tags            []resultlinks.Tag          `json:"tags"`
	CustomFields    map[string]any             `json:"custom_fields"`
}

// CandidateDocOf returns the document of c.
func CandidateDocOf(c *resultlinks.Candidate) *CandidateDoc {
	return &CandidateDoc{
		FirstName: c.FirstName, LastName: c.LastName, Company: c.Company, Title: c.Title,
		Confidential: c.Confidential, Source: c.Source, PhoneNumbers: c.PhoneNumbers,
		EmailAddresses: c.EmailAddresses, SocialMedia: c.SocialMedia, Location: c.Location,
		RemoteURL: c.RemoteURL, RemoteCreatedAt: c.RemoteCreatedAt, RemoteUpdatedAt: c.RemoteUpdatedAt,
		Tags: c.Tags, CustomFields: c.CustomFields,
	}
}

// Apply copies the document's fields into c.
func (d *CandidateDoc) Apply(c *resultlinks.Candidate) {
	c.FirstName, c.LastName, c.Company, c.Title = d.FirstName, d.LastName, d.Company, d.Title
	c.Confidential, c.Source = d.Confidential, d.Source
	c.PhoneNumbers, c.EmailAddresses, c.SocialMedia, c.Location = d.PhoneNumbers, d.EmailAddresses, d.SocialMedia, d.Location
	c.RemoteURL, c.RemoteCreatedAt, c.RemoteUpdatedAt = d.RemoteURL, d.RemoteCreatedAt, d.RemoteUpdatedAt
	c.Tags, c.CustomFields = d.Tags, d.CustomFields
}

// Emails returns the candidate's e-mail addresses in lower case, for the
// case-insensitive e-mail filter.
func (d *CandidateDoc) Emails() []string {
	out := []string{}
	for _, e := range d.EmailAddresses {
		if e.EmailAddress != nil && *e.EmailAddress != "" {
			out = append(out, strings.ToLower(*e.EmailAddress))
		}
	}
	return out
}

// ApplicationDoc is the JSON document holding an application's fields that
// are not columns of their own.
type ApplicationDoc struct {
	RejectionReasonName *string                 `json:"rejection_reason_name"`
	RejectedAt          *time.Time              `json:"rejected_at"`
	RemoteURL           *string                 `json:"remote_url"`
	RemoteCreatedAt     *time.Time              `json:"remote_created_at"`
	RemoteUpdatedAt     *time.Time              `json:"remote_updated_at"`
	Interviews          []resultlinks.Interview `json:"interviews"`
	Offers              []resultlinks.Offer     `json:"offers"`
	CustomFields        map[string]any          `json:"custom_fields"`
}

// ApplicationDocOf returns the document of a.
func ApplicationDocOf(a *resultlinks.Application) *ApplicationDoc {
	return &ApplicationDoc{
		RejectionReasonName: a.RejectionReasonName, RejectedAt: a.RejectedAt, RemoteURL: a.RemoteURL,
		RemoteCreatedAt: a.RemoteCreatedAt, RemoteUpdatedAt: a.RemoteUpdatedAt,
		Interviews: a.Interviews, Offers: a.Offers, CustomFields: a.CustomFields,
	}
}

// Apply copies the document's fields into a.
func (d *ApplicationDoc) Apply(a *resultlinks.Application) {
	a.RejectionReasonName, a.RejectedAt, a.RemoteURL = d.RejectionReasonName, d.RejectedAt, d.RemoteURL
	a.RemoteCreatedAt, a.RemoteUpdatedAt = d.RemoteCreatedAt, d.RemoteUpdatedAt
	a.Interviews, a.Offers, a.CustomFields = d.Interviews, d.Offers, d.CustomFields
}

// Encode returns the JSON of v and the hex SHA-256 of that JSON together
// with extra, which callers use to tell whether a record changed.
func Encode(v any, extra ...string) (doc []byte, hash string, err error) {
	doc, err = json.Marshal(v)
	if err != nil {
		return nil, "", err
	}
	h := sha256.New()
	h.Write(doc)
	for _, e := range extra {
		h.Write([]byte{0})
		h.Write([]byte(e))
	}
	return doc, hex.EncodeToString(h.Sum(nil)), nil
}

// LowerPtr returns the lower-case form of s, or "" for nil.
func LowerPtr(s *string) string {
	if s == nil {
		return ""
	}
	return strings.ToLower(*s)
}

// DeriveRefs fills the derived IDs of a batch's records and of the
// references between them, for the integration.
func DeriveRefs(integrationID string, b *resultlinks.Batch) {
	for _, j := range b.Jobs {
		j.ID = resultlinks.DeriveID(integrationID, resultlinks.ModelJobs, j.RemoteID)
	}
	for _, s := range b.Stages {
		s.ID = resultlinks.DeriveID(integrationID, resultlinks.ModelStages, s.RemoteID)
	}
	for _, c := range b.Candidates {
		c.ID = resultlinks.DeriveID(integrationID, resultlinks.ModelCandidates, c.RemoteID)
		for i := range c.Tags {
			c.Tags[i].ID = resultlinks.DeriveID(integrationID, resultlinks.ModelTags, c.Tags[i].RemoteID)
		}
	}
	for _, a := range b.Applications {
		a.ID = resultlinks.DeriveID(integrationID, resultlinks.ModelApplications, a.RemoteID)
		a.CandidateID = derivedRef(integrationID, resultlinks.ModelCandidates, a.CandidateRemoteID)
		a.JobID = derivedRef(integrationID, resultlinks.ModelJobs, a.JobRemoteID)
		a.CurrentStageID = derivedRef(integrationID, resultlinks.ModelStages, a.CurrentStageRemoteID)
		for i := range a.Interviews {
			if r := a.Interviews[i].RemoteID; r != nil {
				a.Interviews[i].ID = resultlinks.DeriveID(integrationID, "ats_interviews", *r)
			}
		}
		for i := range a.Offers {
			if r := a.Offers[i].RemoteID; r != nil {
				a.Offers[i].ID = resultlinks.DeriveID(integrationID, "ats_offers", *r)
			}
		}
	}
}

func derivedRef(integrationID string, m resultlinks.Model, remoteID string) *string {
	if remoteID == "" {
		return nil
	}
	id := resultlinks.DeriveID(integrationID, m, remoteID)
	return &id
}
