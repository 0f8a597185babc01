// Package storetest is the conformance suite every resultlinks.Store engine
// passes: Exercise runs it against a fresh store per test.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

// Opener returns a fresh, empty, migrated store for one test.
type Opener func(t *testing.T) resultlinks.Store

func ptr[T any](v T) *T { return &v }

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixture is an environment with one integration.
type fixture struct {
	store resultlinks.Store
	env   *resultlinks.Environment
	in    *resultlinks.Integration
}

func setup(t *testing.T, open Opener) *fixture {
	t.Helper()
	ctx := context.Background()
	s := open(t)
	env := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "test", CreatedAt: t0}
	require.NoError(t, s.CreateEnvironment(ctx, env))
	in := &resultlinks.Integration{
		ID: resultlinks.NewIntegrationID("sandbox"), EnvironmentID: env.ID, Tool: "sandbox", Name: "Sandbox",
		Status: resultlinks.StatusActive, SetupStatus: resultlinks.SetupCompleted,
		Credentials: json.RawMessage(`{"secret":"s3cr3t"}`), EndUser: resultlinks.EndUser{OrganizationName: "Acme"},
		CreatedAt: t0, UpdatedAt: t0,
	}
	require.NoError(t, s.CreateIntegration(ctx, in))
	return &fixture{store: s, env: env, in: in}
}

// batch returns n candidates, each with two applications on two jobs, and
// their stages.
func batch(n int) *resultlinks.Batch {
	b := &resultlinks.Batch{
		Jobs:   []*resultlinks.Job{{RemoteID: "j1", Name: ptr("Engineer")}, {RemoteID: "j2", Name: ptr("Designer")}},
		Stages: []*resultlinks.Stage{{RemoteID: "s1", Name: ptr("Screen"), Index: ptr(0)}, {RemoteID: "s2", Name: ptr("Offer"), Index: ptr(1)}},
	}
	for i := 0; i < n; i++ {
		c := &resultlinks.Candidate{
			RemoteID: fmt.Sprintf("c%d", i), FirstName: ptr(fmt.Sprintf("First%d", i)), LastName: ptr("Last"),
			EmailAddresses: []resultlinks.EmailAddress{{EmailAddress: ptr(fmt.Sprintf("Person%d@Example.com", i))}},
			CustomFields:   map[string]any{}, Tags: []resultlinks.Tag{{RemoteID: "t1", Name: ptr("Tag")}},
		}
		b.Candidates = append(b.Candidates, c)
		for k, job := range []string{"j1", "j2"} {
			outcome := resultlinks.OutcomePending
			if k == 1 {
				outcome = resultlinks.OutcomeHired
			}
			b.Applications = append(b.Applications, &resultlinks.Application{
				RemoteID: fmt.Sprintf("a%d_%d", i, k), CandidateRemoteID: c.RemoteID, JobRemoteID: job,
				CurrentStageRemoteID: "s1", Outcome: ptr(outcome), CustomFields: map[string]any{},
			})
		}
	}
	return b
}

// upsert writes b to the mirror and returns what it changed.
func upsert(t *testing.T, s resultlinks.Store, integrationID string, b *resultlinks.Batch, now time.Time) resultlinks.Changes {
	t.Helper()
	changes, err := s.UpsertBatch(context.Background(), integrationID, b, now)
	require.NoError(t, err)
	return changes
}

// Exercise runs the whole suite.
func Exercise(t *testing.T, open Opener) {
	t.Run("Environments", func(t *testing.T) { t.Parallel(); testEnvironments(t, open) })
	t.Run("Operators", func(t *testing.T) { t.Parallel(); testOperators(t, open) })
	t.Run("Sessions", func(t *testing.T) { t.Parallel(); testSessions(t, open) })
	t.Run("ResultLinkInteractions", func(t *testing.T) { t.Parallel(); testResultLinkInteractions(t, open) })
	t.Run("Integrations", func(t *testing.T) { t.Parallel(); testIntegrations(t, open) })
	t.Run("State", func(t *testing.T) { t.Parallel(); testState(t, open) })
	t.Run("MirrorUpsertAndIDs", func(t *testing.T) { t.Parallel(); testMirrorUpsert(t, open) })
	t.Run("MirrorFilters", func(t *testing.T) { t.Parallel(); testMirrorFilters(t, open) })
	t.Run("MirrorChangeTracking", func(t *testing.T) { t.Parallel(); testChangeTracking(t, open) })
	t.Run("CustomFields", func(t *testing.T) { t.Parallel(); testCustomFields(t, open) })
	t.Run("ResultLinks", func(t *testing.T) { t.Parallel(); testResultLinks(t, open) })
	t.Run("ResultLinkIdempotencyRace", func(t *testing.T) { t.Parallel(); testIdempotencyRace(t, open) })
	t.Run("MarkVanished", func(t *testing.T) { t.Parallel(); testMarkVanished(t, open) })
	t.Run("ResultLinkEnqueueInTx", func(t *testing.T) { t.Parallel(); testEnqueueInTx(t, open) })
	t.Run("ResultLinkClaimAndSettle", func(t *testing.T) { t.Parallel(); testClaimAndSettle(t, open) })
	t.Run("ResultLinkList", func(t *testing.T) { t.Parallel(); testListResultLinks(t, open) })
	t.Run("Interactions", func(t *testing.T) { t.Parallel(); testInteractions(t, open) })
	t.Run("Webhooks", func(t *testing.T) { t.Parallel(); testWebhooks(t, open) })
	t.Run("ConcurrentCreates", func(t *testing.T) { t.Parallel(); testConcurrentCreates(t, open) })
	t.Run("WebhookSends", func(t *testing.T) { t.Parallel(); testWebhookSends(t, open) })
	t.Run("SettleEmits", func(t *testing.T) { t.Parallel(); testSettleEmits(t, open) })
	t.Run("IntegrationEmits", func(t *testing.T) { t.Parallel(); testIntegrationEmits(t, open) })
	t.Run("MirrorChanges", func(t *testing.T) { t.Parallel(); testMirrorChanges(t, open) })
	t.Run("Syncs", func(t *testing.T) { t.Parallel(); testSyncs(t, open) })
	t.Run("SyncResume", func(t *testing.T) { t.Parallel(); testSyncResume(t, open) })
	t.Run("SyncEmits", func(t *testing.T) { t.Parallel(); testSyncEmits(t, open) })
	t.Run("ConnectLinks", func(t *testing.T) { t.Parallel(); testConnectLinks(t, open) })
	t.Run("ConnectLinkStates", func(t *testing.T) { t.Parallel(); testConnectLinkStates(t, open) })
	t.Run("ConnectLinkRace", func(t *testing.T) { t.Parallel(); testConnectLinkRace(t, open) })
}

func testEnvironments(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	envs, err := s.ListEnvironments(ctx)
	require.NoError(t, err)
	require.Empty(t, envs)
	first := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "first", CreatedAt: t0.Add(-time.Hour)}
	created, err := s.CreateFirstEnvironment(ctx, first)
	require.NoError(t, err)
	require.True(t, created)
	created, err = s.CreateFirstEnvironment(ctx, &resultlinks.Environment{ID: resultlinks.NewID(), Name: "second", CreatedAt: t0})
	require.NoError(t, err)
	require.False(t, created, "only when there is none")
	a := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "a", CreatedAt: t0}
	b := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "b", CreatedAt: t0.Add(time.Second)}
	require.NoError(t, s.CreateEnvironment(ctx, b))
	require.NoError(t, s.CreateEnvironment(ctx, a))
	envs, err = s.ListEnvironments(ctx)
	require.NoError(t, err)
	require.Len(t, envs, 3)
	require.Equal(t, "first", envs[0].Name, "oldest first")
	require.Equal(t, "a", envs[1].Name)
	require.True(t, envs[1].CreatedAt.Equal(t0))

	secret, key := resultlinks.NewAPIKey("ci", t0)
	key.EnvironmentID = a.ID
	require.NoError(t, s.CreateAPIKey(ctx, key))
	got, err := s.FindAPIKeyByHash(ctx, resultlinks.HashAPIKey(secret))
	require.NoError(t, err)
	require.Equal(t, a.ID, got.EnvironmentID)
	require.Equal(t, "ci", got.Name)
	_, err = s.FindAPIKeyByHash(ctx, resultlinks.HashAPIKey(secret+"x"))
	require.Equal(t, resultlinks.CodeAuthenticationInvalid, resultlinks.ErrorCode(err))

	// Listing, last use and revocation.
	require.NoError(t, s.TouchAPIKey(ctx, key.ID, t0.Add(time.Minute)))
	keys, err := s.ListAPIKeys(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	require.Equal(t, key.Prefix, keys[0].Prefix)
	require.Nil(t, keys[0].Hash, "listing never carries the hash")
	require.True(t, keys[0].LastUsedAt.Equal(t0.Add(time.Minute)))
	require.Nil(t, keys[0].RevokedAt)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(s.RevokeAPIKey(ctx, b.ID, key.ID, t0)), "another environment cannot revoke it")
	require.NoError(t, s.RevokeAPIKey(ctx, a.ID, key.ID, t0.Add(time.Hour)))
	_, err = s.FindAPIKeyByHash(ctx, resultlinks.HashAPIKey(secret))
	require.Equal(t, resultlinks.CodeAuthenticationInvalid, resultlinks.ErrorCode(err), "a revoked key fails at once")
	keys, err = s.ListAPIKeys(ctx, a.ID)
	require.NoError(t, err)
	require.True(t, keys[0].RevokedAt.Equal(t0.Add(time.Hour)))

	// The audit log, newest first, per environment.
	for i, action := range []string{"key.create", "integration.create", "key.revoke"} {
		require.NoError(t, s.AddAudit(ctx, &resultlinks.AuditRecord{ID: resultlinks.NewID(), EnvironmentID: a.ID,
			At: t0.Add(time.Duration(i) * time.Second), Actor: "cli", Action: action, Target: key.ID, Detail: "d"}))
	}
	audit, err := s.ListAudit(ctx, a.ID, 2)
	require.NoError(t, err)
	require.Len(t, audit, 2)
	require.Equal(t, "key.revoke", audit[0].Action)
	require.True(t, audit[0].At.Equal(t0.Add(2*time.Second)))
	none, err := s.ListAudit(ctx, b.ID, 10)
	require.NoError(t, err)
	require.Empty(t, none)
}

func testIntegrations(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	s := f.store
	got, err := s.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err)
	require.Equal(t, f.in.Tool, got.Tool)
	require.JSONEq(t, `{"secret":"s3cr3t"}`, string(got.Credentials))
	require.Equal(t, "Acme", got.EndUser.OrganizationName)
	require.Nil(t, got.EndUser.OriginID)
	require.Empty(t, got.DisabledActions)
	require.True(t, got.ActionEnabled(resultlinks.ActionAddApplicationResultLink))

	// Another environment sees nothing of it.
	other := &resultlinks.Environment{ID: resultlinks.NewID(), Name: "other", CreatedAt: t0}
	require.NoError(t, s.CreateEnvironment(ctx, other))
	_, err = s.FindIntegration(ctx, other.ID, f.in.ID)
	require.Equal(t, resultlinks.CodeIntegrationNotFound, resultlinks.ErrorCode(err))
	list, err := s.ListIntegrations(ctx, other.ID)
	require.NoError(t, err)
	require.Empty(t, list)
	require.Equal(t, resultlinks.CodeIntegrationNotFound, resultlinks.ErrorCode(s.DeleteIntegration(ctx, other.ID, f.in.ID)))

	// Update.
	synced := t0.Add(time.Hour)
	got.Status, got.SetupStatus, got.LastSyncedAt = resultlinks.StatusInvalid, resultlinks.SetupFinalSyncPending, &synced
	got.LastFullSyncedAt, got.SyncError = &synced, "boom"
	got.DisabledActions = []resultlinks.Action{resultlinks.ActionAddCandidateResultLink}
	require.NoError(t, s.UpdateIntegration(ctx, got))
	again, err := s.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.StatusInvalid, again.Status)
	require.Equal(t, resultlinks.SetupFinalSyncPending, again.SetupStatus)
	require.True(t, again.LastSyncedAt.Equal(synced))
	require.True(t, again.LastFullSyncedAt.Equal(synced))
	require.Equal(t, "boom", again.SyncError)
	byID, err := s.GetIntegration(ctx, f.in.ID)
	require.NoError(t, err)
	require.Equal(t, f.env.ID, byID.EnvironmentID)
	_, err = s.GetIntegration(ctx, "sandbox:nope")
	require.Equal(t, resultlinks.CodeIntegrationNotFound, resultlinks.ErrorCode(err))
	require.False(t, again.ActionEnabled(resultlinks.ActionAddCandidateResultLink))

	// Delete removes it and its mirror.
	upsert(t, s, f.in.ID, batch(2), t0)
	require.NoError(t, s.DeleteIntegration(ctx, f.env.ID, f.in.ID))
	_, err = s.FindIntegration(ctx, f.env.ID, f.in.ID)
	require.Equal(t, resultlinks.CodeIntegrationNotFound, resultlinks.ErrorCode(err))
	cands, err := s.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{IncludeDeleted: true})
	require.NoError(t, err)
	require.Empty(t, cands)
	require.Equal(t, resultlinks.CodeIntegrationNotFound, resultlinks.ErrorCode(s.DeleteIntegration(ctx, f.env.ID, f.in.ID)))
}

func testState(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	v, err := f.store.GetState(ctx, f.in.ID, "k")
	require.NoError(t, err)
	require.Nil(t, v)
	require.NoError(t, f.store.PutState(ctx, f.in.ID, "k", []byte("one")))
	require.NoError(t, f.store.PutState(ctx, f.in.ID, "k", []byte("two")))
	v, err = f.store.GetState(ctx, f.in.ID, "k")
	require.NoError(t, err)
	require.Equal(t, "two", string(v))
	v, err = f.store.GetState(ctx, "sandbox:other", "k")
	require.NoError(t, err)
	require.Nil(t, v, "state is per integration")
}

func testMirrorUpsert(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	upsert(t, f.store, f.in.ID, batch(3), t0)
	cands, err := f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{})
	require.NoError(t, err)
	require.Len(t, cands, 3)
	for i := 1; i < len(cands); i++ {
		require.Less(t, cands[i-1].ID, cands[i].ID, "ordered by ID")
	}
	c := cands[0]
	require.Equal(t, resultlinks.DeriveID(f.in.ID, resultlinks.ModelCandidates, c.RemoteID), c.ID)
	require.Len(t, c.Applications, 2)
	for _, a := range c.Applications {
		require.NotNil(t, a.Job)
		require.NotNil(t, a.CurrentStage)
		require.Equal(t, "Screen", *a.CurrentStage.Name)
		require.Equal(t, c.ID, *a.CandidateID)
	}
	require.Equal(t, resultlinks.DeriveID(f.in.ID, resultlinks.ModelTags, "t1"), c.Tags[0].ID)
	require.True(t, c.ChangedAt.Equal(t0))

	apps, err := f.store.ListApplications(ctx, f.in.ID, resultlinks.ApplicationFilter{})
	require.NoError(t, err)
	require.Len(t, apps, 6)
	for _, a := range apps {
		require.NotNil(t, a.Candidate)
		require.Equal(t, *a.CandidateID, a.Candidate.ID)
		require.Equal(t, *a.JobID, a.Job.ID)
	}

	// The same records again: same IDs, nothing counted as changed.
	upsert(t, f.store, f.in.ID, batch(3), t0.Add(time.Hour))
	again, err := f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{})
	require.NoError(t, err)
	require.Equal(t, c.ID, again[0].ID)
	require.True(t, again[0].ChangedAt.Equal(t0), "unchanged record keeps changed_at")

	got, err := f.store.FindApplication(ctx, f.in.ID, apps[0].ID)
	require.NoError(t, err)
	require.Equal(t, apps[0].RemoteID, got.RemoteID)
	_, err = f.store.FindApplication(ctx, f.in.ID, resultlinks.NewID())
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	_, err = f.store.FindCandidate(ctx, f.in.ID, resultlinks.NewID())
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	_, err = f.store.FindCandidate(ctx, "sandbox:other", c.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "records are per integration")
}

func testMirrorFilters(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	b := batch(5)
	b.Candidates[4].RemoteDeletedAt = ptr(t0)
	b.Applications[8].RemoteDeletedAt = ptr(t0)
	b.Applications[9].RemoteDeletedAt = ptr(t0)
	upsert(t, f.store, f.in.ID, b, t0)
	id := func(remote string) string { return resultlinks.DeriveID(f.in.ID, resultlinks.ModelCandidates, remote) }
	job2 := resultlinks.DeriveID(f.in.ID, resultlinks.ModelJobs, "j2")

	cases := []struct {
		name string
		f    resultlinks.CandidateFilter
		want int
	}{
		{"all live", resultlinks.CandidateFilter{}, 4},
		{"include deleted", resultlinks.CandidateFilter{IncludeDeleted: true}, 5},
		{"limit", resultlinks.CandidateFilter{Limit: 2}, 2},
		{"ids", resultlinks.CandidateFilter{IDs: []string{id("c1"), id("c2")}}, 2},
		{"deleted id hidden", resultlinks.CandidateFilter{IDs: []string{id("c4")}}, 0},
		{"remote ids", resultlinks.CandidateFilter{RemoteIDs: []string{"c3"}}, 1},
		{"email any case", resultlinks.CandidateFilter{Email: "PERSON2@example.COM"}, 1},
		{"email unknown", resultlinks.CandidateFilter{Email: "nobody@example.com"}, 0},
		{"first name any case", resultlinks.CandidateFilter{FirstName: "first1"}, 1},
		{"last name", resultlinks.CandidateFilter{LastName: "LAST"}, 4},
		{"job", resultlinks.CandidateFilter{JobIDs: []string{job2}}, 4},
		{"job unknown", resultlinks.CandidateFilter{JobIDs: []string{resultlinks.NewID()}}, 0},
		{"and", resultlinks.CandidateFilter{FirstName: "First1", LastName: "Nope"}, 0},
		{"updated after", resultlinks.CandidateFilter{UpdatedAfter: ptr(t0.Add(-time.Second))}, 4},
		{"updated after none", resultlinks.CandidateFilter{UpdatedAfter: ptr(t0)}, 0},
	}
	for _, tc := range cases {
		got, err := f.store.ListCandidates(ctx, f.in.ID, tc.f)
		require.NoError(t, err, tc.name)
		require.Len(t, got, tc.want, tc.name)
	}
	// Keyset paging walks every record once.
	var seen []string
	after := ""
	for {
		page, err := f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{After: after, Limit: 3, IncludeDeleted: true})
		require.NoError(t, err)
		for _, c := range page {
			seen = append(seen, c.ID)
		}
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1].ID
	}
	require.Len(t, seen, 5)

	appCases := []struct {
		name string
		f    resultlinks.ApplicationFilter
		want int
	}{
		{"all live", resultlinks.ApplicationFilter{}, 8},
		{"include deleted", resultlinks.ApplicationFilter{IncludeDeleted: true}, 10},
		{"outcome", resultlinks.ApplicationFilter{Outcomes: []resultlinks.Outcome{resultlinks.OutcomeHired}}, 4},
		{"outcomes or", resultlinks.ApplicationFilter{Outcomes: []resultlinks.Outcome{resultlinks.OutcomeHired, resultlinks.OutcomePending}}, 8},
		{"outcome none", resultlinks.ApplicationFilter{Outcomes: []resultlinks.Outcome{resultlinks.OutcomeDeclined}}, 0},
		{"job", resultlinks.ApplicationFilter{JobIDs: []string{job2}}, 4},
		{"remote ids", resultlinks.ApplicationFilter{RemoteIDs: []string{"a1_0", "a2_1"}}, 2},
		{"limit", resultlinks.ApplicationFilter{Limit: 3}, 3},
	}
	for _, tc := range appCases {
		got, err := f.store.ListApplications(ctx, f.in.ID, tc.f)
		require.NoError(t, err, tc.name)
		require.Len(t, got, tc.want, tc.name)
	}
}

func testChangeTracking(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	upsert(t, f.store, f.in.ID, batch(3), t0)
	t1 := t0.Add(time.Hour)

	// One application changes: it and its candidate show as updated.
	b := batch(3)
	b.Applications[0].Outcome = ptr(resultlinks.OutcomeDeclined)
	upsert(t, f.store, f.in.ID, b, t1)
	apps, err := f.store.ListApplications(ctx, f.in.ID, resultlinks.ApplicationFilter{UpdatedAfter: &t0})
	require.NoError(t, err)
	require.Len(t, apps, 1)
	require.Equal(t, "a0_0", apps[0].RemoteID)
	require.True(t, apps[0].ChangedAt.Equal(t1))
	cands, err := f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{UpdatedAfter: &t0})
	require.NoError(t, err)
	require.Len(t, cands, 1)
	require.Equal(t, "c0", cands[0].RemoteID)
	require.True(t, cands[0].ChangedAt.Equal(t0), "the candidate's own data did not change")

	// A candidate changes: its applications show as updated.
	t2 := t1.Add(time.Hour)
	b.Candidates[1].LastName = ptr("Renamed")
	upsert(t, f.store, f.in.ID, b, t2)
	apps, err = f.store.ListApplications(ctx, f.in.ID, resultlinks.ApplicationFilter{UpdatedAfter: &t1})
	require.NoError(t, err)
	require.Len(t, apps, 2)
	for _, a := range apps {
		require.Equal(t, "c1", a.Candidate.RemoteID)
		require.Equal(t, "Renamed", *a.Candidate.LastName)
	}
	// Deletion is a change too.
	t3 := t2.Add(time.Hour)
	b.Candidates[2].RemoteDeletedAt = ptr(t3)
	upsert(t, f.store, f.in.ID, b, t3)
	cands, err = f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{UpdatedAfter: &t2, IncludeDeleted: true})
	require.NoError(t, err)
	require.Len(t, cands, 1)
	require.NotNil(t, cands[0].RemoteDeletedAt)
}

func testCustomFields(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	upsert(t, f.store, f.in.ID, batch(2), t0)
	apps, err := f.store.ListApplications(ctx, f.in.ID, resultlinks.ApplicationFilter{RemoteIDs: []string{"a0_0"}})
	require.NoError(t, err)
	app := apps[0]
	t1 := t0.Add(time.Minute)
	require.NoError(t, f.store.SetCustomFields(ctx, f.in.ID, resultlinks.ModelApplications, app.ID, map[string]any{"Acme: Score": "100%"}, t1))
	require.NoError(t, f.store.SetCustomFields(ctx, f.in.ID, resultlinks.ModelApplications, app.ID, map[string]any{"Acme: Time": "2:30h"}, t1))
	got, err := f.store.FindApplication(ctx, f.in.ID, app.ID)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"Acme: Score": "100%", "Acme: Time": "2:30h"}, got.CustomFields)
	require.True(t, got.ChangedAt.Equal(t1))
	cands, err := f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{UpdatedAfter: &t0})
	require.NoError(t, err)
	require.Len(t, cands, 1, "the application's candidate shows as updated")

	c := cands[0]
	require.NoError(t, f.store.SetCustomFields(ctx, f.in.ID, resultlinks.ModelCandidates, c.ID, map[string]any{"Link": "https://x.example"}, t1))
	gc, err := f.store.FindCandidate(ctx, f.in.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, "https://x.example", gc.CustomFields["Link"])

	err = f.store.SetCustomFields(ctx, f.in.ID, resultlinks.ModelApplications, resultlinks.NewID(), map[string]any{"x": "y"}, t1)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
}

func newLink(f *fixture, key string) *resultlinks.ResultLink {
	return &resultlinks.ResultLink{
		ID: resultlinks.NewID(), EnvironmentID: f.env.ID, IntegrationID: f.in.ID, Model: resultlinks.ModelApplications,
		TargetID: resultlinks.NewID(), TargetRemoteID: "a1", IdempotencyKey: key, RequestHash: "h1",
		Input: resultlinks.ResultLinkInput{Label: "Result", URL: "https://acme.example/r/1",
			Details:      &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "1"}}},
			RemoteFields: resultlinks.RemoteFields{GreenhouseOnBehalfOf: ptr("4080")}},
		Status: resultlinks.DeliveryQueued, Warnings: []string{"w"}, CreatedAt: t0, UpdatedAt: t0,
	}
}

func testResultLinks(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	rl := newLink(f, "")
	existing, err := f.store.CreateResultLink(ctx, rl, nil)
	require.NoError(t, err)
	require.Nil(t, existing)
	// Without a key, any number may be stored.
	existing, err = f.store.CreateResultLink(ctx, newLink(f, ""), nil)
	require.NoError(t, err)
	require.Nil(t, existing)

	got, err := f.store.FindResultLink(ctx, f.env.ID, rl.ID)
	require.NoError(t, err)
	require.Equal(t, rl.Input, got.Input)
	require.Equal(t, []string{"w"}, got.Warnings)
	require.Equal(t, resultlinks.DeliveryQueued, got.Status)

	now := t0.Add(time.Second)
	rl.Status, rl.Attempts, rl.UpdatedAt, rl.DeliveredAt = resultlinks.DeliveryDelivered, 1, now, &now
	rl.Receipt = resultlinks.Receipt{Channels: []resultlinks.Channel{resultlinks.ChannelCustomFields}, RemoteIDs: []string{"x"}, Warnings: []string{"done"}}
	rl.Exchanges = []resultlinks.Exchange{{Method: "PATCH", URL: "https://ats.example/c/1", Status: 200, Attempt: 1, RequestHeaders: map[string]string{"Authorization": "[REDACTED]"}}}
	require.NoError(t, f.store.UpdateResultLink(ctx, rl))
	got, err = f.store.FindResultLink(ctx, f.env.ID, rl.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryDelivered, got.Status)
	require.Equal(t, 1, got.Attempts)
	require.Equal(t, rl.Receipt.Channels, got.Receipt.Channels)
	require.True(t, got.DeliveredAt.Equal(now))
	require.Len(t, got.Exchanges, 1)
	require.Equal(t, "PATCH", got.Exchanges[0].Method)
	require.Equal(t, "[REDACTED]", got.Exchanges[0].RequestHeaders["Authorization"])

	_, err = f.store.FindResultLink(ctx, resultlinks.NewID(), rl.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "another environment cannot see it")

	// The same idempotency key returns the first link and stores nothing.
	first := newLink(f, "key-1")
	existing, err = f.store.CreateResultLink(ctx, first, nil)
	require.NoError(t, err)
	require.Nil(t, existing)
	second := newLink(f, "key-1")
	existing, err = f.store.CreateResultLink(ctx, second, nil)
	require.NoError(t, err)
	require.NotNil(t, existing)
	require.Equal(t, first.ID, existing.ID)
	_, err = f.store.FindResultLink(ctx, f.env.ID, second.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
}

func testIdempotencyRace(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	const n = 8
	var wg sync.WaitGroup
	results := make([]string, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rl := newLink(f, "same-key")
			existing, err := f.store.CreateResultLink(ctx, rl, nil)
			errs[i] = err
			if existing != nil {
				results[i] = existing.ID
			} else {
				results[i] = rl.ID
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	for _, id := range results {
		require.Equal(t, results[0], id, "every concurrent request with one key sees the same link")
	}
}

func testMarkVanished(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	upsert(t, f.store, f.in.ID, batch(3), t0)
	// A full sync at t1 sees only candidates c0 and c2 and their applications.
	t1 := t0.Add(time.Hour)
	b := batch(3)
	b.Candidates = append(b.Candidates[:1], b.Candidates[2])
	b.Applications = append(b.Applications[:2], b.Applications[4:]...)
	upsert(t, f.store, f.in.ID, b, t1)
	n, err := f.store.MarkVanished(ctx, f.in.ID, t1, t1.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, resultlinks.Changes{resultlinks.ModelCandidates: 1, resultlinks.ModelApplications: 2}, n, "c1 and its two applications")
	live, err := f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{})
	require.NoError(t, err)
	require.Len(t, live, 2)
	all, err := f.store.ListCandidates(ctx, f.in.ID, resultlinks.CandidateFilter{RemoteIDs: []string{"c1"}, IncludeDeleted: true})
	require.NoError(t, err)
	require.NotNil(t, all[0].RemoteDeletedAt)
	require.True(t, all[0].RemoteDeletedAt.Equal(t1.Add(time.Minute)))
	// Nothing more vanishes on a second pass.
	n, err = f.store.MarkVanished(ctx, f.in.ID, t1, t1.Add(2*time.Minute))
	require.NoError(t, err)
	require.Empty(t, n)
	require.Zero(t, n.Total())
}

func testEnqueueInTx(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	// The enqueue runs inside the insert's transaction, with a tx.
	var gotTx any
	rl := newLink(f, "k-enqueue")
	existing, err := f.store.CreateResultLink(ctx, rl, func(ctx context.Context, tx any) error {
		gotTx = tx
		return nil
	})
	require.NoError(t, err)
	require.Nil(t, existing)
	require.NotNil(t, gotTx)
	// A duplicate key enqueues nothing.
	called := false
	existing, err = f.store.CreateResultLink(ctx, newLink(f, "k-enqueue"), func(context.Context, any) error { called = true; return nil })
	require.NoError(t, err)
	require.NotNil(t, existing)
	require.False(t, called)
	// A failing enqueue rolls the insert back.
	failing := newLink(f, "k-fail")
	_, err = f.store.CreateResultLink(ctx, failing, func(context.Context, any) error { return fmt.Errorf("queue down") })
	require.ErrorContains(t, err, "queue down")
	_, err = f.store.FindResultLink(ctx, f.env.ID, failing.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "nothing stored without its job")
}

func testClaimAndSettle(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	rl := newLink(f, "")
	rl.CandidateRemoteID = "c9"
	_, err := f.store.CreateResultLink(ctx, rl, nil)
	require.NoError(t, err)
	got, err := f.store.GetResultLink(ctx, rl.ID)
	require.NoError(t, err)
	require.Equal(t, "c9", got.CandidateRemoteID)

	t1 := t0.Add(time.Minute)
	lease := t1.Add(5 * time.Minute)
	claimed, ok, err := f.store.ClaimResultLink(ctx, rl.ID, t1, lease)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, resultlinks.DeliveryDelivering, claimed.Status)
	require.Equal(t, 1, claimed.Attempts)
	require.True(t, claimed.LeaseUntil.Equal(lease))

	// While the lease holds, nobody else can claim it.
	again, ok, err := f.store.ClaimResultLink(ctx, rl.ID, t1.Add(time.Minute), t1.Add(time.Hour))
	require.NoError(t, err)
	require.False(t, ok)
	require.Equal(t, 1, again.Attempts)

	// After it runs out (a crashed attempt), another attempt takes over;
	// the first can no longer settle.
	later := lease.Add(time.Second)
	lease2 := later.Add(5 * time.Minute)
	_, ok, err = f.store.ClaimResultLink(ctx, rl.ID, later, lease2)
	require.NoError(t, err)
	require.True(t, ok)
	claimed.Status, claimed.UpdatedAt = resultlinks.DeliveryDelivered, later
	settled, err := f.store.SettleResultLink(ctx, claimed, lease, nil)
	require.NoError(t, err)
	require.False(t, settled, "a stale attempt cannot settle")

	claimed.DeliveredAt = &later
	claimed.Exchanges = []resultlinks.Exchange{{Method: "POST", Status: 201}}
	settled, err = f.store.SettleResultLink(ctx, claimed, lease2, nil)
	require.NoError(t, err)
	require.True(t, settled)
	done, err := f.store.GetResultLink(ctx, rl.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryDelivered, done.Status)
	require.Equal(t, 2, done.Attempts)
	require.Nil(t, done.LeaseUntil)
	require.Len(t, done.Exchanges, 1)
	_, ok, err = f.store.ClaimResultLink(ctx, rl.ID, later.Add(time.Hour), later.Add(2*time.Hour))
	require.NoError(t, err)
	require.False(t, ok, "a delivered link is never claimed again")

	// A stalled attempt (its lease ran out) is listed as stale.
	q0 := newLink(f, "")
	_, err = f.store.CreateResultLink(ctx, q0, nil)
	require.NoError(t, err)
	_, _, err = f.store.ClaimResultLink(ctx, q0.ID, t1, t1.Add(time.Minute))
	require.NoError(t, err)
	stale, err := f.store.ListStaleResultLinks(ctx, t1.Add(2*time.Minute), 10)
	require.NoError(t, err)
	var staleIDs []string
	for _, s := range stale {
		staleIDs = append(staleIDs, s.ID)
	}
	require.Contains(t, staleIDs, q0.ID)
	require.NotContains(t, staleIDs, rl.ID, "a delivered link is not stale")
	stale, err = f.store.ListStaleResultLinks(ctx, t1.Add(30*time.Second), 10)
	require.NoError(t, err)
	for _, s := range stale {
		require.NotEqual(t, q0.ID, s.ID, "a live lease is not stale")
	}
	// Queued again after a failed attempt, it keeps its next attempt's time:
	// stale only once that time is past.
	again0, err := f.store.GetResultLink(ctx, q0.ID)
	require.NoError(t, err)
	next := t1.Add(10 * time.Minute)
	again0.Status, again0.LeaseUntil, again0.UpdatedAt = resultlinks.DeliveryQueued, &next, t1
	settled, err = f.store.SettleResultLink(ctx, again0, t1.Add(time.Minute), nil)
	require.NoError(t, err)
	require.True(t, settled)
	got0, err := f.store.GetResultLink(ctx, q0.ID)
	require.NoError(t, err)
	require.True(t, got0.LeaseUntil.Equal(next))
	stale, err = f.store.ListStaleResultLinks(ctx, t1.Add(5*time.Minute), 10)
	require.NoError(t, err)
	require.Empty(t, stale)
	stale, err = f.store.ListStaleResultLinks(ctx, next.Add(time.Second), 10)
	require.NoError(t, err)
	require.Len(t, stale, 1)

	// A worker that picks a QUEUED link's job and dies leaves it stale once
	// the pick's lease has passed; picking a delivered link changes nothing.
	picked := newLink(f, "")
	_, err = f.store.CreateResultLink(ctx, picked, nil)
	require.NoError(t, err)
	require.NoError(t, f.store.PickResultLink(ctx, picked.ID, t1.Add(time.Minute), t1.Add(30*time.Second)))
	// A second pick within the first's lease changes nothing.
	require.NoError(t, f.store.PickResultLink(ctx, picked.ID, t1.Add(time.Hour), t1.Add(30*time.Second)))
	gotPicked, err := f.store.GetResultLink(ctx, picked.ID)
	require.NoError(t, err)
	require.True(t, gotPicked.LeaseUntil.Equal(t1.Add(time.Minute)))
	stale, err = f.store.ListStaleResultLinks(ctx, t1.Add(2*time.Minute), 10)
	require.NoError(t, err)
	var pickedStale bool
	for _, s := range stale {
		pickedStale = pickedStale || s.ID == picked.ID
	}
	require.True(t, pickedStale)
	require.NoError(t, f.store.PickResultLink(ctx, rl.ID, t1, t1.Add(time.Hour)))
	done2, err := f.store.GetResultLink(ctx, rl.ID)
	require.NoError(t, err)
	require.Nil(t, done2.LeaseUntil, "a delivered link is not picked")

	// FailQueuedResultLink only fails links still QUEUED.
	q := newLink(f, "")
	_, err = f.store.CreateResultLink(ctx, q, nil)
	require.NoError(t, err)
	ok, err = f.store.FailQueuedResultLink(ctx, q.ID, resultlinks.CodeRemoteUnavailable, "down", t1)
	require.NoError(t, err)
	require.True(t, ok)
	failed, err := f.store.GetResultLink(ctx, q.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryFailed, failed.Status)
	require.Equal(t, resultlinks.CodeRemoteUnavailable, failed.ErrorCode)
	ok, err = f.store.FailQueuedResultLink(ctx, rl.ID, resultlinks.CodeRemoteUnavailable, "down", t1)
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = f.store.RequeueResultLink(ctx, q.ID, t1)
	require.NoError(t, err)
	require.True(t, ok)
	requeued, err := f.store.GetResultLink(ctx, q.ID)
	require.NoError(t, err)
	require.Equal(t, resultlinks.DeliveryQueued, requeued.Status)
	ok, err = f.store.RequeueResultLink(ctx, rl.ID, t1)
	require.NoError(t, err)
	require.False(t, ok, "only FAILED links are requeued")
	_, err = f.store.GetResultLink(ctx, resultlinks.NewID())
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
}

func testListResultLinks(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	var ids []string
	for i := 0; i < 5; i++ {
		rl := newLink(f, "")
		rl.CreatedAt = t0.Add(time.Duration(i) * time.Second)
		if i == 4 {
			rl.Status = resultlinks.DeliveryFailed
		}
		_, err := f.store.CreateResultLink(ctx, rl, nil)
		require.NoError(t, err)
		ids = append(ids, rl.ID)
	}
	all, err := f.store.ListResultLinks(ctx, f.env.ID, resultlinks.ResultLinkFilter{})
	require.NoError(t, err)
	require.Len(t, all, 5)
	require.Equal(t, ids[4], all[0].ID, "newest first")
	page, err := f.store.ListResultLinks(ctx, f.env.ID, resultlinks.ResultLinkFilter{Limit: 2, BeforeCreatedAt: &all[1].CreatedAt, BeforeID: all[1].ID})
	require.NoError(t, err)
	require.Len(t, page, 2)
	require.Equal(t, ids[2], page[0].ID)
	failed, err := f.store.ListResultLinks(ctx, f.env.ID, resultlinks.ResultLinkFilter{Status: resultlinks.DeliveryFailed})
	require.NoError(t, err)
	require.Len(t, failed, 1)
	byTarget, err := f.store.ListResultLinks(ctx, f.env.ID, resultlinks.ResultLinkFilter{TargetID: all[0].TargetID, IntegrationID: f.in.ID})
	require.NoError(t, err)
	require.Len(t, byTarget, 1)
	other, err := f.store.ListResultLinks(ctx, resultlinks.NewID(), resultlinks.ResultLinkFilter{})
	require.NoError(t, err)
	require.Empty(t, other, "environments are apart")
}

func testInteractions(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	in := &resultlinks.Interaction{ID: resultlinks.NewID(), EnvironmentID: f.env.ID, IntegrationID: f.in.ID, Method: "POST",
		Route: "POST /v1/ats/applications/{application_id}/result-links", Path: "/v1/ats/applications/x/result-links", Status: 503,
		ErrorCode: resultlinks.CodeRemoteUnavailable, ErrorMessage: "down", ResultLinkID: "rl1", StartedAt: t0, Duration: 1500 * time.Millisecond}
	require.NoError(t, f.store.CreateInteraction(ctx, in))
	got, err := f.store.FindInteraction(ctx, f.env.ID, in.ID)
	require.NoError(t, err)
	require.Equal(t, in, got)
	_, err = f.store.FindInteraction(ctx, resultlinks.NewID(), in.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "environments are apart")

	// Retention deletes old logs and frees old idempotency keys.
	rl := newLink(f, "old-key")
	rl.CreatedAt = t0
	_, err = f.store.CreateResultLink(ctx, rl, nil)
	require.NoError(t, err)
	n, err := f.store.DeleteInteractionsBefore(ctx, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	_, err = f.store.FindInteraction(ctx, f.env.ID, in.ID)
	require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err))
	again := newLink(f, "old-key")
	existing, err := f.store.CreateResultLink(ctx, again, nil)
	require.NoError(t, err)
	require.Nil(t, existing, "an expired key is free again")
}

// testConcurrentCreates accepts many result links at once, as a busy API
// does: each stands or falls alone (a failing queueing rolls back only its
// own link), and two with one idempotency key make one link.
func testConcurrentCreates(t *testing.T, open Opener) {
	ctx := context.Background()
	f := setup(t, open)
	const n = 40
	links := make([]*resultlinks.ResultLink, n)
	for i := range links {
		links[i] = newLink(f, "")
	}
	links[n-1].IdempotencyKey, links[n-2].IdempotencyKey = "same-key", "same-key"
	errs := make([]error, n)
	existing := make([]*resultlinks.ResultLink, n)
	var wg sync.WaitGroup
	for i, rl := range links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			enqueue := func(context.Context, any) error { return nil }
			if i%4 == 1 {
				enqueue = func(context.Context, any) error { return errors.New("queue down") }
			}
			existing[i], errs[i] = f.store.CreateResultLink(ctx, rl, enqueue)
		}()
	}
	wg.Wait()
	deduped := 0
	for i, rl := range links {
		_, err := f.store.GetResultLink(ctx, rl.ID)
		switch {
		case i%4 == 1:
			require.ErrorContains(t, errs[i], "queue down")
			require.Equal(t, resultlinks.CodeNotFound, resultlinks.ErrorCode(err), "a failed create leaves nothing")
		case existing[i] != nil:
			deduped++
			require.NoError(t, errs[i])
			require.Contains(t, []string{links[n-1].ID, links[n-2].ID}, existing[i].ID)
		default:
			require.NoError(t, errs[i])
			require.NoError(t, err, "link %d was stored", i)
		}
	}
	require.Equal(t, 1, deduped, "two links with one key make one")
}
