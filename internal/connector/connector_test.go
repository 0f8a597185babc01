package connector_test

import (
	"encoding/json"
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/stretchr/testify/require"
)

func TestDecodeCredentials(t *testing.T) {
	t.Parallel()
	type creds struct {
		ClientID string `json:"client_id"`
		Port     int    `json:"port"`
	}
	cases := []struct {
		raw, msg string
	}{
		{`{"client_id":"a","port":1}`, ""},
		{``, ""},
		{`{"client_id":5}`, `"client_id" must be a string`},
		{`{"secret":"x"}`, `unknown field "secret"`},
		{`[1]`, "not a JSON object"},
		{`{"client_id":"a"} {}`, "unexpected data"},
	}
	for _, tc := range cases {
		var c creds
		err := connector.DecodeCredentials("demo", json.RawMessage(tc.raw), &c)
		if tc.msg == "" {
			require.NoError(t, err, tc.raw)
			continue
		}
		require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err), tc.raw)
		require.Contains(t, resultlinks.ErrorMessage(err), tc.msg)
		require.Contains(t, resultlinks.ErrorMessage(err), "demo credentials")
	}
}

func TestRegistry(t *testing.T) {
	t.Parallel()
	r := connector.NewRegistry(connector.Info{Tool: "b"}, connector.Info{Tool: "a", Channels: []resultlinks.Channel{resultlinks.ChannelNote}})
	require.Equal(t, "a", r.Tools()[0].Tool)
	a, ok := r.Lookup("a")
	require.True(t, ok)
	require.True(t, a.CanWriteResultLinks())
	b, _ := r.Lookup("b")
	require.False(t, b.CanWriteResultLinks())
	_, ok = r.Lookup("c")
	require.False(t, ok)
	require.Panics(t, func() { connector.NewRegistry(connector.Info{Tool: "a"}, connector.Info{Tool: "a"}) })
}
