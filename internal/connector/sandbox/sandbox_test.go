package sandbox_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/connectortest"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

func open(t *testing.T) connector.Connector {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	c, err := sandbox.New(json.RawMessage(`{}`), connector.Deps{IntegrationID: "sandbox:x", State: store, Now: time.Now})
	require.NoError(t, err)
	return c
}

// walk reads every page of a model.
func walk(t *testing.T, c connector.Connector, m resultlinks.Model, since *time.Time) (*resultlinks.Batch, int) {
	t.Helper()
	all := &resultlinks.Batch{}
	cursor, pages := "", 0
	for {
		p, err := c.ListPage(context.Background(), connector.PageRequest{Model: m, Cursor: cursor, UpdatedSince: since})
		require.NoError(t, err)
		pages++
		all.Jobs = append(all.Jobs, p.Batch.Jobs...)
		all.Stages = append(all.Stages, p.Batch.Stages...)
		all.Candidates = append(all.Candidates, p.Batch.Candidates...)
		all.Applications = append(all.Applications, p.Batch.Applications...)
		if p.Next == "" {
			return all, pages
		}
		cursor = p.Next
	}
}

func TestDataset(t *testing.T) {
	t.Parallel()
	c := open(t)
	cands, pages := walk(t, c, resultlinks.ModelCandidates, nil)
	require.GreaterOrEqual(t, len(cands.Candidates), 50)
	require.Equal(t, sandbox.NumCandidates, len(cands.Candidates))
	require.Greater(t, pages, 1, "the sandbox pages like a real ATS")
	apps, _ := walk(t, c, resultlinks.ModelApplications, nil)
	jobs, _ := walk(t, c, resultlinks.ModelJobs, nil)
	stages, _ := walk(t, c, resultlinks.ModelStages, nil)
	require.NotEmpty(t, jobs.Jobs)
	require.NotEmpty(t, stages.Stages)

	perCand := map[string]int{}
	jobIDs, stageIDs, emails := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, j := range jobs.Jobs {
		jobIDs[j.RemoteID] = true
	}
	for _, s := range stages.Stages {
		stageIDs[s.RemoteID] = true
	}
	for _, a := range apps.Applications {
		perCand[a.CandidateRemoteID]++
		require.True(t, jobIDs[a.JobRemoteID], "applications reference existing jobs")
		require.True(t, stageIDs[a.CurrentStageRemoteID], "and existing stages")
		require.True(t, a.Outcome.Valid())
	}
	deleted := 0
	for _, cd := range cands.Candidates {
		require.GreaterOrEqual(t, perCand[cd.RemoteID], 1)
		require.LessOrEqual(t, perCand[cd.RemoteID], 3)
		require.NotEmpty(t, cd.EmailAddresses)
		e := *cd.EmailAddresses[0].EmailAddress
		require.False(t, emails[e], "e-mails are unique")
		emails[e] = true
		if cd.RemoteDeletedAt != nil {
			deleted++
		}
	}
	require.Equal(t, sandbox.DeletedCandidates, deleted)

	// Deterministic: a second sandbox holds the same data.
	again, _ := walk(t, open(t), resultlinks.ModelCandidates, nil)
	require.Equal(t, cands.Candidates[7].RemoteID, again.Candidates[7].RemoteID)
	require.Equal(t, *cands.Candidates[7].FirstName, *again.Candidates[7].FirstName)
}

func TestWriteResultLink(t *testing.T) {
	t.Parallel()
	c := open(t)
	apps, _ := walk(t, c, resultlinks.ModelApplications, nil)
	target := apps.Applications[0]
	before := time.Now().Add(-time.Second)
	in := resultlinks.ResultLinkInput{Label: "Assessment Result", URL: "https://acme.example/r/1",
		Details:      &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "100%"}}},
		RemoteFields: resultlinks.RemoteFields{WorkableOnBehalfOf: new(string)}}
	w := connector.Write{ResultLinkID: "rl1", Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: target.RemoteID}, Input: in}
	r, err := c.WriteResultLink(context.Background(), w)
	require.NoError(t, err)
	require.Equal(t, []resultlinks.Channel{resultlinks.ChannelCustomFields}, r.Channels)
	require.Equal(t, map[string]any{"Assessment Result": "https://acme.example/r/1", "Acme: Score": "100%"}, r.CustomFields)
	require.Len(t, r.Warnings, 2)
	require.Contains(t, r.Warnings[0], `"Acme: Score"`)
	require.Contains(t, r.Warnings[1], "remote_fields.workable")

	// It shows in the next listing, and a delta listing finds exactly it.
	changed, _ := walk(t, c, resultlinks.ModelApplications, &before)
	require.Len(t, changed.Applications, 1)
	require.Equal(t, target.RemoteID, changed.Applications[0].RemoteID)
	require.Equal(t, "100%", changed.Applications[0].CustomFields["Acme: Score"])

	// The same result link again writes nothing.
	r, err = c.WriteResultLink(context.Background(), w)
	require.NoError(t, err)
	require.Contains(t, r.Warnings[0], "already holds")

	// Deleted and unknown records are refused as the ATS would.
	_, err = c.WriteResultLink(context.Background(), connector.Write{ResultLinkID: "rl2",
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: sandbox.CandidateRemoteID(sandbox.NumCandidates - 1)}, Input: in})
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
	_, err = c.WriteResultLink(context.Background(), connector.Write{ResultLinkID: "rl3",
		Target: connector.Target{Model: resultlinks.ModelApplications, RemoteID: "nope"}, Input: in})
	require.Equal(t, resultlinks.CodeRemoteInputInvalid, resultlinks.ErrorCode(err))
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{``, `{}`, `{"organization_name":"Acme"}`} {
		_, err := sandbox.New(json.RawMessage(raw), connector.Deps{})
		require.NoError(t, err, raw)
	}
	_, err := sandbox.New(json.RawMessage(`{"api_key":"x"}`), connector.Deps{})
	require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))
	require.Contains(t, resultlinks.ErrorMessage(err), `"api_key"`)
}

// sandboxFake lets the sandbox run the conformance suite: its "ATS" is the
// generated dataset plus the state store the connector writes to.
type sandboxFake struct {
	conn  connector.Connector
	store resultlinks.StateStore
	id    string
	t     *testing.T
}

func (s *sandboxFake) State() resultlinks.StateStore { return s.store }
func (s *sandboxFake) IntegrationID() string         { return s.id }

func (s *sandboxFake) Credentials() json.RawMessage     { return json.RawMessage(`{}`) }
func (s *sandboxFake) RevokeCredentials()               {}
func (s *sandboxFake) FailNext(int, int, time.Duration) {}
func (s *sandboxFake) Writes() int                      { return 0 }
func (s *sandboxFake) TouchCandidate(remoteID string) {
	// An edit in the sandbox is a result link written to the record.
	_, err := s.conn.WriteResultLink(context.Background(), connector.Write{ResultLinkID: resultlinks.NewID(),
		Target: connector.Target{Model: resultlinks.ModelCandidates, RemoteID: remoteID},
		Input:  resultlinks.ResultLinkInput{Label: "Edit", URL: "https://x.example/edit"}})
	require.NoError(s.t, err)
}
func (s *sandboxFake) Holds(m resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool {
	p, _ := walkAll(s.t, s.conn, m)
	for _, a := range p.Applications {
		if a.RemoteID == remoteID {
			return a.CustomFields[in.Label] == in.URL
		}
	}
	for _, c := range p.Candidates {
		if c.RemoteID == remoteID {
			return c.CustomFields[in.Label] == in.URL
		}
	}
	return false
}

func walkAll(t *testing.T, c connector.Connector, m resultlinks.Model) (*resultlinks.Batch, int) {
	return walk(t, c, m, nil)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{
		Info: sandbox.Info(), PageSize: 10, NoCredentials: true,
		Start: func(t *testing.T, _ int) connectortest.Fake {
			store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
			require.NoError(t, err)
			t.Cleanup(func() { store.Close() })
			id := "sandbox:" + resultlinks.NewID()
			c, err := sandbox.New(nil, connector.Deps{IntegrationID: id, State: store, Now: time.Now})
			require.NoError(t, err)
			return &sandboxFake{conn: c, store: store, id: id, t: t}
		},
	})
}
