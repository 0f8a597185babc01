package mirror_test

import (
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/stretchr/testify/require"
)

func TestScheduleDue(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	s := mirror.DefaultSchedule()
	cases := []struct {
		name      string
		in        resultlinks.Integration
		due, full bool
	}{
		{"setup pending", resultlinks.Integration{SetupStatus: resultlinks.SetupFinalSyncPending}, true, true},
		{"never synced", resultlinks.Integration{SetupStatus: resultlinks.SetupCompleted}, true, true},
		{"fresh", resultlinks.Integration{SetupStatus: resultlinks.SetupCompleted, LastSyncedAt: ago(time.Minute), LastFullSyncedAt: ago(time.Hour)}, false, false},
		{"delta due", resultlinks.Integration{SetupStatus: resultlinks.SetupCompleted, LastSyncedAt: ago(11 * time.Minute), LastFullSyncedAt: ago(time.Hour)}, true, false},
		{"full due", resultlinks.Integration{SetupStatus: resultlinks.SetupCompleted, LastSyncedAt: ago(time.Minute), LastFullSyncedAt: ago(25 * time.Hour)}, true, true},
		{"inactive", resultlinks.Integration{Status: resultlinks.StatusInactive, SetupStatus: resultlinks.SetupFinalSyncPending}, false, false},
	}
	for _, tc := range cases {
		due, full := s.Due(&tc.in, now)
		require.Equal(t, tc.due, due, tc.name)
		require.Equal(t, tc.full, full, tc.name)
	}
}
