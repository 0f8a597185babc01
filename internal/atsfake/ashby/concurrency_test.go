package ashby_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
)

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	b := setup(t, ashby.Options{Candidates: 5, RateLimit: ashby.RateLimit{Limit: -1}})
	cand := b.fake.Candidates()[0]
	app := b.fake.Applications(cand.ID)[0]
	score := fieldByTitle(t, b.fake, "Application", "Interview Score")

	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan string, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				for _, c := range []struct {
					endpoint string
					body     map[string]any
				}{
					{"candidate.createNote", map[string]any{"candidateId": cand.ID, "note": fmt.Sprintf("n%d-%d", w, i)}},
					{"customField.setValue", map[string]any{"objectId": app.ID, "objectType": "Application", "fieldId": score.ID, "fieldValue": w*100 + i}},
					{"candidate.list", map[string]any{"limit": 2}},
				} {
					res := b.call(t, c.endpoint, c.body)
					var env struct {
						Success bool `json:"success"`
					}
					if res.status != 200 || json.Unmarshal(res.body, &env) != nil || !env.Success {
						errs <- string(res.body)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("unexpected failure: %s", e)
	}
	require.Len(t, b.fake.CandidateNotes(cand.ID), workers*each)
	require.Len(t, b.fake.ApplicationCustomFields(app.ID), 1)
}
