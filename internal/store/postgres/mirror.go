package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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

// The upserts of UpsertBatch. A row whose hash did not change is left as it
// is (it keeps changed_at); a changed or new row is written with seen_at, and
// the rows that nest it are touched in the same statement. upsertJob's
// rows affected, and the other statements' one row, count the rows written.
const (
	upsertJob = `INSERT INTO jobs (integration_id, id, remote_id, doc, hash, changed_at, seen_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, doc = excluded.doc, hash = excluded.hash,
			changed_at = excluded.changed_at, seen_at = excluded.seen_at
		WHERE jobs.hash <> excluded.hash`

	// An application's updated_after fires when its current stage changes.
	upsertStage = `WITH changed AS (
			INSERT INTO stages (integration_id, id, remote_id, doc, hash, changed_at, seen_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
			ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, doc = excluded.doc, hash = excluded.hash,
				changed_at = excluded.changed_at, seen_at = excluded.seen_at
			WHERE stages.hash <> excluded.hash
			RETURNING id
		), touched AS (
			UPDATE applications a SET touched_at = $6 FROM changed WHERE a.integration_id = $1 AND a.stage_id = changed.id
			RETURNING 1
		)
		SELECT count(*) FROM changed`

	// An application's updated_after fires when its candidate changes.
	upsertCandidate = `WITH changed AS (
			INSERT INTO candidates (integration_id, id, remote_id, first_name_lc, last_name_lc, emails, doc, hash, changed_at, touched_at,
				remote_deleted_at, seen_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $9)
			ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, first_name_lc = excluded.first_name_lc,
				last_name_lc = excluded.last_name_lc, emails = excluded.emails, doc = excluded.doc, hash = excluded.hash,
				changed_at = excluded.changed_at, touched_at = excluded.touched_at, remote_deleted_at = excluded.remote_deleted_at,
				seen_at = excluded.seen_at
			WHERE candidates.hash <> excluded.hash
			RETURNING id
		), touched AS (
			UPDATE applications a SET touched_at = $9 FROM changed WHERE a.integration_id = $1 AND a.candidate_id = changed.id
			RETURNING 1
		)
		SELECT count(*) FROM changed`

	// A candidate's updated_after fires when one of its applications changes.
	upsertApplication = `WITH changed AS (
			INSERT INTO applications (integration_id, id, remote_id, candidate_id, job_id, stage_id, outcome, doc, hash, changed_at, touched_at,
				remote_deleted_at, seen_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $10)
			ON CONFLICT (integration_id, id) DO UPDATE SET remote_id = excluded.remote_id, candidate_id = excluded.candidate_id,
				job_id = excluded.job_id, stage_id = excluded.stage_id, outcome = excluded.outcome, doc = excluded.doc, hash = excluded.hash,
				changed_at = excluded.changed_at, touched_at = excluded.touched_at, remote_deleted_at = excluded.remote_deleted_at,
				seen_at = excluded.seen_at
			WHERE applications.hash <> excluded.hash
			RETURNING candidate_id
		), touched AS (
			UPDATE candidates c SET touched_at = $10 FROM changed WHERE c.integration_id = $1 AND c.id = changed.candidate_id
			RETURNING 1
		)
		SELECT count(*) FROM changed`
)

// UpsertBatch writes records from the ATS in one transaction, sending its
// statements to the server in one round trip, and returns how many of each
// model it inserted or changed.
func (s *Store) UpsertBatch(ctx context.Context, integrationID string, b *resultlinks.Batch, now time.Time) (resultlinks.Changes, error) {
	sqlstore.DeriveRefs(integrationID, b)
	now = ts(now)
	var batch pgx.Batch
	var what []string              // what each queued statement does, for errors
	var models []resultlinks.Model // what each queued upsert counts; "" for the others
	queue := func(desc string, m resultlinks.Model, sql string, args ...any) {
		batch.Queue(sql, args...)
		what = append(what, desc)
		models = append(models, m)
	}
	for _, j := range b.Jobs {
		doc, hash, err := sqlstore.Encode(jobDoc{Name: j.Name}, j.RemoteID)
		if err != nil {
			return nil, fmt.Errorf("postgres: upsert job %s: %w", j.RemoteID, err)
		}
		queue("upsert job "+j.RemoteID, resultlinks.ModelJobs, upsertJob, integrationID, j.ID, j.RemoteID, jsonb(doc), hash, now)
	}
	for _, st := range b.Stages {
		doc, hash, err := sqlstore.Encode(stageDoc{Name: st.Name, Index: st.Index, Status: st.Status}, st.RemoteID)
		if err != nil {
			return nil, fmt.Errorf("postgres: upsert stage %s: %w", st.RemoteID, err)
		}
		queue("upsert stage "+st.RemoteID, resultlinks.ModelStages, upsertStage, integrationID, st.ID, st.RemoteID, jsonb(doc), hash, now)
	}
	for _, c := range b.Candidates {
		args, err := candidateArgs(integrationID, c, now)
		if err != nil {
			return nil, err
		}
		queue("upsert candidate "+c.RemoteID, resultlinks.ModelCandidates, upsertCandidate, args...)
	}
	for _, a := range b.Applications {
		args, err := applicationArgs(integrationID, a, now)
		if err != nil {
			return nil, err
		}
		queue("upsert application "+a.RemoteID, resultlinks.ModelApplications, upsertApplication, args...)
	}
	// Unchanged records were not rewritten; mark them seen all the same.
	if len(b.Jobs) > 0 {
		queue("mark jobs seen", "", `UPDATE jobs SET seen_at = $1 WHERE integration_id = $2 AND id = ANY($3) AND seen_at <> $1`,
			now, integrationID, idsOf(b.Jobs, func(j *resultlinks.Job) string { return j.ID }))
	}
	if len(b.Stages) > 0 {
		queue("mark stages seen", "", `UPDATE stages SET seen_at = $1 WHERE integration_id = $2 AND id = ANY($3) AND seen_at <> $1`,
			now, integrationID, idsOf(b.Stages, func(s *resultlinks.Stage) string { return s.ID }))
	}
	if len(b.Candidates) > 0 {
		queue("mark candidates seen", "", `UPDATE candidates SET seen_at = $1 WHERE integration_id = $2 AND id = ANY($3) AND seen_at <> $1`,
			now, integrationID, idsOf(b.Candidates, func(c *resultlinks.Candidate) string { return c.ID }))
	}
	if len(b.Applications) > 0 {
		queue("mark applications seen", "", `UPDATE applications SET seen_at = $1 WHERE integration_id = $2 AND id = ANY($3) AND seen_at <> $1`,
			now, integrationID, idsOf(b.Applications, func(a *resultlinks.Application) string { return a.ID }))
	}
	changes := resultlinks.Changes{}
	if len(what) == 0 {
		return changes, nil
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockMirror(ctx, tx, integrationID); err != nil {
			return err
		}
		results := tx.SendBatch(ctx, &batch)
		for i, desc := range what {
			n, err := batchCount(results, models[i])
			if err != nil {
				results.Close()
				return fmt.Errorf("postgres: %s: %w", desc, err)
			}
			changes.Add(models[i], n)
		}
		if err := results.Close(); err != nil {
			return fmt.Errorf("postgres: upsert batch: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// batchCount reads the next result of an UpsertBatch batch and returns the
// rows it wrote of model m: upsertJob's rows affected, the count the other
// upserts select, or 0 for a statement that counts nothing (m empty).
func batchCount(results pgx.BatchResults, m resultlinks.Model) (int, error) {
	switch m {
	case "":
		_, err := results.Exec()
		return 0, err
	case resultlinks.ModelJobs:
		tag, err := results.Exec()
		return int(tag.RowsAffected()), err
	}
	var n int
	err := results.QueryRow().Scan(&n)
	return n, err
}

func idsOf[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = id(v)
	}
	return out
}

// candidateArgs returns the arguments of upsertCandidate. The hash covers
// the same content, encoded the same way, as the SQLite store's.
func candidateArgs(integrationID string, c *resultlinks.Candidate, now time.Time) ([]any, error) {
	d := sqlstore.CandidateDocOf(c)
	doc, hash, err := sqlstore.Encode(d, c.RemoteID, sqlstore.FormatTimePtr(c.RemoteDeletedAt).String)
	if err != nil {
		return nil, fmt.Errorf("postgres: upsert candidate %s: %w", c.RemoteID, err)
	}
	emails := d.Emails()
	for i, e := range emails {
		emails[i] = text(e)
	}
	return []any{integrationID, c.ID, c.RemoteID, text(sqlstore.LowerPtr(c.FirstName)), text(sqlstore.LowerPtr(c.LastName)), emails,
		jsonb(doc), hash, now, tsPtr(c.RemoteDeletedAt)}, nil
}

// applicationArgs returns the arguments of upsertApplication, with the same
// hash as the SQLite store's.
func applicationArgs(integrationID string, a *resultlinks.Application, now time.Time) ([]any, error) {
	var outcome *string
	if a.Outcome != nil {
		o := string(*a.Outcome)
		outcome = &o
	}
	doc, hash, err := sqlstore.Encode(sqlstore.ApplicationDocOf(a), a.RemoteID, deref(a.CandidateID), deref(a.JobID), deref(a.CurrentStageID),
		deref(outcome), sqlstore.FormatTimePtr(a.RemoteDeletedAt).String)
	if err != nil {
		return nil, fmt.Errorf("postgres: upsert application %s: %w", a.RemoteID, err)
	}
	return []any{integrationID, a.ID, a.RemoteID, a.CandidateID, a.JobID, a.CurrentStageID, outcome, jsonb(doc), hash, now,
		tsPtr(a.RemoteDeletedAt)}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// MarkVanished marks the candidates and applications a full sync did not
// see (last seen before seenBefore) as deleted in the ATS, and returns how
// many of each model it marked.
func (s *Store) MarkVanished(ctx context.Context, integrationID string, seenBefore, now time.Time) (resultlinks.Changes, error) {
	before, at := ts(seenBefore), ts(now)
	changes := resultlinks.Changes{}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockMirror(ctx, tx, integrationID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE applications SET remote_deleted_at = $1, changed_at = $1, touched_at = $1
			WHERE integration_id = $2 AND remote_deleted_at IS NULL AND seen_at < $3`, at, integrationID, before)
		if err != nil {
			return fmt.Errorf("postgres: mark vanished applications: %w", err)
		}
		changes.Add(resultlinks.ModelApplications, int(tag.RowsAffected()))
		tag, err = tx.Exec(ctx, `UPDATE candidates SET remote_deleted_at = $1, changed_at = $1, touched_at = $1
			WHERE integration_id = $2 AND remote_deleted_at IS NULL AND seen_at < $3`, at, integrationID, before)
		if err != nil {
			return fmt.Errorf("postgres: mark vanished candidates: %w", err)
		}
		changes.Add(resultlinks.ModelCandidates, int(tag.RowsAffected()))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

const candidateColumns = `id, remote_id, doc, changed_at, remote_deleted_at`

func scanCandidate(r pgx.Row) (*resultlinks.Candidate, error) {
	var c resultlinks.Candidate
	var doc []byte
	if err := r.Scan(&c.ID, &c.RemoteID, &doc, &c.ChangedAt, &c.RemoteDeletedAt); err != nil {
		return nil, err
	}
	var d sqlstore.CandidateDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("candidate %s: %w", c.ID, err)
	}
	d.Apply(&c)
	c.ChangedAt, c.RemoteDeletedAt = c.ChangedAt.UTC(), utcPtr(c.RemoteDeletedAt)
	return &c, nil
}

const applicationColumns = `id, remote_id, candidate_id, job_id, stage_id, outcome, doc, changed_at, remote_deleted_at`

func scanApplication(r pgx.Row) (*resultlinks.Application, error) {
	var a resultlinks.Application
	var outcome *string
	var doc []byte
	if err := r.Scan(&a.ID, &a.RemoteID, &a.CandidateID, &a.JobID, &a.CurrentStageID, &outcome, &doc, &a.ChangedAt, &a.RemoteDeletedAt); err != nil {
		return nil, err
	}
	var d sqlstore.ApplicationDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("application %s: %w", a.ID, err)
	}
	d.Apply(&a)
	if outcome != nil {
		o := resultlinks.Outcome(*outcome)
		a.Outcome = &o
	}
	a.ChangedAt, a.RemoteDeletedAt = a.ChangedAt.UTC(), utcPtr(a.RemoteDeletedAt)
	return &a, nil
}

// where collects the conditions and arguments of a filtered query.
type where struct {
	conds []string
	args  []any
}

// add appends a condition and its arguments, numbering its placeholders
// ($?) after the arguments already collected.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "$?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// ListCandidates returns the candidates matching f, ordered by ID, with
// their applications.
func (s *Store) ListCandidates(ctx context.Context, integrationID string, f resultlinks.CandidateFilter) ([]*resultlinks.Candidate, error) {
	var w where
	w.add("c.integration_id = $?", integrationID)
	if f.After != "" {
		w.add("c.id > $?", f.After)
	}
	if !f.IncludeDeleted {
		w.conds = append(w.conds, "c.remote_deleted_at IS NULL")
	}
	if len(f.IDs) > 0 {
		w.add("c.id = ANY($?)", f.IDs)
	}
	if len(f.RemoteIDs) > 0 {
		w.add("c.remote_id = ANY($?)", f.RemoteIDs)
	}
	if f.Email != "" {
		w.add("c.emails @> ARRAY[$?::text]", text(strings.ToLower(f.Email)))
	}
	if f.FirstName != "" {
		w.add("c.first_name_lc = $?", text(strings.ToLower(f.FirstName)))
	}
	if f.LastName != "" {
		w.add("c.last_name_lc = $?", text(strings.ToLower(f.LastName)))
	}
	if len(f.JobIDs) > 0 {
		w.add("EXISTS (SELECT 1 FROM applications a WHERE a.integration_id = c.integration_id AND a.candidate_id = c.id AND a.job_id = ANY($?))", f.JobIDs)
	}
	if f.UpdatedAfter != nil {
		w.add("c.touched_at > $?", ts(*f.UpdatedAfter))
	}
	args := append(w.args, limit(f.Limit))
	q := `SELECT c.id, c.remote_id, c.doc, c.changed_at, c.remote_deleted_at FROM candidates c WHERE ` + strings.Join(w.conds, " AND ") +
		` ORDER BY c.id LIMIT $` + strconv.Itoa(len(args))
	cands, err := queryAll(ctx, s.pool, q, args, scanCandidate)
	if err != nil {
		return nil, fmt.Errorf("postgres: list candidates: %w", err)
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
	aq := `SELECT ` + applicationColumns + ` FROM applications WHERE integration_id = $1 AND candidate_id = ANY($2) ORDER BY id`
	if !f.IncludeDeleted {
		aq = `SELECT ` + applicationColumns + ` FROM applications WHERE integration_id = $1 AND candidate_id = ANY($2) AND remote_deleted_at IS NULL ORDER BY id`
	}
	apps, err := queryAll(ctx, s.pool, aq, []any{integrationID, ids}, scanApplication)
	if err != nil {
		return nil, fmt.Errorf("postgres: list candidates' applications: %w", err)
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

// ListApplications returns the applications matching f, ordered by ID, with
// candidate, job and current stage.
func (s *Store) ListApplications(ctx context.Context, integrationID string, f resultlinks.ApplicationFilter) ([]*resultlinks.Application, error) {
	var w where
	w.add("integration_id = $?", integrationID)
	if f.After != "" {
		w.add("id > $?", f.After)
	}
	if !f.IncludeDeleted {
		w.conds = append(w.conds, "remote_deleted_at IS NULL")
	}
	if len(f.IDs) > 0 {
		w.add("id = ANY($?)", f.IDs)
	}
	if len(f.RemoteIDs) > 0 {
		w.add("remote_id = ANY($?)", f.RemoteIDs)
	}
	if len(f.Outcomes) > 0 {
		outcomes := make([]string, len(f.Outcomes))
		for i, o := range f.Outcomes {
			outcomes[i] = string(o)
		}
		w.add("outcome = ANY($?)", outcomes)
	}
	if len(f.JobIDs) > 0 {
		w.add("job_id = ANY($?)", f.JobIDs)
	}
	if f.UpdatedAfter != nil {
		w.add("touched_at > $?", ts(*f.UpdatedAfter))
	}
	args := append(w.args, limit(f.Limit))
	q := `SELECT ` + applicationColumns + ` FROM applications WHERE ` + strings.Join(w.conds, " AND ") +
		` ORDER BY id LIMIT $` + strconv.Itoa(len(args))
	apps, err := queryAll(ctx, s.pool, q, args, scanApplication)
	if err != nil {
		return nil, fmt.Errorf("postgres: list applications: %w", err)
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
		cands, err := queryAll(ctx, s.pool, `SELECT `+candidateColumns+` FROM candidates WHERE integration_id = $1 AND id = ANY($2)`,
			[]any{integrationID, slices.Sorted(maps.Keys(set))}, scanCandidate)
		if err != nil {
			return fmt.Errorf("postgres: applications' candidates: %w", err)
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
		list, err := queryAll(ctx, s.pool, `SELECT id, remote_id, doc FROM jobs WHERE integration_id = $1 AND id = ANY($2)`,
			[]any{integrationID, slices.Sorted(maps.Keys(jobIDs))}, func(r pgx.Row) (*resultlinks.Job, error) {
				var j resultlinks.Job
				var doc []byte
				if err := r.Scan(&j.ID, &j.RemoteID, &doc); err != nil {
					return nil, err
				}
				var d jobDoc
				err := json.Unmarshal(doc, &d)
				j.Name = d.Name
				return &j, err
			})
		if err != nil {
			return fmt.Errorf("postgres: applications' jobs: %w", err)
		}
		for _, j := range list {
			jobs[j.ID] = j
		}
	}
	stages := map[string]*resultlinks.Stage{}
	if len(stageIDs) > 0 {
		list, err := queryAll(ctx, s.pool, `SELECT id, remote_id, doc FROM stages WHERE integration_id = $1 AND id = ANY($2)`,
			[]any{integrationID, slices.Sorted(maps.Keys(stageIDs))}, func(r pgx.Row) (*resultlinks.Stage, error) {
				var st resultlinks.Stage
				var doc []byte
				if err := r.Scan(&st.ID, &st.RemoteID, &doc); err != nil {
					return nil, err
				}
				var d stageDoc
				err := json.Unmarshal(doc, &d)
				st.Name, st.Index, st.Status = d.Name, d.Index, d.Status
				return &st, err
			})
		if err != nil {
			return fmt.Errorf("postgres: applications' stages: %w", err)
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

// FindCandidate returns one candidate with its applications, deleted ones
// included, or CodeNotFound.
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

// FindApplication returns one application with candidate, job and stage,
// deleted ones included, or CodeNotFound.
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

// SetCustomFields merges fields into the custom fields of one mirrored
// record, marking it and the records that nest it changed at now, or
// answers CodeNotFound. Like an upsert, it changes nothing when the fields
// already hold those values, and it leaves seen_at alone.
func (s *Store) SetCustomFields(ctx context.Context, integrationID string, model resultlinks.Model, id string, fields map[string]any, now time.Time) error {
	now = ts(now)
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockMirror(ctx, tx, integrationID); err != nil {
			return err
		}
		switch model {
		case resultlinks.ModelCandidates:
			c, err := scanCandidate(tx.QueryRow(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE integration_id = $1 AND id = $2`, integrationID, id))
			if errors.Is(err, pgx.ErrNoRows) {
				return resultlinks.Errorf(resultlinks.CodeNotFound, "Candidate %q was not found in this integration.", id)
			}
			if err != nil {
				return fmt.Errorf("postgres: set custom fields: %w", err)
			}
			c.CustomFields = merged(c.CustomFields, fields)
			doc, hash, err := sqlstore.Encode(sqlstore.CandidateDocOf(c), c.RemoteID, sqlstore.FormatTimePtr(c.RemoteDeletedAt).String)
			if err != nil {
				return fmt.Errorf("postgres: set custom fields: %w", err)
			}
			// An application's updated_after fires when its candidate changes.
			if _, err := tx.Exec(ctx, `WITH changed AS (
					UPDATE candidates SET doc = $3, hash = $4, changed_at = $5, touched_at = $5
					WHERE integration_id = $1 AND id = $2 AND hash <> $4
					RETURNING id
				)
				UPDATE applications a SET touched_at = $5 FROM changed WHERE a.integration_id = $1 AND a.candidate_id = changed.id`,
				integrationID, id, jsonb(doc), hash, now); err != nil {
				return fmt.Errorf("postgres: set custom fields: %w", err)
			}
			return nil
		case resultlinks.ModelApplications:
			a, err := scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE integration_id = $1 AND id = $2`, integrationID, id))
			if errors.Is(err, pgx.ErrNoRows) {
				return resultlinks.Errorf(resultlinks.CodeNotFound, "Application %q was not found in this integration.", id)
			}
			if err != nil {
				return fmt.Errorf("postgres: set custom fields: %w", err)
			}
			a.CustomFields = merged(a.CustomFields, fields)
			var outcome string
			if a.Outcome != nil {
				outcome = string(*a.Outcome)
			}
			doc, hash, err := sqlstore.Encode(sqlstore.ApplicationDocOf(a), a.RemoteID, deref(a.CandidateID), deref(a.JobID), deref(a.CurrentStageID),
				outcome, sqlstore.FormatTimePtr(a.RemoteDeletedAt).String)
			if err != nil {
				return fmt.Errorf("postgres: set custom fields: %w", err)
			}
			// A candidate's updated_after fires when one of its applications changes.
			if _, err := tx.Exec(ctx, `WITH changed AS (
					UPDATE applications SET doc = $3, hash = $4, changed_at = $5, touched_at = $5
					WHERE integration_id = $1 AND id = $2 AND hash <> $4
					RETURNING candidate_id
				)
				UPDATE candidates c SET touched_at = $5 FROM changed WHERE c.integration_id = $1 AND c.id = changed.candidate_id`,
				integrationID, id, jsonb(doc), hash, now); err != nil {
				return fmt.Errorf("postgres: set custom fields: %w", err)
			}
			return nil
		}
		return fmt.Errorf("postgres: set custom fields: unknown model %q", model)
	})
}

func merged(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	maps.Copy(out, a)
	maps.Copy(out, b)
	return out
}

type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func queryAll[T any](ctx context.Context, q queryer, sql string, args []any, scan func(pgx.Row) (T, error)) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}
