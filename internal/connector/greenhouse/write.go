package greenhouse

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// customField is a Harvest custom field definition.
type customField struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	NameKey   string `json:"name_key"`
	FieldType string `json:"field_type"`
	ValueType string `json:"value_type"`
	Active    bool   `json:"active"`
}

// fieldValue is one value of a result to place in a custom field.
type fieldValue struct {
	name, value string
	link        bool
}

// wanted lists the fields a result link fills: the link, then each attribute.
func wanted(in resultlinks.ResultLinkInput) []fieldValue {
	out := []fieldValue{{name: in.Label, value: in.URL, link: true}}
	if d := in.Details; d != nil {
		for _, a := range d.Attributes {
			out = append(out, fieldValue{name: d.FieldName(a.Key), value: a.Value})
		}
	}
	return out
}

// fits reports whether a value can go into a field of that value type.
func fits(def customField, v fieldValue) bool {
	switch def.ValueType {
	case "short_text":
		return len(v.value) <= 255
	case "long_text":
		return true
	case "url":
		u, err := url.Parse(v.value)
		return err == nil && u.IsAbs()
	}
	return false
}

// fieldCache keeps each integration's candidate field definitions for a
// minute, so a burst of result links costs one listing, not one each.
var fieldCache sync.Map // integration ID → cachedFields

type cachedFields struct {
	defs    map[string]customField
	fetched time.Time
}

const fieldCacheTTL = time.Minute

func cachedDefs(key string, now time.Time) (map[string]customField, bool) {
	v, ok := fieldCache.Load(key)
	if !ok {
		return nil, false
	}
	c := v.(cachedFields)
	if now.Sub(c.fetched) > fieldCacheTTL {
		return nil, false
	}
	return maps.Clone(c.defs), true
}

// candidateFields lists the active candidate custom field definitions.
func (g *Greenhouse) candidateFields(ctx context.Context) (map[string]customField, error) {
	if defs, ok := cachedDefs(g.deps.IntegrationID, g.now()); ok {
		return defs, nil
	}
	out := map[string]customField{}
	r := &outbound.Request{Method: http.MethodGet, Path: "/v3/custom_fields",
		Query: url.Values{"field_type": {"candidate"}, "per_page": {strconv.Itoa(PerPage)}}}
	for {
		res, err := g.client.Do(ctx, r)
		if err != nil {
			return nil, err
		}
		var list []customField
		if err := res.Decode(&list); err != nil {
			return nil, err
		}
		for _, f := range list {
			if f.Active && f.FieldType == "candidate" {
				out[strings.ToLower(strings.TrimSpace(f.Name))] = f
			}
		}
		m := nextLink.FindStringSubmatch(res.Header.Get("Link"))
		if m == nil {
			fieldCache.Store(g.deps.IntegrationID, cachedFields{defs: maps.Clone(out), fetched: g.now()})
			return out, nil
		}
		r = &outbound.Request{Method: http.MethodGet, Path: m[1]}
	}
}

// createField creates a candidate custom field, or reports that the
// credentials may not.
func (g *Greenhouse) createField(ctx context.Context, v fieldValue) (customField, error) {
	valueType := "short_text"
	if v.link {
		valueType = "url"
	} else if len(v.value) > 255 {
		valueType = "long_text"
	}
	var def customField
	_, err := g.client.JSON(ctx, &outbound.Request{Method: http.MethodPost, Path: "/v3/custom_fields", JSON: map[string]any{
		"name": v.name, "field_type": "candidate", "value_type": valueType, "private": false, "required": false,
		"description": "Assessment results written by resultlinks.",
	}}, &def)
	return def, err
}

// actingUser returns the Greenhouse user to attribute a note to.
func (g *Greenhouse) actingUser(in resultlinks.ResultLinkInput) (*int64, error) {
	raw := g.creds.UserID
	if v := in.RemoteFields.GreenhouseOnBehalfOf; v != nil && *v != "" {
		raw = *v
	}
	if raw == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid,
			"remote_fields.greenhouse.post_headers.On-Behalf-Of: %q is not a numeric Greenhouse user ID", raw)
	}
	return &n, nil
}

// WriteResultLink writes the link and its attributes into the candidate's
// custom fields, creating missing fields where allowed, and writes a note
// with the whole result when any part could not go into a field.
func (g *Greenhouse) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand := w.Target.CandidateRemoteID
	if cand == "" {
		cand = w.Target.RemoteID
	}
	candID, err := strconv.ParseInt(cand, 10, 64)
	if err != nil {
		return nil, resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "greenhouse: candidate ID %q is not numeric", cand)
	}
	user, err := g.actingUser(w.Input)
	if err != nil {
		return nil, err
	}
	receipt := &resultlinks.Receipt{FieldsOn: resultlinks.ModelCandidates, CustomFields: map[string]any{}}
	defs, err := g.candidateFields(ctx)
	if err != nil {
		return nil, err
	}
	var items []map[string]any
	var placed, missing, created []string
	canCreate := true
	for _, v := range wanted(w.Input) {
		def, ok := defs[strings.ToLower(v.name)]
		if ok && !fits(def, v) {
			missing = append(missing, v.name)
			continue
		}
		if !ok && canCreate {
			def, err = g.createField(ctx, v)
			switch {
			case err == nil:
				ok = true
				created = append(created, strconv.Quote(v.name))
				defs[strings.ToLower(v.name)] = def
				fieldCache.Delete(g.deps.IntegrationID)
			case outbound.Status(err) == http.StatusForbidden || outbound.Status(err) == http.StatusNotFound:
				canCreate = false // the credential may not create fields
			case outbound.Status(err) == http.StatusUnprocessableEntity:
				// refused for this name; try the others
			default:
				return nil, err
			}
		}
		if !ok {
			missing = append(missing, v.name)
			continue
		}
		items = append(items, map[string]any{"custom_field_id": def.ID, "value": v.value})
		placed = append(placed, v.name)
		receipt.CustomFields[v.name] = v.value
	}
	if len(items) > 0 {
		_, err := g.client.Do(ctx, &outbound.Request{Method: http.MethodPatch, Path: "/v3/candidates/" + cand,
			JSON: map[string]any{"custom_fields": items}})
		if resultlinks.ErrorCode(err) == resultlinks.CodeRemoteInputInvalid {
			// Greenhouse refused the values: everything goes into the note.
			receipt.Warnings = append(receipt.Warnings, "Greenhouse refused the custom field values ("+resultlinks.ErrorMessage(err)+"); the result was written as a note instead.")
			missing, placed, receipt.CustomFields = nil, nil, map[string]any{}
			for _, v := range wanted(w.Input) {
				missing = append(missing, v.name)
			}
		} else if err != nil {
			return nil, err
		}
	}
	if len(placed) > 0 {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "candidate:"+cand)
		msg := fmt.Sprintf("Greenhouse: wrote %s to custom fields of candidate %s", quoteAll(placed), cand)
		if len(created) > 0 {
			msg += fmt.Sprintf(" (created the fields %s)", strings.Join(created, ", "))
		}
		receipt.Warnings = append(receipt.Warnings, msg+".")
	}
	if len(missing) > 0 {
		body := map[string]any{
			"candidate_id": candID, "body": w.Input.Text() + "\n\n" + connector.Marker(w.ResultLinkID),
			"note_type": "NOTE", "visibility": "public",
		}
		if w.Target.Model == resultlinks.ModelApplications {
			if appID, err := strconv.ParseInt(w.Target.RemoteID, 10, 64); err == nil {
				body["application_id"] = appID
			}
		}
		if user != nil {
			body["user_id"] = *user
		}
		var note struct {
			ID int64 `json:"id"`
		}
		if _, err := g.client.JSON(ctx, &outbound.Request{Method: http.MethodPost, Path: "/v3/notes", JSON: body}, &note); err != nil {
			return nil, err
		}
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+id(note.ID))
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
			"Greenhouse: wrote the result as note %d on candidate %s, because %s had no matching candidate custom field that the credentials could fill or create.",
			note.ID, cand, quoteAll(missing)))
	}
	if len(receipt.CustomFields) == 0 {
		receipt.CustomFields = nil
	}
	return receipt, nil
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// FindResultLink finds an earlier write: a note carrying the result link's
// marker, or candidate custom fields already holding every value.
func (g *Greenhouse) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand := w.Target.CandidateRemoteID
	if cand == "" {
		cand = w.Target.RemoteID
	}
	marker := connector.Marker(w.ResultLinkID)
	r := &outbound.Request{Method: http.MethodGet, Path: "/v3/notes",
		Query: url.Values{"candidate_ids": {cand}, "per_page": {strconv.Itoa(PerPage)}}}
	for {
		res, err := g.client.Do(ctx, r)
		if err != nil {
			return nil, err
		}
		var notes []struct {
			ID   int64  `json:"id"`
			Body string `json:"body"`
		}
		if err := res.Decode(&notes); err != nil {
			return nil, err
		}
		for _, n := range notes {
			if strings.Contains(n.Body, marker) {
				return &resultlinks.Receipt{
					Channels: []resultlinks.Channel{resultlinks.ChannelNote}, RemoteIDs: []string{"note:" + id(n.ID)},
					Warnings: []string{fmt.Sprintf("Greenhouse already held this result as note %d on candidate %s; nothing was written again.", n.ID, cand)},
				}, nil
			}
		}
		m := nextLink.FindStringSubmatch(res.Header.Get("Link"))
		if m == nil {
			break
		}
		r = &outbound.Request{Method: http.MethodGet, Path: m[1]}
	}
	res, err := g.client.Do(ctx, &outbound.Request{Method: http.MethodGet, Path: "/v3/candidates", Query: url.Values{"ids": {cand}}})
	if err != nil {
		return nil, err
	}
	var list []candidate
	if err := res.Decode(&list); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	have := fields(list[0].CustomFields)
	got := map[string]any{}
	for _, v := range wanted(w.Input) {
		if fmt.Sprint(have[v.name]) != v.value {
			return nil, nil
		}
		got[v.name] = v.value
	}
	return &resultlinks.Receipt{
		Channels: []resultlinks.Channel{resultlinks.ChannelCustomFields}, RemoteIDs: []string{"candidate:" + cand},
		CustomFields: got, FieldsOn: resultlinks.ModelCandidates,
		Warnings: []string{fmt.Sprintf("Greenhouse already held these values in candidate %s's custom fields; nothing was written again.", cand)},
	}, nil
}
