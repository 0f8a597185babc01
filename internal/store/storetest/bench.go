package storetest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
)

// The store benchmarks every engine runs: a sync's page of candidates
// (UpsertBatch) and an accepted result link (CreateResultLink).

// benchPageSize is the size of a Greenhouse page, the largest any
// connector asks for.
const benchPageSize = 500

func ptrTo[T any](v T) *T { return &v }

// candidatePage returns a page of candidates shaped like a Greenhouse
// page: names, an e-mail, a phone, tags, two custom fields and timestamps.
// first is the first remote ID; version changes the content.
func candidatePage(first, version int) *resultlinks.Batch {
	b := &resultlinks.Batch{}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(version) * time.Minute)
	for i := 0; i < benchPageSize; i++ {
		n := strconv.Itoa(first + i)
		b.Candidates = append(b.Candidates, &resultlinks.Candidate{
			RemoteID: n, FirstName: ptrTo("First" + n), LastName: ptrTo("Last"), Company: ptrTo("Acme"), Title: ptrTo("Engineer"),
			EmailAddresses: []resultlinks.EmailAddress{{EmailAddress: ptrTo("person" + n + "@example.com"), Type: ptrTo("PERSONAL")}},
			PhoneNumbers:   []resultlinks.PhoneNumber{{PhoneNumber: "+49 30 " + n, Type: ptrTo("MOBILE")}},
			Tags:           []resultlinks.Tag{{RemoteID: "t1", Name: ptrTo("Referral")}},
			CustomFields:   map[string]any{"Desired salary": strconv.Itoa(50_000 + version), "Start date": "2026-05-01"},
			RemoteURL:      ptrTo("https://app.greenhouse.io/people/" + n), RemoteCreatedAt: &at, RemoteUpdatedAt: &at,
		})
	}
	return b
}

// BenchUpsertBatch measures writing a page of candidates (new, then
// changed) to the store.
func BenchUpsertBatch(b *testing.B, s resultlinks.Store, in *resultlinks.Integration) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		page func(i int) *resultlinks.Batch
	}{
		// Every page holds candidates the mirror has not seen (a first sync).
		{"new", func(i int) *resultlinks.Batch { return candidatePage(1_000_000+i*benchPageSize, 0) }},
		// The same page again (a full sync of an unchanged ATS).
		{"unchanged", func(int) *resultlinks.Batch { return candidatePage(0, 0) }},
		// The same candidates with changed content.
		{"changed", func(i int) *resultlinks.Batch { return candidatePage(0, i+1) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			if _, err := s.UpsertBatch(ctx, in.ID, candidatePage(0, 0), time.Now()); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := s.UpsertBatch(ctx, in.ID, c.page(i), time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*benchPageSize)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchCreateResultLink measures storing an accepted result link.
func BenchCreateResultLink(b *testing.B, s resultlinks.Store, in *resultlinks.Integration) {
	ctx := context.Background()
	link := func(key string) *resultlinks.ResultLink {
		now := time.Now().UTC()
		return &resultlinks.ResultLink{
			ID: resultlinks.NewID(), EnvironmentID: in.EnvironmentID, IntegrationID: in.ID, Model: resultlinks.ModelApplications,
			TargetID: resultlinks.NewID(), TargetRemoteID: "4000123", CandidateRemoteID: "3000123", IdempotencyKey: key,
			RequestHash: "0123456789abcdef", Status: resultlinks.DeliveryQueued, CreatedAt: now, UpdatedAt: now,
			Input: resultlinks.ResultLinkInput{Label: "Assessment Result", URL: "https://acme.example/results/5BtP1WC1",
				Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "100%"}, {Key: "Time", Value: "2:30h"}}}},
		}
	}
	// A new link (no enqueue: the job queue's insert is River's).
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.CreateResultLink(ctx, link(""), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A repeated Idempotency-Key: nothing stored, the first link returned.
	b.Run("idempotent-replay", func(b *testing.B) {
		if _, err := s.CreateResultLink(ctx, link("bench-key"), nil); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			existing, err := s.CreateResultLink(ctx, link("bench-key"), nil)
			if err != nil || existing == nil {
				b.Fatalf("replay: %v, %v", existing, err)
			}
		}
	})
}
