package secret_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks/internal/secret"
	"github.com/stretchr/testify/require"
)

func TestSealAndOpen(t *testing.T) {
	t.Parallel()
	ring, err := secret.Parse(base64.StdEncoding.EncodeToString(secret.NewKey()))
	require.NoError(t, err)
	plain := []byte(`{"client_secret":"s3cr3t"}`)
	a, err := ring.Seal(plain, "credentials:gh:1")
	require.NoError(t, err)
	b, err := ring.Seal(plain, "credentials:gh:1")
	require.NoError(t, err)
	require.NotEqual(t, a, b, "each value has its own nonce")
	require.NotContains(t, string(a), "s3cr3t")
	require.True(t, secret.IsSealed(a))
	require.Equal(t, ring.Current(), secret.SealedBy(a))
	got, err := ring.Open(a, "credentials:gh:1")
	require.NoError(t, err)
	require.Equal(t, plain, got)

	_, err = ring.Open(a, "credentials:gh:2")
	require.Error(t, err, "a value moved to another integration does not open")
	tampered := []byte(strings.Replace(string(a), string(a[len(a)-4:]), "AAAA", 1))
	_, err = ring.Open(tampered, "credentials:gh:1")
	require.Error(t, err, "a changed value does not open")
	legacy, err := ring.Open([]byte(`{"plain":true}`), "x")
	require.NoError(t, err)
	require.Equal(t, `{"plain":true}`, string(legacy), "values stored before sealing still read")

	other, err := secret.Parse(base64.StdEncoding.EncodeToString(secret.NewKey()))
	require.NoError(t, err)
	_, err = other.Open(a, "credentials:gh:1")
	require.ErrorContains(t, err, "lacks")
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "not base64!", base64.StdEncoding.EncodeToString([]byte("short")), `{"current":"x","keys":{}}`, `{"current":`} {
		_, err := secret.Parse(bad)
		require.Error(t, err, bad)
	}
}

func TestRotationKeepsOldValuesReadable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "db.key")
	ring, err := secret.LoadFile(path)
	require.NoError(t, err)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the key file is private")
	old, err := ring.Seal([]byte("v1"), "c")
	require.NoError(t, err)

	// Another process rotates: this one reloads the file on an unknown key.
	other, err := secret.LoadFile(path)
	require.NoError(t, err)
	newID, err := other.AddCurrent(secret.NewKey())
	require.NoError(t, err)
	require.NoError(t, secret.WriteFile(path, other))
	fresh, err := other.Seal([]byte("v2"), "c")
	require.NoError(t, err)
	require.Equal(t, newID, secret.SealedBy(fresh))

	got, err := ring.Open(fresh, "c")
	require.NoError(t, err, "the running keyring reloads to open a value of the new key")
	require.Equal(t, "v2", string(got))
	got, err = ring.Open(old, "c")
	require.NoError(t, err, "old values still open")
	require.Equal(t, "v1", string(got))
	require.Equal(t, newID, ring.Current())

	require.NoError(t, os.Chmod(path, 0o644))
	_, err = secret.LoadFile(path)
	require.ErrorContains(t, err, "chmod 600")
}
