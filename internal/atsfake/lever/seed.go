package lever

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seedEpoch is the fixed start of the generated history. Seeded timestamps
// never depend on the clock, so a seed always gives identical records.
var seedEpoch = time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)

// makeUUID derives a version-4-shaped UUID from the seed, a record kind and
// a sequence number, so ids are stable for a seed and never collide across
// kinds.
func makeUUID(seed int64, kind string, n int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "lever/%d/%s/%d", seed, kind, n))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

var (
	seedFirstNames = []string{"Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Gustavo", "Hana",
		"Ines", "Jonas", "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa",
		"Sven", "Tamar", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia"}
	seedLastNames = []string{"Abara", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
		"Haddad", "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov",
		"Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang"}
	seedHeadlines = []string{"Northwind, Globex", "Initech", "Umbrella Labs, TU Berlin", "Stark Analytics", ""}
	seedLocations = []string{"Berlin", "Lisbon", "Toronto", "San Francisco, CA", "Remote"}
	seedSources   = []string{"LinkedIn", "Referral", "Job site", "Agency"}
	seedOrigins   = []string{"applied", "sourced", "referred"}
	seedPostings  = []struct {
		text, state, team, dept, location string
	}{
		{"Backend Engineer", "published", "Platform", "Engineering", "Berlin"},
		{"Data Analyst", "published", "Insights", "Data", "Lisbon"},
		{"Product Designer", "internal", "Design", "Product", "Remote"},
		{"Customer Success Manager", "published", "Success", "Customer", "Toronto"},
		{"Site Reliability Engineer", "closed", "Infrastructure", "Engineering", "San Francisco, CA"},
	}
	// seedStages mirrors the shape of a real account's pipeline: Lever's
	// built-in lead and applicant stages with readable ids, custom stages
	// with UUIDs, and the built-in offer stage.
	seedStages = []Stage{
		{ID: "lead-new", Text: "New lead"},
		{ID: "lead-reached-out", Text: "Reached out"},
		{ID: "lead-responded", Text: "Responded"},
		{ID: "applicant-new", Text: "New applicant"},
		{ID: "3c9d1f52-8e41-4a8f-b0a7-5e1d2c000001", Text: "Recruiter screen"},
		{ID: "3c9d1f52-8e41-4a8f-b0a7-5e1d2c000002", Text: "Assessment"},
		{ID: "3c9d1f52-8e41-4a8f-b0a7-5e1d2c000003", Text: "On-site interview"},
		{ID: "3c9d1f52-8e41-4a8f-b0a7-5e1d2c000004", Text: "Reference check"},
		{ID: "offer", Text: "Offer"},
	}
	// Archive reason ids of the seeded archived opportunities.
	archiveHired    = "9b2e7d10-5c3a-4f61-8d2e-7a0000000001"
	archiveRejected = "9b2e7d10-5c3a-4f61-8d2e-7a0000000002"
)

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x6c65766572))
	f.seedUsers()
	f.stages = append(f.stages, seedStages...)
	for i, st := range f.stages {
		f.stageIndex[st.ID] = i
	}
	f.seedPostings()
	for i := range f.opts.Candidates {
		f.seedContact(rng, i)
	}
}

func (f *Fake) seedUsers() {
	created := seedEpoch.Add(-400 * 24 * time.Hour).UnixMilli()
	add := func(id, name, role, title string, deactivated bool) {
		username := strings.ToLower(strings.ReplaceAll(name, " ", "."))
		u := User{
			ID: id, Name: name, Username: username, Email: username + "@fake-lever.test",
			CreatedAt: created, AccessRole: role, JobTitle: title,
		}
		if deactivated {
			at := created + 30*24*3600*1000
			u.DeactivatedAt = &at
		}
		f.userBy[id] = len(f.users)
		f.users = append(f.users, u)
	}
	add(AdminUserID, "Avery Admin", "super admin", "Head of Talent", false)
	add(RecruiterUserID, "Riley Recruiter", "team member", "Recruiter", false)
	add(InterviewerUserID, "Ira Interviewer", "interviewer", "Engineer", false)
	add(DeactivatedUserID, "Dana Departed", "team member", "Former Recruiter", true)
}

func (f *Fake) seedPostings() {
	for i, sp := range seedPostings {
		id := makeUUID(0, "posting", i)
		created := seedEpoch.Add(time.Duration(-30+i) * 24 * time.Hour).UnixMilli()
		p := Posting{
			ID: id, Text: sp.text, CreatedAt: created, UpdatedAt: created, State: sp.state,
			DistributionChannels: []string{}, Confidentiality: "non-confidential",
			User: AdminUserID, Owner: RecruiterUserID, HiringManager: AdminUserID,
			Categories: PostingCategories{
				Team: sp.team, Department: sp.dept, Location: sp.location,
				Commitment: "Full-time", AllLocations: []string{sp.location},
			},
			Tags:             []string{},
			Content:          PostingContent{Description: "About the " + sp.text + " role.", DescriptionHTML: "<div>About the " + sp.text + " role.</div>"},
			Country:          "DE",
			Followers:        []string{RecruiterUserID},
			RequisitionCodes: []string{fmt.Sprintf("REQ-%03d", i+1)},
			URLs: PostingURLs{
				List:  "https://jobs.lever.co/fake",
				Show:  "https://jobs.lever.co/fake/" + id,
				Apply: "https://jobs.lever.co/fake/" + id + "/apply",
			},
			WorkplaceType: "hybrid",
		}
		if sp.state == "published" {
			p.DistributionChannels = []string{"public", "internal"}
		}
		f.postingBy[id] = len(f.postings)
		f.postings = append(f.postings, p)
	}
}

func (f *Fake) seedContact(rng *rand.Rand, i int) {
	first := seedFirstNames[rng.IntN(len(seedFirstNames))]
	last := seedLastNames[rng.IntN(len(seedLastNames))]
	id := makeUUID(f.opts.Seed, "contact", i)
	email := fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), i+1)
	location := seedLocations[rng.IntN(len(seedLocations))]
	cr := &contactRec{
		c: Contact{
			ID: id, Name: first + " " + last, Headline: seedHeadlines[rng.IntN(len(seedHeadlines))],
			Location: ContactLocation{Name: location}, Emails: []string{email},
			Phones: []Phone{{Type: "mobile", Value: fmt.Sprintf("+1 555 01%02d %04d", rng.IntN(100), i%10000)}},
		},
		links: []string{},
	}
	if rng.IntN(3) == 0 {
		cr.links = append(cr.links, "https://www.linkedin.com/in/"+strings.ToLower(first+"-"+last))
	}
	f.contacts = append(f.contacts, cr)
	f.contactBy[id] = cr

	created := seedEpoch.Add(time.Duration(i)*3*time.Hour + time.Duration(rng.IntN(180))*time.Minute)
	n := 1 + rng.IntN(3)
	for k, pi := range rng.Perm(len(f.postings))[:n] {
		f.seedOpportunity(rng, cr, &f.postings[pi], created.Add(time.Duration(k*24+rng.IntN(12))*time.Hour))
	}
}

func (f *Fake) seedOpportunity(rng *rand.Rand, cr *contactRec, p *Posting, created time.Time) {
	seq := len(f.opps)
	id := makeUUID(f.opts.Seed, "opportunity", seq)
	appID := makeUUID(f.opts.Seed, "application", seq)
	createdMS := created.UnixMilli()

	// Walk the pipeline from its entry stage to a random current stage.
	origin := seedOrigins[rng.IntN(len(seedOrigins))]
	entry := f.stageIndex["applicant-new"]
	if origin == "sourced" {
		entry = f.stageIndex["lead-new"]
	}
	current := entry + rng.IntN(len(f.stages)-entry)
	at := createdMS
	changes := []StageChange{{ToStageID: f.stages[entry].ID, ToStageIndex: entry, UpdatedAt: at, UserID: RecruiterUserID}}
	for s := entry + 1; s <= current; s++ {
		at += int64(1+rng.IntN(72)) * 3600 * 1000
		changes = append(changes, StageChange{ToStageID: f.stages[s].ID, ToStageIndex: s, UpdatedAt: at, UserID: RecruiterUserID})
	}
	updated := at + int64(rng.IntN(48))*3600*1000
	owner := RecruiterUserID
	o := Opportunity{
		ID: id, Name: cr.c.Name, Headline: cr.c.Headline, Contact: cr.c.ID, Stage: f.stages[current].ID,
		Confidentiality: "non-confidential", Location: cr.c.Location.Name, Phones: cr.c.Phones, Emails: cr.c.Emails,
		Tags: []string{p.Text, p.Categories.Team}, Sources: []string{seedSources[rng.IntN(len(seedSources))]},
		StageChanges: changes, Origin: origin, SourcedBy: &owner, Owner: &owner, Followers: []string{RecruiterUserID},
		Applications: []string{appID}, CreatedAt: createdMS, UpdatedAt: updated, LastInteractionAt: updated,
		LastAdvancedAt:      changes[len(changes)-1].UpdatedAt,
		URLs:                OpportunityURLs{List: "https://hire.lever.co/candidates", Show: "https://hire.lever.co/candidates/" + id},
		OpportunityLocation: p.Categories.Location,
	}
	switch r := rng.IntN(10); {
	case r == 0:
		o.Archived = &Archived{Reason: archiveRejected, ArchivedAt: updated}
	case r == 1 && f.stages[current].ID == "offer":
		o.Archived = &Archived{Reason: archiveHired, ArchivedAt: updated}
	}
	hm, po := p.HiringManager, p.Owner
	app := Application{
		ID: appID, OpportunityID: id, CandidateID: id, CreatedAt: createdMS, Type: "posting", Posting: p.ID,
		PostingHiringManager: &hm, PostingOwner: &po, Name: cr.c.Name, Email: cr.c.Emails[0],
		Phone: &cr.c.Phones[0], Links: []string{}, CustomQuestions: []any{}, Archived: o.Archived,
	}
	if origin != "applied" {
		app.Type = "user"
		app.User = &owner
	}
	rec := &oppRec{o: o, app: app, contact: cr}
	f.opps = append(f.opps, rec)
	f.oppBy[id] = rec
	cr.opps = append(cr.opps, rec)

	if rng.IntN(3) == 0 {
		f.addNote(rec, RecruiterUserID, "Spoke briefly; interested in the role.", false, nil, false, updated)
	}
}

// addNote stores a new note on rec. Called with f.mu held (or during New).
func (f *Fake) addNote(rec *oppRec, user, value string, secret bool, score *float64, notify bool, createdMS int64) *noteRec {
	f.noteSeq++
	id := makeUUID(f.opts.Seed, "note", f.noteSeq)
	n := &noteRec{oppID: rec.o.ID, notifyFollowers: notify, n: Note{
		ID: id, Text: "Note", User: user, Secret: secret, CompletedAt: createdMS, CreatedAt: createdMS,
		Fields: []NoteField{{
			Type: "note", Text: "Comment", Value: value, User: user, CreatedAt: createdMS,
			Score: score, Stage: rec.o.Stage,
		}},
	}}
	f.notes = append(f.notes, n)
	f.noteBy[id] = n
	return n
}
