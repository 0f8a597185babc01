package greenhouse

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seedEpoch is the fixed start of the generated history. Seeded timestamps
// never depend on the clock, so a seed always gives identical records.
var seedEpoch = time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)

// ID ranges per record type keep ids of different types apart, which makes
// a mixed-up id in a connector fail loudly instead of matching by accident.
const (
	firstJobID         = 500001
	firstStageID       = 600001
	firstFieldID       = 700001
	firstOptionID      = 800001
	firstJobPostID     = 900001
	firstCandidateID   = 10000001
	firstApplicationID = 20000001
	firstNoteID        = 30000001
)

var (
	seedFirstNames = []string{"Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Gustavo", "Hana",
		"Ines", "Jonas", "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa",
		"Sven", "Tamar", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia"}
	seedLastNames = []string{"Abara", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
		"Haddad", "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov",
		"Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang"}
	seedCompanies = []string{"Northwind", "Globex", "Initech", "Umbrella Labs", "Stark Analytics", "Wayne Logistics"}
	seedTitles    = []string{"Software Engineer", "Data Scientist", "Designer", "Account Manager", "SRE", "Analyst"}
	seedTags      = []string{"Referral", "Go", "Python", "Remote", "Relocation"}
	seedJobs      = []struct {
		name, status string
	}{
		{"Backend Engineer", "open"},
		{"Data Analyst", "open"},
		{"Product Designer", "open"},
		{"Customer Success Manager", "open"},
		{"Site Reliability Engineer", "closed"},
	}
	seedStageNames = []string{"Application Review", "Take Home Test", "Phone Interview", "Onsite", "Offer"}
	seedSourceIDs  = []int64{101, 102, 103, 104}
)

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x9e3779b97f4a7c15))
	f.nextID = idCounters{
		candidate:   firstCandidateID,
		application: firstApplicationID,
		field:       firstFieldID,
		option:      firstOptionID,
		note:        firstNoteID,
	}
	f.seedUsers()
	f.seedFields()
	f.seedJobs()
	for i := range f.opts.Candidates {
		f.seedCandidate(rng, i)
	}
}

func (f *Fake) seedUsers() {
	add := func(id int64, first, last, title string, admin, service bool) {
		email := strings.ToLower(first+"."+last) + "@fake-greenhouse.test"
		at := Time{seedEpoch.Add(-90 * 24 * time.Hour)}
		u := &userRec{service: service, u: User{
			ID: id, Name: first + " " + last, FirstName: first, LastName: last,
			PrimaryEmail: email, Emails: []string{email}, JobTitle: ptr(title), SiteAdmin: admin,
			DepartmentIDs: []int64{}, OfficeIDs: []int64{}, LinkedCandidateIDs: []int64{},
			InterviewerTags: []string{}, CustomFields: map[string]CustomFieldValue{},
			CreatedAt: at, UpdatedAt: at,
		}}
		f.users = append(f.users, u)
		f.userByID[id] = u
	}
	add(ServiceUserID, "Integration", "Service User", "Harvest V3 credential", true, true)
	add(AdminUserID, "Avery", "Admin", "Head of Talent", true, false)
	add(RecruiterUserID, "Riley", "Recruiter", "Recruiter", false, false)
	add(CoordinatorUserID, "Casey", "Coordinator", "Recruiting Coordinator", false, false)
}

// seededField is a custom field definition created with every fake. The
// candidate fields cover each value_type a result-link writer is likely to
// meet; "Legacy Score" is inactive so writes to it must fail.
type seededField struct {
	name, fieldType, valueType string
	active                     bool
	options                    []string
}

var seedFields = []seededField{
	{"Desired Salary", "candidate", "short_text", true, nil},
	{"Cover Letter Summary", "candidate", "long_text", true, nil},
	{"Start Date", "candidate", "date", true, nil},
	{"Willing to Relocate", "candidate", "yes_no", true, nil},
	{"Seniority", "candidate", "single_select", true, []string{"Junior", "Mid", "Senior"}},
	{"Languages", "candidate", "multi_select", true, []string{"English", "German", "French", "Spanish"}},
	{"Portfolio", "candidate", "url", true, nil},
	{"Years of Experience", "candidate", "number", true, nil},
	{"Legacy Score", "candidate", "number", false, nil},
	{"Interview Score", "application", "number", true, nil},
	{"Referral Bonus Eligible", "application", "yes_no", true, nil},
	{"Cost Center", "job", "short_text", true, nil},
}

func (f *Fake) seedFields() {
	at := seedEpoch.Add(-60 * 24 * time.Hour)
	for _, sf := range seedFields {
		def := CustomField{
			Name: sf.name, FieldType: sf.fieldType, ValueType: sf.valueType, Active: sf.active,
		}
		f.addField(def, sf.options, at)
	}
}

// addField stores a new definition with fresh ids. Called with f.mu held (or
// during New).
func (f *Fake) addField(def CustomField, options []string, at time.Time) *fieldRec {
	def.ID = f.nextID.field
	f.nextID.field++
	def.NameKey = nameKey(def.Name)
	def.CreatedAt, def.UpdatedAt = Time{at}, Time{at}
	def.SortOrder = len(f.fields)
	def.TemplateTokenString = ptr("{{" + strings.ToUpper(def.NameKey) + "}}")
	fr := &fieldRec{def: def, priority: len(f.fields)}
	for i, name := range options {
		fr.options = append(fr.options, CustomFieldOption{
			ID: f.nextID.option, CustomFieldID: def.ID, Name: name, SortOrder: i, Active: true,
		})
		f.nextID.option++
	}
	f.fields = append(f.fields, fr)
	f.fieldByID[def.ID] = fr
	return fr
}

// nameKey derives Greenhouse's immutable field key from a display name:
// lower case, every run of other characters replaced by one underscore.
func nameKey(name string) string {
	var b strings.Builder
	pending := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
			continue
		}
		pending = true
	}
	return b.String()
}

func (f *Fake) seedJobs() {
	costCenter := f.fieldByName("job", "cost_center")
	for i, sj := range seedJobs {
		id := int64(firstJobID + i)
		created := seedEpoch.Add(time.Duration(-30+i) * 24 * time.Hour)
		j := &jobRec{values: map[int64]any{}, j: Job{
			ID: id, Name: sj.name, RequisitionID: ptr(fmt.Sprintf("REQ-%03d", i+1)),
			Status: sj.status, OfficeIDs: []int64{}, OpenedAt: Time{created},
			CreatedAt: Time{created}, UpdatedAt: Time{created},
		}}
		if sj.status == "closed" {
			j.j.ClosedAt = Time{created.Add(200 * 24 * time.Hour)}
			j.j.UpdatedAt = j.j.ClosedAt
		}
		if costCenter != nil {
			j.values[costCenter.def.ID] = fmt.Sprintf("CC-%d", 100+i)
		}
		f.jobs = append(f.jobs, j)
		f.jobByID[id] = j
		for k, name := range seedStageNames {
			st := JobInterviewStage{
				ID: int64(firstStageID + i*len(seedStageNames) + k), JobID: id, Name: name,
				SortOrder: k, Active: true, CreatedAt: Time{created}, UpdatedAt: Time{created},
			}
			f.stages = append(f.stages, st)
			f.stageByID[st.ID] = st
		}
	}
}

func (f *Fake) fieldByName(fieldType, key string) *fieldRec {
	for _, fr := range f.fields {
		if fr.def.FieldType == fieldType && fr.def.NameKey == key {
			return fr
		}
	}
	return nil
}

func (f *Fake) stagesOf(jobID int64) []JobInterviewStage {
	var out []JobInterviewStage
	for _, st := range f.stages {
		if st.JobID == jobID {
			out = append(out, st)
		}
	}
	return out
}

func (f *Fake) seedCandidate(rng *rand.Rand, i int) {
	id := f.nextID.candidate
	f.nextID.candidate++
	first := seedFirstNames[rng.IntN(len(seedFirstNames))]
	last := seedLastNames[rng.IntN(len(seedLastNames))]
	created := seedEpoch.Add(time.Duration(i)*3*time.Hour + time.Duration(rng.IntN(180))*time.Minute)
	updated := created.Add(time.Duration(rng.IntN(14*24)) * time.Hour)
	email := fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), id)
	c := Candidate{
		ID: id, CreatedAt: Time{created}, UpdatedAt: Time{updated}, LastActivityAt: Time{updated},
		FirstName: ptr(first), LastName: ptr(last), Private: ptr(rng.IntN(10) == 0), CanEmail: true,
		Tags: []string{}, LinkedUserIDs: []int64{},
		PhoneNumbers:         []TypedValue{{Value: fmt.Sprintf("+1 555 01%02d %04d", rng.IntN(100), i%10000), Type: "mobile"}},
		Addresses:            []TypedValue{},
		EmailAddresses:       []TypedValue{{Value: email, Type: "personal"}},
		WebsiteAddresses:     []TypedValue{},
		SocialMediaAddresses: []SocialMediaAddress{},
	}
	if rng.IntN(3) > 0 {
		c.Company = ptr(seedCompanies[rng.IntN(len(seedCompanies))])
		c.Title = ptr(seedTitles[rng.IntN(len(seedTitles))])
	}
	for _, tag := range seedTags {
		if rng.IntN(5) == 0 {
			c.Tags = append(c.Tags, tag)
		}
	}
	rec := &candidateRec{c: c, values: map[int64]any{}}
	if fr := f.fieldByName("candidate", "seniority"); fr != nil && rng.IntN(2) == 0 {
		rec.values[fr.def.ID] = fr.options[rng.IntN(len(fr.options))].ID
	}
	if fr := f.fieldByName("candidate", "desired_salary"); fr != nil && rng.IntN(3) == 0 {
		rec.values[fr.def.ID] = fmt.Sprintf("%d000 EUR", 40+rng.IntN(80))
	}
	f.candidates = append(f.candidates, rec)
	f.candByID[id] = rec

	n := 1 + rng.IntN(3)
	jobs := rng.Perm(len(f.jobs))[:n]
	for k, jobIdx := range jobs {
		f.seedApplication(rng, rec, f.jobs[jobIdx].j.ID, k)
	}
}

func (f *Fake) seedApplication(rng *rand.Rand, cand *candidateRec, jobID int64, k int) {
	id := f.nextID.application
	f.nextID.application++
	created := cand.c.CreatedAt.Add(time.Duration(k*24+rng.IntN(12)) * time.Hour)
	updated := created.Add(time.Duration(rng.IntN(10*24)) * time.Hour)
	a := Application{
		ID: id, CreatedAt: Time{created}, UpdatedAt: Time{updated}, LastActivityAt: Time{updated},
		CandidateID: cand.c.ID, Status: "in_process", Answers: []Answer{}, ProspectiveJobIDs: []int64{},
		SourceID: ptr(seedSourceIDs[rng.IntN(len(seedSourceIDs))]), RecruiterID: ptr(RecruiterUserID),
		CoordinatorID: ptr(CoordinatorUserID),
	}
	if k > 0 && rng.IntN(10) == 0 {
		// A prospect: no job yet, only a job of interest and no stage.
		a.Prospect = true
		a.ProspectiveJobIDs = []int64{jobID}
	} else {
		stages := f.stagesOf(jobID)
		st := stages[rng.IntN(len(stages))]
		a.JobID = ptr(jobID)
		a.JobPostID = ptr(int64(firstJobPostID) + jobID - firstJobID)
		a.StageID, a.JobInterviewStageID, a.StageName = ptr(st.ID), ptr(st.ID), ptr(st.Name)
		switch r := rng.IntN(20); {
		case r < 3:
			a.Status = "rejected"
			a.RejectedAt = a.UpdatedAt
		case r < 5:
			a.Status = "hired"
			last := stages[len(stages)-1]
			a.StageID, a.JobInterviewStageID, a.StageName = ptr(last.ID), ptr(last.ID), ptr(last.Name)
		}
		a.Answers = []Answer{{Question: "How did you hear about us?", Answer: "A friend"}}
	}
	rec := &applicationRec{a: a, values: map[int64]any{}}
	if fr := f.fieldByName("application", "interview_score"); fr != nil && rng.IntN(3) == 0 {
		rec.values[fr.def.ID] = int64(50 + rng.IntN(51))
	}
	f.applications = append(f.applications, rec)
	f.appByID[id] = rec
	if a.UpdatedAt.After(cand.c.UpdatedAt.Time) {
		cand.c.UpdatedAt, cand.c.LastActivityAt = a.UpdatedAt, a.UpdatedAt
	}
}
