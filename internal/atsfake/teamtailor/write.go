package teamtailor

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// created answers 201 with the new resource and its Location.
func (f *Fake) created(c *call, r ref) *response {
	res := f.render(c.base, r, nil)
	resp := docResponse(http.StatusCreated, Document{Data: &res})
	resp.header.Set("Location", res.Links["self"])
	return resp
}

// target resolves a to-one relationship of a write to a live record of
// wantType. ok is false when it is missing, of another type or unknown.
func (f *Fake) target(in *inResource, name, wantType string) (int64, bool) {
	id, ok := in.linkage(name)
	if !ok || id.Type != wantType {
		return 0, false
	}
	n, err := strconv.ParseInt(id.ID, 10, 64)
	if err != nil || !f.exists(ref{wantType, n}) {
		return 0, false
	}
	return n, true
}

// touchOwner moves the updated-at of a candidate or job that was written
// to, so delta syncs (filter[updated-at][from]) see the write.
func (f *Fake) touchOwner(ownerType string, id int64, at time.Time) {
	switch ownerType {
	case "Candidate":
		if x, ok := f.candByID[id]; ok && at.After(x.UpdatedAt) {
			x.UpdatedAt = at
		}
	case "Job":
		if x, ok := f.jobByID[id]; ok && at.After(x.UpdatedAt) {
			x.UpdatedAt = at
		}
	}
}

// createNote serves POST /v1/notes: attributes.note plus the candidate and
// the user (author) relationships, all required.
func (f *Fake) createNote(c *call) *response {
	in, resp := parseDoc(c.body, "notes")
	if resp != nil {
		return resp
	}
	var errs []ErrorObject
	text, ok := in.stringAttr("note")
	if !ok || strings.TrimSpace(text) == "" {
		errs = append(errs, invalid("/data/attributes/note", "note", "can't be blank"))
	}
	candID, ok := f.target(in, "candidate", "candidates")
	if !ok {
		errs = append(errs, invalid("/data/relationships/candidate", "candidate", "must exist"))
	}
	userID, ok := f.target(in, "user", "users")
	if !ok {
		errs = append(errs, invalid("/data/relationships/user", "user", "must exist"))
	}
	c.log.ActingUserID = userID
	if len(errs) > 0 {
		return errorsResponse(http.StatusUnprocessableEntity, errs...)
	}
	at := stamp(c.now)
	n := &Note{ID: f.nextID.note, CandidateID: candID, UserID: userID, Note: text, CreatedAt: at, UpdatedAt: at}
	f.nextID.note++
	f.notes = append(f.notes, n)
	f.noteByID[n.ID] = n
	f.touchOwner("Candidate", candID, at)
	return f.created(c, ref{"notes", n.ID})
}

// fieldTypes are the custom field types the fake can create and validate.
var fieldTypes = map[string]bool{
	"CustomField::Text": true, "CustomField::Number": true, "CustomField::Date": true,
	"CustomField::Url": true, "CustomField::Checkbox": true,
}

// apiName derives an api-name from a display name: lower case, runs of other
// characters replaced by one dash.
func apiName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// createCustomField serves POST /v1/custom-fields.
func (f *Fake) createCustomField(c *call) *response {
	in, resp := parseDoc(c.body, "custom-fields")
	if resp != nil {
		return resp
	}
	cf, errs := f.newField(in)
	if len(errs) > 0 {
		return errorsResponse(http.StatusUnprocessableEntity, errs...)
	}
	at := stamp(c.now)
	cf.CreatedAt, cf.UpdatedAt = at, at
	f.addField(cf)
	return f.created(c, ref{"custom-fields", cf.ID})
}

func (f *Fake) newField(in *inResource) (*CustomField, []ErrorObject) {
	var errs []ErrorObject
	name, _ := in.stringAttr("name")
	if strings.TrimSpace(name) == "" {
		errs = append(errs, invalid("/data/attributes/name", "name", "can't be blank"))
	}
	api, ok := in.stringAttr("api-name")
	if !ok || api == "" {
		api = apiName(name)
	}
	for _, x := range f.fields {
		if api != "" && x.APIName == api {
			errs = append(errs, invalid("/data/attributes/api-name", "api-name", "has already been taken"))
			break
		}
	}
	ft, _ := in.stringAttr("field-type")
	if !fieldTypes[ft] {
		errs = append(errs, invalid("/data/attributes/field-type", "field-type", "is not included in the list"))
	}
	owner, ok := in.stringAttr("owner-type")
	if !ok {
		owner = "Candidate"
	}
	if owner != "Candidate" && owner != "Job" {
		errs = append(errs, invalid("/data/attributes/owner-type", "owner-type", "is not included in the list"))
	}
	return &CustomField{Name: name, APIName: api, FieldType: ft, OwnerType: owner}, errs
}

// addField stores a definition with a fresh id. Called with f.mu held.
func (f *Fake) addField(cf *CustomField) {
	cf.ID = f.nextID.field
	f.nextID.field++
	f.fields = append(f.fields, cf)
	f.fieldByID[cf.ID] = cf
}

// parseValue validates a custom field value for fieldType and returns it in
// its stored form.
func parseValue(fieldType string, raw json.RawMessage) (any, string) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if len(raw) == 0 || dec.Decode(&v) != nil || v == nil {
		return nil, "can't be blank"
	}
	switch fieldType {
	case "CustomField::Number":
		var s string
		switch x := v.(type) {
		case json.Number:
			s = x.String()
		case string:
			s = strings.TrimSpace(x)
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, "is not a number"
		}
		return n, ""
	case "CustomField::Checkbox":
		switch x := v.(type) {
		case bool:
			return x, ""
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, ""
			}
		}
		return nil, "must be true or false"
	}
	s, ok := v.(string)
	if !ok || strings.TrimSpace(s) == "" {
		return nil, "can't be blank"
	}
	switch fieldType {
	case "CustomField::Date":
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return nil, "is not a valid date"
		}
	case "CustomField::Url":
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, "is not a valid URL"
		}
	}
	return s, ""
}

// createCustomFieldValue serves POST /v1/custom-field-values: a value for
// the custom-field relationship on the owner relationship (a candidate or a
// job matching the field's owner-type). One value per field and owner; a
// second one is a 422, so a connector updates with PATCH.
func (f *Fake) createCustomFieldValue(c *call) *response {
	in, resp := parseDoc(c.body, "custom-field-values")
	if resp != nil {
		return resp
	}
	var errs []ErrorObject
	fieldID, ok := f.target(in, "custom-field", "custom-fields")
	if !ok {
		errs = append(errs, invalid("/data/relationships/custom-field", "custom-field", "must exist"))
	}
	var cf *CustomField
	if ok {
		cf = f.fieldByID[fieldID]
	}
	ownerType := "Candidate"
	if cf != nil {
		ownerType = cf.OwnerType
	}
	ownerID, ok := f.target(in, "owner", ownerCollection(ownerType))
	if !ok {
		errs = append(errs, invalid("/data/relationships/owner", "owner", "must exist"))
	}
	var value any
	if cf != nil {
		var msg string
		if value, msg = parseValue(cf.FieldType, in.Attributes["value"]); msg != "" {
			errs = append(errs, invalid("/data/attributes/value", "value", msg))
		}
	}
	if len(errs) == 0 {
		for _, v := range f.values {
			if v.CustomFieldID == fieldID && v.OwnerType == ownerType && v.OwnerID == ownerID {
				errs = append(errs, invalid("/data/relationships/custom-field", "custom-field", "has already been taken"))
				break
			}
		}
	}
	if len(errs) > 0 {
		return errorsResponse(http.StatusUnprocessableEntity, errs...)
	}
	at := stamp(c.now)
	v := &CustomFieldValue{ID: f.nextID.value, CustomFieldID: fieldID, OwnerType: ownerType, OwnerID: ownerID,
		Value: value, CreatedAt: at, UpdatedAt: at}
	f.nextID.value++
	f.values = append(f.values, v)
	f.valueByID[v.ID] = v
	f.touchOwner(ownerType, ownerID, at)
	return f.created(c, ref{"custom-field-values", v.ID})
}

// updateCustomFieldValue serves PATCH /v1/custom-field-values/{id}; data.id
// must match the path (409 otherwise) and only the value changes.
func (f *Fake) updateCustomFieldValue(c *call) *response {
	v, ok := f.valueByID[c.rt.id]
	if !ok {
		return recordNotFound(strconv.FormatInt(c.rt.id, 10))
	}
	in, resp := parseDoc(c.body, "custom-field-values")
	if resp != nil {
		return resp
	}
	if in.ID != strconv.FormatInt(v.ID, 10) {
		return errorsResponse(http.StatusConflict, ErrorObject{
			Title: "Key mismatch", Detail: "data.id must be the id in the URL.",
			Source: &ErrorSource{Pointer: "/data/id"},
		})
	}
	if raw, ok := in.Attributes["value"]; ok {
		value, msg := parseValue(f.fieldByID[v.CustomFieldID].FieldType, raw)
		if msg != "" {
			return errorsResponse(http.StatusUnprocessableEntity, invalid("/data/attributes/value", "value", msg))
		}
		v.Value = value
	}
	at := stamp(c.now)
	v.UpdatedAt = at
	f.touchOwner(v.OwnerType, v.OwnerID, at)
	res := f.render(c.base, ref{"custom-field-values", v.ID}, nil)
	return docResponse(http.StatusOK, Document{Data: &res})
}

// deleteCustomFieldValue serves DELETE /v1/custom-field-values/{id} → 204.
func (f *Fake) deleteCustomFieldValue(c *call) *response {
	v, ok := f.valueByID[c.rt.id]
	if !ok {
		return recordNotFound(strconv.FormatInt(c.rt.id, 10))
	}
	f.removeValues(func(x *CustomFieldValue) bool { return x == v })
	f.touchOwner(v.OwnerType, v.OwnerID, stamp(c.now))
	return &response{status: http.StatusNoContent, header: http.Header{}}
}

func (f *Fake) removeValues(drop func(*CustomFieldValue) bool) {
	kept := f.values[:0]
	for _, x := range f.values {
		if drop(x) {
			delete(f.valueByID, x.ID)
			continue
		}
		kept = append(kept, x)
	}
	f.values = kept
}
