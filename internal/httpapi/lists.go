package httpapi

import (
	"net/http"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// readable refuses reads of an integration whose first sync has not finished.
func readable(in *resultlinks.Integration) error {
	if in.SetupStatus != resultlinks.SetupCompleted {
		return resultlinks.Errorf(resultlinks.CodeSetupSyncPending, "The first sync of integration %q has not finished yet; its data can be read once it has.", in.ID)
	}
	return nil
}

func (a *API) listCandidates(w http.ResponseWriter, r *http.Request) error {
	in := integrationOf(r.Context())
	if err := readable(in); err != nil {
		return err
	}
	q, err := parseList(r.URL.Query())
	if err != nil {
		return err
	}
	email, err := emailParam(q.values)
	if err != nil {
		return err
	}
	cands, err := a.store.ListCandidates(r.Context(), in.ID, resultlinks.CandidateFilter{
		After: q.after, Limit: q.size + 1, IDs: q.ids, RemoteIDs: q.remote, JobIDs: q.jobIDs,
		Email: email, FirstName: q.values.Get("first_name"), LastName: q.values.Get("last_name"),
		UpdatedAfter: q.since, IncludeDeleted: q.all,
	})
	if err != nil {
		return err
	}
	page := wire.Page[wire.Candidate]{Results: []wire.Candidate{}}
	if len(cands) > q.size {
		cands = cands[:q.size]
		page.Next = ptr(encodeCursor(cands[len(cands)-1].ID))
	}
	for _, c := range cands {
		page.Results = append(page.Results, candidateToWire(c))
	}
	writeData(w, page)
	return nil
}

func (a *API) listApplications(w http.ResponseWriter, r *http.Request) error {
	in := integrationOf(r.Context())
	if err := readable(in); err != nil {
		return err
	}
	q, err := parseList(r.URL.Query())
	if err != nil {
		return err
	}
	outcomes, err := outcomesParam(q.values)
	if err != nil {
		return err
	}
	apps, err := a.store.ListApplications(r.Context(), in.ID, resultlinks.ApplicationFilter{
		After: q.after, Limit: q.size + 1, IDs: q.ids, RemoteIDs: q.remote, JobIDs: q.jobIDs,
		Outcomes: outcomes, UpdatedAfter: q.since, IncludeDeleted: q.all,
	})
	if err != nil {
		return err
	}
	page := wire.Page[wire.Application]{Results: []wire.Application{}}
	if len(apps) > q.size {
		apps = apps[:q.size]
		page.Next = ptr(encodeCursor(apps[len(apps)-1].ID))
	}
	for _, ap := range apps {
		page.Results = append(page.Results, applicationToWire(ap))
	}
	writeData(w, page)
	return nil
}
