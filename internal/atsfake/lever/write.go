package lever

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// decodeObject parses a JSON object body; an empty body reads as {}.
func decodeObject(body []byte) (map[string]any, *response) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, badRequest("the request body must be a JSON object")
	}
	return m, nil
}

// touch marks rec as changed at ms. Lever's own list of fields that move
// updatedAt does not include notes; the fake bumps it on every write anyway
// so that delta syncs see their own writes (see the package doc).
func touch(rec *oppRec, ms int64) {
	if ms > rec.o.UpdatedAt {
		rec.o.UpdatedAt = ms
	}
	if ms > rec.o.LastInteractionAt {
		rec.o.LastInteractionAt = ms
	}
}

type createdNote struct {
	Note
	NoteID string `json:"noteId"`
}

// createNote serves POST /v1/opportunities/{id}/notes[?perform_as=&note_id=]
// (vendors.md §2.2, Nango fixture create-note): value is required text;
// secret, score, notifyFollowers and createdAt (ms, not in the future) are
// optional. With note_id the existing note is rewritten instead. The author
// is the perform_as user, or the credential's owner.
func (f *Fake) createNote(c *call) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	value, ok := body["value"].(string)
	if !ok || strings.TrimSpace(value) == "" {
		return badRequest("value is required and must be a non-empty string")
	}
	secret := false
	if v, present := body["secret"]; present && v != nil {
		b, ok := v.(bool)
		if !ok {
			return badRequest("secret must be a boolean")
		}
		secret = b
	}
	notify := false
	if v, present := body["notifyFollowers"]; present && v != nil {
		b, ok := v.(bool)
		if !ok {
			return badRequest("notifyFollowers must be a boolean")
		}
		notify = b
	}
	var score *float64
	if v, present := body["score"]; present && v != nil {
		n, ok := v.(json.Number)
		if !ok {
			return badRequest("score must be a number or null")
		}
		x, err := n.Float64()
		if err != nil {
			return badRequest("score must be a number or null")
		}
		score = &x
	}
	now := c.nowMS()
	createdAt := now
	if v, present := body["createdAt"]; present && v != nil {
		n, ok := v.(json.Number)
		ms, err := n.Int64()
		if !ok || err != nil || ms < 0 {
			return badRequest("createdAt must be a timestamp in milliseconds since the epoch")
		}
		if ms > now {
			return badRequest("createdAt cannot be in the future")
		}
		createdAt = ms
	}

	if noteID := c.r.URL.Query().Get("note_id"); noteID != "" {
		n, ok := f.noteBy[noteID]
		if !ok || n.oppID != rec.o.ID {
			return notFound("Note " + noteID + " not found")
		}
		n.n.Fields[0].Value = value
		n.n.Fields[0].Score = score
		n.n.Secret = secret
		n.notifyFollowers = notify
		touch(rec, now)
		return jsonResponse(http.StatusOK, Item[createdNote]{Data: createdNote{Note: cloneNote(n.n), NoteID: n.n.ID}})
	}
	n := f.addNote(rec, c.acting, value, secret, score, notify, createdAt)
	touch(rec, now)
	return jsonResponse(http.StatusCreated, Item[createdNote]{Data: createdNote{Note: cloneNote(n.n), NoteID: n.n.ID}})
}

// stringArray reads body[key] as a non-empty array of non-empty strings.
func stringArray(body map[string]any, key string) ([]string, *response) {
	raw, ok := body[key].([]any)
	if !ok || len(raw) == 0 {
		return nil, badRequest(key + " is required and must be a non-empty array of strings")
	}
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return nil, badRequest(key + " must contain only non-empty strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// editLinks serves addLinks and removeLinks, body {"links": [...]}. Links
// belong to the contact, so the change shows on (and bumps) every
// opportunity of that contact. Adding a link already present is a no-op, as
// is removing one that is absent. The answer is 200 {"data": opportunity}.
func (f *Fake) editLinks(c *call, add bool) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	links, resp := stringArray(body, "links")
	if resp != nil {
		return resp
	}
	cr := rec.contact
	for _, l := range links {
		i := slices.Index(cr.links, l)
		switch {
		case add && i < 0:
			cr.links = append(cr.links, l)
		case !add && i >= 0:
			cr.links = slices.Delete(cr.links, i, i+1)
		}
	}
	for _, o := range cr.opps {
		touch(o, c.nowMS())
	}
	return jsonResponse(http.StatusOK, Item[Opportunity]{Data: f.renderOpportunity(rec)})
}

func (f *Fake) addLinks(c *call) *response    { return f.editLinks(c, true) }
func (f *Fake) removeLinks(c *call) *response { return f.editLinks(c, false) }

// editTags serves addTags and removeTags, body {"tags": [...]}, on the one
// opportunity.
func (f *Fake) editTags(c *call, add bool) *response {
	rec, resp := f.liveOpportunity(c.params[0])
	if resp != nil {
		return resp
	}
	body, resp := decodeObject(c.body)
	if resp != nil {
		return resp
	}
	tags, resp := stringArray(body, "tags")
	if resp != nil {
		return resp
	}
	for _, t := range tags {
		i := slices.Index(rec.o.Tags, t)
		switch {
		case add && i < 0:
			rec.o.Tags = append(rec.o.Tags, t)
		case !add && i >= 0:
			rec.o.Tags = slices.Delete(rec.o.Tags, i, i+1)
		}
	}
	touch(rec, c.nowMS())
	return jsonResponse(http.StatusOK, Item[Opportunity]{Data: f.renderOpportunity(rec)})
}

func (f *Fake) addTags(c *call) *response    { return f.editTags(c, true) }
func (f *Fake) removeTags(c *call) *response { return f.editTags(c, false) }
