package workable

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// decodeObject parses a JSON object body. Malformed JSON is a 400; every
// other validation failure is a 422.
func decodeObject(body []byte) (map[string]any, *response) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errorResponse(http.StatusBadRequest, "The request body must be a JSON object")
	}
	return m, nil
}

// touch moves a candidate's updated_at to now (whole seconds, as Workable
// renders it) so that updated_after sees the write.
func touch(rec *candidateRec, now time.Time) {
	t := now.UTC().Truncate(time.Second)
	if t.After(rec.d.UpdatedAt.Time) {
		rec.d.UpdatedAt = Time{t}
	}
}

// createComment serves POST /candidates/{id}/comments (vendors.md §3.4,
// Nango fixture create-comment):
//
//	{"member_id": "...", "comment": {"body": "...", "policy": [...],
//	 "attachment": {"name": "...", "data": "<base64>"}}}
//
// member_id must name an active member of the account, who becomes the
// comment's author. The answer is 200 {"id": "<activity id>"}, and the
// comment appears on the candidate's timeline with action "comment".
func (f *Fake) createComment(c *call) *response {
	rec, resp := f.liveCandidate(c.params[0])
	if resp != nil {
		return resp
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	memberID, _ := body["member_id"].(string)
	if memberID == "" {
		return unprocessable("member_id is required")
	}
	c.entry.MemberID = memberID
	mi, ok := f.memberBy[memberID]
	if !ok {
		return unprocessable("member_id does not match a member of this account")
	}
	member := f.members[mi]
	if !member.Active {
		return unprocessable("member " + memberID + " is not active")
	}
	comment, ok := body["comment"].(map[string]any)
	if !ok {
		return unprocessable("comment is required")
	}
	text, _ := comment["body"].(string)
	if strings.TrimSpace(text) == "" {
		return unprocessable("comment body can't be blank")
	}
	var policy []string
	if v, present := comment["policy"]; present && v != nil {
		list, ok := v.([]any)
		if !ok {
			return unprocessable("comment policy must be an array of roles")
		}
		for _, p := range list {
			s, ok := p.(string)
			if !ok || s == "" {
				return unprocessable("comment policy must be an array of roles")
			}
			policy = append(policy, s)
		}
	}
	attachment := ""
	if v, present := comment["attachment"]; present && v != nil {
		att, ok := v.(map[string]any)
		name, _ := att["name"].(string)
		data, _ := att["data"].(string)
		if !ok || name == "" || data == "" {
			return unprocessable("comment attachment needs a name and base64 data")
		}
		if _, err := base64.StdEncoding.DecodeString(data); err != nil {
			return unprocessable("comment attachment data is not valid base64")
		}
		attachment = name
	}
	a := f.addActivity(rec, "comment", f.stageIndexByName(rec.d.Stage), nil, &member, &text, c.now)
	a.Policy = policy
	a.AttachmentName = attachment
	touch(rec, c.now)
	return jsonResponse(http.StatusOK, map[string]string{"id": a.ID})
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// updateCustomAttribute serves PATCH
// /candidates/{id}/update_custom_attribute_value (vendors.md §3.3). The
// body carries custom_attribute_key (the attribute's id) and a
// type-specific value field: value for short_text (at most 128
// characters), free_text and numeric; checked for boolean; date
// (YYYY-MM-DD) for date; choices (choice ids) for dropdown and
// multiple_choice; file {name, data} or file_url for file. An unknown key
// is 404 {"error":"Not found"}, as recorded. Success is 200 {}.
func (f *Fake) updateCustomAttribute(c *call) *response {
	rec, resp := f.liveCandidate(c.params[0])
	if resp != nil {
		return resp
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	key, _ := body["custom_attribute_key"].(string)
	if key == "" {
		return unprocessable("custom_attribute_key is required")
	}
	ai, ok := f.attrBy[key]
	if !ok {
		return notFound()
	}
	attr := f.attrs[ai]
	if !attr.Enabled {
		return unprocessable("custom attribute " + key + " is disabled")
	}
	value, resp := attributeValue(attr, body)
	if resp != nil {
		return resp
	}
	rec.values[key] = value
	touch(rec, c.now)
	return jsonResponse(http.StatusOK, map[string]any{})
}

// attributeValue validates the type-specific field of an attribute write
// and returns the value to store.
func attributeValue(attr CustomAttribute, body map[string]any) (any, *response) {
	switch attr.Type {
	case "short_text", "free_text":
		s, ok := body["value"].(string)
		if !ok {
			return nil, unprocessable("value is required and must be text")
		}
		if attr.Type == "short_text" && utf8.RuneCountInString(s) > 128 {
			return nil, unprocessable("value is too long (maximum is 128 characters)")
		}
		return s, nil
	case "numeric":
		n, ok := body["value"].(json.Number)
		if !ok {
			return nil, unprocessable("value is required and must be a number")
		}
		x, err := n.Float64()
		if err != nil {
			return nil, unprocessable("value is required and must be a number")
		}
		return x, nil
	case "boolean":
		switch v := body["checked"].(type) {
		case bool:
			return v, nil
		case string:
			if v == "true" || v == "false" {
				return v == "true", nil
			}
		}
		return nil, unprocessable("checked is required and must be true or false")
	case "date":
		s, _ := body["date"].(string)
		if !datePattern.MatchString(s) {
			return nil, unprocessable("date is required in the format YYYY-MM-DD")
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, unprocessable("date is required in the format YYYY-MM-DD")
		}
		return s, nil
	case "dropdown", "multiple_choice":
		raw, ok := body["choices"].([]any)
		if !ok || len(raw) == 0 {
			return nil, unprocessable("choices is required and must list choice ids")
		}
		if attr.SingleAnswer != nil && *attr.SingleAnswer && len(raw) > 1 {
			return nil, unprocessable("only one choice is allowed")
		}
		var ids []string
		for _, v := range raw {
			id, _ := v.(string)
			if !slices.ContainsFunc(attr.Choices, func(ch Choice) bool { return ch.ID == id }) {
				return nil, unprocessable("choice " + id + " does not belong to this custom attribute")
			}
			ids = append(ids, id)
		}
		return ids, nil
	case "file":
		if u, ok := body["file_url"].(string); ok && u != "" {
			return map[string]string{"url": u}, nil
		}
		file, ok := body["file"].(map[string]any)
		name, _ := file["name"].(string)
		data, _ := file["data"].(string)
		if !ok || name == "" || data == "" {
			return nil, unprocessable("file {name, data} or file_url is required")
		}
		if _, err := base64.StdEncoding.DecodeString(data); err != nil {
			return nil, unprocessable("file data is not valid base64")
		}
		return map[string]string{"name": name}, nil
	}
	return nil, unprocessable("custom attribute type " + attr.Type + " cannot be written")
}
