package webhook_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/webhook"
)

// The expected values were computed outside Go, with
// openssl dgst -sha256 -hmac whsec_test -binary | basenc --base64url.
func TestSignKnownAnswers(t *testing.T) {
	t.Parallel()
	secret := []byte("whsec_test")
	body := []byte(`{"id":"ev1","type":"data-changed","data":{}}`)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"kombo", webhook.Sign(secret, body), "RPX1fwBSr2YLynD8kDIbonPBvROfcOQ7Wd7IWcrpbcw"},
		{"timestamped", webhook.SignTimestamped(secret, "1700000000", body), "w2V43p3Wo_YBtTwgoe-iy_Myh-x5OnC8tWIi320r9gA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.got)
		})
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	secret := []byte("whsec_test")
	body := []byte(`{"id":"ev1"}`)
	sig := webhook.Sign(secret, body)
	require.True(t, webhook.Verify(secret, body, sig))
	require.False(t, webhook.Verify(secret, []byte(`{"id":"ev2"}`), sig), "another body")
	require.False(t, webhook.Verify([]byte("whsec_other"), body, sig), "another secret")
	require.False(t, webhook.Verify(secret, body, sig+"="), "padding is not Kombo's encoding")

	now := time.Unix(1700000000, 0)
	ts := "1700000000"
	tsig := webhook.SignTimestamped(secret, ts, body)
	tests := []struct {
		name string
		ts   string
		sig  string
		now  time.Time
		want error
	}{
		{"fresh", ts, tsig, now.Add(time.Minute), nil},
		{"replayed later", ts, tsig, now.Add(10 * time.Minute), webhook.ErrStale},
		{"timestamp changed", "1700000300", tsig, now, webhook.ErrBadSignature},
		{"plain signature", ts, sig, now, webhook.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.ErrorIs(t, webhook.VerifyTimestamped(secret, tt.ts, body, tt.sig, tt.now, 5*time.Minute), tt.want)
		})
	}
}

func TestNewSecretIsUnique(t *testing.T) {
	t.Parallel()
	a, b := webhook.NewSecret(), webhook.NewSecret()
	require.NotEqual(t, a, b)
	require.Len(t, a, len("whsec_")+43)
}
