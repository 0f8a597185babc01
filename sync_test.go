package resultlinks_test

import (
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

func TestChanges(t *testing.T) {
	t.Parallel()
	c := resultlinks.Changes{}
	c.Add(resultlinks.ModelJobs, 2)
	c.Add(resultlinks.ModelCandidates, 0)
	c.Add(resultlinks.ModelStages, -1)
	c.Merge(resultlinks.Changes{resultlinks.ModelJobs: 1, resultlinks.ModelApplications: 4})
	require.Equal(t, resultlinks.Changes{resultlinks.ModelJobs: 3, resultlinks.ModelApplications: 4}, c, "no zero or negative counts")
	require.Equal(t, 7, c.Total())
	require.Equal(t, []resultlinks.Model{resultlinks.ModelApplications, resultlinks.ModelJobs}, c.Models())
	require.Empty(t, resultlinks.Changes(nil).Models())
}
