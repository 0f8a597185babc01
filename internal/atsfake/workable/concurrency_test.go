package workable_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	b := setup(t, workable.Options{Candidates: 5})
	cand := b.fake.Candidates()[0]
	link, _ := b.fake.CustomAttributeByLabel("Assessment Link")
	const workers, each = 8, 10
	var wg sync.WaitGroup
	statuses := make(chan int, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				statuses <- b.call(t, http.MethodPost, "/candidates/"+cand.ID+"/comments",
					map[string]any{"member_id": workable.AdminMemberID, "comment": map[string]any{"body": "c"}}).status
				statuses <- b.call(t, http.MethodPatch, "/candidates/"+cand.ID+"/update_custom_attribute_value",
					map[string]any{"custom_attribute_key": link.ID, "value": strconv.Itoa(w*100 + i)}).status
				statuses <- b.call(t, http.MethodGet, "/candidates?limit=2", nil).status
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Equal(t, http.StatusOK, s)
	}
	require.Len(t, b.fake.Comments(cand.ID), workers*each)
	require.Contains(t, b.fake.CustomAttributeValues(cand.ID), "Assessment Link")
	require.Empty(t, b.call(t, http.MethodGet, "/candidates", nil).header.Get("X-Rate-Limit-Limit"),
		"a disabled limit sends no budget headers")
}
