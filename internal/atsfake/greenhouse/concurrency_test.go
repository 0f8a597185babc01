package greenhouse_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	b := setup(t, greenhouse.Options{Candidates: 5, HarvestRateLimit: greenhouse.RateLimit{Limit: -1}})
	tok := b.adminToken(t)
	cand := b.fake.Candidates()[0]
	path := "/v3/candidates/" + itoa(cand.ID)

	const workers, each = 8, 10
	var wg sync.WaitGroup
	statuses := make(chan int, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				statuses <- b.call(t, http.MethodPost, "/v3/notes", tok, map[string]any{
					"candidate_id": cand.ID, "body": "note", "note_type": "NOTE", "visibility": "private",
				}).status
				statuses <- b.call(t, http.MethodPatch, path, tok, map[string]any{
					"custom_fields": []any{map[string]any{"name_key": "desired_salary", "value": itoa(int64(w*100 + i))}},
				}).status
				statuses <- b.call(t, http.MethodGet, "/v3/candidates?per_page=2", tok, nil).status
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, s)
	}
	require.Len(t, b.fake.CandidateNotes(cand.ID), workers*each)
	require.Contains(t, b.fake.CandidateCustomFields(cand.ID), "desired_salary")
	require.Empty(t, b.call(t, http.MethodGet, "/v3/candidates", tok, nil).header.Get("X-RateLimit-Limit"),
		"a disabled limit sends no budget headers")
}
