package resultlinks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

func TestNewOperator(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, email, password, wantEmail string
		wantErr                          bool
	}{
		{name: "lower-cased and trimmed", email: " Ops@Example.COM ", password: "correct horse battery", wantEmail: "ops@example.com"},
		{name: "not an address", email: "ops", password: "correct horse battery", wantErr: true},
		{name: "a display name", email: "Ops <ops@example.com>", password: "correct horse battery", wantErr: true},
		{name: "short password", email: "ops@example.com", password: "short", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := resultlinks.NewOperator("env", tt.email, tt.password, now)
			if tt.wantErr {
				require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantEmail, o.Email)
			require.NotContains(t, o.PasswordHash, tt.password)
			require.True(t, resultlinks.CheckPassword(o.PasswordHash, tt.password))
		})
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	hash, err := resultlinks.HashPassword("correct horse battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(hash, "pbkdf2-sha256$600000$"), hash)
	other, err := resultlinks.HashPassword("correct horse battery")
	require.NoError(t, err)
	require.NotEqual(t, hash, other, "each hash has its own salt")
	parts := strings.Split(hash, "$")
	tests := []struct {
		name, hash, password string
		want                 bool
	}{
		{"right", hash, "correct horse battery", true},
		{"wrong", hash, "correct horse batterx", false},
		{"empty", hash, "", false},
		{"other scheme", "bcrypt$" + strings.Join(parts[1:], "$"), "correct horse battery", false},
		{"fewer rounds", strings.Join([]string{parts[0], "1", parts[2], parts[3]}, "$"), "correct horse battery", false},
		{"garbage", "pbkdf2-sha256$x$y$z", "correct horse battery", false},
		{"no hash", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, resultlinks.CheckPassword(tt.hash, tt.password))
		})
	}
}
