package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlstore"
)

type jobDoc struct {
	Name *string `json:"name"`
}

type stageDoc struct {
	Name   *string                  `json:"name"`
	Index  *int                     `json:"index"`
	Status *resultlinks.StageStatus `json:"status"`
}

// UpsertBatch writes records from the ATS in one transaction and returns
// how many of each model it inserted or changed.
func (s *Store) UpsertBatch(ctx context.Context, integrationID string, b *resultlinks.Batch, now time.Time) (resultlinks.Changes, error) {
	sqlstore.DeriveRefs(integrationID, b)
	ts := sqlstore.FormatTime(now)
	changes := resultlinks.Changes{}
	err := s.tx(ctx, func(tx *txConn) error {
		for _, j := range b.Jobs {
			doc, hash, err := sqlstore.Encode(jobDoc{Name: j.Name}, j.RemoteID)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO jobs (integration_id, id, remote_id, doc, hash, changed_at, seen_at) VALUES (?,?,?,?,?,?,?)
				ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, doc = excluded.doc, hash = excluded.hash, changed_at = excluded.changed_at
				WHERE jobs.hash <> excluded.hash`, integrationID, j.ID, j.RemoteID, string(doc), hash, ts, ts)
			if err != nil {
				return fmt.Errorf("sqlite: upsert job: %w", err)
			}
			n, _ := res.RowsAffected()
			changes.Add(resultlinks.ModelJobs, int(n))
		}
		for _, st := range b.Stages {
			doc, hash, err := sqlstore.Encode(stageDoc{Name: st.Name, Index: st.Index, Status: st.Status}, st.RemoteID)
			if err != nil {
				return err
			}
			changed, err := changedRow(tx.QueryRowContext(ctx, `INSERT INTO stages (integration_id, id, remote_id, doc, hash, changed_at, seen_at) VALUES (?,?,?,?,?,?,?)
				ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, doc = excluded.doc, hash = excluded.hash, changed_at = excluded.changed_at
				WHERE stages.hash <> excluded.hash RETURNING id`, integrationID, st.ID, st.RemoteID, string(doc), hash, ts, ts))
			if err != nil {
				return fmt.Errorf("sqlite: upsert stage: %w", err)
			}
			if changed {
				changes.Add(resultlinks.ModelStages, 1)
				// An application's updated_after fires when its current stage changes.
				if _, err := tx.ExecContext(ctx, `UPDATE applications SET touched_at = ? WHERE integration_id = ? AND stage_id = ?`, ts, integrationID, st.ID); err != nil {
					return fmt.Errorf("sqlite: touch applications: %w", err)
				}
			}
		}
		for _, c := range b.Candidates {
			changed, err := upsertCandidate(ctx, tx, integrationID, c, ts)
			if err != nil {
				return err
			}
			changes.Add(resultlinks.ModelCandidates, changed)
		}
		for _, a := range b.Applications {
			changed, err := upsertApplication(ctx, tx, integrationID, a, ts)
			if err != nil {
				return err
			}
			changes.Add(resultlinks.ModelApplications, changed)
		}
		// Unchanged records were not rewritten; mark them seen all the same.
		for _, t := range []struct {
			table string
			ids   []string
		}{
			{"jobs", idsOf(b.Jobs, func(j *resultlinks.Job) string { return j.ID })},
			{"stages", idsOf(b.Stages, func(s *resultlinks.Stage) string { return s.ID })},
			{"candidates", idsOf(b.Candidates, func(c *resultlinks.Candidate) string { return c.ID })},
			{"applications", idsOf(b.Applications, func(a *resultlinks.Application) string { return a.ID })},
		} {
			for chunk := range slices.Chunk(t.ids, 500) {
				args := []any{ts, integrationID}
				in, args := inList(args, chunk)
				if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET seen_at = ? WHERE integration_id = ? AND id IN `+in, args...); err != nil {
					return fmt.Errorf("sqlite: mark seen: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

func idsOf[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = id(v)
	}
	return out
}

// MarkVanished marks the candidates and applications a full sync did not
// see (last seen before seenBefore) as deleted in the ATS, and returns how
// many of each model it marked.
func (s *Store) MarkVanished(ctx context.Context, integrationID string, seenBefore, now time.Time) (resultlinks.Changes, error) {
	before, ts := sqlstore.FormatTime(seenBefore), sqlstore.FormatTime(now)
	changes := resultlinks.Changes{}
	err := s.tx(ctx, func(tx *txConn) error {
		for _, t := range []struct {
			table string
			model resultlinks.Model
		}{{"applications", resultlinks.ModelApplications}, {"candidates", resultlinks.ModelCandidates}} {
			res, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET remote_deleted_at = ?, changed_at = ?, touched_at = ?
				WHERE integration_id = ? AND remote_deleted_at IS NULL AND seen_at < ?`, ts, ts, ts, integrationID, before)
			if err != nil {
				return fmt.Errorf("sqlite: mark vanished %s: %w", t.table, err)
			}
			n, _ := res.RowsAffected()
			changes.Add(t.model, int(n))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// changedRow reports whether an upsert with RETURNING wrote a row.
func changedRow(row *sql.Row) (bool, error) {
	var id string
	err := row.Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// upsertCandidate writes a candidate and returns 1 when it inserted or
// changed it, 0 when it was unchanged.
func upsertCandidate(ctx context.Context, tx *txConn, integrationID string, c *resultlinks.Candidate, ts string) (int, error) {
	d := sqlstore.CandidateDocOf(c)
	deleted := sqlstore.FormatTimePtr(c.RemoteDeletedAt)
	doc, hash, err := sqlstore.Encode(d, c.RemoteID, deleted.String)
	if err != nil {
		return 0, err
	}
	emails, _ := json.Marshal(d.Emails())
	changed, err := changedRow(tx.QueryRowContext(ctx, `INSERT INTO candidates
		(integration_id, id, remote_id, first_name_lc, last_name_lc, emails, doc, hash, changed_at, touched_at, remote_deleted_at, seen_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, first_name_lc = excluded.first_name_lc,
			last_name_lc = excluded.last_name_lc, emails = excluded.emails, doc = excluded.doc, hash = excluded.hash,
			changed_at = excluded.changed_at, touched_at = excluded.touched_at, remote_deleted_at = excluded.remote_deleted_at
		WHERE candidates.hash <> excluded.hash RETURNING id`,
		integrationID, c.ID, c.RemoteID, sqlstore.LowerPtr(c.FirstName), sqlstore.LowerPtr(c.LastName), string(emails),
		string(doc), hash, ts, ts, deleted, ts))
	if err != nil {
		return 0, fmt.Errorf("sqlite: upsert candidate: %w", err)
	}
	if !changed {
		return 0, nil
	}
	// An application's updated_after fires when its candidate changes.
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET touched_at = ? WHERE integration_id = ? AND candidate_id = ?`, ts, integrationID, c.ID); err != nil {
		return 0, fmt.Errorf("sqlite: touch applications: %w", err)
	}
	return 1, nil
}

// upsertApplication writes an application and returns 1 when it inserted
// or changed it, 0 when it was unchanged.
func upsertApplication(ctx context.Context, tx *txConn, integrationID string, a *resultlinks.Application, ts string) (int, error) {
	deleted := sqlstore.FormatTimePtr(a.RemoteDeletedAt)
	var outcome sql.NullString
	if a.Outcome != nil {
		outcome = sql.NullString{String: string(*a.Outcome), Valid: true}
	}
	doc, hash, err := sqlstore.Encode(sqlstore.ApplicationDocOf(a), a.RemoteID, deref(a.CandidateID), deref(a.JobID), deref(a.CurrentStageID), outcome.String, deleted.String)
	if err != nil {
		return 0, err
	}
	changed, err := changedRow(tx.QueryRowContext(ctx, `INSERT INTO applications
		(integration_id, id, remote_id, candidate_id, job_id, stage_id, outcome, doc, hash, changed_at, touched_at, remote_deleted_at, seen_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, candidate_id = excluded.candidate_id,
			job_id = excluded.job_id, stage_id = excluded.stage_id, outcome = excluded.outcome, doc = excluded.doc, hash = excluded.hash,
			changed_at = excluded.changed_at, touched_at = excluded.touched_at, remote_deleted_at = excluded.remote_deleted_at
		WHERE applications.hash <> excluded.hash RETURNING id`,
		integrationID, a.ID, a.RemoteID, a.CandidateID, a.JobID, a.CurrentStageID, outcome, string(doc), hash, ts, ts, deleted, ts))
	if err != nil {
		return 0, fmt.Errorf("sqlite: upsert application: %w", err)
	}
	if !changed {
		return 0, nil
	}
	if a.CandidateID != nil {
		// A candidate's updated_after fires when one of its applications changes.
		if _, err := tx.ExecContext(ctx, `UPDATE candidates SET touched_at = ? WHERE integration_id = ? AND id = ?`, ts, integrationID, *a.CandidateID); err != nil {
			return 0, fmt.Errorf("sqlite: touch candidate: %w", err)
		}
	}
	return 1, nil
}

const candidateColumns = `id, remote_id, doc, changed_at, remote_deleted_at`

func scanCandidate(r scanner) (*resultlinks.Candidate, error) {
	var c resultlinks.Candidate
	var doc, changed string
	var deleted sql.NullString
	if err := r.Scan(&c.ID, &c.RemoteID, &doc, &changed, &deleted); err != nil {
		return nil, err
	}
	var d sqlstore.CandidateDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, fmt.Errorf("sqlite: candidate %s: %w", c.ID, err)
	}
	d.Apply(&c)
	var err error
	if c.ChangedAt, err = sqlstore.ParseTime(changed); err != nil {
		return nil, err
	}
	if c.RemoteDeletedAt, err = sqlstore.ParseTimePtr(deleted); err != nil {
		return nil, err
	}
	return &c, nil
}

const applicationColumns = `id, remote_id, candidate_id, job_id, stage_id, outcome, doc, changed_at, remote_deleted_at`

func scanApplication(r scanner) (*resultlinks.Application, error) {
	var a resultlinks.Application
	var candidateID, jobID, stageID, outcome, deleted sql.NullString
	var doc, changed string
	if err := r.Scan(&a.ID, &a.RemoteID, &candidateID, &jobID, &stageID, &outcome, &doc, &changed, &deleted); err != nil {
		return nil, err
	}
	var d sqlstore.ApplicationDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, fmt.Errorf("sqlite: application %s: %w", a.ID, err)
	}
	d.Apply(&a)
	a.CandidateID, a.JobID, a.CurrentStageID = nullPtr(candidateID), nullPtr(jobID), nullPtr(stageID)
	if outcome.Valid {
		o := resultlinks.Outcome(outcome.String)
		a.Outcome = &o
	}
	var err error
	if a.ChangedAt, err = sqlstore.ParseTime(changed); err != nil {
		return nil, err
	}
	if a.RemoteDeletedAt, err = sqlstore.ParseTimePtr(deleted); err != nil {
		return nil, err
	}
	return &a, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nullPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// ListCandidates returns the candidates matching f, ordered by ID.
func (s *Store) ListCandidates(ctx context.Context, integrationID string, f resultlinks.CandidateFilter) ([]*resultlinks.Candidate, error) {
	where := []string{"c.integration_id = ?"}
	args := []any{integrationID}
	if f.After != "" {
		where, args = append(where, "c.id > ?"), append(args, f.After)
	}
	if !f.IncludeDeleted {
		where = append(where, "c.remote_deleted_at IS NULL")
	}
	if len(f.IDs) > 0 {
		var in string
		in, args = inList(args, f.IDs)
		where = append(where, "c.id IN "+in)
	}
	if len(f.RemoteIDs) > 0 {
		var in string
		in, args = inList(args, f.RemoteIDs)
		where = append(where, "c.remote_id IN "+in)
	}
	if f.Email != "" {
		where, args = append(where, "EXISTS (SELECT 1 FROM json_each(c.emails) e WHERE e.value = ?)"), append(args, strings.ToLower(f.Email))
	}
	if f.FirstName != "" {
		where, args = append(where, "c.first_name_lc = ?"), append(args, strings.ToLower(f.FirstName))
	}
	if f.LastName != "" {
		where, args = append(where, "c.last_name_lc = ?"), append(args, strings.ToLower(f.LastName))
	}
	if len(f.JobIDs) > 0 {
		var in string
		in, args = inList(args, f.JobIDs)
		where = append(where, "EXISTS (SELECT 1 FROM applications a WHERE a.integration_id = c.integration_id AND a.candidate_id = c.id AND a.job_id IN "+in+")")
	}
	if f.UpdatedAfter != nil {
		where, args = append(where, "c.touched_at > ?"), append(args, sqlstore.FormatTime(*f.UpdatedAfter))
	}
	args = append(args, limitOf(f.Limit))
	q := `SELECT ` + prefixed("c.", candidateColumns) + ` FROM candidates c WHERE ` + strings.Join(where, " AND ") + ` ORDER BY c.id LIMIT ?`
	cands, err := queryAll(ctx, s.read, q, args, scanCandidate)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list candidates: %w", err)
	}
	if len(cands) == 0 {
		return cands, nil
	}
	ids := make([]string, len(cands))
	byID := make(map[string]*resultlinks.Candidate, len(cands))
	for i, c := range cands {
		ids[i], byID[c.ID] = c.ID, c
		c.Applications = []*resultlinks.Application{}
	}
	aargs := []any{integrationID}
	in, aargs := inList(aargs, ids)
	aq := `SELECT ` + applicationColumns + ` FROM applications WHERE integration_id = ? AND candidate_id IN ` + in
	if !f.IncludeDeleted {
		aq += ` AND remote_deleted_at IS NULL`
	}
	apps, err := queryAll(ctx, s.read, aq+` ORDER BY id`, aargs, scanApplication)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list candidates' applications: %w", err)
	}
	if err := s.attachJobsAndStages(ctx, integrationID, apps); err != nil {
		return nil, err
	}
	for _, a := range apps {
		c := byID[*a.CandidateID]
		c.Applications = append(c.Applications, a)
	}
	return cands, nil
}

// ListApplications returns the applications matching f, ordered by ID.
func (s *Store) ListApplications(ctx context.Context, integrationID string, f resultlinks.ApplicationFilter) ([]*resultlinks.Application, error) {
	where := []string{"integration_id = ?"}
	args := []any{integrationID}
	if f.After != "" {
		where, args = append(where, "id > ?"), append(args, f.After)
	}
	if !f.IncludeDeleted {
		where = append(where, "remote_deleted_at IS NULL")
	}
	var in string
	if len(f.IDs) > 0 {
		in, args = inList(args, f.IDs)
		where = append(where, "id IN "+in)
	}
	if len(f.RemoteIDs) > 0 {
		in, args = inList(args, f.RemoteIDs)
		where = append(where, "remote_id IN "+in)
	}
	if len(f.Outcomes) > 0 {
		in, args = inList(args, f.Outcomes)
		where = append(where, "outcome IN "+in)
	}
	if len(f.JobIDs) > 0 {
		in, args = inList(args, f.JobIDs)
		where = append(where, "job_id IN "+in)
	}
	if f.UpdatedAfter != nil {
		where, args = append(where, "touched_at > ?"), append(args, sqlstore.FormatTime(*f.UpdatedAfter))
	}
	args = append(args, limitOf(f.Limit))
	apps, err := queryAll(ctx, s.read, `SELECT `+applicationColumns+` FROM applications WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args, scanApplication)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list applications: %w", err)
	}
	if err := s.attachAll(ctx, integrationID, apps); err != nil {
		return nil, err
	}
	return apps, nil
}

// attachAll fills the candidate, job and stage of each application.
func (s *Store) attachAll(ctx context.Context, integrationID string, apps []*resultlinks.Application) error {
	if len(apps) == 0 {
		return nil
	}
	set := map[string]bool{}
	for _, a := range apps {
		if a.CandidateID != nil {
			set[*a.CandidateID] = true
		}
	}
	if len(set) > 0 {
		args := []any{integrationID}
		in, args := inList(args, slices.Sorted(maps.Keys(set)))
		cands, err := queryAll(ctx, s.read, `SELECT `+candidateColumns+` FROM candidates WHERE integration_id = ? AND id IN `+in, args, scanCandidate)
		if err != nil {
			return fmt.Errorf("sqlite: applications' candidates: %w", err)
		}
		byID := map[string]*resultlinks.Candidate{}
		for _, c := range cands {
			byID[c.ID] = c
		}
		for _, a := range apps {
			if a.CandidateID != nil {
				a.Candidate = byID[*a.CandidateID]
			}
		}
	}
	return s.attachJobsAndStages(ctx, integrationID, apps)
}

// attachJobsAndStages fills the job and current stage of each application.
func (s *Store) attachJobsAndStages(ctx context.Context, integrationID string, apps []*resultlinks.Application) error {
	jobIDs, stageIDs := map[string]bool{}, map[string]bool{}
	for _, a := range apps {
		if a.JobID != nil {
			jobIDs[*a.JobID] = true
		}
		if a.CurrentStageID != nil {
			stageIDs[*a.CurrentStageID] = true
		}
	}
	jobs := map[string]*resultlinks.Job{}
	if len(jobIDs) > 0 {
		args := []any{integrationID}
		in, args := inList(args, slices.Sorted(maps.Keys(jobIDs)))
		list, err := queryAll(ctx, s.read, `SELECT id, remote_id, doc FROM jobs WHERE integration_id = ? AND id IN `+in, args, func(r scanner) (*resultlinks.Job, error) {
			var j resultlinks.Job
			var doc string
			if err := r.Scan(&j.ID, &j.RemoteID, &doc); err != nil {
				return nil, err
			}
			var d jobDoc
			err := json.Unmarshal([]byte(doc), &d)
			j.Name = d.Name
			return &j, err
		})
		if err != nil {
			return fmt.Errorf("sqlite: applications' jobs: %w", err)
		}
		for _, j := range list {
			jobs[j.ID] = j
		}
	}
	stages := map[string]*resultlinks.Stage{}
	if len(stageIDs) > 0 {
		args := []any{integrationID}
		in, args := inList(args, slices.Sorted(maps.Keys(stageIDs)))
		list, err := queryAll(ctx, s.read, `SELECT id, remote_id, doc FROM stages WHERE integration_id = ? AND id IN `+in, args, func(r scanner) (*resultlinks.Stage, error) {
			var st resultlinks.Stage
			var doc string
			if err := r.Scan(&st.ID, &st.RemoteID, &doc); err != nil {
				return nil, err
			}
			var d stageDoc
			err := json.Unmarshal([]byte(doc), &d)
			st.Name, st.Index, st.Status = d.Name, d.Index, d.Status
			return &st, err
		})
		if err != nil {
			return fmt.Errorf("sqlite: applications' stages: %w", err)
		}
		for _, st := range list {
			stages[st.ID] = st
		}
	}
	for _, a := range apps {
		if a.JobID != nil {
			a.Job = jobs[*a.JobID]
		}
		if a.CurrentStageID != nil {
			a.CurrentStage = stages[*a.CurrentStageID]
		}
	}
	return nil
}

// FindCandidate returns one candidate with its applications.
func (s *Store) FindCandidate(ctx context.Context, integrationID, id string) (*resultlinks.Candidate, error) {
	list, err := s.ListCandidates(ctx, integrationID, resultlinks.CandidateFilter{IDs: []string{id}, IncludeDeleted: true, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Candidate %q was not found in this integration.", id)
	}
	return list[0], nil
}

// FindApplication returns one application with candidate, job and stage.
func (s *Store) FindApplication(ctx context.Context, integrationID, id string) (*resultlinks.Application, error) {
	list, err := s.ListApplications(ctx, integrationID, resultlinks.ApplicationFilter{IDs: []string{id}, IncludeDeleted: true, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, resultlinks.Errorf(resultlinks.CodeNotFound, "Application %q was not found in this integration.", id)
	}
	return list[0], nil
}

// SetCustomFields sets custom fields on one mirrored record.
func (s *Store) SetCustomFields(ctx context.Context, integrationID string, model resultlinks.Model, id string, fields map[string]any, now time.Time) error {
	ts := sqlstore.FormatTime(now)
	return s.tx(ctx, func(tx *txConn) error {
		switch model {
		case resultlinks.ModelCandidates:
			c, err := scanCandidate(tx.QueryRowContext(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE integration_id = ? AND id = ?`, integrationID, id))
			if errors.Is(err, sql.ErrNoRows) {
				return resultlinks.Errorf(resultlinks.CodeNotFound, "Candidate %q was not found in this integration.", id)
			}
			if err != nil {
				return fmt.Errorf("sqlite: set custom fields: %w", err)
			}
			c.CustomFields = merged(c.CustomFields, fields)
			_, err = upsertCandidate(ctx, tx, integrationID, c, ts)
			return err
		case resultlinks.ModelApplications:
			a, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE integration_id = ? AND id = ?`, integrationID, id))
			if errors.Is(err, sql.ErrNoRows) {
				return resultlinks.Errorf(resultlinks.CodeNotFound, "Application %q was not found in this integration.", id)
			}
			if err != nil {
				return fmt.Errorf("sqlite: set custom fields: %w", err)
			}
			a.CustomFields = merged(a.CustomFields, fields)
			_, err = upsertApplication(ctx, tx, integrationID, a, ts)
			return err
		}
		return fmt.Errorf("sqlite: set custom fields: unknown model %q", model)
	})
}

func merged(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	maps.Copy(out, a)
	maps.Copy(out, b)
	return out
}

func limitOf(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryAll[T any](ctx context.Context, q queryer, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
