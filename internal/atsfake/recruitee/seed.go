package recruitee

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seedEpoch is the fixed start of the generated history, so a seed always
// gives identical records whatever the clock says.
var seedEpoch = time.Date(2025, time.February, 3, 8, 0, 0, 0, time.UTC)

// ID ranges per record type keep ids of different kinds apart, so a mixed-up
// id in a connector fails loudly.
const (
	firstOfferID     = 900001
	firstTemplateID  = 800001
	firstStageID     = 700001
	firstCandidateID = 30000001
	firstPlacementID = 40000001
	firstFieldID     = 50000001
	firstNoteID      = 60000001
)

var (
	seedFirstNames = []string{"Aino", "Bastian", "Carla", "Deniz", "Emma", "Fatou", "Goran", "Helga",
		"Ilse", "Joost", "Karin", "Lars", "Marta", "Niels", "Olga", "Pieter", "Rania", "Sanne",
		"Tomasz", "Ulla", "Vincent", "Wiebke", "Yara", "Zeno"}
	seedLastNames = []string{"Andersen", "Bakker", "Claes", "de Vries", "Engel", "Fontaine", "Grünewald",
		"Hendriks", "Iversen", "Jansen", "Koch", "Lindqvist", "Mertens", "Nowak", "Olsen", "Peeters",
		"Quist", "Ruiz", "Smit", "Toivonen", "Vos", "Wouters"}
	seedSources = []string{"career_site", "manual", "referral", "linkedin", "job_board"}
	seedTags    = []string{"Go", "Remote", "Senior", "Student", "Relocation"}
	seedOffers  = []struct{ title, status string }{
		{"Backend Engineer", "published"},
		{"Data Analyst", "published"},
		{"Product Designer", "published"},
		{"Customer Success Manager", "internal"},
		{"Site Reliability Engineer", "closed"},
	}
	seedStages = []struct{ name, category string }{
		{"Applied", "apply"},
		{"Screening", "evaluation"},
		{"Assessment", "evaluation"},
		{"Interview", "interview"},
		{"Offer", "offer"},
		{"Hired", "hire"},
	}
)

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x5eed0fa11))
	f.nextID = idCounters{
		candidate: firstCandidateID,
		placement: firstPlacementID,
		field:     firstFieldID,
		note:      firstNoteID,
	}
	for _, a := range []Admin{
		{ID: OwnerAdminID, FirstName: "Olivia", LastName: "Owner", Email: "olivia.owner@fake-recruitee.test", Role: "owner"},
		{ID: RecruiterAdminID, FirstName: "Rik", LastName: "Recruiter", Email: "rik.recruiter@fake-recruitee.test", Role: "admin"},
	} {
		f.admins = append(f.admins, a)
		f.adminByID[a.ID] = a
	}
	for i, so := range seedOffers {
		created := seedEpoch.Add(time.Duration(-40+i) * 24 * time.Hour)
		o := &Offer{
			ID: int64(firstOfferID + i), Title: so.title, Kind: "job", Status: so.status,
			Slug:             strings.ReplaceAll(strings.ToLower(so.title), " ", "-"),
			PipelineTemplate: PipelineTemplate{ID: int64(firstTemplateID + i)},
			CreatedAt:        Time{created}, UpdatedAt: Time{created},
		}
		for k, st := range seedStages {
			o.PipelineTemplate.Stages = append(o.PipelineTemplate.Stages, Stage{
				ID: int64(firstStageID + i*len(seedStages) + k), Name: st.name, Category: st.category, Position: k,
			})
		}
		f.offers = append(f.offers, o)
		f.offerByID[o.ID] = o
	}
	for i := range f.opts.Candidates {
		f.seedCandidate(rng, i)
	}
}

func (f *Fake) seedCandidate(rng *rand.Rand, i int) {
	id := f.nextID.candidate
	f.nextID.candidate++
	first := seedFirstNames[rng.IntN(len(seedFirstNames))]
	last := seedLastNames[rng.IntN(len(seedLastNames))]
	created := seedEpoch.Add(time.Duration(i)*2*time.Hour + time.Duration(rng.IntN(90))*time.Minute)
	email := fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(strings.ReplaceAll(last, " ", "")), id)
	c := Candidate{
		ID: id, Name: first + " " + last, Emails: []string{email},
		Phones: []string{fmt.Sprintf("+31 6 %04d %04d", rng.IntN(10000), i%10000)},
		Source: seedSources[rng.IntN(len(seedSources))], Tags: []string{},
		CreatedAt: Time{created}, UpdatedAt: Time{created},
	}
	if c.Source == "manual" {
		c.AdminID = ptr(RecruiterAdminID)
	}
	for _, tag := range seedTags {
		if rng.IntN(5) == 0 {
			c.Tags = append(c.Tags, tag)
		}
	}
	n := 1 + rng.IntN(3)
	for k, idx := range rng.Perm(len(f.offers))[:n] {
		o := f.offers[idx]
		pCreated := created.Add(time.Duration(k*24+rng.IntN(6)) * time.Hour)
		pUpdated := pCreated.Add(time.Duration(rng.IntN(9*24)) * time.Hour)
		stages := o.PipelineTemplate.Stages
		st := stages[rng.IntN(len(stages))]
		p := Placement{
			ID: f.nextID.placement, CandidateID: id, OfferID: o.ID, StageID: ptr(st.ID),
			CreatedAt: Time{pCreated}, UpdatedAt: Time{pUpdated},
		}
		f.nextID.placement++
		switch {
		case st.Category == "hire":
			p.HiredAt = Time{pUpdated}
		case rng.IntN(6) == 0:
			p.DisqualifyReason = ptr("Not a fit for the role")
			p.DisqualifiedAt = Time{pUpdated}
		}
		c.Placements = append(c.Placements, p)
		if pUpdated.After(c.UpdatedAt.Time) {
			c.UpdatedAt = Time{pUpdated}
		}
	}
	rec := &candidateRec{c: c}
	if i%4 == 0 {
		// A field a recruiter typed in by hand, so reads show pre-existing
		// profile fields next to the ones a connector writes.
		rec.fields = append(rec.fields, &Field{
			ID: f.nextID.field, Name: "Notice period", Kind: "single_line",
			Values:    []FieldValue{{Text: ptr(fmt.Sprintf("%d months", 1+rng.IntN(3)))}},
			CreatedAt: Time{created}, UpdatedAt: Time{created},
		})
		f.nextID.field++
	}
	f.candidates = append(f.candidates, rec)
	f.candByID[id] = rec
}
