package storetest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

// newConnectLink stores a link of the fixture's environment with the
// token and returns it.
func newConnectLink(t *testing.T, f *fixture, token string, expires time.Time) *resultlinks.ConnectLink {
	t.Helper()
	l := &resultlinks.ConnectLink{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, TokenHash: resultlinks.HashConnectToken(token),
		EndUser: resultlinks.EndUser{OrganizationName: "Acme", CreatorEmail: ptr("hr@acme.example"), OriginID: ptr("cust-1")},
		Tool:    "greenhouse", Language: "de", CreatedAt: t0, ExpiresAt: expires}
	require.NoError(t, f.store.CreateConnectLink(context.Background(), l))
	return l
}

// connectedIntegration returns a new integration of the environment.
func connectedIntegration(environmentID string) *resultlinks.Integration {
	return &resultlinks.Integration{ID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: environmentID, Tool: "sandbox", Name: "Sandbox",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupFinalSyncPending, Credentials: json.RawMessage(`{}`),
		EndUser: resultlinks.EndUser{OrganizationName: "Acme"}, CreatedAt: t0, UpdatedAt: t0}
}

func testConnectLinks(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	now := t0.Add(time.Hour)
	l := newConnectLink(t, f, "tok-1", t0.Add(7*24*time.Hour))

	got, err := f.store.FindConnectLink(ctx, resultlinks.HashConnectToken("tok-1"))
	require.NoError(t, err)
	require.Equal(t, l.ID, got.ID)
	require.Equal(t, f.env.ID, got.EnvironmentID)
	require.Equal(t, "greenhouse", got.Tool)
	require.Equal(t, "de", got.Language)
	require.Equal(t, "Acme", got.EndUser.OrganizationName)
	require.Equal(t, "hr@acme.example", *got.EndUser.CreatorEmail)
	require.Equal(t, "cust-1", *got.EndUser.OriginID)
	require.True(t, got.ExpiresAt.Equal(l.ExpiresAt))
	require.Nil(t, got.UsedAt)
	require.NoError(t, got.Usable(now))

	_, err = f.store.FindConnectLink(ctx, resultlinks.HashConnectToken("tok-unknown"))
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))

	// Completing creates the integration and its event in one go.
	addEndpoint(t, f)
	in := connectedIntegration(f.env.ID)
	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, IntegrationID: in.ID,
		Type: resultlinks.EventIntegrationCreated, Data: json.RawMessage(`{}`), CreatedAt: now}
	require.NoError(t, f.store.CompleteConnectLink(ctx, l.ID, resultlinks.HashConnectToken("itok-1"), now, in, &resultlinks.Emit{Event: ev}))
	_, err = f.store.FindIntegration(ctx, f.env.ID, in.ID)
	require.NoError(t, err)
	_, err = f.store.GetWebhookEvent(ctx, ev.ID)
	require.NoError(t, err)
	got, err = f.store.FindConnectLink(ctx, resultlinks.HashConnectToken("tok-1"))
	require.NoError(t, err)
	require.NotNil(t, got.UsedAt)
	require.Equal(t, in.ID, got.IntegrationID)
	require.Equal(t, resultlinks.CodeConnectLinkUsed, resultlinks.ErrorCode(got.Usable(now)))

	// The integration token finds the link, only in its environment.
	byToken, err := f.store.FindConnectLinkByIntegrationToken(ctx, f.env.ID, resultlinks.HashConnectToken("itok-1"))
	require.NoError(t, err)
	require.Equal(t, in.ID, byToken.IntegrationID)
	_, err = f.store.FindConnectLinkByIntegrationToken(ctx, "other-env", resultlinks.HashConnectToken("itok-1"))
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	_, err = f.store.FindConnectLinkByIntegrationToken(ctx, f.env.ID, resultlinks.HashConnectToken("tok-1"))
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))

	// A second use is refused and stores nothing.
	again := connectedIntegration(f.env.ID)
	err = f.store.CompleteConnectLink(ctx, l.ID, resultlinks.HashConnectToken("itok-2"), now, again)
	require.Equal(t, resultlinks.CodeConnectLinkUsed, resultlinks.ErrorCode(err))
	_, err = f.store.FindIntegration(ctx, f.env.ID, again.ID)
	require.Equal(t, resultlinks.CodeIntegrationNotFound, resultlinks.ErrorCode(err))
}

func testConnectLinkStates(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	now := t0.Add(time.Hour)
	cases := []struct {
		name    string
		expires time.Time
		failed  int
		envID   string
		want    resultlinks.Code
	}{
		{name: "expired", expires: now, want: resultlinks.CodeConnectLinkExpired},
		{name: "locked", expires: now.Add(time.Hour), failed: resultlinks.MaxConnectFailures, want: resultlinks.CodeConnectLinkLocked},
		{name: "one failure short of the lock", expires: now.Add(time.Hour), failed: resultlinks.MaxConnectFailures - 1},
		{name: "another environment's integration", expires: now.Add(time.Hour), envID: "other-env", want: resultlinks.CodeNotFound},
	}
	for _, c := range cases {
		l := newConnectLink(t, f, "tok-"+c.name, c.expires)
		for i := 1; i <= c.failed; i++ {
			n, err := f.store.CountConnectFailure(ctx, l.ID)
			require.NoError(t, err)
			require.Equal(t, i, n)
		}
		env := f.env.ID
		if c.envID != "" {
			env = c.envID
		}
		in := connectedIntegration(env)
		err := f.store.CompleteConnectLink(ctx, l.ID, resultlinks.HashConnectToken("i-"+c.name), now, in)
		require.Equal(t, c.want, resultlinks.ErrorCode(err), c.name)
		_, ferr := f.store.GetIntegration(ctx, in.ID)
		require.Equal(t, c.want == "", ferr == nil, "%s: the integration exists only when the link completed", c.name)
		got, err := f.store.FindConnectLink(ctx, l.TokenHash)
		require.NoError(t, err)
		require.Equal(t, c.failed, got.FailedChecks, c.name)
		switch c.want {
		case "":
			require.Equal(t, resultlinks.CodeConnectLinkUsed, resultlinks.ErrorCode(got.Usable(now)), c.name)
		case resultlinks.CodeNotFound:
			require.Nil(t, got.UsedAt, c.name)
		default:
			require.Equal(t, c.want, resultlinks.ErrorCode(got.Usable(now)), c.name)
		}
	}
	_, err := f.store.CountConnectFailure(ctx, "nope")
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	err = f.store.CompleteConnectLink(ctx, "nope", nil, now, connectedIntegration(f.env.ID))
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))

	// Retention deletes the links that expired before the cut-off.
	n, err := f.store.DeleteConnectLinksBefore(ctx, now.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1, n, "only the expired link")
	_, err = f.store.FindConnectLink(ctx, resultlinks.HashConnectToken("tok-expired"))
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	_, err = f.store.FindConnectLink(ctx, resultlinks.HashConnectToken("tok-locked"))
	require.NoError(t, err)
}

func testConnectLinkRace(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	now := t0.Add(time.Hour)
	l := newConnectLink(t, f, "tok-race", now.Add(time.Hour))
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	ins := make([]*resultlinks.Integration, n)
	for i := range n {
		ins[i] = connectedIntegration(f.env.ID)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.store.CompleteConnectLink(ctx, l.ID, resultlinks.HashConnectToken(ins[i].ID), now, ins[i])
		}()
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.Equal(t, resultlinks.CodeConnectLinkUsed, resultlinks.ErrorCode(err), "%v", err)
		_, ferr := f.store.GetIntegration(ctx, ins[i].ID)
		require.Error(t, ferr, "a loser stores no integration")
	}
	require.Equal(t, 1, won, "exactly one complete wins")
	list, err := f.store.ListIntegrations(ctx, f.env.ID)
	require.NoError(t, err)
	require.Len(t, list, 2, "the fixture's and the winner's")
}
