package workable

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// attribute is a custom attribute definition (GET /custom_attributes). Its
// id is the custom_attribute_key writes name.
type attribute struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Enabled bool   `json:"enabled"`
	Label   string `json:"label"`
	Choices []struct {
		ID   string `json:"id"`
		Body string `json:"body"`
	} `json:"choices"`
}

// value is one value of a result: the link under the label, or an
// attribute under its prefixed name.
type value struct {
	name, text string
}

// wanted lists the values a result link writes: the link, then each
// attribute.
func wanted(in resultlinks.ResultLinkInput) []value {
	out := []value{{name: in.Label, text: in.URL}}
	if d := in.Details; d != nil {
		for _, a := range d.Attributes {
			out = append(out, value{name: d.FieldName(a.Key), text: a.Value})
		}
	}
	return out
}

// placement is a value planned into an attribute.
type placement struct {
	value
	attr attribute
	// field and raw are the type's body field and its value.
	field string
	raw   any
	// shown is the value as the mirror shows it.
	shown any
}

// miss is a value that found no attribute, and why.
type miss struct {
	value
	why string
}

func (m miss) String() string { return strconv.Quote(m.name) + " (" + m.why + ")" }

// shortTextMax is the most characters a short_text attribute holds.
const shortTextMax = 128

// plan fits a value to an attribute by the attribute's type (vendors.md
// §3.3), or says why it does not fit.
func plan(a attribute, v value) (placement, string) {
	p := placement{value: v, attr: a, field: "value"}
	s := strings.TrimSpace(v.text)
	switch a.Type {
	case "short_text":
		if utf8.RuneCountInString(v.text) > shortTextMax {
			return p, fmt.Sprintf("longer than the %d characters its short_text attribute holds", shortTextMax)
		}
		p.raw, p.shown = v.text, v.text
	case "free_text":
		p.raw, p.shown = v.text, v.text
	case "numeric":
		n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
		if err != nil {
			return p, "its attribute is numeric and the value is not a number"
		}
		p.raw, p.shown = n, n
	case "boolean":
		switch strings.ToLower(s) {
		case "true", "yes":
			p.raw = true
		case "false", "no":
			p.raw = false
		default:
			return p, "its attribute is a yes/no box and the value is neither"
		}
		p.field, p.shown = "checked", p.raw
	case "date":
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			if d, err = time.Parse(time.RFC3339, s); err != nil {
				return p, "its attribute is a date and the value is not one"
			}
		}
		p.field, p.raw, p.shown = "date", d.Format(time.DateOnly), d.Format(time.DateOnly)
	case "dropdown", "multiple_choice":
		for _, c := range a.Choices {
			if strings.EqualFold(strings.TrimSpace(c.Body), s) {
				p.field, p.raw, p.shown = "choices", []string{c.ID}, c.Body
				return p, ""
			}
		}
		return p, "not one of its attribute's choices"
	default:
		return p, "its attribute is of type " + a.Type + ", which cannot hold text"
	}
	return p, ""
}

func labelKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// attributes returns the enabled custom attribute definitions by label.
func (w *Workable) attributes(ctx context.Context) (map[string]attribute, error) {
	out := map[string]attribute{}
	next := api("/custom_attributes")
	for next != "" {
		var got struct {
			CustomAttributes []attribute `json:"custom_attributes"`
			Paging           paging      `json:"paging"`
		}
		if _, err := w.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: next}, &got); err != nil {
			return nil, err
		}
		for _, a := range got.CustomAttributes {
			if a.Enabled {
				out[labelKey(a.Label)] = a
			}
		}
		var err error
		if next, err = w.follow(got.Paging.Next); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// placeAll plans every value of a result into the attributes.
func placeAll(in resultlinks.ResultLinkInput, defs map[string]attribute, noDefs string) ([]placement, []miss) {
	var placed []placement
	var missing []miss
	for _, v := range wanted(in) {
		if noDefs != "" {
			missing = append(missing, miss{v, noDefs})
			continue
		}
		a, ok := defs[labelKey(v.name)]
		if !ok {
			missing = append(missing, miss{v, "no enabled custom attribute has that label"})
			continue
		}
		p, why := plan(a, v)
		if why != "" {
			missing = append(missing, miss{v, why})
			continue
		}
		placed = append(placed, p)
	}
	return placed, missing
}

// actingMember returns the member a comment is posted as, and where that
// came from.
func (w *Workable) actingMember(in resultlinks.ResultLinkInput) (id, from string) {
	if v := in.RemoteFields.WorkableOnBehalfOf; v != nil && strings.TrimSpace(*v) != "" {
		return strings.TrimSpace(*v), "remote_fields.workable.on_behalf_of_user_remote_id"
	}
	if w.creds.MemberID != "" {
		return w.creds.MemberID, "the credentials' member_id"
	}
	return "", ""
}

func needMember(missing []miss) error {
	return resultlinks.Errorf(resultlinks.CodeInputInvalid,
		"remote_fields.workable.on_behalf_of_user_remote_id: Workable posts a comment in a member's name, and %s found no custom attribute to go into; send the ID of the Workable member to post as, or set member_id in the integration's credentials",
		joinMisses(missing))
}

func joinMisses(ms []miss) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return strings.Join(parts, ", ")
}

func quoteAll(ps []placement) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = strconv.Quote(p.name)
	}
	return strings.Join(parts, ", ")
}

func candidateOf(t connector.Target) (string, error) {
	id := t.RemoteID
	if id == "" {
		id = t.CandidateRemoteID
	}
	if id == "" {
		return "", resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "workable: the target has no candidate ID")
	}
	return id, nil
}

// WriteResultLink writes each value into the custom attribute of its name
// where one fits, and the whole result as a comment when any value found
// none.
func (w *Workable) WriteResultLink(ctx context.Context, wr connector.Write) (*resultlinks.Receipt, error) {
	cand, err := candidateOf(wr.Target)
	if err != nil {
		return nil, err
	}
	memberID, from := w.actingMember(wr.Input)
	noDefs := ""
	defs, err := w.attributes(ctx)
	if s := outbound.Status(err); s == http.StatusForbidden {
		noDefs = "the token may not read custom attributes (it needs the r_jobs scope)"
	} else if err != nil {
		return nil, err
	}
	placed, missing := placeAll(wr.Input, defs, noDefs)
	if len(missing) > 0 && memberID == "" {
		return nil, needMember(missing)
	}

	receipt := &resultlinks.Receipt{CustomFields: map[string]any{}}
	var written []placement
	for i, p := range placed {
		body := map[string]any{"custom_attribute_key": p.attr.ID, p.field: p.raw}
		_, err := w.client.Do(ctx, &outbound.Request{Method: http.MethodPatch, Idempotent: true,
			Path: api("/candidates/" + url.PathEscape(cand) + "/update_custom_attribute_value"), JSON: body})
		switch s := outbound.Status(err); {
		case err == nil:
			written = append(written, p)
			receipt.CustomFields[p.name] = p.shown
			receipt.RemoteIDs = append(receipt.RemoteIDs, "custom_attribute:"+p.attr.ID)
			continue
		case s == http.StatusForbidden:
			// The token may not write attributes: the rest goes to the comment.
			for _, rest := range placed[i:] {
				missing = append(missing, miss{rest.value, "the token may not write custom attributes (" + resultlinks.ErrorMessage(err) + ")"})
			}
		case s == http.StatusNotFound || s == http.StatusUnprocessableEntity:
			missing = append(missing, miss{p.value, "Workable refused it: " + resultlinks.ErrorMessage(err)})
			continue
		default:
			return nil, err
		}
		break
	}
	if len(written) > 0 {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("Workable: wrote %s to the custom attributes of candidate %s.", quoteAll(written), cand))
		if err := w.remember(ctx, cand, receipt.CustomFields); err != nil && w.deps.Logger != nil {
			w.deps.Logger.Warn("workable: remembering written custom attributes", "integration", w.deps.IntegrationID, "error", err)
		}
	}
	if len(missing) > 0 {
		if memberID == "" {
			return nil, needMember(missing)
		}
		var created struct {
			ID json.RawMessage `json:"id"`
		}
		_, err := w.client.JSON(ctx, &outbound.Request{Method: http.MethodPost, Path: api("/candidates/" + url.PathEscape(cand) + "/comments"),
			JSON: map[string]any{"member_id": memberID, "comment": map[string]any{
				"body": wr.Input.Text() + "\n\n" + connector.Marker(wr.ResultLinkID),
			}}}, &created)
		if err != nil {
			return nil, commentError(err, cand, memberID, from)
		}
		id := strings.Trim(string(created.ID), `"`)
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "comment:"+id)
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
			"Workable: wrote the result as comment %s on candidate %s, posted as member %s (from %s), because %s.",
			id, cand, memberID, from, joinMisses(missing)))
	}
	receipt.Warnings = append(receipt.Warnings, otherTools(wr.Input.RemoteFields)...)
	if len(receipt.CustomFields) == 0 {
		receipt.CustomFields = nil
	}
	return receipt, nil
}

// commentError explains the refusals a comment can meet.
func commentError(err error, cand, memberID, from string) error {
	var e *resultlinks.Error
	if !errors.As(err, &e) {
		return err
	}
	switch outbound.Status(err) {
	case http.StatusForbidden:
		return &resultlinks.Error{Code: resultlinks.CodePermissionMissing,
			Message: "Workable refused the comment: the token needs the w_comments or w_candidates scope (" + e.Message + ")", Err: err}
	case http.StatusUnprocessableEntity:
		return &resultlinks.Error{Code: resultlinks.CodeRemoteInputInvalid,
			Message: fmt.Sprintf("Workable refused the comment posted as member %s (from %s): %s", memberID, from, e.Message), Err: err}
	case http.StatusNotFound:
		return &resultlinks.Error{Code: resultlinks.CodeRemoteInputInvalid,
			Message: fmt.Sprintf("Workable has no candidate %s (it may have been deleted): %s", cand, e.Message), Err: err}
	}
	return err
}

// FindResultLink finds an earlier write: a comment carrying the marker on
// the candidate's timeline, and the attributes holding the result's
// values; a write that went into attributes alone is found by its values.
func (w *Workable) FindResultLink(ctx context.Context, wr connector.Write) (*resultlinks.Receipt, error) {
	cand, err := candidateOf(wr.Target)
	if err != nil {
		return nil, err
	}
	comment, err := w.findComment(ctx, cand, connector.Marker(wr.ResultLinkID))
	if err != nil {
		return nil, err
	}
	defs, err := w.attributes(ctx)
	if s := outbound.Status(err); err != nil && s != http.StatusForbidden {
		return nil, err
	}
	placed, missing := placeAll(wr.Input, defs, "")
	var held []placement
	if len(placed) > 0 {
		if held, err = w.holding(ctx, cand, placed); err != nil {
			return nil, err
		}
	}
	if comment == "" && (len(missing) > 0 || len(held) < len(placed)) {
		return nil, nil
	}
	receipt := &resultlinks.Receipt{}
	if len(held) > 0 {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
		receipt.CustomFields = map[string]any{}
		for _, p := range held {
			receipt.CustomFields[p.name] = p.shown
			receipt.RemoteIDs = append(receipt.RemoteIDs, "custom_attribute:"+p.attr.ID)
		}
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("Workable: the custom attributes of candidate %s already held %s.", cand, quoteAll(held)))
	}
	if comment != "" {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "comment:"+comment)
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("Workable: candidate %s already held this result as comment %s.", cand, comment))
	}
	receipt.Warnings = append(receipt.Warnings, "Nothing was written again.")
	return receipt, nil
}

// findComment returns the ID of the comment on the candidate's timeline
// that carries the marker, or "".
func (w *Workable) findComment(ctx context.Context, cand, marker string) (string, error) {
	next := api("/candidates/" + url.PathEscape(cand) + "/activities?limit=" + strconv.Itoa(PerPage))
	for next != "" {
		var got struct {
			Activities []struct {
				ID     json.RawMessage `json:"id"`
				Action string          `json:"action"`
				Body   *string         `json:"body"`
			} `json:"activities"`
			Paging paging `json:"paging"`
		}
		if _, err := w.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: next}, &got); err != nil {
			return "", err
		}
		for _, a := range got.Activities {
			if a.Action == "comment" && a.Body != nil && strings.Contains(*a.Body, marker) {
				return strings.Trim(string(a.ID), `"`), nil
			}
		}
		var err error
		if next, err = w.follow(got.Paging.Next); err != nil {
			return "", err
		}
	}
	return "", nil
}

// holding returns the placements whose attribute already holds the
// planned value, as GET /candidates/{id} shows the candidate's custom
// attribute values.
func (w *Workable) holding(ctx context.Context, cand string, placed []placement) ([]placement, error) {
	var got struct {
		Candidate struct {
			CustomAttributes []struct {
				Key   string `json:"key"`
				Value any    `json:"value"`
			} `json:"custom_attributes"`
		} `json:"candidate"`
	}
	if _, err := w.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: api("/candidates/" + url.PathEscape(cand))}, &got); err != nil {
		return nil, err
	}
	have := map[string][]byte{}
	for _, v := range got.Candidate.CustomAttributes {
		have[v.Key], _ = json.Marshal(v.Value)
	}
	var out []placement
	for _, p := range placed {
		want, _ := json.Marshal(p.raw)
		if h, ok := have[p.attr.ID]; ok && bytes.Equal(h, want) {
			out = append(out, p)
		}
	}
	return out, nil
}
