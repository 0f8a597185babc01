package resultlinks_test

import (
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

func TestNewID(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		id := resultlinks.NewID()
		require.Len(t, id, resultlinks.IDLength)
		require.True(t, resultlinks.IsID(id), id)
		require.False(t, seen[id], "IDs do not repeat")
		seen[id] = true
	}
}

func TestDeriveID(t *testing.T) {
	t.Parallel()
	a := resultlinks.DeriveID("sandbox:abc", resultlinks.ModelCandidates, "1")
	require.Equal(t, a, resultlinks.DeriveID("sandbox:abc", resultlinks.ModelCandidates, "1"), "deterministic")
	require.True(t, resultlinks.IsID(a))
	for _, other := range []string{
		resultlinks.DeriveID("sandbox:abd", resultlinks.ModelCandidates, "1"),
		resultlinks.DeriveID("sandbox:abc", resultlinks.ModelApplications, "1"),
		resultlinks.DeriveID("sandbox:abc", resultlinks.ModelCandidates, "2"),
		// The separator keeps ("a", "bc") apart from ("ab", "c").
		resultlinks.DeriveID("sandbox:ab", resultlinks.ModelCandidates, "c1"),
	} {
		require.NotEqual(t, a, other)
	}
	// A value computed independently (SHA-256 of the three parts joined by
	// NUL, modulo 58^24, in base58) pins the derivation: changing it would change every
	// ID callers have stored.
	require.Equal(t, a, resultlinks.DeriveID("sandbox:abc", "ats_candidates", "1"))
	require.Equal(t, "dNCgTbS3Ax2c338nVwJL91Fv", resultlinks.DeriveID("greenhouse:HWUTwvyx2wLoSUHphiWVrp28", resultlinks.ModelApplications, "12345"))
}

func TestIsID(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"8Xi6iZrwusZqJmDGXs49GBmJ":  true,
		"8Xi6iZrwusZqJmDGXs49GBm":   false, // 23
		"8Xi6iZrwusZqJmDGXs49GBmJJ": false,
		"0Xi6iZrwusZqJmDGXs49GBmJ":  false, // 0 is not base58
		"lXi6iZrwusZqJmDGXs49GBmJ":  false, // l is not base58
		"":                          false,
	}
	for in, want := range cases {
		require.Equal(t, want, resultlinks.IsID(in), in)
	}
	require.Equal(t, "greenhouse", resultlinks.ToolOf("greenhouse:HWUTwvyx2wLoSUHphiWVrp28"))
	require.True(t, strings.HasPrefix(resultlinks.NewIntegrationID("lever"), "lever:"))
}

func TestAPIKey(t *testing.T) {
	t.Parallel()
	secret, key := resultlinks.NewAPIKey("n", resultlinks.Environment{}.CreatedAt)
	require.True(t, strings.HasPrefix(secret, resultlinks.APIKeyPrefix))
	require.Len(t, secret, len(resultlinks.APIKeyPrefix)+48)
	require.Equal(t, resultlinks.HashAPIKey(secret), key.Hash)
	require.NotContains(t, string(key.Hash), secret)
	require.True(t, strings.HasPrefix(secret, key.Prefix))
	other, _ := resultlinks.NewAPIKey("n", key.CreatedAt)
	require.NotEqual(t, secret, other)
}
