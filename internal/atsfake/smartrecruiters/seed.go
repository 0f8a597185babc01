package smartrecruiters

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
)

// seedEpoch is the fixed start of the generated history. Seeded timestamps
// never depend on the clock, so a seed always gives identical records.
var seedEpoch = time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)

var (
	seedFirstNames = []string{"Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Gustavo", "Hana",
		"Ines", "Jonas", "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa",
		"Sven", "Tamar", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia"}
	seedLastNames = []string{"Abara", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
		"Haddad", "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov",
		"Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang"}
	seedCities = []struct{ city, country, code string }{
		{"Krakow", "Poland", "pl"}, {"Berlin", "Germany", "de"}, {"Lisbon", "Portugal", "pt"}, {"Austin", "United States", "us"},
	}
	seedTags = []string{"java", "go", "python", "fluent english", "relocation"}
	seedJobs = []struct{ title, status, posting string }{
		{"Backend Engineer", "SOURCING", "PUBLIC"},
		{"Data Analyst", "INTERVIEW", "PUBLIC"},
		{"Product Designer", "SOURCING", "INTERNAL"},
		{"Customer Success Manager", "OFFER", "PUBLIC"},
		{"Site Reliability Engineer", "FILLED", "NOT_PUBLISHED"},
	}
	seedSubStatuses = SubStatuses{
		InReview:  []string{"Screening", "Assessment"},
		Interview: []string{"Phone Interview", "Onsite Interview"},
		Offered:   []string{"Offer Sent", "Offer Accepted"},
	}
	// seedStatuses are the application statuses a seeded application can
	// have, with the sub-statuses that go with them.
	seedStatuses = []struct {
		status string
		subs   []string
	}{
		{"NEW", nil}, {"IN_REVIEW", seedSubStatuses.InReview}, {"INTERVIEW", seedSubStatuses.Interview},
		{"OFFER", seedSubStatuses.Offered}, {"HIRED", nil}, {"REJECTED", nil}, {"WITHDRAWN", nil}, {"LEAD", nil},
	}
)

// Statuses are SmartRecruiters' fixed application statuses, in pipeline
// order. They are the stages a connector mirrors; a hiring process only adds
// sub-statuses to IN_REVIEW, INTERVIEW and OFFER.
var Statuses = []string{"LEAD", "NEW", "IN_REVIEW", "INTERVIEW", "OFFER", "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED"}

// seedProperties are the candidate properties every fake starts with. None is
// meant for result links: an admin must create one (AddCandidateProperty),
// since the API cannot.
var seedProperties = []struct {
	label, typ string
	options    []string
}{
	{"Desired Salary", PropertyCurrency, nil},
	{"Seniority", PropertySingleSelect, []string{"Junior", "Mid", "Senior"}},
	{"Years of Experience", PropertyNumber, nil},
	{"Willing to Relocate", PropertyBoolean, nil},
	{"Available From", PropertyDate, nil},
	{"Interview Score", PropertyPercent, nil},
	{"Portfolio", PropertyText, nil},
}

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x9e3779b97f4a7c15))
	f.seedUsers()
	for _, sp := range seedProperties {
		f.addProperty(sp.label, sp.typ, sp.options)
	}
	process := HiringProcess{ID: f.newID(), Name: "Default Hiring Process", Active: true, SubStatuses: &seedSubStatuses}
	f.processes = append(f.processes, process)
	f.processes = append(f.processes, HiringProcess{ID: f.newID(), Name: "Legacy Process", Active: false,
		SubStatuses: &SubStatuses{InReview: []string{}, Interview: []string{}, Offered: []string{}}})
	dept := Labeled{ID: f.newID(), Label: "Engineering"}
	for i, sj := range seedJobs {
		created := seedEpoch.Add(time.Duration(-30+i) * 24 * time.Hour)
		id := f.newID()
		j := &jobRec{j: Job{
			ID: id, Title: sj.title, RefNumber: fmt.Sprintf("REF%04d", i+1), Status: sj.status, PostingStatus: sj.posting,
			Department: &dept, Location: &Location{Country: "Poland", CountryCode: "pl", City: "Krakow"},
			HiringProcess: &Labeled{ID: process.ID, Label: process.Name},
			CreatedOn:     Time{created}, UpdatedOn: Time{created}, LastActivityOn: Time{created},
			Actions: map[string]Link{"details": {URL: "/jobs/" + id}},
		}}
		f.jobs = append(f.jobs, j)
		f.jobByID[id] = j
	}
	for i := range f.opts.Candidates {
		f.seedCandidate(rng, i)
	}
}

func (f *Fake) seedUsers() {
	add := func(id, first, last, role string) {
		u := &User{
			ID: id, FirstName: first, LastName: last, SystemRole: SystemRole{ID: role}, Active: true,
			Email:     strings.ToLower(first+"."+last) + "@fake-smartrecruiters.test",
			UpdatedOn: Time{seedEpoch.Add(-90 * 24 * time.Hour)},
		}
		f.users = append(f.users, u)
		f.userByID[id] = u
	}
	add(AdminUserID, "Avery", "Admin", "ADMINISTRATOR")
	add(RecruiterUserID, "Riley", "Recruiter", "EXTENDED")
	add(HiringManagerUserID, "Harper", "Manager", "STANDARD")
}

// addProperty stores a new property definition with fresh ids. Called with
// f.mu held (or during New).
func (f *Fake) addProperty(label, typ string, options []string) *propRec {
	p := &propRec{def: CandidatePropertyDefinition{ID: f.newID(), Key: propertyKey(label), Label: label, Type: typ}}
	for _, o := range options {
		p.options = append(p.options, PropertyOption{ID: f.newID(), Label: o})
	}
	f.props = append(f.props, p)
	f.propByID[p.def.ID] = p
	return p
}

// propertyKey derives a property key from its label in lower camel case
// ("Acme Result" → "acmeResult").
func propertyKey(label string) string {
	var b strings.Builder
	upper := false
	for _, r := range label {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = b.Len() > 0
			continue
		}
		if upper {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		upper = false
	}
	return b.String()
}

func (f *Fake) propertyByLabel(label string) *propRec {
	for _, p := range f.props {
		if p.def.Label == label {
			return p
		}
	}
	return nil
}

func (f *Fake) seedCandidate(rng *rand.Rand, i int) {
	id := f.newID()
	first := seedFirstNames[rng.IntN(len(seedFirstNames))]
	last := seedLastNames[rng.IntN(len(seedLastNames))]
	created := seedEpoch.Add(time.Duration(i)*3*time.Hour + time.Duration(rng.IntN(180))*time.Minute)
	city := seedCities[rng.IntN(len(seedCities))]
	c := Candidate{
		ID: id, FirstName: first, LastName: last, Internal: rng.IntN(10) == 0,
		Email:       fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), i+1),
		PhoneNumber: fmt.Sprintf("+48 555 %03d %03d", rng.IntN(1000), i%1000),
		Location:    &Location{City: city.city, Country: city.country, CountryCode: city.code},
		Tags:        []string{}, CreatedOn: Time{created}, UpdatedOn: Time{created},
		Actions: map[string]Link{"details": {URL: "/candidates/" + id}},
	}
	for _, tag := range seedTags {
		if rng.IntN(5) == 0 {
			c.Tags = append(c.Tags, tag)
		}
	}
	if rng.IntN(3) == 0 {
		c.AverageRating = float64(1 + rng.IntN(5))
	}
	rec := &candidateRec{c: c, props: map[string]any{}}
	if p := f.propertyByLabel("Seniority"); p != nil && rng.IntN(2) == 0 {
		rec.props[p.def.ID] = p.options[rng.IntN(len(p.options))].ID
	}
	f.candidates = append(f.candidates, rec)
	f.candByID[id] = rec

	n := 1 + rng.IntN(3)
	for k, jobIdx := range rng.Perm(len(f.jobs))[:n] {
		appCreated := created.Add(time.Duration(k*24+rng.IntN(12)) * time.Hour)
		st := seedStatuses[rng.IntN(len(seedStatuses))]
		a := &appRec{
			jobID: f.jobs[jobIdx].j.ID, status: st.status, createdOn: appCreated,
			updatedOn: appCreated.Add(time.Duration(rng.IntN(10*24)) * time.Hour), props: map[string]any{},
		}
		if len(st.subs) > 0 {
			a.subStatus = st.subs[rng.IntN(len(st.subs))]
		}
		if p := f.propertyByLabel("Interview Score"); p != nil && rng.IntN(3) == 0 {
			a.props[p.def.ID] = float64(50 + rng.IntN(51))
		}
		rec.apps = append(rec.apps, a)
		if a.updatedOn.After(rec.c.UpdatedOn.Time) {
			rec.c.UpdatedOn = Time{a.updatedOn}
		}
	}
}
