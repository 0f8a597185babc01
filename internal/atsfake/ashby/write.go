package ashby

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
)

// candidateCreateNote is POST /candidate.createNote {candidateId, note,
// sendNotifications, isPrivate, createdAt}. note is either a string (plain
// text) or {type: "text/html" | "text/plain", value}. The author is the user
// the API key belongs to. Writing a note marks the candidate as changed, so
// the next candidate.list with a syncToken returns it.
func (f *Fake) candidateCreateNote(c *call) *response {
	id, resp := f.requiredID(c, "candidateId")
	if resp != nil {
		return resp
	}
	var content string
	switch note := c.params["note"].(type) {
	case string:
		content = note
	case map[string]any:
		typ, _ := note["type"].(string)
		value, ok := note["value"].(string)
		if !ok {
			return f.invalidInput("note.value is required and must be a string")
		}
		switch typ {
		case "text/plain":
			content = value
		case "text/html":
			content = sanitizeHTML(value)
		default:
			return f.invalidInput("note.type must be text/html or text/plain")
		}
	case nil:
		return f.invalidInput("note is required")
	default:
		return f.invalidInput("note must be a string or an object {type, value}")
	}
	if strings.TrimSpace(content) == "" {
		return f.invalidInput("note must not be empty")
	}
	if _, ok := c.optBool("sendNotifications", false); !ok {
		return f.invalidInput("sendNotifications must be a boolean")
	}
	private, ok := c.optBool("isPrivate", false)
	if !ok {
		return f.invalidInput("isPrivate must be a boolean")
	}
	createdAt := c.now
	if raw, present := c.params["createdAt"]; present && raw != nil {
		s, isStr := raw.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if !isStr || err != nil {
			return f.invalidInput("createdAt must be an ISO 8601 timestamp")
		}
		createdAt = t
	}
	r, found := f.candByID[id]
	if !found || r.deleted {
		return f.logical("candidate_not_found", "No candidate with id "+id)
	}
	if c.user == nil || !c.user.IsEnabled {
		return f.logical("invalid_author", "The API key's user cannot author notes")
	}
	n := Note{
		ID: f.newID(), CreatedAt: Time{createdAt}, Content: content, IsPrivate: private,
		Author: NoteAuthor{ID: c.user.ID, FirstName: c.user.FirstName, LastName: c.user.LastName, Email: c.user.Email},
	}
	f.notes = append(f.notes, &noteRec{candidateID: id, n: n})
	r.updatedAt = c.now
	return success(n)
}

// allowedNoteTags are the HTML tags Ashby keeps in a text/html note.
var allowedNoteTags = map[string]bool{
	"b": true, "i": true, "u": true, "a": true, "ul": true, "ol": true, "li": true,
	"code": true, "pre": true, "br": true, "p": true,
}

var (
	htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	htmlTag     = regexp.MustCompile(`</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>`)
)

// sanitizeHTML drops comments and every tag outside the allowed subset,
// keeping the text between tags. The real sanitizer is not documented; this
// keeps the documented subset (b, i, u, a, ul, ol, li, code, pre) plus line
// breaks and paragraphs.
func sanitizeHTML(s string) string {
	s = htmlComment.ReplaceAllString(s, "")
	return htmlTag.ReplaceAllStringFunc(s, func(tag string) string {
		name := strings.ToLower(htmlTag.FindStringSubmatch(tag)[1])
		if allowedNoteTags[name] {
			return tag
		}
		return ""
	})
}

var (
	fieldTypes        = []string{"Boolean", "Date", "MultiValueSelect", "Number", "String", "ValueSelect"}
	fieldObjectTypes  = []string{"Application", "Candidate", "Job", "Employee", "Talent_Project", "Opening_Version", "Offer_Version"}
	settableObjectTyp = []string{"Application", "Candidate", "Job"}
)

// customFieldCreate is POST /customField.create {title, fieldType,
// objectType, description, isExposableToCandidate, selectableValues}.
// fieldType and objectType are case-sensitive enums. Titles need not be
// unique, as in Ashby; a client should look for its field before creating.
func (f *Fake) customFieldCreate(c *call) *response {
	title, ok := c.str("title")
	if !ok || strings.TrimSpace(title) == "" {
		return f.invalidInput("title is required")
	}
	fieldType, _ := c.str("fieldType")
	if !slices.Contains(fieldTypes, fieldType) {
		return f.invalidInput("fieldType must be one of %s", strings.Join(fieldTypes, ", "))
	}
	objectType, _ := c.str("objectType")
	if !slices.Contains(fieldObjectTypes, objectType) {
		return f.invalidInput("objectType must be one of %s", strings.Join(fieldObjectTypes, ", "))
	}
	def := CustomField{Title: title, FieldType: fieldType, ObjectType: objectType}
	if raw, present := c.params["description"]; present && raw != nil {
		d, isStr := raw.(string)
		if !isStr {
			return f.invalidInput("description must be a string")
		}
		def.Description = d
	}
	if _, ok := c.optBool("isExposableToCandidate", false); !ok {
		return f.invalidInput("isExposableToCandidate must be a boolean")
	}
	if fieldType == "ValueSelect" || fieldType == "MultiValueSelect" {
		list, isList := c.params["selectableValues"].([]any)
		if !isList || len(list) == 0 {
			return f.invalidInput("selectableValues is required for %s fields", fieldType)
		}
		for _, item := range list {
			m, isObj := item.(map[string]any)
			label, _ := m["label"].(string)
			value, _ := m["value"].(string)
			if !isObj || label == "" || value == "" {
				return f.invalidInput("each selectable value needs a label and a value")
			}
			def.SelectableValues = append(def.SelectableValues, SelectableValue{Label: label, Value: value})
		}
	}
	fr := f.addField(def, c.now)
	return success(cloneField(fr.def))
}

// customFieldSetValue is POST /customField.setValue {objectId, objectType,
// fieldId, fieldValue}. The value must suit the field type: a string for
// String, a number for Number, a boolean for Boolean, an ISO date for Date,
// one option value for ValueSelect and an array of option values for
// MultiValueSelect; null clears the value. The record's updatedAt moves to
// now, so delta syncs see the write.
func (f *Fake) customFieldSetValue(c *call) *response {
	objectID, resp := f.requiredID(c, "objectId")
	if resp != nil {
		return resp
	}
	fieldID, resp := f.requiredID(c, "fieldId")
	if resp != nil {
		return resp
	}
	objectType, _ := c.str("objectType")
	if !slices.Contains(settableObjectTyp, objectType) {
		return f.invalidInput("objectType must be one of %s", strings.Join(settableObjectTyp, ", "))
	}
	raw, present := c.params["fieldValue"]
	if !present {
		return f.invalidInput("fieldValue is required (null clears the value)")
	}
	fr, ok := f.fieldByID[fieldID]
	if !ok {
		return f.logical("custom_field_not_found", "No custom field with id "+fieldID)
	}
	if fr.def.ObjectType != objectType {
		return f.invalidInput("custom field %q belongs to %s objects, not %s", fr.def.Title, fr.def.ObjectType, objectType)
	}
	if fr.def.IsArchived {
		return f.invalidInput("custom field %q is archived", fr.def.Title)
	}
	var value any
	if raw != nil {
		v, msg := fieldValue(fr.def, raw)
		if msg != "" {
			return f.invalidInput("%s", msg)
		}
		value = v
	}

	var values map[string]any
	var touch func()
	switch objectType {
	case "Application":
		r, ok := f.appByID[objectID]
		if !ok || !f.liveApplication(r) {
			return f.logical("application_not_found", "No application with id "+objectID)
		}
		values, touch = r.values, func() { r.a.UpdatedAt = Time{c.now} }
	case "Candidate":
		r, ok := f.candByID[objectID]
		if !ok || r.deleted {
			return f.logical("candidate_not_found", "No candidate with id "+objectID)
		}
		values, touch = r.values, func() { r.updatedAt = c.now }
	case "Job":
		r, ok := f.jobByID[objectID]
		if !ok {
			return f.logical("job_not_found", "No job with id "+objectID)
		}
		values, touch = r.values, func() { r.j.UpdatedAt = Time{c.now} }
	}
	if value == nil {
		delete(values, fieldID)
	} else {
		values[fieldID] = value
	}
	touch()
	return success(CustomFieldValue{ID: fr.def.ID, Title: fr.def.Title, Value: cloneValue(value)})
}

// fieldValue checks raw against the field's type and returns the value to
// store, or a message saying what is wrong.
func fieldValue(def CustomField, raw any) (any, string) {
	options := func() []string {
		var vs []string
		for _, sv := range def.SelectableValues {
			if !sv.IsArchived {
				vs = append(vs, sv.Value)
			}
		}
		return vs
	}
	switch def.FieldType {
	case "String":
		if s, ok := raw.(string); ok {
			return s, ""
		}
		return nil, "fieldValue must be a string for a String field"
	case "Number":
		if n, ok := raw.(json.Number); ok {
			if v, err := n.Float64(); err == nil {
				return v, ""
			}
		}
		return nil, "fieldValue must be a number for a Number field"
	case "Boolean":
		if b, ok := raw.(bool); ok {
			return b, ""
		}
		return nil, "fieldValue must be a boolean for a Boolean field"
	case "Date":
		if s, ok := raw.(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t.UTC().Format(timeLayout), ""
			}
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				return t.UTC().Format(timeLayout), ""
			}
		}
		return nil, "fieldValue must be an ISO 8601 date for a Date field"
	case "ValueSelect":
		if s, ok := raw.(string); ok && slices.Contains(options(), s) {
			return s, ""
		}
		return nil, "fieldValue must be one of the field's selectable values: " + strings.Join(options(), ", ")
	case "MultiValueSelect":
		list, ok := raw.([]any)
		if !ok {
			return nil, "fieldValue must be an array of selectable values for a MultiValueSelect field"
		}
		out := []string{}
		for _, item := range list {
			s, isStr := item.(string)
			if !isStr || !slices.Contains(options(), s) {
				return nil, "fieldValue entries must be among the field's selectable values: " + strings.Join(options(), ", ")
			}
			out = append(out, s)
		}
		return out, ""
	}
	return nil, "custom fields of type " + def.FieldType + " cannot be set through the API"
}
