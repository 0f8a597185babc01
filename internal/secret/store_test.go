package secret_test

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/secret"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
)

func TestWebhookSecretsAreSealed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw, store := sealedStore(t)

	w := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: "env", URL: "https://hooks.example.com",
		Secret: []byte("whsec-plain"), CreatedAt: time.Now()}
	require.NoError(t, store.CreateWebhook(ctx, w))

	stored, err := raw.GetWebhook(ctx, w.ID)
	require.NoError(t, err)
	require.True(t, secret.IsSealed(stored.Secret))
	require.NotContains(t, string(stored.Secret), "whsec-plain")

	got, err := store.GetWebhook(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, "whsec-plain", string(got.Secret))
	list, err := store.ListWebhooks(ctx, "env")
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "whsec-plain", string(list[0].Secret))

	// A rotation re-seals the secret under the new key; the old key can
	// then be dropped.
	require.NoError(t, raw.CreateEnvironment(ctx, &resultlinks.Environment{ID: "env", Name: "env", CreatedAt: time.Now()}))
	ring := store.Keyring()
	oldKey := ring.Current()
	newKey, err := ring.AddCurrent(secret.NewKey())
	require.NoError(t, err)
	n, err := store.Reseal(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	stored, err = raw.GetWebhook(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, newKey, secret.SealedBy(stored.Secret))
	require.NotEqual(t, oldKey, newKey)
	got, err = store.GetWebhook(ctx, w.ID)
	require.NoError(t, err)
	require.Equal(t, "whsec-plain", string(got.Secret))
}

// sealedStore opens a SQLite store and wraps it with a fresh key: the raw
// store shows what is at rest, the wrapped one what callers see.
func sealedStore(t *testing.T) (*sqlite.Store, *secret.Store) {
	t.Helper()
	raw, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rl.db"))
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	ring, err := secret.Parse(base64.StdEncoding.EncodeToString(secret.NewKey()))
	require.NoError(t, err)
	return raw, secret.Wrap(raw, ring)
}
