package smartrecruiters_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	b := setup(t, smartrecruiters.Options{Candidates: 5, RateLimit: smartrecruiters.RateLimit{Limit: -1},
		ConcurrencyLimit: -1, CandidatesConcurrencyLimit: -1})
	cand := b.fake.Candidates()[0]
	path := "/candidates/" + cand.ID + "/jobs/" + cand.PrimaryAssignment.Job.ID + "/properties"

	const workers, each = 8, 10
	var wg sync.WaitGroup
	statuses := make(chan int, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				statuses <- b.call(t, http.MethodPost, "/messages/shares", map[string]any{
					"content": fmt.Sprintf("#[CANDIDATE:%s] n%d-%d", cand.ID, w, i), "shareWith": map[string]any{"openNote": true},
				}).status
				statuses <- b.call(t, http.MethodPut, path, []map[string]any{{"id": "portfolio", "value": fmt.Sprint(w*100 + i)}}).status
				statuses <- b.call(t, http.MethodGet, "/candidates?limit=2", nil).status
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusCreated, http.StatusNoContent}, s)
	}
	require.Len(t, b.fake.CandidateMessages(cand.ID), workers*each)
	total, cands := b.fake.InFlight()
	require.Zero(t, total+cands)
}
