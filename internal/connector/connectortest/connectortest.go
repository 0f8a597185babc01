// Package connectortest is the conformance suite every connector passes
// against the fake of its ATS: credentials, rate limits, outages, paging,
// delta syncs, and result links that land once on the right record.
package connectortest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/outbound"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// Fake is a running fake ATS as the suite drives it.
type Fake interface {
	// Credentials are credentials JSON the connector accepts for this fake.
	Credentials() json.RawMessage
	// RevokeCredentials makes the fake refuse the credentials from now on.
	RevokeCredentials()
	// FailNext makes the next n requests fail with the HTTP status (429
	// with Retry-After retryAfter, or a 5xx).
	FailNext(n, status int, retryAfter time.Duration)
	// TouchCandidate changes one candidate, as an edit in the ATS would.
	TouchCandidate(remoteID string)
	// Holds reports whether the ATS now shows the result link on the record
	// with that remote ID (in a field, note or comment).
	Holds(model resultlinks.Model, remoteID string, in resultlinks.ResultLinkInput) bool
	// Writes counts the requests that changed the ATS's data so far.
	Writes() int
}

// Stateful is implemented by a fake whose ATS lives in the connector's own
// state store (the sandbox): the suite then opens connectors on that store
// and integration.
type Stateful interface {
	State() resultlinks.StateStore
	IntegrationID() string
}

// Harness starts fakes for one connector.
type Harness struct {
	// Info is the connector under test.
	Info connector.Info
	// Start starts a fresh fake holding that many candidates.
	Start func(t *testing.T, candidates int) Fake
	// PageSize is the page size the suite asks the connector to use, small
	// enough that the fake's data spans several pages.
	PageSize int
	// NoCredentials marks an ATS without credentials (the sandbox): the
	// credential and outage checks do not apply to it.
	NoCredentials bool
}

// open builds the connector for a fake, with its own state store.
func open(t *testing.T, h Harness, f Fake, deps connector.Deps) connector.Connector {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	deps.IntegrationID = h.Info.Tool + ":" + resultlinks.NewID()
	deps.State = store
	if sf, ok := f.(Stateful); ok {
		deps.State, deps.IntegrationID = sf.State(), sf.IntegrationID()
	}
	deps.PageSize = h.PageSize
	if deps.Now == nil {
		deps.Now = time.Now
	}
	c, err := h.Info.New(f.Credentials(), deps)
	require.NoError(t, err)
	return c
}

// walk lists every page of a model and counts the pages.
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
		require.Less(t, pages, 10_000, "paging ends")
		cursor = p.Next
	}
}

var input = resultlinks.ResultLinkInput{
	Label: "Assessment Result", URL: "https://acme.example/results/5BtP1WC1",
	Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{
		{Key: "Score", Value: "100%"}, {Key: "Time", Value: "2:30h"},
	}},
}

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	ctx := context.Background()
	const candidates = 30

	if !h.NoCredentials {
		t.Run("bad credentials", func(t *testing.T) {
			t.Parallel()
			f := h.Start(t, 3)
			c := open(t, h, f, connector.Deps{})
			require.NoError(t, c.CheckCredentials(ctx))
			f.RevokeCredentials()
			c = open(t, h, f, connector.Deps{})
			err := c.CheckCredentials(ctx)
			require.Equal(t, resultlinks.CodeIntegrationAuthInvalid, resultlinks.ErrorCode(err), "%v", err)
		})
		t.Run("429 waits and succeeds", func(t *testing.T) {
			t.Parallel()
			f := h.Start(t, 3)
			c := open(t, h, f, connector.Deps{})
			require.NoError(t, c.CheckCredentials(ctx)) // authenticated before the fault
			f.FailNext(1, 429, time.Second)
			_, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
			require.NoError(t, err)
		})
		t.Run("429 past the wait gives REMOTE.RATE_LIMIT_EXCEEDED", func(t *testing.T) {
			t.Parallel()
			f := h.Start(t, 3)
			c := open(t, h, f, connector.Deps{})
			require.NoError(t, c.CheckCredentials(ctx))
			f.FailNext(10, 429, 10*time.Minute)
			_, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
			require.Equal(t, resultlinks.CodeRemoteRateLimited, resultlinks.ErrorCode(err), "%v", err)
			var e *resultlinks.Error
			require.ErrorAs(t, err, &e)
			require.GreaterOrEqual(t, e.RetryAfter, time.Minute, "the ATS's wait is passed on")
		})
		t.Run("5xx gives REMOTE.SERVICE_UNAVAILABLE", func(t *testing.T) {
			t.Parallel()
			f := h.Start(t, 3)
			c := open(t, h, f, connector.Deps{})
			require.NoError(t, c.CheckCredentials(ctx))
			f.FailNext(outbound.DefaultMaxAttempts, 503, 0)
			_, err := c.ListPage(ctx, connector.PageRequest{Model: resultlinks.ModelCandidates})
			require.Equal(t, resultlinks.CodeRemoteUnavailable, resultlinks.ErrorCode(err), "%v", err)
		})
	}

	t.Run("paging and mapping", func(t *testing.T) {
		t.Parallel()
		f := h.Start(t, candidates)
		c := open(t, h, f, connector.Deps{})
		cands, pages := walk(t, c, resultlinks.ModelCandidates, nil)
		require.GreaterOrEqual(t, pages, 3, "the data spans at least three pages")
		require.GreaterOrEqual(t, len(cands.Candidates), candidates)
		seen := map[string]bool{}
		for _, cd := range cands.Candidates {
			require.NotEmpty(t, cd.RemoteID)
			require.False(t, seen[cd.RemoteID], "no candidate twice across pages")
			seen[cd.RemoteID] = true
		}
		apps, _ := walk(t, c, resultlinks.ModelApplications, nil)
		require.GreaterOrEqual(t, len(apps.Applications), candidates)
		for _, a := range apps.Applications {
			require.True(t, seen[a.CandidateRemoteID], "every application belongs to a listed candidate")
			require.NotNil(t, a.Outcome)
			require.True(t, a.Outcome.Valid())
		}
		jobs, _ := walk(t, c, resultlinks.ModelJobs, nil)
		// Some ATSs list jobs only inside applications.
		require.NotEmpty(t, append(jobs.Jobs, apps.Jobs...), "jobs are mirrored")
		_, _ = walk(t, c, resultlinks.ModelStages, nil)
	})

	t.Run("delta sync picks up exactly the changed record", func(t *testing.T) {
		t.Parallel()
		f := h.Start(t, candidates)
		c := open(t, h, f, connector.Deps{})
		cands, _ := walk(t, c, resultlinks.ModelCandidates, nil)
		since := time.Now().Add(-time.Second)
		target := cands.Candidates[len(cands.Candidates)/2].RemoteID
		f.TouchCandidate(target)
		changed, _ := walk(t, c, resultlinks.ModelCandidates, &since)
		require.Len(t, changed.Candidates, 1, "only the changed candidate")
		require.Equal(t, target, changed.Candidates[0].RemoteID)
	})

	t.Run("result link lands once on the right record", func(t *testing.T) {
		t.Parallel()
		f := h.Start(t, 5)
		c := open(t, h, f, connector.Deps{})
		cands, _ := walk(t, c, resultlinks.ModelCandidates, nil)
		live := map[string]bool{}
		for _, cd := range cands.Candidates {
			live[cd.RemoteID] = cd.RemoteDeletedAt == nil
		}
		apps, _ := walk(t, c, resultlinks.ModelApplications, nil)
		var liveApps []*resultlinks.Application
		for _, a := range apps.Applications {
			if live[a.CandidateRemoteID] && a.RemoteDeletedAt == nil {
				liveApps = append(liveApps, a)
			}
		}
		require.GreaterOrEqual(t, len(liveApps), 2)
		app := liveApps[len(liveApps)-1]
		other := liveApps[0]
		w := connector.Write{ResultLinkID: resultlinks.NewID(), Input: input, Target: connector.Target{
			Model: resultlinks.ModelApplications, RemoteID: app.RemoteID, CandidateRemoteID: app.CandidateRemoteID,
		}}
		found, err := c.FindResultLink(ctx, w)
		require.NoError(t, err)
		require.Nil(t, found, "nothing before the write")
		receipt, err := c.WriteResultLink(ctx, w)
		require.NoError(t, err)
		require.NotEmpty(t, receipt.Channels)
		require.NotEmpty(t, receipt.Warnings, "the answer says where the result landed")
		for _, ch := range receipt.Channels {
			require.Contains(t, h.Info.Channels, ch, "only declared channels are used")
		}
		require.True(t, f.Holds(resultlinks.ModelApplications, app.RemoteID, input), "the ATS shows the result on the application")
		if other.CandidateRemoteID != app.CandidateRemoteID {
			require.False(t, f.Holds(resultlinks.ModelApplications, other.RemoteID, input), "and not on another")
		}

		writes := f.Writes()
		again, err := c.FindResultLink(ctx, w)
		require.NoError(t, err)
		require.NotNil(t, again, "the earlier write is found by its marker")
		require.Equal(t, writes, f.Writes(), "finding it writes nothing")
	})
}
