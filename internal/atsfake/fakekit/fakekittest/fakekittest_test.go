package fakekittest_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/fakekit/fakekittest"
)

func TestClock(t *testing.T) {
	t.Parallel()
	c := fakekittest.NewClock(fakekittest.Start)
	require.Equal(t, fakekittest.Start, c.Now())
	c.Advance(90 * time.Second)
	require.Equal(t, fakekittest.Start.Add(90*time.Second), c.Now())
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	srv := fakekittest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Content-Type", r.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(body)
	}))
	tests := []struct {
		name     string
		body     any
		wantBody string
		wantType string
	}{
		{"no body", nil, "", ""},
		{"string as is", `{"raw":true}`, `{"raw":true}`, "application/json"},
		{"value as JSON", map[string]int{"n": 1}, `{"n":1}`, "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := fakekittest.Do(t, http.DefaultClient, fakekittest.NewRequest(t, http.MethodPost, srv.URL, tt.body))
			require.Equal(t, http.StatusCreated, res.Status)
			require.Equal(t, tt.wantBody, string(res.Body))
			require.Equal(t, tt.wantType, res.Header.Get("X-Content-Type"))
			if tt.body != nil {
				var v any
				fakekittest.Decode(t, res.Body, &v)
			}
		})
	}
}
