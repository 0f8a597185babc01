package teamtailor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// wantedField is one value of a result to place in a custom field.
type wantedField struct {
	name, value string
	link        bool
}

// wanted lists the fields a result link fills: the link, then each attribute.
func wanted(in resultlinks.ResultLinkInput) []wantedField {
	out := []wantedField{{name: in.Label, value: in.URL, link: true}}
	if d := in.Details; d != nil {
		for _, a := range d.Attributes {
			out = append(out, wantedField{name: d.FieldName(a.Key), value: a.Value})
		}
	}
	return out
}

// fits reports whether a field of that type takes the value.
func fits(fieldType, value string) bool {
	switch fieldType {
	case "CustomField::Text":
		return strings.TrimSpace(value) != ""
	case "CustomField::Url":
		u, err := url.Parse(value)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	case "CustomField::Number":
		_, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		return err == nil
	case "CustomField::Checkbox":
		_, err := strconv.ParseBool(value)
		return err == nil
	case "CustomField::Date":
		_, err := time.Parse("2006-01-02", value)
		return err == nil
	}
	return false // a select or another type of the company's own
}

// same reports whether a stored value equals the wanted text.
func same(stored any, want string) bool {
	switch x := stored.(type) {
	case string:
		return x == want
	case float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(want), 64)
		return err == nil && f == x
	case bool:
		b, err := strconv.ParseBool(want)
		return err == nil && b == x
	}
	return false
}

// apiName derives an api-name from a display name as Teamtailor does:
// lower case letters and digits, other runs replaced by one dash.
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

// candidateDefs returns the candidate custom field definitions by lower-case
// name and by api-name.
func (t *Teamtailor) candidateDefs(ctx context.Context) (byName, byAPIName map[string]customField, err error) {
	defs, err := t.loadDefs(ctx)
	if err != nil {
		return nil, nil, err
	}
	byName, byAPIName = map[string]customField{}, map[string]customField{}
	for _, d := range defs {
		if d.OwnerType != "" && d.OwnerType != "Candidate" {
			continue
		}
		byName[strings.ToLower(strings.TrimSpace(d.Name))] = d
		if d.APIName != "" {
			byAPIName[d.APIName] = d
		}
	}
	return byName, byAPIName, nil
}

// candidateOf is the candidate a write goes to.
func candidateOf(w connector.Write) (string, error) {
	cand := w.Target.CandidateRemoteID
	if cand == "" && w.Target.Model == resultlinks.ModelCandidates {
		cand = w.Target.RemoteID
	}
	if n, err := strconv.ParseInt(cand, 10, 64); err != nil || n <= 0 {
		return "", resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "teamtailor: candidate ID %q is not a Teamtailor candidate ID", cand)
	}
	return cand, nil
}

// permissionError explains a 403 on a write.
func permissionError(err error) error {
	return &resultlinks.Error{Code: resultlinks.CodePermissionMissing,
		Message: "Teamtailor refused to write the result: writing custom field values and notes needs an Admin API key with read-write access (" + resultlinks.ErrorMessage(err) + ")", Err: err}
}

// WriteResultLink writes the link and its attributes into the candidate's
// custom fields, creating missing field definitions where the key may, and
// writes a note with the whole result when any part could not go into a
// field.
func (t *Teamtailor) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand, err := candidateOf(w)
	if err != nil {
		return nil, err
	}
	byName, byAPIName, err := t.candidateDefs(ctx)
	if err != nil {
		return nil, err
	}
	values, err := t.candidateValues(ctx, cand)
	if err != nil {
		return nil, err
	}
	existing := map[string]candidateValue{}
	for _, v := range values {
		existing[v.fieldID] = v
	}
	receipt := &resultlinks.Receipt{FieldsOn: resultlinks.ModelCandidates, CustomFields: map[string]any{}}
	var placed, created, missing []string
	var refused error // the 403 that stopped the field writes
	canCreate := true
	for _, v := range wanted(w.Input) {
		if refused != nil {
			missing = append(missing, strconv.Quote(v.name))
			continue
		}
		def, ok := byName[strings.ToLower(strings.TrimSpace(v.name))]
		if !ok {
			def, ok = byAPIName[apiName(v.name)]
		}
		if ok && !fits(def.FieldType, v.value) {
			missing = append(missing, fmt.Sprintf("%q (its field is a %s)", v.name, strings.TrimPrefix(def.FieldType, "CustomField::")))
			continue
		}
		if !ok && canCreate {
			def, err = t.createField(ctx, v)
			switch s := outbound.Status(err); {
			case err == nil:
				ok = true
				created = append(created, strconv.Quote(v.name))
				byName[strings.ToLower(strings.TrimSpace(def.Name))] = def
			case s == http.StatusForbidden || s == http.StatusNotFound:
				canCreate = false // the key may not create fields; existing ones may still take values
			case s == http.StatusUnprocessableEntity || s == http.StatusConflict:
				// refused for this name; try the others
			default:
				return nil, err
			}
		}
		if !ok {
			missing = append(missing, strconv.Quote(v.name))
			continue
		}
		valueID, err := t.setValue(ctx, cand, def, existing[def.ID], v.value)
		switch s := outbound.Status(err); {
		case err == nil:
		case s == http.StatusForbidden:
			refused = err
			missing = append(missing, strconv.Quote(v.name))
			continue
		case s == http.StatusUnprocessableEntity || s == http.StatusConflict:
			missing = append(missing, fmt.Sprintf("%q (Teamtailor refused the value: %s)", v.name, resultlinks.ErrorMessage(err)))
			continue
		default:
			return nil, err
		}
		existing[def.ID] = candidateValue{id: valueID, fieldID: def.ID, value: v.value}
		placed = append(placed, strconv.Quote(def.Name))
		receipt.CustomFields[def.Name] = v.value
		receipt.RemoteIDs = append(receipt.RemoteIDs, "custom-field-value:"+valueID)
	}
	if len(placed) > 0 {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
		msg := fmt.Sprintf("Teamtailor: wrote %s to custom fields of candidate %s", strings.Join(placed, ", "), cand)
		if len(created) > 0 {
			msg += fmt.Sprintf(" (created the fields %s)", strings.Join(created, ", "))
		}
		receipt.Warnings = append(receipt.Warnings, msg+".")
	}
	if len(missing) > 0 {
		noteID, err := t.writeNote(ctx, cand, w)
		switch {
		case err == nil:
			receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
			receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+noteID)
			receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
				"Teamtailor: wrote the result as note %s on candidate %s, because %s found no candidate custom field the API key could fill or create.",
				noteID, cand, strings.Join(missing, ", ")))
		case outbound.Status(err) == http.StatusForbidden && len(placed) > 0:
			receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
				"Teamtailor: dropped %s: no custom field took them and the API key may not write notes (%s).", strings.Join(missing, ", "), resultlinks.ErrorMessage(err)))
		case outbound.Status(err) == http.StatusForbidden:
			return nil, permissionError(err)
		default:
			return nil, err
		}
	}
	if len(receipt.CustomFields) == 0 {
		receipt.CustomFields = nil
	}
	return receipt, nil
}

// createField creates a candidate custom field for a value: a Url field for
// the link, a Text field for an attribute.
func (t *Teamtailor) createField(ctx context.Context, v wantedField) (customField, error) {
	fieldType := "CustomField::Text"
	if v.link {
		fieldType = "CustomField::Url"
	}
	attrs := map[string]any{"name": v.name, "field-type": fieldType, "owner-type": "Candidate"}
	if n := apiName(v.name); n != "" {
		attrs["api-name"] = n
	}
	doc, err := t.send(ctx, http.MethodPost, "/v1/custom-fields", map[string]any{"type": "custom-fields", "attributes": attrs})
	if err != nil {
		return customField{}, err
	}
	r, err := doc.one()
	if err != nil {
		return customField{}, err
	}
	var def customField
	if err := r.decode(&def); err != nil {
		return customField{}, err
	}
	def.ID = r.ID
	if def.Name == "" {
		def.Name, def.FieldType = v.name, fieldType
	}
	t.mu.Lock()
	t.defs[def.ID] = def
	t.mu.Unlock()
	return def, nil
}

// setValue gives the candidate's field the value: PATCH of the value the
// field has on the candidate (nothing when it already holds it), else POST
// of a new one. It returns the value's id.
func (t *Teamtailor) setValue(ctx context.Context, cand string, def customField, cur candidateValue, value string) (string, error) {
	if cur.id != "" {
		if same(cur.value, value) {
			return cur.id, nil
		}
		_, err := t.send(ctx, http.MethodPatch, "/v1/custom-field-values/"+cur.id, map[string]any{
			"id": cur.id, "type": "custom-field-values", "attributes": map[string]any{"value": value},
		})
		return cur.id, err
	}
	doc, err := t.send(ctx, http.MethodPost, "/v1/custom-field-values", map[string]any{
		"type": "custom-field-values", "attributes": map[string]any{"value": value},
		"relationships": map[string]any{
			"custom-field": map[string]any{"data": identifier{Type: "custom-fields", ID: def.ID}},
			"owner":        map[string]any{"data": identifier{Type: "candidates", ID: cand}},
		},
	})
	if err != nil {
		return "", err
	}
	r, err := doc.one()
	if err != nil {
		return "", err
	}
	return r.ID, t.rememberValue(ctx, r.ID, def.ID)
}

// noteAuthor returns the user a note is written as: the credentials'
// user_id, else the first admin among the company's users (else the first
// user).
func (t *Teamtailor) noteAuthor(ctx context.Context) (string, error) {
	if t.creds.UserID != "" {
		return t.creds.UserID, nil
	}
	t.mu.Lock()
	author := t.author
	t.mu.Unlock()
	if author != "" {
		return author, nil
	}
	first, admin := "", ""
	errDone := errors.New("done")
	err := t.each(ctx, "/v1/users", url.Values{"page[size]": {strconv.Itoa(PerPage)}}, func(_ *document, list []resource) error {
		for _, r := range list {
			var a struct {
				Role string `json:"role"`
			}
			if err := r.decode(&a); err != nil {
				return err
			}
			if first == "" {
				first = r.ID
			}
			if a.Role == "admin" {
				admin = r.ID
				return errDone
			}
		}
		return nil
	})
	if err != nil && err != errDone {
		return "", err
	}
	if admin == "" {
		admin = first
	}
	if admin == "" {
		return "", resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "teamtailor: the company has no user to write the note as; set user_id in the integration's credentials")
	}
	t.mu.Lock()
	t.author = admin
	t.mu.Unlock()
	return admin, nil
}

// writeNote writes the result as a note on the candidate and returns its id.
func (t *Teamtailor) writeNote(ctx context.Context, cand string, w connector.Write) (string, error) {
	user, err := t.noteAuthor(ctx)
	if err != nil {
		return "", err
	}
	doc, err := t.send(ctx, http.MethodPost, "/v1/notes", map[string]any{
		"type": "notes", "attributes": map[string]any{"note": w.Input.Text() + "\n\n" + connector.Marker(w.ResultLinkID)},
		"relationships": map[string]any{
			"candidate": map[string]any{"data": identifier{Type: "candidates", ID: cand}},
			"user":      map[string]any{"data": identifier{Type: "users", ID: user}},
		},
	})
	if err != nil {
		return "", err
	}
	r, err := doc.one()
	return r.ID, err
}

// FindResultLink finds an earlier write: a note on the candidate carrying
// the marker, or candidate custom fields already holding every value.
func (t *Teamtailor) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	cand, err := candidateOf(w)
	if err != nil {
		return nil, err
	}
	marker := connector.Marker(w.ResultLinkID)
	noteID := ""
	errFound := errors.New("found")
	err = t.each(ctx, "/v1/candidates/"+cand+"/notes", url.Values{"page[size]": {strconv.Itoa(PerPage)}}, func(_ *document, list []resource) error {
		for _, r := range list {
			var a struct {
				Note string `json:"note"`
			}
			if err := r.decode(&a); err != nil {
				return err
			}
			if strings.Contains(a.Note, marker) {
				noteID = r.ID
				return errFound
			}
		}
		return nil
	})
	if err != nil && err != errFound {
		return nil, err
	}
	values, err := t.candidateValues(ctx, cand)
	if err != nil {
		return nil, err
	}
	byName := map[string]candidateValue{}
	names := map[string]string{}
	for _, v := range values {
		def, err := t.fieldDef(ctx, v.fieldID)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(strings.TrimSpace(def.Name))
		byName[key], names[key] = v, def.Name
	}
	fields := map[string]any{}
	var ids []string
	for _, v := range wanted(w.Input) {
		key := strings.ToLower(strings.TrimSpace(v.name))
		if cur, ok := byName[key]; ok && same(cur.value, v.value) {
			fields[names[key]] = v.value
			ids = append(ids, "custom-field-value:"+cur.id)
		}
	}
	receipt := &resultlinks.Receipt{FieldsOn: resultlinks.ModelCandidates}
	switch {
	case noteID != "":
		if len(fields) > 0 {
			receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
			receipt.CustomFields, receipt.RemoteIDs = fields, ids
		}
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+noteID)
		receipt.Warnings = []string{fmt.Sprintf("Teamtailor already held this result as note %s on candidate %s; nothing was written again.", noteID, cand)}
	case len(fields) == len(wanted(w.Input)):
		receipt.Channels = []resultlinks.Channel{resultlinks.ChannelCustomFields}
		receipt.CustomFields, receipt.RemoteIDs = fields, ids
		receipt.Warnings = []string{fmt.Sprintf("Teamtailor already held these values in candidate %s's custom fields; nothing was written again.", cand)}
	default:
		return nil, nil
	}
	return receipt, nil
}
