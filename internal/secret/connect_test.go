package secret_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/secret"
)

func TestConnectedCredentialsAreSealed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw, store := sealedStore(t)

	now := time.Now().UTC()
	require.NoError(t, raw.CreateEnvironment(ctx, &resultlinks.Environment{ID: "env", Name: "env", CreatedAt: now}))
	link := &resultlinks.ConnectLink{ID: resultlinks.NewID(), EnvironmentID: "env", TokenHash: resultlinks.HashConnectToken("t"),
		EndUser: resultlinks.EndUser{OrganizationName: "Acme"}, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	require.NoError(t, store.CreateConnectLink(ctx, link))
	in := &resultlinks.Integration{ID: resultlinks.NewIntegrationID("lever"), EnvironmentID: "env", Tool: "lever", Name: "Lever",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupFinalSyncPending,
		Credentials: json.RawMessage(`{"api_key":"plain-key"}`), CreatedAt: now, UpdatedAt: now}
	require.NoError(t, store.CompleteConnectLink(ctx, link.ID, resultlinks.HashConnectToken("i"), now, in))

	stored, err := raw.GetIntegration(ctx, in.ID)
	require.NoError(t, err)
	require.True(t, secret.IsSealed(stored.Credentials))
	require.NotContains(t, string(stored.Credentials), "plain-key")
	got, err := store.GetIntegration(ctx, in.ID)
	require.NoError(t, err)
	require.JSONEq(t, `{"api_key":"plain-key"}`, string(got.Credentials))
}
