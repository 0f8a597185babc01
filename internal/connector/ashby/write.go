package ashby

import (
	"context"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
)

// customField is a custom field definition (customField.list, .create).
type customField struct {
	ID               string `json:"id"`
	Title            string `json:"title"`
	ObjectType       string `json:"objectType"`
	FieldType        string `json:"fieldType"`
	IsArchived       bool   `json:"isArchived"`
	SelectableValues []struct {
		Label      string `json:"label"`
		Value      string `json:"value"`
		IsArchived bool   `json:"isArchived"`
	} `json:"selectableValues"`
}

// want is one value of a result to place in a custom field.
type want struct {
	name, value string
	link        bool
}

// wanted lists the fields a result link fills: the link, then each attribute.
func wanted(in resultlinks.ResultLinkInput) []want {
	out := []want{{name: in.Label, value: in.URL, link: true}}
	if d := in.Details; d != nil {
		for _, a := range d.Attributes {
			out = append(out, want{name: d.FieldName(a.Key), value: a.Value})
		}
	}
	return out
}

func fieldKey(title string) string { return strings.ToLower(strings.TrimSpace(title)) }

// number reads an attribute as a number ("87", "87%", "2.5").
func number(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// fit returns the fieldValue to send for v into a field of def's type, or
// false when the field cannot hold it.
func fit(def customField, v want) (any, bool) {
	switch def.FieldType {
	case "String":
		return v.value, true
	case "Number":
		if !v.link {
			return number(v.value)
		}
	case "Boolean":
		if b, err := strconv.ParseBool(strings.TrimSpace(v.value)); err == nil && !v.link {
			return b, true
		}
	case "ValueSelect":
		for _, o := range def.SelectableValues {
			if !o.IsArchived && (strings.EqualFold(o.Value, v.value) || strings.EqualFold(o.Label, v.value)) {
				return o.Value, true
			}
		}
	}
	return nil, false
}

// same reports whether a value read back from Ashby is the attribute's.
func same(have any, v want) bool {
	switch h := have.(type) {
	case string:
		return h == v.value
	case float64:
		f, ok := number(v.value)
		return ok && f == h
	case bool:
		b, err := strconv.ParseBool(strings.TrimSpace(v.value))
		return err == nil && b == h
	}
	return false
}

// target is where a write goes in Ashby's terms.
type target struct {
	objectType, objectID, candidateID, noun string
}

func targetOf(t connector.Target) (target, error) {
	switch t.Model {
	case resultlinks.ModelApplications:
		return target{objectType: "Application", objectID: t.RemoteID, candidateID: t.CandidateRemoteID, noun: "application"}, nil
	case resultlinks.ModelCandidates:
		return target{objectType: "Candidate", objectID: t.RemoteID, candidateID: t.RemoteID, noun: "candidate"}, nil
	}
	return target{}, resultlinks.Errorf(resultlinks.CodeInputInvalid, "ashby: result links go to applications or candidates, not %s", t.Model)
}

// fieldDefs lists the live custom field definitions of one object type,
// keyed by lower-cased title (the oldest wins when titles repeat).
func (a *Ashby) fieldDefs(ctx context.Context, objectType string) (map[string]customField, error) {
	out := map[string]customField{}
	params := map[string]any{"limit": PageLimit}
	for {
		var list []customField
		env, err := a.list(ctx, "customField.list", params, &list)
		if err != nil {
			return nil, err
		}
		for _, f := range list {
			if _, dup := out[fieldKey(f.Title)]; !dup && !f.IsArchived && f.ObjectType == objectType {
				out[fieldKey(f.Title)] = f
			}
		}
		if !env.MoreDataAvailable || env.NextCursor == "" {
			return out, nil
		}
		params["cursor"] = env.NextCursor
	}
}

// fieldLocks serialises the find-or-create of fields per integration within
// the process, so two deliveries do not both create the same field (Ashby
// allows duplicate titles).
var fieldLocks sync.Map

func lockFields(integrationID string) func() {
	v, _ := fieldLocks.LoadOrStore(integrationID, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// applicationInfo is what application.info tells a write.
type applicationInfo struct {
	Candidate struct {
		ID string `json:"id"`
	} `json:"candidate"`
	Job struct {
		Title string `json:"title"`
	} `json:"job"`
	CustomFields []fieldValue `json:"customFields"`
}

// WriteResultLink writes the link and its attributes into custom fields of
// the target (application or candidate), creating missing String fields
// where the key may, and writes a note on the candidate with the whole
// result when any value found no field.
func (a *Ashby) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	t, err := targetOf(w.Target)
	if err != nil {
		return nil, err
	}
	receipt := &resultlinks.Receipt{CustomFields: map[string]any{}}
	var placed, created []string
	var missing []string
	reasons := map[string]string{}
	miss := func(name, why string) {
		missing = append(missing, name)
		reasons[name] = why
	}

	unlock := lockFields(a.deps.IntegrationID)
	defs, err := a.fieldDefs(ctx, t.objectType)
	fieldsOK := true
	switch resultlinks.ErrorCode(err) {
	case "":
	case resultlinks.CodePermissionMissing:
		fieldsOK = false
		for _, v := range wanted(w.Input) {
			miss(v.name, "the API key may not read custom fields (it lacks hiringProcessMetadataRead)")
		}
	default:
		unlock()
		return nil, err
	}
	canCreate := true
	for _, v := range wanted(w.Input) {
		if !fieldsOK {
			if _, done := reasons[v.name]; !done {
				miss(v.name, "the API key may not set custom field values (it lacks candidatesWrite)")
			}
			continue
		}
		def, ok := defs[fieldKey(v.name)]
		var value any
		if ok {
			if value, ok = fit(def, v); !ok {
				miss(v.name, fmt.Sprintf("its %s field is a %s field that cannot hold this value", t.objectType, def.FieldType))
				continue
			}
		}
		if !ok && !canCreate {
			miss(v.name, fmt.Sprintf("there is no %s field of that title and the API key may not create one (it lacks hiringProcessMetadataWrite)", t.objectType))
			continue
		}
		if !ok {
			var nf customField
			err := a.result(ctx, "customField.create", map[string]any{
				"title": v.name, "fieldType": "String", "objectType": t.objectType,
				"description": "Assessment results written by resultlinks.",
			}, false, &nf)
			switch code := resultlinks.ErrorCode(err); {
			case err == nil && nf.ID != "":
				def, value = nf, v.value
				defs[fieldKey(v.name)] = nf
				created = append(created, strconv.Quote(v.name))
			case code == resultlinks.CodePermissionMissing:
				canCreate = false
				miss(v.name, fmt.Sprintf("there is no %s field of that title and the API key may not create one (it lacks hiringProcessMetadataWrite)", t.objectType))
				continue
			case code == resultlinks.CodeRemoteInputInvalid:
				miss(v.name, "Ashby refused to create the field ("+resultlinks.ErrorMessage(err)+")")
				continue
			case err == nil:
				unlock()
				return nil, resultlinks.Errorf(resultlinks.CodeRemoteUnknown, "Ashby answered customField.create without the new field's id")
			default:
				unlock()
				return nil, err
			}
		}
		err := a.result(ctx, "customField.setValue", map[string]any{
			"objectId": t.objectID, "objectType": t.objectType, "fieldId": def.ID, "fieldValue": value,
		}, true, nil)
		switch code := resultlinks.ErrorCode(err); {
		case err == nil:
			placed = append(placed, v.name)
			receipt.CustomFields[v.name] = value
		case code == resultlinks.CodePermissionMissing:
			fieldsOK = false
			miss(v.name, "the API key may not set custom field values (it lacks candidatesWrite)")
		case strings.HasSuffix(codeOf(err), "_not_found") && codeOf(err) != "custom_field_not_found":
			// The application or candidate itself is gone.
			unlock()
			return nil, err
		case code == resultlinks.CodeRemoteInputInvalid:
			miss(v.name, "Ashby refused the value ("+resultlinks.ErrorMessage(err)+")")
		default:
			unlock()
			return nil, err
		}
	}
	unlock()

	if len(placed) > 0 {
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
		receipt.RemoteIDs = append(receipt.RemoteIDs, strings.ToLower(t.objectType)+":"+t.objectID)
		msg := fmt.Sprintf("Ashby: wrote %s to custom fields of %s %s", quoteAll(placed), t.noun, t.objectID)
		if len(created) > 0 {
			msg += fmt.Sprintf(" (created the %s fields %s)", t.objectType, strings.Join(created, ", "))
		}
		receipt.Warnings = append(receipt.Warnings, msg+".")
	}
	if len(missing) > 0 {
		cand, jobTitle := t.candidateID, ""
		if t.objectType == "Application" {
			var info applicationInfo
			if err := a.result(ctx, "application.info", map[string]any{"applicationId": t.objectID}, true, &info); err != nil {
				return nil, err
			}
			cand, jobTitle = info.Candidate.ID, info.Job.Title
		}
		var note struct {
			ID string `json:"id"`
		}
		if err := a.result(ctx, "candidate.createNote", map[string]any{
			"candidateId":       cand,
			"note":              map[string]any{"type": "text/html", "value": noteHTML(w, jobTitle)},
			"sendNotifications": false,
		}, false, &note); err != nil {
			return nil, err
		}
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+note.ID)
		why := make([]string, len(missing))
		for i, name := range missing {
			why[i] = strconv.Quote(name) + ": " + reasons[name]
		}
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
			"Ashby: wrote the whole result as note %s on candidate %s, because some values found no custom field (%s).",
			note.ID, cand, strings.Join(why, "; ")))
	}
	if len(receipt.CustomFields) == 0 {
		receipt.CustomFields = nil
	}
	return receipt, nil
}

// noteHTML renders the result in the HTML Ashby keeps in notes (b, a, ul,
// li, p). The marker is visible text: Ashby drops HTML comments.
func noteHTML(w connector.Write, jobTitle string) string {
	in := w.Input
	var b strings.Builder
	fmt.Fprintf(&b, `<p><b>%s</b>: <a href="%s">%s</a></p>`, html.EscapeString(in.Label), html.EscapeString(in.URL), html.EscapeString(in.URL))
	if jobTitle != "" {
		fmt.Fprintf(&b, "<p>Application: %s</p>", html.EscapeString(jobTitle))
	}
	if d := in.Details; d != nil && len(d.Attributes) > 0 {
		b.WriteString("<ul>")
		for _, at := range d.Attributes {
			fmt.Fprintf(&b, "<li>%s: %s</li>", html.EscapeString(d.FieldName(at.Key)), html.EscapeString(at.Value))
		}
		b.WriteString("</ul>")
	}
	fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(connector.Marker(w.ResultLinkID)))
	return b.String()
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// FindResultLink finds an earlier write: a note on the candidate carrying
// the result link's marker (with whatever values the target's fields hold),
// or custom fields of the target already holding every value. It only reads.
func (a *Ashby) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	t, err := targetOf(w.Target)
	if err != nil {
		return nil, err
	}
	var values []fieldValue
	cand := t.candidateID
	if t.objectType == "Application" {
		var info applicationInfo
		if err := a.result(ctx, "application.info", map[string]any{"applicationId": t.objectID}, true, &info); err != nil {
			return nil, err
		}
		cand, values = info.Candidate.ID, info.CustomFields
	} else {
		var c candidate
		if err := a.result(ctx, "candidate.info", map[string]any{"id": t.objectID}, true, &c); err != nil {
			return nil, err
		}
		values = c.CustomFields
	}
	held := map[string]any{}
	have := map[string]any{}
	for _, v := range values {
		have[fieldKey(v.Title)] = v.Value
	}
	all := wanted(w.Input)
	for _, v := range all {
		if h, ok := have[fieldKey(v.name)]; ok && same(h, v) {
			held[v.name] = h
		}
	}

	noteID, err := a.findNote(ctx, cand, connector.Marker(w.ResultLinkID))
	if err != nil {
		return nil, err
	}
	receipt := &resultlinks.Receipt{}
	switch {
	case noteID != "":
		if len(held) > 0 {
			receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
			receipt.RemoteIDs = append(receipt.RemoteIDs, strings.ToLower(t.objectType)+":"+t.objectID)
			receipt.CustomFields = held
		}
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "note:"+noteID)
		receipt.Warnings = []string{fmt.Sprintf("Ashby already held this result as note %s on candidate %s; nothing was written again.", noteID, cand)}
	case len(held) == len(all):
		receipt.Channels = []resultlinks.Channel{resultlinks.ChannelCustomFields}
		receipt.RemoteIDs = []string{strings.ToLower(t.objectType) + ":" + t.objectID}
		receipt.CustomFields = held
		receipt.Warnings = []string{fmt.Sprintf("Ashby already held these values in custom fields of %s %s; nothing was written again.", t.noun, t.objectID)}
	default:
		return nil, nil
	}
	return receipt, nil
}

// findNote pages through the candidate's notes for one carrying marker.
func (a *Ashby) findNote(ctx context.Context, candidateID, marker string) (string, error) {
	params := map[string]any{"candidateId": candidateID, "limit": PageLimit}
	for {
		var notes []struct {
			ID      string `json:"id"`
			Content string `json:"content"`
		}
		env, err := a.list(ctx, "candidate.listNotes", params, &notes)
		if err != nil {
			return "", err
		}
		for _, n := range notes {
			if strings.Contains(n.Content, marker) {
				return n.ID, nil
			}
		}
		if !env.MoreDataAvailable || env.NextCursor == "" {
			return "", nil
		}
		params["cursor"] = env.NextCursor
	}
}
