package resultlinks_test

import (
	"strconv"
	"testing"

	"github.com/resultlinks/resultlinks"
)

// The benchmarks of the identifiers: every accepted result link gets a
// NewID, and a sync derives one ID per mirrored record (and one per
// reference), so DeriveID runs hundreds of thousands of times per large sync.

var idSink string

func BenchmarkNewID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		idSink = resultlinks.NewID()
	}
}

func BenchmarkDeriveID(b *testing.B) {
	integration := "greenhouse:" + resultlinks.NewID()
	remote := make([]string, 1024)
	for i := range remote {
		remote[i] = strconv.Itoa(40_000_000 + i*7919)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		idSink = resultlinks.DeriveID(integration, resultlinks.ModelCandidates, remote[i%len(remote)])
	}
}

func BenchmarkIsID(b *testing.B) {
	id := resultlinks.NewID()
	b.ReportAllocs()
	for b.Loop() {
		if !resultlinks.IsID(id) {
			b.Fatal("not an ID")
		}
	}
}
