package recruitee

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listCandidates serves GET /c/{company}/candidates: offset paging with
// limit and offset (no limit returns everything), newest first, and the
// filters created_after, ids, offer_id, qualified, disqualified and query.
// There is no updated-since filter, as in Recruitee.
func (f *Fake) listCandidates(c *call) *response {
	q := c.r.URL.Query()
	limit, offset := -1, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return errorResponse(http.StatusBadRequest, "limit must be a positive integer")
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errorResponse(http.StatusBadRequest, "offset must be a non-negative integer")
		}
		offset = n
	}
	var createdAfter time.Time
	if v := q.Get("created_after"); v != "" {
		t, ok := parseTime(v)
		if !ok {
			return errorResponse(http.StatusBadRequest, "created_after must be an ISO 8601 date or date-time")
		}
		createdAfter = t
	}
	var offerID int64
	if v := q.Get("offer_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errorResponse(http.StatusBadRequest, "offer_id must be an integer")
		}
		offerID = n
	}
	var ids map[int64]bool
	if raw := append(q["ids"], q["ids[]"]...); len(raw) > 0 {
		ids = map[int64]bool{}
		for _, v := range raw {
			for _, s := range strings.Split(v, ",") {
				n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
				if err != nil {
					return errorResponse(http.StatusBadRequest, "ids must be a comma-separated list of integers")
				}
				ids[n] = true
			}
		}
	}
	qualified := q.Get("qualified") == "true"
	disqualified := q.Get("disqualified") == "true"
	query := strings.ToLower(strings.TrimSpace(q.Get("query")))

	var hits []*candidateRec
	for _, r := range f.candidates {
		if r.deleted {
			continue
		}
		if ids != nil && !ids[r.c.ID] {
			continue
		}
		if !createdAfter.IsZero() && !r.c.CreatedAt.After(createdAfter) {
			continue
		}
		if query != "" && !matchesQuery(r.c, query) {
			continue
		}
		if offerID != 0 || qualified || disqualified {
			ok := false
			for _, p := range r.c.Placements {
				if offerID != 0 && p.OfferID != offerID {
					continue
				}
				dq := p.DisqualifyReason != nil
				if (qualified && dq) || (disqualified && !dq) {
					continue
				}
				ok = true
			}
			if !ok {
				continue
			}
		}
		hits = append(hits, r)
	}
	slices.SortFunc(hits, func(a, b *candidateRec) int {
		if d := b.c.CreatedAt.Compare(a.c.CreatedAt.Time); d != 0 {
			return d
		}
		return cmp.Compare(b.c.ID, a.c.ID)
	})
	start := min(offset, len(hits))
	end := len(hits)
	if limit > 0 {
		end = min(start+limit, len(hits))
	}
	out := make([]Candidate, 0, end-start)
	for _, r := range hits[start:end] {
		out = append(out, cloneCandidate(r.c))
	}
	return jsonResponse(http.StatusOK, map[string]any{"candidates": out})
}

func matchesQuery(c Candidate, query string) bool {
	if strings.Contains(strings.ToLower(c.Name), query) {
		return true
	}
	for _, e := range c.Emails {
		if strings.Contains(strings.ToLower(e), query) {
			return true
		}
	}
	return false
}

// parseTime accepts an RFC 3339 date-time or a plain date.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func (f *Fake) liveCandidate(id int64) *candidateRec {
	r, ok := f.candByID[id]
	if !ok || r.deleted {
		return nil
	}
	return r
}

func (f *Fake) detail(r *candidateRec) CandidateDetail {
	d := CandidateDetail{Candidate: cloneCandidate(r.c), Fields: make([]Field, 0, len(r.fields))}
	for _, fl := range r.fields {
		d.Fields = append(d.Fields, cloneField(fl))
	}
	return d
}

// getCandidate serves GET /c/{company}/candidates/{id}.
func (f *Fake) getCandidate(c *call) *response {
	r := f.liveCandidate(c.ids[0])
	if r == nil {
		return notFound()
	}
	return jsonResponse(http.StatusOK, map[string]any{"candidate": f.detail(r)})
}

// listNotes serves GET /c/{company}/candidates/{id}/notes, newest first.
// Private notes of other admins are hidden from the caller.
func (f *Fake) listNotes(c *call) *response {
	r := f.liveCandidate(c.ids[0])
	if r == nil {
		return notFound()
	}
	out := make([]Note, 0, len(r.notes))
	for i := len(r.notes) - 1; i >= 0; i-- {
		n := r.notes[i]
		if n.Visibility.Level == "private" && n.AdminID != c.admin {
			continue
		}
		out = append(out, *n)
	}
	return jsonResponse(http.StatusOK, map[string]any{"notes": out})
}

// listOffers serves GET /c/{company}/offers with each offer's pipeline
// stages embedded.
func (f *Fake) listOffers(*call) *response {
	out := make([]Offer, 0, len(f.offers))
	for _, o := range f.offers {
		out = append(out, cloneOffer(o))
	}
	return jsonResponse(http.StatusOK, map[string]any{"offers": out})
}

// getOffer serves GET /c/{company}/offers/{id}.
func (f *Fake) getOffer(c *call) *response {
	o, ok := f.offerByID[c.ids[0]]
	if !ok {
		return notFound()
	}
	return jsonResponse(http.StatusOK, map[string]any{"offer": cloneOffer(o)})
}

func cloneOffer(o *Offer) Offer {
	out := *o
	out.PipelineTemplate.Stages = slices.Clone(o.PipelineTemplate.Stages)
	return out
}

// decodeWrapped parses a body {"<key>": {...}} and returns the inner object.
func decodeWrapped(body []byte, key string) (map[string]any, *response) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var outer map[string]any
	if err := dec.Decode(&outer); err != nil || outer == nil {
		return nil, errorResponse(http.StatusBadRequest, "Request body must be a JSON object")
	}
	inner, ok := outer[key].(map[string]any)
	if !ok {
		return nil, unprocessable(key + " is missing or not an object")
	}
	return inner, nil
}

// touch records a write on a candidate so delta syncs see it.
func (f *Fake) touch(r *candidateRec, at Time) {
	if at.After(r.c.UpdatedAt.Time) {
		r.c.UpdatedAt = at
	}
}

// createNote serves POST /c/{company}/candidates/{id}/notes with a body
// {"note": {"body": "...", "visibility": {"level": "public"}}} (or a rich
// "body_json" document instead of "body"). The author is the token's owner.
func (f *Fake) createNote(c *call) *response {
	r := f.liveCandidate(c.ids[0])
	if r == nil {
		return notFound()
	}
	in, resp := decodeWrapped(c.body, "note")
	if resp != nil {
		return resp
	}
	var errs []string
	body := ""
	if v, ok := in["body"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			errs = append(errs, "body must be a string")
		}
		body = s
	}
	var bodyJSON json.RawMessage
	if v, ok := in["body_json"]; ok && v != nil {
		if _, ok := v.(map[string]any); !ok {
			errs = append(errs, "body_json must be an object")
		} else {
			bodyJSON, _ = json.Marshal(v)
			if strings.TrimSpace(body) == "" {
				body = richText(v)
			}
		}
	}
	if len(errs) == 0 && strings.TrimSpace(body) == "" {
		errs = append(errs, "body can't be blank")
	}
	level := "public"
	if v, ok := in["visibility"]; ok && v != nil {
		vis, ok := v.(map[string]any)
		l, _ := vis["level"].(string)
		if !ok || (l != "public" && l != "private") {
			errs = append(errs, "visibility level must be public or private")
		} else {
			level = l
		}
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	at := stamp(c.now)
	n := &Note{
		ID: f.nextID.note, CandidateID: r.c.ID, AdminID: c.admin, Body: body, BodyJSON: bodyJSON,
		Visibility: NoteVisibility{Level: level}, CreatedAt: at, UpdatedAt: at,
	}
	if n.BodyJSON == nil {
		n.BodyJSON = json.RawMessage("null")
	}
	f.nextID.note++
	r.notes = append(r.notes, n)
	f.touch(r, at)
	return jsonResponse(http.StatusCreated, map[string]any{"note": *n})
}

// richText flattens a rich-text document to plain text: every "text" member
// in document order, one line per top-level block.
func richText(doc any) string {
	var walk func(v any, b *strings.Builder)
	walk = func(v any, b *strings.Builder) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["text"].(string); ok {
				b.WriteString(s)
			}
			if kids, ok := x["content"].([]any); ok {
				for _, k := range kids {
					walk(k, b)
				}
			}
		case []any:
			for _, k := range x {
				walk(k, b)
			}
		}
	}
	root, _ := doc.(map[string]any)
	blocks, _ := root["content"].([]any)
	if len(blocks) == 0 {
		var b strings.Builder
		walk(doc, &b)
		return b.String()
	}
	lines := make([]string, 0, len(blocks))
	for _, blk := range blocks {
		var b strings.Builder
		walk(blk, &b)
		lines = append(lines, b.String())
	}
	return strings.Join(lines, "\n")
}

// fieldKinds are the profile field kinds the fake accepts, each with the
// member its values carry.
var fieldKinds = map[string]string{
	"single_line": "text",
	"multi_line":  "text",
	"boolean":     "flag",
	"number":      "number",
	"date":        "date",
	"dropdown":    "value",
}

var numberRE = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// parseValues validates the values of a field of kind.
func parseValues(kind string, raw any) ([]FieldValue, []string) {
	items, ok := raw.([]any)
	if !ok {
		return nil, []string{"values must be a list"}
	}
	member := fieldKinds[kind]
	out := make([]FieldValue, 0, len(items))
	var errs []string
	for i, it := range items {
		obj, ok := it.(map[string]any)
		where := "values[" + strconv.Itoa(i) + "]." + member
		if !ok {
			errs = append(errs, "values["+strconv.Itoa(i)+"] must be an object")
			continue
		}
		v, present := obj[member]
		if !present || v == nil {
			errs = append(errs, where+" can't be blank")
			continue
		}
		var fv FieldValue
		switch member {
		case "flag":
			b, ok := v.(bool)
			if !ok {
				errs = append(errs, where+" must be true or false")
				continue
			}
			fv.Flag = &b
		case "number":
			s := ""
			switch n := v.(type) {
			case json.Number:
				s = n.String()
			case string:
				s = strings.TrimSpace(n)
			}
			if !numberRE.MatchString(s) {
				errs = append(errs, where+" must be a number")
				continue
			}
			fv.Number = &s
		case "date":
			s, _ := v.(string)
			if _, err := time.Parse("2006-01-02", s); err != nil {
				errs = append(errs, where+" must be a date (YYYY-MM-DD)")
				continue
			}
			fv.Date = &s
		default:
			s, ok := v.(string)
			if !ok || strings.TrimSpace(s) == "" {
				errs = append(errs, where+" can't be blank")
				continue
			}
			if member == "text" {
				if kind == "single_line" && strings.ContainsAny(s, "\r\n") {
					errs = append(errs, where+" must be a single line")
					continue
				}
				fv.Text = &s
			} else {
				fv.Value = &s
			}
		}
		out = append(out, fv)
	}
	return out, errs
}

// createField serves POST /c/{company}/custom_fields/candidates/{id}/fields
// with {"field": {"name", "kind", "values": [...]}}. Like Recruitee it adds
// an ad-hoc field to the profile; the same name twice makes two fields.
func (f *Fake) createField(c *call) *response {
	r := f.liveCandidate(c.ids[0])
	if r == nil {
		return notFound()
	}
	in, resp := decodeWrapped(c.body, "field")
	if resp != nil {
		return resp
	}
	var errs []string
	name, _ := in["name"].(string)
	if strings.TrimSpace(name) == "" {
		errs = append(errs, "name can't be blank")
	}
	kind, _ := in["kind"].(string)
	if _, ok := fieldKinds[kind]; !ok {
		errs = append(errs, "kind is not one of single_line, multi_line, boolean, number, date, dropdown")
	}
	var values []FieldValue
	if len(errs) == 0 {
		raw, ok := in["values"]
		if !ok {
			raw = []any{}
		}
		var verrs []string
		values, verrs = parseValues(kind, raw)
		errs = append(errs, verrs...)
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	at := stamp(c.now)
	fl := &Field{ID: f.nextID.field, Name: name, Kind: kind, Values: values, CreatedAt: at, UpdatedAt: at}
	f.nextID.field++
	r.fields = append(r.fields, fl)
	f.touch(r, at)
	return jsonResponse(http.StatusCreated, map[string]any{"field": cloneField(fl)})
}

func (f *Fake) fieldOf(r *candidateRec, id int64) (int, *Field) {
	for i, fl := range r.fields {
		if fl.ID == id {
			return i, fl
		}
	}
	return -1, nil
}

// updateField serves PATCH .../fields/{field_id}: values (replacing all of
// them) and name may change, kind may not.
func (f *Fake) updateField(c *call) *response {
	r := f.liveCandidate(c.ids[0])
	if r == nil {
		return notFound()
	}
	_, fl := f.fieldOf(r, c.ids[1])
	if fl == nil {
		return notFound()
	}
	in, resp := decodeWrapped(c.body, "field")
	if resp != nil {
		return resp
	}
	var errs []string
	name := fl.Name
	if v, ok := in["name"]; ok {
		s, _ := v.(string)
		if strings.TrimSpace(s) == "" {
			errs = append(errs, "name can't be blank")
		}
		name = s
	}
	if v, ok := in["kind"]; ok && v != fl.Kind {
		errs = append(errs, "kind can't be changed")
	}
	values := fl.Values
	if raw, ok := in["values"]; ok && len(errs) == 0 {
		var verrs []string
		values, verrs = parseValues(fl.Kind, raw)
		errs = append(errs, verrs...)
	}
	if len(errs) > 0 {
		return unprocessable(errs...)
	}
	at := stamp(c.now)
	fl.Name, fl.Values, fl.UpdatedAt = name, values, at
	f.touch(r, at)
	return jsonResponse(http.StatusOK, map[string]any{"field": cloneField(fl)})
}

// deleteField serves DELETE .../fields/{field_id} and answers 204.
func (f *Fake) deleteField(c *call) *response {
	r := f.liveCandidate(c.ids[0])
	if r == nil {
		return notFound()
	}
	i, fl := f.fieldOf(r, c.ids[1])
	if fl == nil {
		return notFound()
	}
	r.fields = slices.Delete(r.fields, i, i+1)
	f.touch(r, stamp(c.now))
	return &response{status: http.StatusNoContent, header: http.Header{}}
}
