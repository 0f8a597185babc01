package teamtailor

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// MediaType is the JSON:API media type of every body, both ways.
const MediaType = "application/vnd.api+json"

// Document is a JSON:API top-level document as the fake writes it. Data is a
// *Resource, a []Resource or null.
type Document struct {
	Data     any               `json:"data"`
	Included []Resource        `json:"included,omitempty"`
	Links    map[string]string `json:"links,omitempty"`
	Meta     map[string]any    `json:"meta,omitempty"`
}

// Resource is a JSON:API resource object.
type Resource struct {
	ID            string                  `json:"id"`
	Type          string                  `json:"type"`
	Links         map[string]string       `json:"links,omitempty"`
	Attributes    map[string]any          `json:"attributes"`
	Relationships map[string]Relationship `json:"relationships,omitempty"`
}

// Relationship is a relationship of a resource: its links always, and its
// resource linkage (Data) only when the relationship was included.
type Relationship struct {
	Links map[string]string `json:"links,omitempty"`
	Data  json.RawMessage   `json:"data,omitempty"`
}

// Identifier is a resource identifier object {"type", "id"}.
type Identifier struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// ErrorObject is one entry of a JSON:API errors array. Status is the HTTP
// status as a string; Source.Pointer names the offending member of a write.
type ErrorObject struct {
	Status string       `json:"status"`
	Code   string       `json:"code,omitempty"`
	Title  string       `json:"title"`
	Detail string       `json:"detail,omitempty"`
	Source *ErrorSource `json:"source,omitempty"`
}

// ErrorSource points at the part of the request an error is about.
type ErrorSource struct {
	Pointer   string `json:"pointer,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}

// ErrorsBody is the JSON:API error document {"errors": [...]}.
type ErrorsBody struct {
	Errors []ErrorObject `json:"errors"`
}

// response is a fully built answer, built under f.mu and written after.
type response struct {
	status int
	header http.Header
	body   []byte
}

func docResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		return errorsResponse(http.StatusInternalServerError, ErrorObject{Title: "Internal Server Error"})
	}
	h := http.Header{}
	h.Set("Content-Type", MediaType)
	return &response{status: status, header: h, body: body}
}

// errorsResponse builds an errors document; entries without a Status get
// the response's.
func errorsResponse(status int, errs ...ErrorObject) *response {
	for i := range errs {
		if errs[i].Status == "" {
			errs[i].Status = strconv.Itoa(status)
		}
	}
	body, _ := json.Marshal(ErrorsBody{Errors: errs})
	h := http.Header{}
	h.Set("Content-Type", MediaType)
	return &response{status: status, header: h, body: body}
}

func simpleError(status int, title, detail string) *response {
	return errorsResponse(status, ErrorObject{Title: title, Detail: detail})
}

func badParam(param, title, detail string) *response {
	return errorsResponse(http.StatusBadRequest, ErrorObject{
		Title: title, Detail: detail, Source: &ErrorSource{Parameter: param},
	})
}

func recordNotFound(id string) *response {
	return simpleError(http.StatusNotFound, "Record not found",
		"No record with id "+id+" exists.")
}

func routeNotFound() *response {
	return simpleError(http.StatusNotFound, "Not Found", "The requested resource does not exist.")
}

// invalid is one 422 entry: "<member> - <message>" about a pointer.
func invalid(pointer, member, msg string) ErrorObject {
	return ErrorObject{
		Status: "422", Title: msg, Detail: member + " - " + msg,
		Source: &ErrorSource{Pointer: pointer},
	}
}

// inDoc is a JSON:API request document.
type inDoc struct {
	Data *inResource `json:"data"`
}

type inResource struct {
	ID            string                     `json:"id"`
	Type          string                     `json:"type"`
	Attributes    map[string]json.RawMessage `json:"attributes"`
	Relationships map[string]inRelationship  `json:"relationships"`
}

type inRelationship struct {
	Data json.RawMessage `json:"data"`
}

// parseDoc decodes a write body and checks data.type (409 when it is not
// the collection's type, as JSON:API requires).
func parseDoc(body []byte, typ string) (*inResource, *response) {
	var d inDoc
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil || d.Data == nil {
		return nil, simpleError(http.StatusBadRequest, "Invalid document",
			"The request body must be a JSON:API document with a data object.")
	}
	if d.Data.Type != typ {
		return nil, errorsResponse(http.StatusConflict, ErrorObject{
			Title: "Type mismatch", Detail: "data.type must be " + typ + ".",
			Source: &ErrorSource{Pointer: "/data/type"},
		})
	}
	return d.Data, nil
}

// linkage reads a to-one relationship's {"type","id"}.
func (r *inResource) linkage(name string) (Identifier, bool) {
	rel, ok := r.Relationships[name]
	if !ok || len(rel.Data) == 0 {
		return Identifier{}, false
	}
	var id Identifier
	if err := json.Unmarshal(rel.Data, &id); err != nil || id.ID == "" {
		return Identifier{}, false
	}
	return id, true
}

func (r *inResource) stringAttr(name string) (string, bool) {
	raw, ok := r.Attributes[name]
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}
