package fakekit_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

func TestLog(t *testing.T) {
	t.Parallel()
	var l fakekit.Log[int]
	require.Nil(t, l.Entries())
	require.Zero(t, l.RateLimited())

	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			l.Record(i)
			l.CountRateLimited()
		})
	}
	wg.Wait()
	require.Len(t, l.Entries(), 10)
	require.Equal(t, 10, l.RateLimited())

	got := l.Entries()
	got[0] = -1
	require.NotContains(t, l.Entries(), -1, "Entries returns a copy")
}

func TestLogBound(t *testing.T) {
	t.Parallel()
	var l fakekit.Log[int]
	for i := range fakekit.MaxLogEntries {
		l.Record(i)
	}
	require.Len(t, l.Entries(), fakekit.MaxLogEntries)
	l.Record(fakekit.MaxLogEntries)
	got := l.Entries()
	require.Len(t, got, fakekit.MaxLogEntries/2+1, "the oldest half is dropped")
	require.Equal(t, fakekit.MaxLogEntries/2, got[0])
	require.Equal(t, fakekit.MaxLogEntries, got[len(got)-1])
}
