package sqlstore

import (
	"github.com/resultlinks/resultlinks"
)

// InputDoc is the stored form of a result link's input.
type InputDoc struct {
	Label        string                   `json:"label"`
	URL          string                   `json:"url"`
	Details      *resultlinks.Details     `json:"details"`
	RemoteFields resultlinks.RemoteFields `json:"remote_fields"`
}

// InputDocOf returns the stored form of in.
func InputDocOf(in resultlinks.ResultLinkInput) InputDoc {
	return InputDoc{Label: in.Label, URL: in.URL, Details: in.Details, RemoteFields: in.RemoteFields}
}

// Input returns the domain form of the document.
func (d InputDoc) Input() resultlinks.ResultLinkInput {
	return resultlinks.ResultLinkInput{Label: d.Label, URL: d.URL, Details: d.Details, RemoteFields: d.RemoteFields}
}
