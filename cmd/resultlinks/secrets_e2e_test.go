package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCredentialsSealedAtRest: the raw database files hold no credential,
// the key file is private, and rotating the key re-seals everything while
// the integration keeps working.
func TestCredentialsSealedAtRest(t *testing.T) {
	t.Parallel()
	addr, creds := startFake(t, "greenhouse", "--candidates", "5", "--client-secret", "very-secret-client-value-42")
	_ = addr
	var c map[string]string
	require.NoError(t, json.Unmarshal(creds, &c))
	require.Equal(t, "very-secret-client-value-42", c["client_secret"])
	dir := t.TempDir()
	path := filepath.Join(dir, "sealed.db")
	env := []string{"RESULTLINKS_DATABASE_URL=sqlite://" + path}
	integ := run(t, env, "integrations", "create", "--tool", "greenhouse", "--credentials-json", string(creds), "--quiet")

	fi, err := os.Stat(path + ".key")
	require.NoError(t, err, "the embedded database's key file sits beside it")
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	assertNoSecret := func() {
		t.Helper()
		files, _ := filepath.Glob(path + "*")
		require.NotEmpty(t, files)
		for _, f := range files {
			if filepath.Ext(f) == ".key" {
				continue
			}
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			require.False(t, bytes.Contains(raw, []byte("very-secret-client-value-42")), "%s holds the client secret in clear", f)
			require.False(t, bytes.Contains(raw, []byte("atsfake-greenhouse-1\",\"client_secret")), "%s holds the credentials in clear", f)
		}
	}
	assertNoSecret()
	list := run(t, env, "integrations", "list")
	require.NotContains(t, list, "very-secret", "the CLI never prints credentials")

	newID := run(t, env, "keys", "rotate-secret")
	require.Len(t, newID, 12)
	cmd := exec.Command(bin(t), "sync", integ)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the integration works after rotation: %s", out)
	assertNoSecret()
	var ring struct {
		Current string            `json:"current"`
		Keys    map[string]string `json:"keys"`
	}
	raw, err := os.ReadFile(path + ".key")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &ring))
	require.Equal(t, newID, ring.Current)
	require.Len(t, ring.Keys, 2, "the old key stays for running servers")
}
