package teamtailor

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seedEpoch is the fixed start of the generated history.
var seedEpoch = time.Date(2025, time.March, 10, 7, 30, 0, 0, time.UTC)

// ID ranges per type keep ids of different kinds apart.
const (
	firstJobID       = 2001
	firstStageID     = 3001
	firstFieldID     = 4001
	firstCandidateID = 7000001
	firstAppID       = 8000001
	firstValueID     = 9000001
	firstNoteID      = 9500001
)

var (
	seedFirstNames = []string{"Alva", "Björn", "Cecilia", "David", "Ebba", "Filip", "Greta", "Hugo",
		"Ida", "Johan", "Klara", "Liam", "Maja", "Noah", "Olivia", "Pontus", "Saga", "Theo", "Vera", "Wilma"}
	seedLastNames = []string{"Andersson", "Berg", "Carlsson", "Dahl", "Eriksson", "Forsberg", "Gustafsson",
		"Holm", "Isaksson", "Johansson", "Karlsson", "Lindberg", "Magnusson", "Nilsson", "Olsson", "Persson"}
	seedTags = []string{"go", "remote", "senior", "referral"}
	seedJobs = []struct{ title, status string }{
		{"Backend Developer", "open"},
		{"Data Engineer", "open"},
		{"UX Designer", "open"},
		{"Sales Representative", "unlisted"},
		{"Support Specialist", "archived"},
	}
	seedStages = []struct{ name, typ string }{
		{"Inbox", "inbox"},
		{"Screening", "in_process"},
		{"Assessment", "in_process"},
		{"Interview", "interview"},
		{"Offer", "offer"},
		{"Hired", "hired"},
	}
	seedFields = []struct{ name, typ, owner string }{
		{"Salary expectation", "CustomField::Text", "Candidate"},
		{"Willing to relocate", "CustomField::Checkbox", "Candidate"},
		{"Portfolio", "CustomField::Url", "Candidate"},
		{"Cost center", "CustomField::Text", "Job"},
	}
)

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x7ea77a11))
	f.nextID = idCounters{candidate: firstCandidateID, app: firstAppID, field: firstFieldID,
		value: firstValueID, note: firstNoteID}
	userAt := seedEpoch.Add(-120 * 24 * time.Hour)
	for _, u := range []User{
		{ID: AdminUserID, Name: "Astrid Admin", Email: "astrid.admin@fake-teamtailor.test", Role: "admin"},
		{ID: RecruiterUserID, Name: "Rasmus Recruiter", Email: "rasmus.recruiter@fake-teamtailor.test", Role: "user"},
		{ID: HiringManagerUserID, Name: "Hedda Manager", Email: "hedda.manager@fake-teamtailor.test", Role: "hiring_manager"},
	} {
		u.CreatedAt, u.UpdatedAt = userAt, userAt
		f.users = append(f.users, &u)
		f.userByID[u.ID] = &u
	}
	fieldAt := seedEpoch.Add(-90 * 24 * time.Hour)
	for _, sf := range seedFields {
		f.addField(&CustomField{Name: sf.name, APIName: apiName(sf.name), FieldType: sf.typ, OwnerType: sf.owner,
			CreatedAt: fieldAt, UpdatedAt: fieldAt})
	}
	for i, sj := range seedJobs {
		at := seedEpoch.Add(time.Duration(-50+i) * 24 * time.Hour)
		j := &Job{ID: int64(firstJobID + i), Title: sj.title, Status: sj.status, CreatedAt: at, UpdatedAt: at}
		f.jobs = append(f.jobs, j)
		f.jobByID[j.ID] = j
		for k, st := range seedStages {
			s := &Stage{ID: int64(firstStageID + i*len(seedStages) + k), JobID: j.ID, Name: st.name,
				StageType: st.typ, RowOrder: k, CreatedAt: at, UpdatedAt: at}
			f.stages = append(f.stages, s)
			f.stageByID[s.ID] = s
		}
		f.addValue(f.fields[3].ID, "Job", j.ID, fmt.Sprintf("CC-%d", 310+i), at)
	}
	for i := range f.opts.Candidates {
		f.seedCandidate(rng, i)
	}
}

func (f *Fake) addValue(fieldID int64, ownerType string, ownerID int64, value any, at time.Time) {
	v := &CustomFieldValue{ID: f.nextID.value, CustomFieldID: fieldID, OwnerType: ownerType, OwnerID: ownerID,
		Value: value, CreatedAt: at, UpdatedAt: at}
	f.nextID.value++
	f.values = append(f.values, v)
	f.valueByID[v.ID] = v
}

func (f *Fake) seedCandidate(rng *rand.Rand, i int) {
	first := seedFirstNames[rng.IntN(len(seedFirstNames))]
	last := seedLastNames[rng.IntN(len(seedLastNames))]
	created := seedEpoch.Add(time.Duration(i)*150*time.Minute + time.Duration(rng.IntN(120))*time.Minute)
	c := &Candidate{
		ID: f.nextID.candidate, FirstName: first, LastName: last,
		Phone:   fmt.Sprintf("+46 70 %03d %02d %02d", rng.IntN(1000), rng.IntN(100), i%100),
		Sourced: rng.IntN(4) == 0, Tags: []string{}, CreatedAt: created, UpdatedAt: created,
	}
	f.nextID.candidate++
	c.Email = fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), c.ID)
	if rng.IntN(2) == 0 {
		c.LinkedinURL = "https://www.linkedin.com/in/" + strings.ToLower(first+"-"+last)
	}
	for _, tag := range seedTags {
		if rng.IntN(5) == 0 {
			c.Tags = append(c.Tags, tag)
		}
	}
	n := 1 + rng.IntN(3)
	for k, idx := range rng.Perm(len(f.jobs))[:n] {
		j := f.jobs[idx]
		aCreated := created.Add(time.Duration(k*20+rng.IntN(8)) * time.Hour)
		aUpdated := aCreated.Add(time.Duration(rng.IntN(8*24)) * time.Hour)
		st := seedStages[rng.IntN(len(seedStages))]
		var stageID int64
		for _, s := range f.stages {
			if s.JobID == j.ID && s.Name == st.name {
				stageID = s.ID
			}
		}
		a := &JobApplication{ID: f.nextID.app, CandidateID: c.ID, JobID: j.ID, StageID: stageID, Sourced: c.Sourced,
			ChangedStageAt: aUpdated, CreatedAt: aCreated, UpdatedAt: aUpdated}
		f.nextID.app++
		if st.typ != "hired" && rng.IntN(6) == 0 {
			a.RejectedAt = aUpdated
		}
		f.apps = append(f.apps, a)
		f.appByID[a.ID] = a
		if aUpdated.After(c.UpdatedAt) {
			c.UpdatedAt = aUpdated
		}
	}
	f.candidates = append(f.candidates, c)
	f.candByID[c.ID] = c
	if i%3 == 0 {
		f.addValue(f.fields[0].ID, "Candidate", c.ID, fmt.Sprintf("%d SEK", 40000+1000*rng.IntN(30)), created)
	}
}
