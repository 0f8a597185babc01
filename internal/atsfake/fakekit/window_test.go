package fakekit_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit"
)

func TestWindow(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, time.March, 2, 12, 0, 10, 0, time.UTC)
	w := fakekit.NewWindow(2, 30*time.Second)
	require.False(t, w.Off())
	require.Equal(t, 2, w.Remaining(at))
	require.True(t, w.Take(at))
	require.True(t, w.Take(at.Add(5*time.Second)))
	require.False(t, w.Take(at.Add(10*time.Second)), "the window is spent")
	require.Zero(t, w.Remaining(at.Add(10*time.Second)))
	require.Equal(t, at.Add(20*time.Second), w.ResetAt(), "windows are aligned to multiples of their size")

	next := at.Add(20 * time.Second)
	require.True(t, w.Take(next), "a new window has a fresh budget")
	require.Equal(t, 1, w.Remaining(next))
	require.Equal(t, next.Add(30*time.Second), w.ResetAt())

	off := fakekit.NewWindow(-1, time.Second)
	require.True(t, off.Off())
	for range 5 {
		require.True(t, off.Take(at), "a switched-off budget always allows")
	}
}

func TestCeilSeconds(t *testing.T) {
	t.Parallel()
	require.Equal(t, 1, fakekit.CeilSeconds(0))
	require.Equal(t, 1, fakekit.CeilSeconds(-time.Second))
	require.Equal(t, 1, fakekit.CeilSeconds(time.Millisecond))
	require.Equal(t, 2, fakekit.CeilSeconds(1500*time.Millisecond))
	require.Equal(t, 5, fakekit.CeilSeconds(5*time.Second))
}
