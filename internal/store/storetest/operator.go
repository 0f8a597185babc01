package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

func testOperators(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	other := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "other", CreatedAt: t0}
	require.NoError(t, f.store.CreateEnvironment(ctx, other))

	o := &resultlinks.Operator{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Email: "ops@example.com", PasswordHash: "h1", CreatedAt: t0}
	require.NoError(t, f.store.CreateOperator(ctx, o))
	dup := &resultlinks.Operator{ID: resultlinks.NewID(), EnvironmentID: other.ID, Email: "ops@example.com", PasswordHash: "h2", CreatedAt: t0}
	require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(f.store.CreateOperator(ctx, dup)), "an address is taken across environments")

	got, err := f.store.FindOperatorByEmail(ctx, "ops@example.com")
	require.NoError(t, err)
	require.Equal(t, o.ID, got.ID)
	require.Equal(t, f.env.ID, got.EnvironmentID)
	require.Equal(t, "h1", got.PasswordHash)
	require.True(t, got.CreatedAt.Equal(t0))
	_, err = f.store.FindOperatorByEmail(ctx, "nobody@example.com")
	require.True(t, resultlinks.IsNotFound(err))

	second := &resultlinks.Operator{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Email: "b@example.com", PasswordHash: "h", CreatedAt: t0.Add(time.Second)}
	require.NoError(t, f.store.CreateOperator(ctx, second))
	list, err := f.store.ListOperators(ctx, f.env.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, o.ID, list[0].ID, "oldest first")
	list, err = f.store.ListOperators(ctx, other.ID)
	require.NoError(t, err)
	require.Empty(t, list)

	require.True(t, resultlinks.IsNotFound(f.store.DeleteOperator(ctx, other.ID, o.ID)), "another environment's operator")
	require.NoError(t, f.store.DeleteOperator(ctx, f.env.ID, second.ID))
	require.True(t, resultlinks.IsNotFound(f.store.DeleteOperator(ctx, f.env.ID, second.ID)))
	list, err = f.store.ListOperators(ctx, f.env.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
}

func newSession(f *fixture, token string, created time.Time) *resultlinks.Session {
	return &resultlinks.Session{ID: resultlinks.NewID(), TokenHash: resultlinks.HashSessionToken(token), EnvironmentID: f.env.ID,
		Actor: "ops@example.com", CSRF: "csrf-" + token, CreatedAt: created, IdleUntil: created.Add(time.Hour), ExpiresAt: created.Add(12 * time.Hour)}
}

func testSessions(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	find := func(token string, now time.Time) (*resultlinks.Session, error) {
		return f.store.FindSession(ctx, resultlinks.HashSessionToken(token), now)
	}

	// An operator's session: found while live, touched, ended.
	o := &resultlinks.Operator{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, Email: "ops@example.com", PasswordHash: "h", CreatedAt: t0}
	require.NoError(t, f.store.CreateOperator(ctx, o))
	s := newSession(f, "a", t0)
	s.OperatorID = o.ID
	require.NoError(t, f.store.CreateSession(ctx, s))
	got, err := find("a", t0.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, s.ID, got.ID)
	require.Equal(t, f.env.ID, got.EnvironmentID)
	require.Equal(t, "csrf-a", got.CSRF)
	require.Equal(t, o.ID, got.OperatorID)
	require.Equal(t, "ops@example.com", got.Actor)
	require.True(t, got.IdleUntil.Equal(t0.Add(time.Hour)))
	require.True(t, got.ExpiresAt.Equal(t0.Add(12*time.Hour)))
	_, err = find("b", t0)
	require.True(t, resultlinks.IsNotFound(err), "unknown token")

	// Idle expiry, and a touch that keeps it alive.
	_, err = find("a", t0.Add(time.Hour))
	require.True(t, resultlinks.IsNotFound(err), "idle")
	require.NoError(t, f.store.TouchSession(ctx, s.ID, t0.Add(2*time.Hour)))
	_, err = find("a", t0.Add(90*time.Minute))
	require.NoError(t, err)
	// Absolute expiry, whatever the touches.
	require.NoError(t, f.store.TouchSession(ctx, s.ID, t0.Add(24*time.Hour)))
	_, err = find("a", t0.Add(12*time.Hour))
	require.True(t, resultlinks.IsNotFound(err), "expired")

	// Deleting the operator ends its sessions.
	s2 := newSession(f, "c", t0)
	s2.OperatorID = o.ID
	require.NoError(t, f.store.CreateSession(ctx, s2))
	require.NoError(t, f.store.DeleteOperator(ctx, f.env.ID, o.ID))
	_, err = find("c", t0)
	require.True(t, resultlinks.IsNotFound(err), "operator deleted")

	// An API key's session ends when the key is revoked.
	_, key := resultlinks.NewAPIKey("k", t0)
	key.EnvironmentID = f.env.ID
	require.NoError(t, f.store.CreateAPIKey(ctx, key))
	ks := newSession(f, "k", t0)
	ks.APIKeyID, ks.Actor = key.ID, key.Prefix
	require.NoError(t, f.store.CreateSession(ctx, ks))
	_, err = find("k", t0)
	require.NoError(t, err)
	require.NoError(t, f.store.RevokeAPIKey(ctx, f.env.ID, key.ID, t0))
	_, err = find("k", t0)
	require.True(t, resultlinks.IsNotFound(err), "key revoked")

	// Sign-out, and the clean-up of ended sessions.
	d := newSession(f, "d", t0)
	require.NoError(t, f.store.CreateSession(ctx, d))
	_, err = find("d", t0)
	require.NoError(t, err)
	require.NoError(t, f.store.DeleteSession(ctx, d.ID))
	_, err = find("d", t0)
	require.True(t, resultlinks.IsNotFound(err), "signed out")
	live := newSession(f, "e", t0.Add(10*time.Hour))
	require.NoError(t, f.store.CreateSession(ctx, live))
	n, err := f.store.DeleteSessionsBefore(ctx, t0.Add(10*time.Hour+time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1, n, "the idle session of the revoked key (the operator's went with it)")
	_, err = find("e", t0.Add(10*time.Hour+time.Minute))
	require.NoError(t, err, "a live session stays")
}

func testResultLinkInteractions(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	for i, rl := range []string{"rl1", "rl1", "rl2"} {
		require.NoError(t, f.store.CreateInteraction(ctx, &resultlinks.Interaction{ID: resultlinks.NewID(), EnvironmentID: f.env.ID,
			IntegrationID: f.in.ID, Method: "POST", Route: "/x", Path: "/x", Status: 200 + i, ResultLinkID: rl,
			StartedAt: t0.Add(time.Duration(i) * time.Minute), Duration: 5 * time.Millisecond}))
	}
	got, err := f.store.ListResultLinkInteractions(ctx, f.env.ID, "rl1", 10)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, 201, got[0].Status, "newest first")
	require.Equal(t, 5*time.Millisecond, got[0].Duration)
	got, err = f.store.ListResultLinkInteractions(ctx, "other-env", "rl1", 10)
	require.NoError(t, err)
	require.Empty(t, got)
}
