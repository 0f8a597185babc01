package lever_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	b := setup(t, lever.Options{Candidates: 5})
	opp := b.fake.Opportunities()[0]
	seeded := len(b.fake.Notes(opp.ID))
	const workers, each = 8, 10
	var wg sync.WaitGroup
	statuses := make(chan int, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				statuses <- b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/notes", map[string]any{"value": "note"}).status
				statuses <- b.call(t, http.MethodPost, "/v1/opportunities/"+opp.ID+"/addLinks",
					map[string]any{"links": []string{"https://vendor.example/" + strconv.Itoa(w*100+i)}}).status
				statuses <- b.call(t, http.MethodGet, "/v1/opportunities?limit=2", nil).status
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, s)
	}
	require.Len(t, b.fake.Notes(opp.ID), seeded+workers*each)
	require.GreaterOrEqual(t, len(b.fake.Links(opp.ID)), workers*each)
}
