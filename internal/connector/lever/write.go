package lever

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
)

type note struct {
	ID     string `json:"id"`
	NoteID string `json:"noteId"`
	Fields []struct {
		Value string `json:"value"`
	} `json:"fields"`
}

func (n note) id() string {
	if n.NoteID != "" {
		return n.NoteID
	}
	return n.ID
}

func (n note) holds(marker string) bool {
	return slices.ContainsFunc(n.Fields, func(f struct {
		Value string `json:"value"`
	}) bool {
		return strings.Contains(f.Value, marker)
	})
}

// opportunityOf returns the opportunity a write goes to: candidates and
// applications are both opportunities (see the package doc).
func opportunityOf(t connector.Target) (string, error) {
	id := t.RemoteID
	if id == "" {
		id = t.CandidateRemoteID
	}
	if id == "" {
		return "", resultlinks.Errorf(resultlinks.CodeRemoteInputInvalid, "lever: the target has no opportunity ID")
	}
	return id, nil
}

// writeQuery names the acting user of a write.
func (l *Lever) writeQuery() url.Values {
	q := url.Values{}
	if l.creds.PerformAs != "" {
		q.Set("perform_as", l.creds.PerformAs)
	}
	return q
}

func (l *Lever) actor() string {
	if l.creds.PerformAs != "" {
		return "as user " + l.creds.PerformAs + " (the credentials' perform_as)"
	}
	return "as the API key's owner"
}

// WriteResultLink writes the result as a note on the opportunity and adds
// the URL to the opportunity's links.
func (l *Lever) WriteResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	opp, err := opportunityOf(w.Target)
	if err != nil {
		return nil, err
	}
	path := "/v1/opportunities/" + url.PathEscape(opp)
	var created struct {
		Data note `json:"data"`
	}
	_, err = l.client.JSON(ctx, &outbound.Request{Method: http.MethodPost, Path: path + "/notes", Query: l.writeQuery(),
		JSON: map[string]any{
			"value":  w.Input.Text() + "\n\n" + connector.Marker(w.ResultLinkID),
			"secret": false, "notifyFollowers": false,
		}}, &created)
	if err != nil {
		return nil, l.writeError(err, "write a note on opportunity "+opp, "notes:write:admin")
	}
	id := created.Data.id()
	receipt := &resultlinks.Receipt{
		Channels:  []resultlinks.Channel{resultlinks.ChannelNote},
		RemoteIDs: []string{"note:" + id},
	}
	msg := fmt.Sprintf("Lever: wrote the result as note %s on opportunity %s, %s", id, opp, l.actor())
	if d := w.Input.Details; d != nil && len(d.Attributes) > 0 {
		msg += fmt.Sprintf("; its %d attribute(s) are lines of the note, as Lever's API has no custom fields", len(d.Attributes))
	}
	receipt.Warnings = append(receipt.Warnings, msg+".")

	// The link is a breadcrumb beside the note: adding a link already
	// present changes nothing, so a failure here leaves the note standing.
	_, err = l.client.Do(ctx, &outbound.Request{Method: http.MethodPost, Path: path + "/addLinks", Query: l.writeQuery(),
		JSON: map[string]any{"links": []string{w.Input.URL}}, Idempotent: true})
	if err != nil {
		why := resultlinks.ErrorMessage(err)
		if outbound.Status(err) == http.StatusForbidden {
			why = "the API key lacks the opportunities write permission (opportunities:write:admin)"
		}
		receipt.Warnings = append(receipt.Warnings, fmt.Sprintf("Lever: the URL was not added to the opportunity's links (%s); the note holds it.", why))
	} else {
		receipt.RemoteIDs = append(receipt.RemoteIDs, "links:"+opp)
		receipt.Warnings = append(receipt.Warnings, "Lever: added the URL to the opportunity's links (Lever keeps links on the person, so all of their opportunities show it).")
	}
	receipt.Warnings = append(receipt.Warnings, otherTools(w.Input.RemoteFields)...)
	return receipt, nil
}

// writeError explains the refusals a write can meet.
func (l *Lever) writeError(err error, what, permission string) error {
	var e *resultlinks.Error
	if !errors.As(err, &e) {
		return err
	}
	switch s := outbound.Status(err); {
	case s == http.StatusForbidden:
		return &resultlinks.Error{Code: resultlinks.CodePermissionMissing,
			Message: fmt.Sprintf("Lever refused to %s: the API key needs the %s permission (%s)", what, permission, e.Message), Err: err}
	case s == http.StatusBadRequest && l.creds.PerformAs != "" && strings.Contains(e.Message, "perform_as"):
		return &resultlinks.Error{Code: resultlinks.CodeRemoteInputInvalid,
			Message: fmt.Sprintf("Lever refused the credentials' perform_as user %s, who must be an active Lever user (%s)", l.creds.PerformAs, e.Message), Err: err}
	case s == http.StatusNotFound:
		return &resultlinks.Error{Code: resultlinks.CodeRemoteInputInvalid,
			Message: fmt.Sprintf("Lever could not %s: the opportunity does not exist or was deleted (%s)", what, e.Message), Err: err}
	}
	return err
}

// FindResultLink looks for the note carrying the result link's marker
// among the opportunity's notes, and reports whether the URL is among its
// links.
func (l *Lever) FindResultLink(ctx context.Context, w connector.Write) (*resultlinks.Receipt, error) {
	opp, err := opportunityOf(w.Target)
	if err != nil {
		return nil, err
	}
	path := "/v1/opportunities/" + url.PathEscape(opp)
	marker := connector.Marker(w.ResultLinkID)
	q := url.Values{"limit": {strconv.Itoa(PerPage)}}
	var found *note
	for found == nil {
		var list page[note]
		if err := l.list(ctx, path+"/notes", q, &list); err != nil {
			return nil, err
		}
		for i := range list.Data {
			if list.Data[i].holds(marker) {
				found = &list.Data[i]
				break
			}
		}
		if found != nil || !list.HasNext || list.Next == "" {
			break
		}
		q.Set("offset", list.Next)
	}
	if found == nil {
		return nil, nil
	}
	receipt := &resultlinks.Receipt{
		Channels:  []resultlinks.Channel{resultlinks.ChannelNote},
		RemoteIDs: []string{"note:" + found.id()},
		Warnings:  []string{fmt.Sprintf("Lever already held this result as note %s on opportunity %s; nothing was written again.", found.id(), opp)},
	}
	var o struct {
		Data opportunity `json:"data"`
	}
	if err := l.list(ctx, path, nil, &o); err != nil {
		return nil, err
	}
	if slices.Contains(o.Data.Links, w.Input.URL) {
		receipt.RemoteIDs = append(receipt.RemoteIDs, "links:"+opp)
		receipt.Warnings = append(receipt.Warnings, "Lever: the URL is among the opportunity's links.")
	} else {
		receipt.Warnings = append(receipt.Warnings, "Lever: the URL is not among the opportunity's links; the note holds it.")
	}
	return receipt, nil
}
