package greenhouse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// stamp is the fake's timestamp for a write: UTC, millisecond precision, the
// same precision the wire carries, so a value read back filters exactly.
func stamp(t time.Time) Time { return Time{t.UTC().Truncate(time.Millisecond)} }

// decodeObject parses a JSON object body with numbers kept as json.Number.
func decodeObject(body []byte) (map[string]any, *response) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errorResponse(http.StatusBadRequest, "Bad Request", "Request body must be a JSON object.")
	}
	return m, nil
}

func asInt64(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

// stringOrNull reads an optional nullable string member.
func stringOrNull(m map[string]any, key string, errs *[]any) (val *string, present bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	if v == nil {
		return nil, true
	}
	s, ok := v.(string)
	if !ok {
		*errs = append(*errs, fieldError(key, "must be a string or null"))
		return nil, false
	}
	return &s, true
}

// stringList reads an array of strings.
func stringList(v any) ([]string, bool) {
	items, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// contactTypes are the allowed type values of each contact collection
// (the v1 documentation's lists, which v3 keeps).
var contactTypes = map[string][]string{
	"phone_numbers":     {"home", "work", "mobile", "skype", "other"},
	"addresses":         {"home", "work", "other"},
	"email_addresses":   {"personal", "work", "other"},
	"website_addresses": {"personal", "company", "portfolio", "blog", "other"},
}

// contactKeys lists contactTypes in a fixed order, so errors come out
// deterministically.
var contactKeys = []string{"phone_numbers", "addresses", "email_addresses", "website_addresses"}

func typedValues(key string, v any) ([]TypedValue, string) {
	items, ok := v.([]any)
	if !ok {
		return nil, "must be an array of {value, type}"
	}
	out := make([]TypedValue, 0, len(items))
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, "must be an array of {value, type}"
		}
		val, _ := m["value"].(string)
		typ, _ := m["type"].(string)
		if val == "" || !slices.Contains(contactTypes[key], typ) {
			return nil, "each entry needs a value and a type, one of: " + strings.Join(contactTypes[key], ", ")
		}
		out = append(out, TypedValue{Value: val, Type: typ})
	}
	return out, ""
}

// v3PatchCandidate is PATCH /v3/candidates/{id} [OAS shared item schema][SV]
// [W6]: custom_fields items by name_key or custom_field_id, plus the plain
// profile members. Collections replace wholesale; custom fields merge.
// Answers 200 with the updated candidate.
func (f *Fake) v3PatchCandidate(c *call) *response {
	rec, ok := f.candByID[c.id]
	if !ok || rec.deleted {
		return notFound()
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	var errs []any
	var updates map[int64]any
	if raw, ok := body["custom_fields"]; ok {
		var cfErrs []any
		updates, cfErrs = f.v3CustomFieldUpdates("candidate", raw)
		errs = append(errs, cfErrs...)
	}
	next := f.renderCandidate(rec)
	next.CustomFields = nil
	for _, key := range []string{"first_name", "last_name", "company", "title"} {
		s, present := stringOrNull(body, key, &errs)
		if !present {
			continue
		}
		switch key {
		case "first_name":
			next.FirstName = s
		case "last_name":
			next.LastName = s
		case "company":
			next.Company = s
		case "title":
			next.Title = s
		}
	}
	if v, ok := body["is_private"]; ok {
		if b, ok := v.(bool); ok {
			next.Private = &b
		} else {
			errs = append(errs, fieldError("is_private", "must be a boolean"))
		}
	}
	if v, ok := body["can_email"]; ok {
		if b, ok := v.(bool); ok {
			next.CanEmail = b
		} else {
			errs = append(errs, fieldError("can_email", "must be a boolean"))
		}
	}
	if v, ok := body["tags"]; ok {
		if tags, ok := stringList(v); ok {
			next.Tags = tags
		} else {
			errs = append(errs, fieldError("tags", "must be an array of strings"))
		}
	}
	if v, ok := body["linked_user_ids"]; ok {
		items, _ := v.([]any)
		ids := []int64{}
		for _, it := range items {
			id, ok := asInt64(it)
			if _, exists := f.userByID[id]; !ok || !exists {
				errs = append(errs, fieldError("linked_user_ids", "must be ids of existing users"))
				break
			}
			ids = append(ids, id)
		}
		if v != nil && items == nil {
			errs = append(errs, fieldError("linked_user_ids", "must be an array of user ids"))
		}
		next.LinkedUserIDs = ids
	}
	for _, key := range contactKeys {
		v, ok := body[key]
		if !ok {
			continue
		}
		vals, msg := typedValues(key, v)
		if msg != "" {
			errs = append(errs, fieldError(key, msg))
			continue
		}
		switch key {
		case "phone_numbers":
			next.PhoneNumbers = vals
		case "addresses":
			next.Addresses = vals
		case "email_addresses":
			next.EmailAddresses = vals
		case "website_addresses":
			next.WebsiteAddresses = vals
		}
	}
	if v, ok := body["social_media_addresses"]; ok {
		items, isList := v.([]any)
		out := []SocialMediaAddress{}
		for _, it := range items {
			m, _ := it.(map[string]any)
			s, _ := m["value"].(string)
			if s == "" {
				isList = false
				break
			}
			out = append(out, SocialMediaAddress{Value: s})
		}
		if !isList {
			errs = append(errs, fieldError("social_media_addresses", "must be an array of {value}"))
		}
		next.SocialMediaAddresses = out
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	rec.c = next
	applyValues(rec.values, updates)
	rec.c.UpdatedAt = stamp(c.now)
	rec.c.LastActivityAt = rec.c.UpdatedAt
	return jsonResponse(http.StatusOK, f.renderCandidate(rec))
}

// v3PatchApplication is PATCH /v3/applications/{id} with the same
// custom_fields items [OAS]; other members are accepted and ignored.
func (f *Fake) v3PatchApplication(c *call) *response {
	rec, ok := f.appByID[c.id]
	if !ok || rec.deleted || f.candByID[rec.a.CandidateID].deleted {
		return notFound()
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	var updates map[int64]any
	if raw, ok := body["custom_fields"]; ok {
		var errs []any
		if updates, errs = f.v3CustomFieldUpdates("application", raw); len(errs) > 0 {
			return unprocessable(errs...)
		}
	}
	applyValues(rec.values, updates)
	rec.a.UpdatedAt = stamp(c.now)
	rec.a.LastActivityAt = rec.a.UpdatedAt
	return jsonResponse(http.StatusOK, f.renderApplication(rec))
}

// readVisibility maps the write spelling of a note's visibility to the read
// spelling [W6][SV].
var readVisibility = map[string]string{
	"public":     "publicly_visible",
	"private":    "privately_visible",
	"admin_only": "admin_only_visible",
}

// v3CreateNote is POST /v3/notes [W6 create-note.ts][SV][WM]. Required:
// candidate_id, body, note_type (NOTE, ACTIVITY or EMAIL) and visibility
// (public, private or admin_only). EMAIL notes need subject, email_from,
// email_to and email_cc (which may be empty); other types must not carry the
// e-mail members. There is no deduplication: a retried POST adds a second
// note. Answers 201 with the note in read spelling.
func (f *Fake) v3CreateNote(c *call) *response {
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	var errs []any
	req := func(key string) (any, bool) {
		v, ok := body[key]
		if !ok || v == nil {
			errs = append(errs, fieldError(key, "is required"))
			return nil, false
		}
		return v, true
	}
	var cand *candidateRec
	if v, ok := req("candidate_id"); ok {
		id, ok := asInt64(v)
		if cand = f.candByID[id]; !ok || cand == nil || cand.deleted {
			errs = append(errs, fieldError("candidate_id", fmt.Sprintf("`%v` is not a candidate", v)))
			cand = nil
		}
	}
	var text string
	if v, ok := req("body"); ok {
		if text, _ = v.(string); strings.TrimSpace(text) == "" {
			errs = append(errs, fieldError("body", "must be a non-empty string"))
		}
	}
	var noteType string
	if v, ok := req("note_type"); ok {
		noteType, _ = v.(string)
		if !slices.Contains([]string{"NOTE", "ACTIVITY", "EMAIL"}, noteType) {
			errs = append(errs, fieldError("note_type", fmt.Sprintf("`%v` is not one of: NOTE, ACTIVITY, EMAIL", v)))
		}
	}
	var visibility string
	if v, ok := req("visibility"); ok {
		visibility, _ = v.(string)
		if _, ok := readVisibility[visibility]; !ok {
			errs = append(errs, fieldError("visibility", fmt.Sprintf("`%v` is not one of: public, private, admin_only", v)))
		}
	}
	var appID *int64
	if v, ok := body["application_id"]; ok && v != nil {
		id, ok := asInt64(v)
		app := f.appByID[id]
		if !ok || app == nil || app.deleted || cand == nil || app.a.CandidateID != cand.c.ID {
			errs = append(errs, fieldError("application_id", "must be an application of the candidate"))
		} else {
			appID = &id
		}
	}
	author := c.acting
	if v, ok := body["user_id"]; ok && v != nil {
		id, ok := asInt64(v)
		if u := f.userByID[id]; !ok || u == nil || u.u.Deactivated {
			errs = append(errs, fieldError("user_id", "must be the id of an active user"))
		} else {
			author = id
		}
	}
	var subject *string
	if v, ok := body["subject"]; ok && v != nil {
		if s, ok := v.(string); ok {
			subject = &s
		} else {
			errs = append(errs, fieldError("subject", "must be a string"))
		}
	}
	var from, to *string
	cc := []string{}
	if noteType == "EMAIL" {
		if subject == nil {
			errs = append(errs, fieldError("subject", "is required for EMAIL notes"))
		}
		for _, key := range []string{"email_from", "email_to", "email_cc"} {
			v, ok := body[key]
			if !ok || v == nil {
				errs = append(errs, fieldError(key, "is required for EMAIL notes"))
				continue
			}
			list, isList := stringList(v)
			if s, isString := v.(string); isString {
				list, isList = []string{s}, true
			}
			if !isList || (key != "email_cc" && len(list) == 0) {
				errs = append(errs, fieldError(key, "must be a list of e-mail addresses"))
				continue
			}
			joined := strings.Join(list, ", ")
			switch key {
			case "email_from":
				from = &joined
			case "email_to":
				to = &joined
			case "email_cc":
				cc = list
			}
		}
	} else {
		for _, key := range []string{"email_from", "email_to", "email_cc"} {
			if _, ok := body[key]; ok {
				errs = append(errs, fieldError(key, "is only allowed when note_type is EMAIL"))
			}
		}
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	n := f.addNote(cand, appID, author, text, noteType, visibility, subject, c.now)
	n.n.EmailFrom, n.n.EmailTo, n.n.EmailCC = from, to, cc
	return jsonResponse(http.StatusCreated, cloneNote(n.n))
}

// addNote stores a note and bumps the candidate (and application) so delta
// syncs see the activity. Called with f.mu held.
func (f *Fake) addNote(cand *candidateRec, appID *int64, author int64, body, noteType, visibility string, subject *string, now time.Time) *noteRec {
	at := stamp(now)
	id := f.nextID.note
	f.nextID.note++
	rec := &noteRec{writeVisibility: visibility, n: Note{
		ID: id, CreatedAt: at, UpdatedAt: at, CandidateID: cand.c.ID, ApplicationID: appID,
		UserID: ptr(author), Body: body, BodyWithTags: body, Subject: subject, Type: noteType,
		Visibility: ptr(readVisibility[visibility]), EmailCC: []string{},
	}}
	f.notes = append(f.notes, rec)
	cand.c.UpdatedAt, cand.c.LastActivityAt = at, at
	if appID != nil {
		app := f.appByID[*appID]
		app.a.UpdatedAt, app.a.LastActivityAt = at, at
	}
	return rec
}

// v3CreateCustomField is POST /v3/custom_fields. The endpoint exists
// [SV v3-capability-map][OAS scopes] but its body is unpublished; the fake
// accepts the v1 members (name, field_type, value_type, private, required,
// description, custom_field_options[{name}]) as greenhouse-v3.md §4.2 asks,
// derives name_key, and answers 201 with the definition.
func (f *Fake) v3CreateCustomField(c *call) *response {
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	def, options, errs := f.customFieldFromBody(body)
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	def.UpdatedByID = ptr(c.acting)
	fr := f.addField(def, options, stamp(c.now).Time)
	return jsonResponse(http.StatusCreated, fr.def)
}

// customFieldFromBody validates a definition to create; shared by v1 and v3.
func (f *Fake) customFieldFromBody(body map[string]any) (CustomField, []string, []any) {
	var errs []any
	name, _ := body["name"].(string)
	fieldType, _ := body["field_type"].(string)
	valueType, _ := body["value_type"].(string)
	if strings.TrimSpace(name) == "" {
		errs = append(errs, fieldError("name", "is required"))
	} else if nameKey(name) == "" {
		errs = append(errs, fieldError("name", "must contain a letter or digit"))
	}
	if !slices.Contains(fieldTypes, fieldType) {
		errs = append(errs, fieldError("field_type", "must be one of: "+strings.Join(fieldTypes, ", ")))
	}
	if !slices.Contains(valueTypes, valueType) {
		errs = append(errs, fieldError("value_type", "must be one of: "+strings.Join(valueTypes, ", ")))
	}
	if len(errs) == 0 && f.fieldByName(fieldType, nameKey(name)) != nil {
		errs = append(errs, fieldError("name", "has already been taken"))
	}
	def := CustomField{Name: strings.TrimSpace(name), FieldType: fieldType, ValueType: valueType, Active: true}
	for _, flag := range []struct {
		key string
		dst *bool
	}{{"private", &def.Private}, {"required", &def.Required}} {
		if v, ok := body[flag.key]; ok && v != nil {
			b, ok := v.(bool)
			if !ok {
				errs = append(errs, fieldError(flag.key, "must be a boolean"))
			}
			*flag.dst = b
		}
	}
	if v, ok := body["description"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			errs = append(errs, fieldError("description", "must be a string"))
		}
		def.Description = &s
	}
	var options []string
	if v, ok := body["custom_field_options"]; ok && v != nil {
		items, _ := v.([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			s, _ := m["name"].(string)
			if s == "" {
				errs = append(errs, fieldError("custom_field_options", "each option needs a name"))
				break
			}
			options = append(options, s)
		}
		if items == nil {
			errs = append(errs, fieldError("custom_field_options", "must be an array of {name}"))
		}
		if len(options) > 0 && valueType != "single_select" && valueType != "multi_select" {
			errs = append(errs, fieldError("custom_field_options", "are only allowed for select fields"))
		}
	}
	return def, options, errs
}
