package smartrecruiters

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// decodeJSON parses a request body keeping numbers exact.
func decodeJSON(body []byte, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return dec.Decode(v) == nil
}

// propertyWrite is one validated entry of a property write.
type propertyWrite struct {
	p     *propRec
	value any // nil resets
}

// propertyByRef finds a property by id or by key.
func (f *Fake) propertyByRef(ref string) *propRec {
	if p, ok := f.propByID[ref]; ok {
		return p
	}
	for _, p := range f.props {
		if p.def.Key == ref {
			return p
		}
	}
	return nil
}

// checkPropertyValue validates raw against the property's type and returns
// the value to store.
func checkPropertyValue(p *propRec, raw any) (any, *response) {
	bad := func(want string) (any, *response) {
		return nil, badRequest("INVALID_PROPERTY_VALUE", "property %s (%s) needs %s", p.def.Label, p.def.Type, want)
	}
	switch p.def.Type {
	case PropertyText:
		if s, ok := raw.(string); ok {
			return s, nil
		}
		return bad("a string")
	case PropertyNumber, PropertyPercent:
		if n, ok := raw.(json.Number); ok {
			if v, err := n.Float64(); err == nil {
				return v, nil
			}
		}
		return bad("a number")
	case PropertyBoolean:
		if b, ok := raw.(bool); ok {
			return b, nil
		}
		return bad("a boolean")
	case PropertyDate:
		if s, ok := raw.(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t.UTC().Format(timeLayout), nil
			}
		}
		return bad("an ISO-8601 date-time")
	case PropertySingleSelect:
		if s, ok := raw.(string); ok && slices.ContainsFunc(p.options, func(o PropertyOption) bool { return o.ID == s }) {
			return s, nil
		}
		return bad("the id of one of its values")
	case PropertyCurrency:
		m, ok := raw.(map[string]any)
		code, _ := m["code"].(string)
		n, isNum := m["value"].(json.Number)
		v, err := n.Float64()
		if !ok || len(code) != 3 || !isNum || err != nil {
			return bad(`{"code": "<ISO 4217>", "value": <number>}`)
		}
		return Currency{Code: code, Value: v}, nil
	}
	return bad("a supported type")
}

// parsePropertyWrites validates a whole batch before anything is stored.
func (f *Fake) parsePropertyWrites(body []byte) ([]propertyWrite, *response) {
	var entries []map[string]any
	if !decodeJSON(body, &entries) {
		return nil, badRequest("INVALID_REQUEST_BODY", "the body must be a JSON array of {\"id\", \"value\"} objects")
	}
	if len(entries) == 0 {
		return nil, badRequest("INVALID_REQUEST_BODY", "the array must not be empty")
	}
	writes := make([]propertyWrite, 0, len(entries))
	for _, e := range entries {
		ref, _ := e["id"].(string)
		if ref == "" {
			return nil, badRequest("INVALID_REQUEST_BODY", "every entry needs a property id")
		}
		w, resp := f.propertyWriteFor(ref, e["value"])
		if resp != nil {
			return nil, resp
		}
		writes = append(writes, w)
	}
	return writes, nil
}

func (f *Fake) propertyWriteFor(ref string, raw any) (propertyWrite, *response) {
	p := f.propertyByRef(ref)
	if p == nil {
		return propertyWrite{}, badRequest("PROPERTY_NOT_FOUND", "no candidate property with id or key %q", ref)
	}
	if raw == nil {
		return propertyWrite{p: p}, nil
	}
	v, resp := checkPropertyValue(p, raw)
	return propertyWrite{p: p, value: v}, resp
}

func applyPropertyWrites(values map[string]any, writes []propertyWrite) {
	for _, w := range writes {
		if w.value == nil {
			delete(values, w.p.def.ID)
		} else {
			values[w.p.def.ID] = w.value
		}
	}
}

// putJobProperties is PUT /candidates/{id}/jobs/{jobId}/properties: a batch
// of [{"id": <property id or key>, "value": ...}] written to one
// application, all or nothing; an entry without value resets the property.
// It answers 204 and marks the application and the candidate as updated.
func (f *Fake) putJobProperties(c *call) *response {
	r, a, resp := f.application(c)
	if resp != nil {
		return resp
	}
	writes, resp := f.parsePropertyWrites(c.body)
	if resp != nil {
		return resp
	}
	applyPropertyWrites(a.props, writes)
	a.updatedOn = c.now
	r.c.UpdatedOn = Time{c.now}
	return emptyResponse(http.StatusNoContent)
}

// singleValue reads the {"value": ...} body of the deprecated single-property
// writes.
func singleValue(body []byte) (any, *response) {
	var v map[string]any
	if !decodeJSON(body, &v) || v == nil {
		return nil, badRequest("INVALID_REQUEST_BODY", `the body must be a JSON object {"value": ...}`)
	}
	return v["value"], nil
}

// putJobProperty is the deprecated PUT
// /candidates/{id}/jobs/{jobId}/properties/{propertyId} {"value": ...} → 204.
func (f *Fake) putJobProperty(c *call) *response {
	r, a, resp := f.application(c)
	if resp != nil {
		return resp
	}
	raw, resp := singleValue(c.body)
	if resp != nil {
		return resp
	}
	w, resp := f.propertyWriteFor(c.params["pid"], raw)
	if resp != nil {
		return resp
	}
	applyPropertyWrites(a.props, []propertyWrite{w})
	a.updatedOn = c.now
	r.c.UpdatedOn = Time{c.now}
	return emptyResponse(http.StatusNoContent)
}

// putCandidateProperty is the deprecated candidate-level PUT
// /candidates/{id}/properties/{propertyId} {"value": ...} → 204.
func (f *Fake) putCandidateProperty(c *call) *response {
	r, resp := f.liveCandidate(c.params["cid"])
	if resp != nil {
		return resp
	}
	raw, resp := singleValue(c.body)
	if resp != nil {
		return resp
	}
	w, resp := f.propertyWriteFor(c.params["pid"], raw)
	if resp != nil {
		return resp
	}
	applyPropertyWrites(r.props, []propertyWrite{w})
	r.c.UpdatedOn = Time{c.now}
	return emptyResponse(http.StatusNoContent)
}

var (
	candidateMention = regexp.MustCompile(`#\[CANDIDATE:([^\]]+)\]`)
	userMention      = regexp.MustCompile(`@\[USER:([^\]]+)\]`)
)

// maxMessageLength is the documented upper bound of a message's content.
const maxMessageLength = 10000

// shareMessage is POST /messages/shares {content, shareWith{users,
// hiringTeamOf, everyone, openNote}, correlationId}. A #[CANDIDATE:id]
// token attaches the message to that candidate's profile and @[USER:id]
// mentions a user. The author is the credential's user; the candidate is
// marked as updated. It answers 201 with the created message.
func (f *Fake) shareMessage(c *call) *response {
	var in struct {
		Content   *string `json:"content"`
		ShareWith *struct {
			Users        []string `json:"users"`
			HiringTeamOf []string `json:"hiringTeamOf"`
			Everyone     bool     `json:"everyone"`
			OpenNote     bool     `json:"openNote"`
		} `json:"shareWith"`
		CorrelationID string `json:"correlationId"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		return badRequest("INVALID_REQUEST_BODY", "the body must be a JSON message object: %v", err)
	}
	if in.Content == nil || *in.Content == "" {
		return badRequest("INVALID_CONTENT", "content is required")
	}
	if n := utf8.RuneCountInString(*in.Content); n > maxMessageLength {
		return badRequest("INVALID_CONTENT", "content is %d characters long; the limit is %d", n, maxMessageLength)
	}
	share := ShareWith{Users: []string{}, HiringTeamOf: []string{}}
	if in.ShareWith != nil {
		share.Everyone, share.OpenNote = in.ShareWith.Everyone, in.ShareWith.OpenNote
		if in.ShareWith.Users != nil {
			share.Users = in.ShareWith.Users
		}
		if in.ShareWith.HiringTeamOf != nil {
			share.HiringTeamOf = in.ShareWith.HiringTeamOf
		}
	}
	if len(share.Users) == 0 && len(share.HiringTeamOf) == 0 && !share.Everyone && !share.OpenNote {
		return badRequest("INVALID_SHARE", "shareWith must name users, hiring teams, everyone or openNote")
	}
	for _, u := range share.Users {
		if _, ok := f.userByID[u]; !ok {
			return badRequest("INVALID_USER", "unknown user %q in shareWith.users", u)
		}
	}
	for _, j := range share.HiringTeamOf {
		if _, ok := f.jobByID[j]; !ok {
			return badRequest("INVALID_JOB", "unknown job %q in shareWith.hiringTeamOf", j)
		}
	}
	for _, m := range userMention.FindAllStringSubmatch(*in.Content, -1) {
		if _, ok := f.userByID[m[1]]; !ok {
			return badRequest("INVALID_MENTION", "unknown user %q mentioned", m[1])
		}
	}
	var cands []*candidateRec
	for _, m := range candidateMention.FindAllStringSubmatch(*in.Content, -1) {
		r, ok := f.candByID[m[1]]
		if !ok || r.deleted {
			return badRequest("INVALID_MENTION", "unknown candidate %q mentioned", m[1])
		}
		cands = append(cands, r)
	}
	msg := Message{
		ID: f.newID(), Content: *in.Content, CorrelationID: in.CorrelationID, ShareWith: share, CreatedOn: Time{c.now},
	}
	if c.user != nil {
		msg.Author = Author{ID: c.user.ID, FirstName: c.user.FirstName, LastName: c.user.LastName}
	}
	rec := &messageRec{m: msg}
	for _, r := range cands {
		if !slices.Contains(rec.candidates, r.c.ID) {
			rec.candidates = append(rec.candidates, r.c.ID)
		}
		r.c.UpdatedOn = Time{c.now}
	}
	f.messages = append(f.messages, rec)
	return jsonResponse(http.StatusCreated, cloneMessage(msg))
}
