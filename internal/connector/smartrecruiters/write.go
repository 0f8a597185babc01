package smartrecruiters

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

// propertyDef is a candidate property definition.
type propertyDef struct {
	ID    string `json:"id"`
	Key   string `json:"key"`
	Label string `json:"label"`
	Type  string `json:"type"`
}

// want is one value of a result to place in a property.
type want struct {
	name, value string
	link        bool
}

// wanted lists the properties a result link fills: the link, then each attribute.
func wanted(in resultlinks.ResultLinkInput) []want {
	out := []want{{name: in.Label, value: in.URL, link: true}}
	if d := in.Details; d != nil {
		for _, a := range d.Attributes {
			out = append(out, want{name: d.FieldName(a.Key), value: a.Value})
		}
	}
	return out
}

func labelKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// number reads an attribute as a number ("87", "87%", "2.5").
func number(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// target is where a write goes: the candidate and, for an application, its job.
type target struct {
	cand, job string
}

func targetOf(t connector.Target) (target, error) {
	switch t.Model {
	case resultlinks.ModelApplications:
		cand, jobID, ok := splitApplicationID(t.RemoteID)
		if !ok || (t.CandidateRemoteID != "" && t.CandidateRemoteID != cand) {
			return target{}, resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid,
				"smartrecruiters: %q is not a SmartRecruiters application ID (<candidate id>:<job id>)", t.RemoteID)
		}
		return target{cand: cand, job: jobID}, nil
	case resultlinks.ModelCandidates:
		return target{cand: t.RemoteID}, nil
	}
	return target{}, resultlinks.Errorf(resultlinks.CodeInputInvalid, "smartrecruiters: result links go to applications or candidates, not %s", t.Model)
}

func (t target) String() string {
	if t.job == "" {
		return "candidate " + t.cand
	}
	return fmt.Sprintf("the application of candidate %s to job %s", t.cand, t.job)
}

// propertyDefs lists the candidate property definitions by lower-cased label.
func (s *SmartRecruiters) propertyDefs(ctx context.Context) (map[string]propertyDef, error) {
	var body struct {
		Content []propertyDef `json:"content"`
	}
	if _, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/configuration/candidate-properties"}, &body); err != nil {
		return nil, err
	}
	out := map[string]propertyDef{}
	for _, d := range body.Content {
		if _, dup := out[labelKey(d.Label)]; !dup {
			out[labelKey(d.Label)] = d
		}
	}
	return out, nil
}

// fit returns the value to send for v into a property of def's type and
// the value as reads show it, or false when the property cannot hold it.
func (s *SmartRecruiters) fit(ctx context.Context, def propertyDef, v want) (send, show any, ok bool, err error) {
	switch def.Type {
	case "TEXT":
		return v.value, v.value, true, nil
	case "NUMBER", "PERCENT":
		if f, ok := number(v.value); ok && !v.link {
			return f, f, true, nil
		}
	case "BOOLEAN":
		if b, err := strconv.ParseBool(strings.TrimSpace(v.value)); err == nil && !v.link {
			return b, b, true, nil
		}
	case "SINGLE_SELECT":
		var body struct {
			Content []struct {
				ID    string `json:"id"`
				Label string `json:"label"`
			} `json:"content"`
		}
		if _, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet,
			Path: "/configuration/candidate-properties/" + url.PathEscape(def.ID) + "/values"}, &body); err != nil {
			if resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing {
				return nil, nil, false, nil // its values cannot be read, so none can be chosen
			}
			return nil, nil, false, err
		}
		for _, o := range body.Content {
			if strings.EqualFold(o.Label, strings.TrimSpace(v.value)) || o.ID == v.value {
				return o.ID, o.Label, true, nil
			}
		}
	}
	return nil, nil, false, nil
}

// same reports whether a property value read back is the attribute's.
func same(p propertyValue, v want) bool {
	switch h := displayValue(p).(type) {
	case string:
		return h == v.value || (p.Type == "SINGLE_SELECT" && strings.EqualFold(h, strings.TrimSpace(v.value)))
	case float64:
		f, ok := number(v.value)
		return ok && f == h
	case bool:
		b, err := strconv.ParseBool(strings.TrimSpace(v.value))
		return err == nil && b == h
	}
	return false
}

// WriteResultLink writes the link and its attributes into the
// application's candidate properties whose labels match, and writes a
// message on the candidate with the whole result when any value found no
// property (or the target is a candidate, whose properties are not
// job-scoped).
func (s *SmartRecruiters) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	t, err := targetOf(w.Target)
	if err != nil {
		return nil, err
	}
	receipt := &resultlinks.Receipt{CustomFields: map[string]any{}}
	var missing, placed []string
	reasons := map[string]string{}
	missAll := func(why string) {
		for _, v := range wanted(w.Input) {
			if _, done := reasons[v.name]; !done {
				missing = append(missing, v.name)
				reasons[v.name] = why
			}
		}
	}
	var defs map[string]propertyDef
	if t.job == "" {
		missAll("candidate properties are written per job, and the target is a candidate, not an application")
	} else if defs, err = s.propertyDefs(ctx); err != nil {
		if resultlinks.ErrorCode(err) != resultlinks.CodePermissionMissing {
			return nil, err
		}
		missAll("the credentials may not read the candidate property configuration")
	}
	type item struct {
		ID    string `json:"id"`
		Value any    `json:"value"`
	}
	var items []item
	shown := map[string]any{}
	for _, v := range wanted(w.Input) {
		if _, done := reasons[v.name]; done {
			continue
		}
		def, ok := defs[labelKey(v.name)]
		if !ok {
			missing = append(missing, v.name)
			reasons[v.name] = "there is no candidate property of that label (an admin creates one in SmartRecruiters' settings; the API cannot)"
			continue
		}
		send, show, ok, err := s.fit(ctx, def, v)
		if err != nil {
			return nil, err
		}
		if !ok {
			missing = append(missing, v.name)
			reasons[v.name] = fmt.Sprintf("its property is of type %s, which cannot hold this value", def.Type)
			continue
		}
		items = append(items, item{ID: def.ID, Value: send})
		placed = append(placed, v.name)
		shown[v.name] = show
	}
	if len(items) > 0 {
		_, err := s.client.Do(ctx, &outbound.Request{Method: http.MethodPut,
			Path: "/candidates/" + url.PathEscape(t.cand) + "/jobs/" + url.PathEscape(t.job) + "/properties", JSON: items})
		switch code := resultlinks.ErrorCode(err); {
		case err == nil:
			receipt.Channels = append(receipt.Channels, resultlinks.ChannelCustomFields)
			receipt.RemoteIDs = append(receipt.RemoteIDs, "application:"+applicationID(t.cand, t.job))
			receipt.CustomFields = shown
			receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("SmartRecruiters: wrote %s to the candidate properties of %s.", quoteAll(placed), t))
		case outbound.Status(err) == http.StatusNotFound:
			return nil, err // the candidate or application is gone
		case code == resultlinks.CodePermissionMissing || code == resultlinks.CodeRemoteInputInvalid:
			why := "SmartRecruiters refused the property values (" + resultlinks.ErrorMessage(err) + ")"
			if code == resultlinks.CodePermissionMissing {
				why = "the credentials may not write candidate properties (" + resultlinks.ErrorMessage(err) + ")"
			}
			for _, name := range placed {
				missing = append(missing, name)
				reasons[name] = why
			}
			placed = nil
		default:
			return nil, err
		}
	}
	if len(missing) > 0 {
		content, cut := messageContent(t.cand, w)
		share := map[string]any{"users": []string{}, "hiringTeamOf": []string{}, "everyone": false, "openNote": true}
		if t.job != "" {
			share["hiringTeamOf"] = []string{t.job}
		}
		var msg struct {
			ID string `json:"id"`
		}
		if _, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodPost, Path: "/messages/shares", JSON: map[string]any{
			"content": content, "shareWith": share, "correlationId": w.ResultLinkID,
		}}, &msg); err != nil {
			return nil, err
		}
		receipt.Channels = append(receipt.Channels, resultlinks.ChannelNote)
		receipt.RemoteIDs = append(receipt.RemoteIDs, "message:"+msg.ID)
		why := make([]string, len(missing))
		for i, name := range missing {
			why[i] = strconv.Quote(name) + ": " + reasons[name]
		}
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
			"SmartRecruiters: wrote the whole result as message %s on candidate %s, because some values found no candidate property (%s).",
			msg.ID, t.cand, strings.Join(why, "; ")))
		if cut > 0 {
			receipt.Warnings = append(receipt.Warnings, fmt.Sprintf(
				"SmartRecruiters: messages hold at most %d characters; %d attribute(s) were left out of the message.", maxMessage, cut))
		}
	}
	if len(receipt.CustomFields) == 0 {
		receipt.CustomFields = nil
	}
	return receipt, nil
}

// maxMessage is the documented limit of a message's content.
const maxMessage = 10000

// messageContent renders the message: the candidate mention that attaches
// it to the profile, the result as text and the marker. Attributes that do
// not fit the limit are left out (and counted); the marker always stays.
func messageContent(cand string, w connector.Write) (string, int) {
	head := fmt.Sprintf("#[CANDIDATE:%s] %s: %s", cand, w.Input.Label, w.Input.URL)
	tail := "\n\n" + connector.Marker(w.ResultLinkID)
	var lines []string
	if d := w.Input.Details; d != nil {
		for _, a := range d.Attributes {
			lines = append(lines, fmt.Sprintf("\n%s: %s", d.FieldName(a.Key), a.Value))
		}
	}
	full := head + strings.Join(lines, "") + tail
	if utf8.RuneCountInString(full) <= maxMessage {
		return full, 0
	}
	const more = "\n(more attributes were left out)"
	budget := maxMessage - utf8.RuneCountInString(tail) - utf8.RuneCountInString(more)
	if r := []rune(head); len(r) > budget {
		head = string(r[:budget]) // a label too long for a message
	}
	body, size, cut := head, utf8.RuneCountInString(head), 0
	for i, l := range lines {
		n := utf8.RuneCountInString(l)
		if size+n > budget {
			cut = len(lines) - i
			break
		}
		body += l
		size += n
	}
	if cut > 0 {
		body += more
	}
	return body + tail, cut
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// FindResultLink finds an earlier write: a message on the candidate
// carrying the result link's marker (with whatever values the application's
// properties hold), or properties already holding every value. Messages
// can be read back only by ADMINISTRATOR users; for others only properties
// are found. It only reads.
func (s *SmartRecruiters) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	t, err := targetOf(w.Target)
	if err != nil {
		return nil, err
	}
	all := wanted(w.Input)
	held := map[string]any{}
	if t.job != "" {
		var body struct {
			Content []propertyValue `json:"content"`
		}
		_, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet,
			Path: "/candidates/" + url.PathEscape(t.cand) + "/jobs/" + url.PathEscape(t.job) + "/properties"}, &body)
		switch {
		case err == nil:
			have := map[string]propertyValue{}
			for _, p := range body.Content {
				have[labelKey(p.Label)] = p
			}
			for _, v := range all {
				if p, ok := have[labelKey(v.name)]; ok && same(p, v) {
					held[v.name] = displayValue(p)
				}
			}
		case resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing:
			s.log.Warn("smartrecruiters: the credentials may not read candidate properties; looking for the message only", "integration", s.deps.IntegrationID, "error", err)
		default:
			return nil, err
		}
	}
	msgID, err := s.findMessage(ctx, t.cand, connector.Marker(w.ResultLinkID))
	if err != nil {
		return nil, err
	}
	appRef := "application:" + applicationID(t.cand, t.job)
	switch {
	case msgID != "":
		r := &resultlinks.Receipt{}
		if len(held) > 0 {
			r.Channels, r.RemoteIDs, r.CustomFields = []resultlinks.Channel{resultlinks.ChannelCustomFields}, []string{appRef}, held
		}
		r.Channels = append(r.Channels, resultlinks.ChannelNote)
		r.RemoteIDs = append(r.RemoteIDs, "message:"+msgID)
		r.Warnings = []string{fmt.Sprintf("SmartRecruiters already held this result as message %s on candidate %s; nothing was written again.", msgID, t.cand)}
		return r, nil
	case t.job != "" && len(held) == len(all):
		return &resultlinks.Receipt{
			Channels: []resultlinks.Channel{resultlinks.ChannelCustomFields}, RemoteIDs: []string{appRef}, CustomFields: held,
			Warnings: []string{fmt.Sprintf("SmartRecruiters already held these values in the candidate properties of %s; nothing was written again.", t)},
		}, nil
	}
	return nil, nil
}

// findMessage pages through the messages about the candidate for one
// carrying marker. A credential that may not list messages finds none.
func (s *SmartRecruiters) findMessage(ctx context.Context, cand, marker string) (string, error) {
	q := url.Values{"candidateId": {cand}, "limit": {strconv.Itoa(PageLimit)}}
	for {
		var body struct {
			NextPageID string `json:"nextPageId"`
			Content    []struct {
				ID      string `json:"id"`
				Content string `json:"content"`
			} `json:"content"`
		}
		_, err := s.client.JSON(ctx, &outbound.Request{Method: http.MethodGet, Path: "/messages", Query: q}, &body)
		if resultlinks.ErrorCode(err) == resultlinks.CodePermissionMissing {
			s.log.Warn("smartrecruiters: only ADMINISTRATOR users may list messages; an earlier message cannot be found", "integration", s.deps.IntegrationID, "error", err)
			return "", nil
		}
		if err != nil {
			return "", err
		}
		for _, m := range body.Content {
			if strings.Contains(m.Content, marker) {
				return m.ID, nil
			}
		}
		if body.NextPageID == "" || len(body.Content) == 0 {
			return "", nil
		}
		q.Set("pageId", body.NextPageID)
	}
}
