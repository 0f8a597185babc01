package recruitee

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// wantedField is one value of a result to place in a profile field.
type wantedField struct {
	name, value string
}

// wanted lists the fields a result link fills: the link, then each attribute.
func wanted(in resultlinks.ResultLinkInput) []wantedField {
	out := []wantedField{{name: in.Label, value: in.URL}}
	if d := in.Details; d != nil {
		for _, a := range d.Attributes {
			out = append(out, wantedField{name: d.FieldName(a.Key), value: a.Value})
		}
	}
	return out
}

// textKinds are the profile field kinds that hold free text.
var textKinds = map[string]bool{"single_line": true, "multi_line": true}

// kindFor is the kind of a new field for a value.
func kindFor(value string) string {
	if strings.ContainsAny(value, "\r\n") {
		return "multi_line"
	}
	return "single_line"
}

// fieldText returns a field's text when it holds exactly one text value.
func fieldText(f field) (string, bool) {
	if len(f.Values) != 1 || f.Values[0].Text == nil {
		return "", false
	}
	return *f.Values[0].Text, true
}

// byName finds the latest profile field with the name (case and edge
// spaces ignored).
func byName(fields []field, name string) (field, bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	var found field
	ok := false
	for _, f := range fields {
		if strings.ToLower(strings.TrimSpace(f.Name)) == key && (!ok || f.ID > found.ID) {
			found, ok = f, true
		}
	}
	return found, ok
}

// candidateOf is the candidate a write goes to.
func candidateOf(w connector.Write) (string, error) {
	cand := w.Target.CandidateRemoteID
	if cand == "" && w.Target.Model == resultlinks.ModelCandidates {
		cand = w.Target.RemoteID
	}
	if _, err := strconv.ParseInt(cand, 10, 64); err != nil {
		return "", resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "recruitee: candidate ID %q is not a Recruitee candidate ID", cand)
	}
	return cand, nil
}

// WriteResultLink writes the result to the candidate's profile fields (one
// per value, changing an earlier field of the same name rather than adding
// a second) and as a public note carrying the marker.
func (r *Recruitee) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand, err := candidateOf(w)
	if err != nil {
		return nil, err
	}
	d, err := r.candidate(ctx, cand)
	if err != nil {
		return nil, err
	}
	receipt := &resultlinks.Receipt{FieldsOn: resultlinks.ModelCandidates, CustomFields: map[string]any{}}
	var placed, skipped, created []string
	for _, v := range wanted(w.Input) {
		f, exists := byName(d.Fields, v.name)
		if exists && (!textKinds[f.Kind] || f.Kind == "single_line" && kindFor(v.value) == "multi_line") {
			// A field of that name the customer made for other values: leave
			// it alone; the note carries the value.
			skipped = append(skipped, fmt.Sprintf("%q (an existing %s field)", v.name, f.Kind))
			continue
		}
		var out struct {
			Field field `json:"field"`
		}
		var err error
		body := map[string]any{"field": map[string]any{"values": []map[string]string{{"text": v.value}}}}
		switch {
		case exists:
			if cur, ok := fieldText(f); ok && cur == v.value {
				out.Field = f // already holds the value
				break
			}
			_, err = r.client.JSON(ctx, &outbound.Request{Method: http.MethodPatch,
				Path: r.path("/custom_fields/candidates/" + cand + "/fields/" + id(f.ID)), JSON: body}, &out)
		default:
			inner := body["field"].(map[string]any)
			inner["name"], inner["kind"] = v.name, kindFor(v.value)
			_, err = r.client.JSON(ctx, &outbound.Request{Method: http.MethodPost,
				Path: r.path("/custom_fields/candidates/" + cand + "/fields"), JSON: body}, &out)
			if err == nil {
				created = append(created, strconv.Quote(v.name))
			}
		}
		if resultlinks.ErrorCode(err) == resultlinks.CodeRemoteInputInvalid {
			skipped = append(skipped, fmt.Sprintf("%q (Recruitee refused the value: %s)", v.name, resultlinks.ErrorMessage(err)))
			continue
		}
		if err != nil {
			return nil, err
		}
		placed = append(placed, strconv.Quote(v.name))
		receipt.CustomFields[v.name] = v.value
		if out.Field.ID != 0 {
			receipt.RemoteIDs = append(receipt.RemoteIDs, "field:"+id(out.Field.ID))
		}
	}
	if len(placed) > 0 {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
		msg := fmt.Sprintf("Recruitee: wrote %s to profile fields of candidate %s", strings.Join(placed, ", "), cand)
		if len(created) > 0 {
			msg += fmt.Sprintf(" (added the fields %s)", strings.Join(created, ", "))
		}
		receipt.Warnings = append(receipt.Warnings, msg+".")
	}
	if len(skipped) > 0 {
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("Recruitee: no profile field took %s; the note holds them.", strings.Join(skipped, ", ")))
	}
	var note struct {
		Note struct {
			ID int64 `json:"id"`
		} `json:"note"`
	}
	if _, err := r.client.JSON(ctx, &outbound.Request{Method: http.MethodPost, Path: r.path("/candidates/" + cand + "/notes"),
		JSON: map[string]any{"note": map[string]any{
			"body": noteBody(w), "visibility": map[string]string{"level": "public"},
		}}}, &note); err != nil {
		return nil, err
	}
	receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
	receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+id(note.Note.ID))
	receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("Recruitee: wrote the result as public note %d on candidate %s.", note.Note.ID, cand))
	if len(receipt.CustomFields) == 0 {
		receipt.CustomFields = nil
	}
	return receipt, nil
}

// noteBody is the note's text: the result and the marker.
func noteBody(w connector.Write) string {
	return w.Input.Text() + "\n\n" + connector.Marker(w.ResultLinkID)
}

// FindResultLink finds an earlier write by the note carrying the marker
// (every write ends with that note), with the profile fields that still
// hold the result's values.
func (r *Recruitee) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand, err := candidateOf(w)
	if err != nil {
		return nil, err
	}
	var notes struct {
		Notes []struct {
			ID   int64  `json:"id"`
			Body string `json:"body"`
		} `json:"notes"`
	}
	if _, err := r.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: r.path("/candidates/" + cand + "/notes")}, &notes); err != nil {
		return nil, err
	}
	marker := connector.Marker(w.ResultLinkID)
	noteID := int64(0)
	for _, n := range notes.Notes {
		if strings.Contains(n.Body, marker) {
			noteID = n.ID
			break
		}
	}
	if noteID == 0 {
		return nil, nil
	}
	receipt := &resultlinks.Receipt{FieldsOn: resultlinks.ModelCandidates, CustomFields: map[string]any{}}
	d, err := r.candidate(ctx, cand)
	if err != nil {
		return nil, err
	}
	for _, v := range wanted(w.Input) {
		if f, ok := byName(d.Fields, v.name); ok {
			if cur, ok := fieldText(f); ok && cur == v.value {
				receipt.CustomFields[v.name] = v.value
				receipt.RemoteIDs = append(receipt.RemoteIDs, "field:"+id(f.ID))
			}
		}
	}
	if len(receipt.CustomFields) > 0 {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
	} else {
		receipt.CustomFields = nil
	}
	receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
	receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+id(noteID))
	receipt.Warnings = []string{fmt.Sprintf("Recruitee already held this result as note %d on candidate %s (with %d matching profile fields); nothing was written again.",
		noteID, cand, len(receipt.CustomFields))}
	return receipt, nil
}
