package httpapi

import (
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// The converters from domain records to their wire shapes.

func fieldsOrEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func tagsToWire(tags []resultlinks.Tag) []wire.Tag {
	out := make([]wire.Tag, len(tags))
	for i, t := range tags {
		out[i] = wire.Tag{ID: t.ID, Name: t.Name, RemoteID: ptr(t.RemoteID)}
	}
	return out
}

func phonesToWire(p []resultlinks.PhoneNumber) []wire.PhoneNumber {
	out := make([]wire.PhoneNumber, len(p))
	for i, v := range p {
		out[i] = wire.PhoneNumber{PhoneNumber: v.PhoneNumber, Type: v.Type}
	}
	return out
}

func emailsToWire(e []resultlinks.EmailAddress) []wire.EmailAddress {
	out := make([]wire.EmailAddress, len(e))
	for i, v := range e {
		out[i] = wire.EmailAddress{EmailAddress: v.EmailAddress, Type: v.Type}
	}
	return out
}

func socialToWire(s []resultlinks.SocialMedia) []wire.SocialMedia {
	out := make([]wire.SocialMedia, len(s))
	for i, v := range s {
		out[i] = wire.SocialMedia{Link: v.Link, Type: v.Type, Username: v.Username}
	}
	return out
}

func outcomeToWire(o *resultlinks.Outcome) *string {
	if o == nil {
		return nil
	}
	return ptr(string(*o))
}

func candidateToWire(c *resultlinks.Candidate) wire.Candidate {
	out := wire.Candidate{
		ID: c.ID, RemoteID: c.RemoteID, FirstName: c.FirstName, LastName: c.LastName, Company: c.Company, Title: c.Title,
		Confidential: c.Confidential, Source: c.Source,
		PhoneNumbers: phonesToWire(c.PhoneNumbers), EmailAddresses: emailsToWire(c.EmailAddresses), SocialMedia: socialToWire(c.SocialMedia),
		CustomFields: fieldsOrEmpty(c.CustomFields), IntegrationFields: []wire.IntegrationField{},
		RemoteURL: c.RemoteURL, RemoteCreatedAt: wire.TimePtr(c.RemoteCreatedAt), RemoteUpdatedAt: wire.TimePtr(c.RemoteUpdatedAt),
		ChangedAt: wire.Time(c.ChangedAt), RemoteDeletedAt: wire.TimePtr(c.RemoteDeletedAt),
		Applications: []wire.CandidateApplication{}, Tags: tagsToWire(c.Tags),
	}
	if l := c.Location; l != nil {
		out.Location = &wire.Location{City: l.City, Country: l.Country, Raw: l.Raw, State: l.State, Street1: l.Street1, Street2: l.Street2, ZipCode: l.ZipCode}
	}
	for _, a := range c.Applications {
		ca := wire.CandidateApplication{
			ID: a.ID, RemoteID: ptr(a.RemoteID), Outcome: outcomeToWire(a.Outcome), RejectionReasonName: a.RejectionReasonName,
			RejectedAt: wire.TimePtr(a.RejectedAt), RemoteURL: a.RemoteURL, ChangedAt: wire.Time(a.ChangedAt),
			RemoteCreatedAt: wire.TimePtr(a.RemoteCreatedAt), RemoteUpdatedAt: wire.TimePtr(a.RemoteUpdatedAt),
		}
		if s := a.CurrentStage; s != nil {
			ca.CurrentStage = &wire.CandidateStage{ID: s.ID, Name: s.Name, RemoteID: ptr(s.RemoteID), Index: s.Index}
		}
		if j := a.Job; j != nil {
			ca.Job = &wire.CandidateJob{ID: j.ID, Name: j.Name, RemoteID: j.RemoteID}
		}
		out.Applications = append(out.Applications, ca)
	}
	return out
}

func applicationToWire(a *resultlinks.Application) wire.Application {
	out := wire.Application{
		ID: a.ID, RemoteID: ptr(a.RemoteID), Outcome: outcomeToWire(a.Outcome), RejectionReasonName: a.RejectionReasonName,
		RejectedAt: wire.TimePtr(a.RejectedAt), CurrentStageID: a.CurrentStageID, JobID: a.JobID, CandidateID: a.CandidateID,
		CustomFields: fieldsOrEmpty(a.CustomFields), IntegrationFields: []wire.IntegrationField{}, RemoteURL: a.RemoteURL,
		ChangedAt: wire.Time(a.ChangedAt), RemoteDeletedAt: wire.TimePtr(a.RemoteDeletedAt),
		RemoteCreatedAt: wire.TimePtr(a.RemoteCreatedAt), RemoteUpdatedAt: wire.TimePtr(a.RemoteUpdatedAt),
		Interviews: []wire.Interview{}, Offers: []wire.Offer{},
	}
	if c := a.Candidate; c != nil {
		out.Candidate = &wire.ApplicationCandidate{
			ID: c.ID, RemoteID: c.RemoteID, FirstName: c.FirstName, LastName: c.LastName, Source: c.Source, RemoteURL: c.RemoteURL,
			Tags: tagsToWire(c.Tags), EmailAddresses: emailsToWire(c.EmailAddresses), PhoneNumbers: phonesToWire(c.PhoneNumbers),
			SocialMedia: socialToWire(c.SocialMedia),
		}
	}
	if s := a.CurrentStage; s != nil {
		st := &wire.ApplicationStage{ID: s.ID, RemoteID: ptr(s.RemoteID), Name: s.Name, Index: s.Index}
		if s.Status != nil {
			st.Status = ptr(string(*s.Status))
		}
		out.CurrentStage = st
	}
	if j := a.Job; j != nil {
		out.Job = &wire.ApplicationJob{ID: j.ID, RemoteID: j.RemoteID, Name: j.Name}
	}
	for _, iv := range a.Interviews {
		out.Interviews = append(out.Interviews, wire.Interview{
			ID: iv.ID, RemoteID: iv.RemoteID, Title: iv.Title, StartingAt: wire.TimePtr(iv.StartingAt),
			EndingAt: wire.TimePtr(iv.EndingAt), Canceled: iv.Canceled,
		})
	}
	for _, of := range a.Offers {
		out.Offers = append(out.Offers, wire.Offer{ID: of.ID, RemoteID: of.RemoteID, Status: of.Status})
	}
	return out
}
