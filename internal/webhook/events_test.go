package webhook_test

import (
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/webhook"
	"github.com/resultlinks/resultlinks/wire"
	"github.com/stretchr/testify/require"
)

func TestQAStatus(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		in   resultlinks.Integration
		want string
	}{
		{"first sync running", resultlinks.Integration{SetupStatus: resultlinks.SetupFinalSyncPending}, "PENDING"},
		{"first sync failed", resultlinks.Integration{SetupStatus: resultlinks.SetupFinalSyncPending, SyncError: "refused"}, "FAILED"},
		{"set up", resultlinks.Integration{SetupStatus: resultlinks.SetupCompleted}, "PASSED"},
		{"set up, a later sync failed", resultlinks.Integration{SetupStatus: resultlinks.SetupCompleted, SyncError: "down"}, "PASSED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, webhook.QAStatus(&c.in))
		})
	}
}

func TestSyncFinishedData(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	end := start.Add(90*time.Second + 700*time.Millisecond)
	in := &resultlinks.Integration{ID: "sandbox:x", Tool: "sandbox", EndUser: resultlinks.EndUser{OrganizationName: "Acme"}}
	for _, c := range []struct {
		name    string
		ended   *time.Time
		seconds int
	}{
		{"ended", &end, 90},
		{"no end", nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &resultlinks.Sync{ID: "s1", State: resultlinks.SyncFailed, StartedAt: start, EndedAt: c.ended}
			got := webhook.SyncFinishedData(s, in, "https://rl.example/v1/syncs/s1").(wire.SyncFinishedEvent)
			require.Equal(t, c.seconds, got.SyncDurationSeconds)
			require.Equal(t, "FAILED", got.SyncState)
			require.Equal(t, "ATS", got.IntegrationCategory)
		})
	}
}

func TestDataChangedData(t *testing.T) {
	t.Parallel()
	in := &resultlinks.Integration{ID: "sandbox:x", Tool: "sandbox"}
	got := webhook.DataChangedData(in, resultlinks.Changes{resultlinks.ModelJobs: 1, resultlinks.ModelCandidates: 3}).(wire.DataChangedEvent)
	require.Equal(t, []wire.ChangedModel{{Name: "ats_candidates"}, {Name: "ats_jobs"}}, got.ChangedModels, "sorted by name")
	empty := webhook.DataChangedData(in, resultlinks.Changes{}).(wire.DataChangedEvent)
	require.NotNil(t, empty.ChangedModels, "an empty list, never null")
}
