package ashby

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
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
	seedCompanies = []string{"Northwind", "Globex", "Initech", "Umbrella Labs", "Stark Analytics", "Wayne Logistics"}
	seedPositions = []string{"Software Engineer", "Data Scientist", "Designer", "Account Manager", "SRE", "Analyst"}
	seedSchools   = []string{"TU Delft", "ETH Zurich", "University of Lagos", "Keio University"}
	seedSources   = []string{"LinkedIn", "Referral", "Careers Page", "Agency"}
	seedJobs      = []struct {
		title, status, plan string
	}{
		{"Backend Engineer", "Open", "eng"},
		{"Data Analyst", "Open", "general"},
		{"Product Designer", "Open", "general"},
		{"Customer Success Manager", "Open", "general"},
		{"Site Reliability Engineer", "Closed", "eng"},
	}
	// seedPlans are the interview plans and their stages, in pipeline order.
	seedPlans = []struct {
		key, title string
		stages     []struct{ title, typ string }
	}{
		{"eng", "Engineering Interview Plan", []struct{ title, typ string }{
			{"Lead", "Lead"}, {"Application Review", "PreInterviewScreen"}, {"Recruiter Screen", "Active"},
			{"Technical Interview", "Active"}, {"Onsite", "Active"}, {"Offer", "Offer"},
			{"Hired", "Hired"}, {"Archived", "Archived"},
		}},
		{"general", "General Interview Plan", []struct{ title, typ string }{
			{"Lead", "Lead"}, {"Application Review", "PreInterviewScreen"}, {"Phone Screen", "Active"},
			{"Team Interview", "Active"}, {"Offer", "Offer"}, {"Hired", "Hired"}, {"Archived", "Archived"},
		}},
	}
)

// seededField is a custom field definition every fake starts with. They
// cover the field types a result-link writer may meet on applications and
// candidates; "Legacy Result" is archived, so writes to it fail.
var seedFields = []struct {
	title, objectType, fieldType string
	archived                     bool
	options                      []string
}{
	{"Desired Salary", "Candidate", "String", false, nil},
	{"Seniority", "Candidate", "ValueSelect", false, []string{"Junior", "Mid", "Senior"}},
	{"Languages", "Candidate", "MultiValueSelect", false, []string{"English", "German", "French", "Spanish"}},
	{"Interview Score", "Application", "Number", false, nil},
	{"Referral Bonus Eligible", "Application", "Boolean", false, nil},
	{"Start Date", "Application", "Date", false, nil},
	{"Legacy Result", "Application", "String", true, nil},
	{"Cost Center", "Job", "String", false, nil},
}

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x9e3779b97f4a7c15))
	f.seedUsers()
	for _, s := range seedSources {
		f.sources = append(f.sources, Source{ID: f.newID(), Title: s})
	}
	planIDs := map[string]string{}
	for _, sp := range seedPlans {
		plan := InterviewPlan{ID: f.newID(), Title: sp.title}
		planIDs[sp.key] = plan.ID
		f.plans = append(f.plans, plan)
		for i, st := range sp.stages {
			stage := InterviewStage{
				ID: f.newID(), Title: st.title, Type: st.typ, OrderInInterviewPlan: i, InterviewPlanID: plan.ID,
			}
			f.stages = append(f.stages, stage)
			f.stageByID[stage.ID] = stage
		}
	}
	at := seedEpoch.Add(-60 * 24 * time.Hour)
	for _, sf := range seedFields {
		def := CustomField{Title: sf.title, ObjectType: sf.objectType, FieldType: sf.fieldType, IsArchived: sf.archived}
		for _, o := range sf.options {
			def.SelectableValues = append(def.SelectableValues, SelectableValue{Label: o, Value: o})
		}
		f.addField(def, at)
	}
	f.seedJobs(planIDs)
	for i := range f.opts.Candidates {
		f.seedCandidate(rng, i)
	}
}

func (f *Fake) seedUsers() {
	add := func(id, first, last, role string, enabled bool) {
		u := &User{
			ID: id, FirstName: first, LastName: last, GlobalRole: role, IsEnabled: enabled,
			Email:     strings.ToLower(first+"."+last) + "@fake-ashby.test",
			UpdatedAt: Time{seedEpoch.Add(-90 * 24 * time.Hour)},
		}
		f.users = append(f.users, u)
		f.userByID[id] = u
	}
	add(AdminUserID, "Avery", "Admin", "Organization Admin", true)
	add(RecruiterUserID, "Riley", "Recruiter", "Elevated Access", true)
	add(HiringManagerUserID, "Harper", "Manager", "Limited Access", true)
	add(DeactivatedUserID, "Dana", "Departed", "Limited Access", false)
}

// addField stores a new definition with a fresh id. Called with f.mu held
// (or during New).
func (f *Fake) addField(def CustomField, at time.Time) *fieldRec {
	def.ID = f.newID()
	fr := &fieldRec{def: def, createdAt: at, updatedAt: at}
	f.fields = append(f.fields, fr)
	f.fieldByID[def.ID] = fr
	return fr
}

func (f *Fake) fieldByTitle(objectType, title string) *fieldRec {
	for _, fr := range f.fields {
		if fr.def.ObjectType == objectType && fr.def.Title == title {
			return fr
		}
	}
	return nil
}

func (f *Fake) stagesOf(planID string) []InterviewStage {
	var out []InterviewStage
	for _, st := range f.stages {
		if st.InterviewPlanID == planID {
			out = append(out, st)
		}
	}
	return out
}

func (f *Fake) hiringTeam() []HiringTeamMember {
	var team []HiringTeamMember
	for _, m := range []struct{ id, role string }{{RecruiterUserID, "Recruiter"}, {HiringManagerUserID, "Hiring Manager"}} {
		u := f.userByID[m.id]
		team = append(team, HiringTeamMember{UserID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Role: m.role})
	}
	return team
}

func (f *Fake) seedJobs(planIDs map[string]string) {
	costCenter := f.fieldByTitle("Job", "Cost Center")
	locationID, departmentID := f.newID(), f.newID()
	for i, sj := range seedJobs {
		created := seedEpoch.Add(time.Duration(-30+i) * 24 * time.Hour)
		planID := planIDs[sj.plan]
		j := &jobRec{values: map[string]any{}, j: Job{
			ID: f.newID(), Title: sj.title, Status: sj.status, EmploymentType: "FullTime",
			LocationID: locationID, DepartmentID: departmentID,
			DefaultInterviewPlanID: planID, InterviewPlanIDs: []string{planID},
			JobPostingIDs: []string{f.newID()}, CustomRequisitionID: fmt.Sprintf("REQ-%03d", i+1),
			HiringTeam: f.hiringTeam(),
			CreatedAt:  Time{created}, UpdatedAt: Time{created}, OpenedAt: Time{created},
		}}
		if sj.status == "Closed" {
			j.j.ClosedAt = Time{created.Add(200 * 24 * time.Hour)}
			j.j.UpdatedAt = j.j.ClosedAt
		}
		if costCenter != nil {
			j.values[costCenter.def.ID] = fmt.Sprintf("CC-%d", 100+i)
		}
		f.jobs = append(f.jobs, j)
		f.jobByID[j.j.ID] = j
	}
}

func (f *Fake) seedCandidate(rng *rand.Rand, i int) {
	id := f.newID()
	first := seedFirstNames[rng.IntN(len(seedFirstNames))]
	last := seedLastNames[rng.IntN(len(seedLastNames))]
	created := seedEpoch.Add(time.Duration(i)*3*time.Hour + time.Duration(rng.IntN(180))*time.Minute)
	updated := created.Add(time.Duration(rng.IntN(14*24)) * time.Hour)
	email := ContactInfo{
		Value: fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), i+1),
		Type:  "Personal", IsPrimary: true,
	}
	phone := ContactInfo{Value: fmt.Sprintf("+1 555 01%02d %04d", rng.IntN(100), i%10000), Type: "Mobile", IsPrimary: true}
	src := f.sources[rng.IntN(len(f.sources))]
	c := Candidate{
		ID: id, CreatedAt: Time{created}, Name: first + " " + last,
		PrimaryEmailAddress: &email, EmailAddresses: []ContactInfo{email},
		PrimaryPhoneNumber: &phone, PhoneNumbers: []ContactInfo{phone},
		SocialLinks: []SocialLink{}, Tags: []Tag{}, FileHandles: []FileHandle{},
		ProfileURL:     "https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/" + id,
		Source:         &src,
		CreditedToUser: f.userByID[RecruiterUserID],
		Timezone:       "Europe/Berlin",
	}
	if rng.IntN(3) > 0 {
		c.Company = seedCompanies[rng.IntN(len(seedCompanies))]
		c.Position = seedPositions[rng.IntN(len(seedPositions))]
	}
	if rng.IntN(2) == 0 {
		c.School = seedSchools[rng.IntN(len(seedSchools))]
	}
	rec := &candidateRec{c: c, updatedAt: updated, values: map[string]any{}}
	if fr := f.fieldByTitle("Candidate", "Seniority"); fr != nil && rng.IntN(2) == 0 {
		rec.values[fr.def.ID] = fr.def.SelectableValues[rng.IntN(len(fr.def.SelectableValues))].Value
	}
	if fr := f.fieldByTitle("Candidate", "Desired Salary"); fr != nil && rng.IntN(3) == 0 {
		rec.values[fr.def.ID] = fmt.Sprintf("%d000 EUR", 40+rng.IntN(80))
	}
	f.candidates = append(f.candidates, rec)
	f.candByID[id] = rec

	n := 1 + rng.IntN(3)
	for k, jobIdx := range rng.Perm(len(f.jobs))[:n] {
		f.seedApplication(rng, rec, f.jobs[jobIdx], k)
	}
}

func (f *Fake) seedApplication(rng *rand.Rand, cand *candidateRec, job *jobRec, k int) {
	created := cand.c.CreatedAt.Add(time.Duration(k*24+rng.IntN(12)) * time.Hour)
	updated := created.Add(time.Duration(rng.IntN(10*24)) * time.Hour)
	stages := f.stagesOf(job.j.DefaultInterviewPlanID)
	// Active applications sit in one of the stages before Hired.
	stage := stages[1+rng.IntN(len(stages)-3)]
	a := Application{
		ID: f.newID(), CreatedAt: Time{created}, UpdatedAt: Time{updated}, Status: "Active",
		Candidate: ApplicationCandidate{
			ID: cand.c.ID, Name: cand.c.Name,
			PrimaryEmailAddress: cand.c.PrimaryEmailAddress, PrimaryPhoneNumber: cand.c.PrimaryPhoneNumber,
		},
		Source: cand.c.Source,
		Job: ApplicationJob{
			ID: job.j.ID, Title: job.j.Title, LocationID: job.j.LocationID, DepartmentID: job.j.DepartmentID,
		},
		CreditedToUser: f.userByID[RecruiterUserID],
		HiringTeam:     f.hiringTeam(),
	}
	switch r := rng.IntN(20); {
	case r < 3:
		a.Status = "Archived"
		stage = stages[len(stages)-1]
		a.ArchivedAt = a.UpdatedAt
		a.ArchiveReason = &ArchiveReason{ID: "c0ffee00-0000-4000-8000-000000000001", Text: "Not a fit", ReasonType: "RejectedByOrg"}
	case r < 5:
		a.Status = "Hired"
		stage = stages[len(stages)-2]
	case r < 6:
		a.Status = "Lead"
		stage = stages[0]
	}
	a.CurrentInterviewStage = &stage
	rec := &applicationRec{a: a, values: map[string]any{}}
	if fr := f.fieldByTitle("Application", "Interview Score"); fr != nil && rng.IntN(3) == 0 {
		rec.values[fr.def.ID] = float64(50 + rng.IntN(51))
	}
	f.applications = append(f.applications, rec)
	f.appByID[a.ID] = rec
	if updated.After(cand.updatedAt) {
		cand.updatedAt = updated
	}
}
