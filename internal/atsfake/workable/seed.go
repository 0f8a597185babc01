package workable

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seedEpoch is the fixed start of the generated history. Seeded timestamps
// never depend on the clock, so a seed always gives identical records.
var seedEpoch = time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)

// Numeric bases of the hexadecimal ids. Workable ids are short lowercase hex
// strings ("27270275" for candidates, "1f395d" for members, "90775157" for
// activities in recorded traffic); fixed-width bases keep string order equal
// to numeric order.
const (
	firstCandidateNum = 0x27270001
	firstActivityNum  = 0x90750001
	firstJobNum       = 0x5a3c01
	firstAttributeNum = 0x13e0eb01
	firstStageID      = 5272269
)

var (
	seedFirstNames = []string{"Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Gustavo", "Hana",
		"Ines", "Jonas", "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa",
		"Sven", "Tamar", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia"}
	seedLastNames = []string{"Abara", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
		"Haddad", "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov",
		"Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang"}
	seedHeadlines = []string{"Software Engineer", "Data Scientist", "Designer", "Account Manager", "SRE"}
	seedDomains   = []string{"linkedin.com", "indeed.com", "workable.com", "google.com"}
	seedJobs      = []struct {
		title, state, dept, city, country, code string
	}{
		{"Backend Engineer", "published", "Engineering", "Berlin", "Germany", "DE"},
		{"Data Analyst", "published", "Data", "Lisbon", "Portugal", "PT"},
		{"Product Designer", "published", "Product", "London", "United Kingdom", "GB"},
		{"Customer Success Manager", "closed", "Customer", "Toronto", "Canada", "CA"},
		{"Site Reliability Engineer", "draft", "Engineering", "Athens", "Greece", "GR"},
	}
	seedStageDefs = []struct{ slug, name string }{
		{"sourced", "Sourced"}, {"applied", "Applied"}, {"phone-screen", "Phone Screen"},
		{"assessment", "Assessment"}, {"interview", "Interview"}, {"offer", "Offer"}, {"hired", "Hired"},
	}
)

// seededAttribute is a custom attribute definition every fake starts with,
// as if an admin had created it in the Workable UI (there is no API for
// that). One of each type; "Legacy Score" is disabled.
type seededAttribute struct {
	label, typ   string
	enabled      bool
	singleAnswer bool
	choices      []string
}

var seedAttributes = []seededAttribute{
	{label: "Assessment Link", typ: "short_text", enabled: true},
	{label: "Assessment Report", typ: "free_text", enabled: true},
	{label: "Assessment Score", typ: "numeric", enabled: true},
	{label: "Assessment Passed", typ: "boolean", enabled: true},
	{label: "Assessment Date", typ: "date", enabled: true},
	{label: "Assessment Grade", typ: "dropdown", enabled: true, singleAnswer: true, choices: []string{"Failed", "Passed", "Excelled"}},
	{label: "Skills Tested", typ: "multiple_choice", enabled: true, choices: []string{"Go", "SQL", "Python"}},
	{label: "Signed NDA", typ: "file", enabled: true},
	{label: "Legacy Score", typ: "numeric", enabled: false},
}

func ptr[T any](v T) *T { return &v }

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x776f726b61626c65))
	f.accountName = "ATS Fake " + strings.ToUpper(f.opts.Subdomain[:1]) + f.opts.Subdomain[1:]
	f.nextAttr = firstAttributeNum
	f.nextAct = firstActivityNum
	f.seedMembers()
	for i, sd := range seedStageDefs {
		id := int64(firstStageID + i)
		f.stages = append(f.stages, Stage{ID: id, Identifier: fmt.Sprintf("%x", 0x50779f+i), Slug: sd.slug, Name: sd.name, Kind: sd.slug, Position: i + 1})
	}
	f.seedJobs()
	for _, sa := range seedAttributes {
		f.addAttribute(sa.label, sa.typ, sa.enabled, sa.singleAnswer, sa.choices)
	}
	for i := range f.opts.Candidates {
		f.seedPerson(rng, i)
	}
}

func (f *Fake) seedMembers() {
	add := func(id, name, role string, roles []string, active bool) {
		f.memberBy[id] = len(f.members)
		f.members = append(f.members, Member{
			ID: id, Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", "_")) + "@fake-workable.test",
			Role: role, Type: "Member", Roles: roles, Active: active, CollaborationRules: []any{},
		})
	}
	add(AdminMemberID, "Avery Admin", "admin", []string{"ats.admin"}, true)
	add(RecruiterMemberID, "Riley Recruiter", "simple", []string{"ats.simple"}, true)
	add(HiringManagerMemberID, "Harper Manager", "simple", []string{"ats.simple"}, true)
	add(InactiveMemberID, "Dana Departed", "simple", []string{"ats.simple"}, false)
}

func (f *Fake) seedJobs() {
	for i, sj := range seedJobs {
		sc := fmt.Sprintf("%08X%02d", 0x9CD658E1, i+1)
		created := seedEpoch.Add(time.Duration(-30+i) * 24 * time.Hour)
		base := "https://" + f.opts.Subdomain + ".workable.com"
		j := Job{
			ID: fmt.Sprintf("%x", firstJobNum+i), Title: sj.title,
			FullTitle: fmt.Sprintf("%s - %s - %s", sj.title, strings.ToUpper(sj.dept[:3]), sj.city),
			Shortcode: sc, Code: fmt.Sprintf("REQ-%03d", i+1), State: sj.state, Department: sj.dept,
			URL: base + "/jobs/" + sc, ApplicationURL: base + "/jobs/" + sc + "/candidates/new",
			Shortlink: "https://apply.workable.com/j/" + sc,
			Location: JobLocation{
				LocationStr: sj.city + ", " + sj.country, Country: sj.country, CountryCode: sj.code,
				City: sj.city, WorkplaceType: "hybrid",
			},
			CreatedAt: Time{created},
		}
		f.jobBy[sc] = len(f.jobs)
		f.jobs = append(f.jobs, j)
	}
}

// addAttribute stores a new custom attribute definition. Called with f.mu
// held (or during New).
func (f *Fake) addAttribute(label, typ string, enabled, singleAnswer bool, choices []string) CustomAttribute {
	id := fmt.Sprintf("%x", f.nextAttr)
	f.nextAttr++
	a := CustomAttribute{ID: id, Type: typ, Enabled: enabled, Label: label}
	if typ == "dropdown" || typ == "multiple_choice" {
		a.SingleAnswer = ptr(singleAnswer)
		a.Choices = []Choice{}
		for k, body := range choices {
			a.Choices = append(a.Choices, Choice{ID: fmt.Sprintf("%s%02x", id, k+1), Body: body})
		}
	}
	f.attrBy[id] = len(f.attrs)
	f.attrs = append(f.attrs, a)
	return a
}

func (f *Fake) seedPerson(rng *rand.Rand, i int) {
	first := seedFirstNames[rng.IntN(len(seedFirstNames))]
	last := seedLastNames[rng.IntN(len(seedLastNames))]
	email := fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), i+1)
	headline := seedHeadlines[rng.IntN(len(seedHeadlines))]
	phone := fmt.Sprintf("+1555%03d%04d", rng.IntN(1000), i%10000)
	address := fmt.Sprintf("%d Example Street, %s", 1+rng.IntN(200), seedJobs[rng.IntN(len(seedJobs))].city)
	domain := seedDomains[rng.IntN(len(seedDomains))]
	created := seedEpoch.Add(time.Duration(i)*3*time.Hour + time.Duration(rng.IntN(180))*time.Minute)

	n := 1 + rng.IntN(3)
	for k, ji := range rng.Perm(len(f.jobs))[:n] {
		job := f.jobs[ji]
		at := created.Add(time.Duration(k*24+rng.IntN(12)) * time.Hour).Truncate(time.Second)
		sourced := rng.IntN(4) == 0
		entry := 1
		if sourced {
			entry = 0
		}
		stage := entry + rng.IntN(len(f.stages)-entry)
		num := uint64(firstCandidateNum + len(f.candidates))
		id := fmt.Sprintf("%x", num)
		c := Candidate{
			ID: id, Name: first + " " + last, Firstname: first, Lastname: last, Headline: ptr(headline),
			Account: Account{Subdomain: f.opts.Subdomain, Name: f.accountName},
			Job:     JobRef{Shortcode: job.Shortcode, Title: job.Title},
			Stage:   f.stages[stage].Name, StageKind: f.stages[stage].Kind, Sourced: sourced,
			ProfileURL: fmt.Sprintf("https://%s.workable.com/backend/jobs/%d/candidates/%d",
				f.opts.Subdomain, firstJobNum+ji, num),
			Address: ptr(address), Phone: ptr(phone), Email: email, Domain: ptr(domain), CreatedAt: Time{at},
		}
		rec := &candidateRec{num: num, values: map[string]any{}, d: CandidateDetail{
			Candidate: c, OutboundMailbox: id + "@outbound.workablemail.com", Outlet: "SPI",
			CommonSource: "Unknown", CommonSourceCategory: "Other", EducationEntries: []any{},
			ExperienceEntries: []any{}, Skills: []any{}, Answers: []any{}, Tags: []string{},
			Location: Location{City: ptr(seedJobs[ji].city), Country: ptr(seedJobs[ji].country)},
		}}
		f.candidates = append(f.candidates, rec)
		f.candBy[id] = rec

		action := "applied"
		if sourced {
			action = "uploaded"
		}
		f.addActivity(rec, action, entry, nil, nil, nil, at)
		t := at
		for s := entry + 1; s <= stage; s++ {
			t = t.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			f.addActivity(rec, f.stages[s].Kind, s-1, &s, &f.members[f.memberBy[RecruiterMemberID]], nil, t)
		}
		updated := t.Add(time.Duration(rng.IntN(48)) * time.Hour).Truncate(time.Second)
		rec.d.UpdatedAt = Time{updated}
		switch {
		case f.stages[stage].Slug == "hired":
			rec.d.HiredAt = Time{t.Truncate(time.Second)}
		case rng.IntN(8) == 0:
			rec.d.Disqualified = true
			rec.d.DisqualificationReason = ptr("Not a fit")
			rec.d.DisqualifiedAt = Time{updated}
		}
	}
}

// addActivity appends a timeline entry to rec: action at the stage with
// index from (moving to index to, when set), by member, with body.
// Called with f.mu held (or during New).
func (f *Fake) addActivity(rec *candidateRec, action string, from int, to *int, member *Member, body *string, at time.Time) *Comment {
	id := fmt.Sprintf("%x", f.nextAct)
	f.nextAct++
	ref := func(i int) StageRef {
		s := f.stages[i]
		return StageRef{ID: s.ID, Identifier: s.Identifier, Name: s.Name, Slug: s.Slug}
	}
	a := &Comment{CandidateID: rec.d.ID, Activity: Activity{
		ID: id, Action: action, StageName: f.stages[from].Name, ActionStage: ref(from),
		CreatedAt: MilliTime{at}, UpdatedAt: MilliTime{at}, Body: body,
	}}
	if to != nil {
		r := ref(*to)
		a.TargetStage = &r
	}
	if member != nil {
		a.Member = &MemberRef{ID: member.ID, Name: member.Name, Type: member.Type}
	}
	f.activities = append(f.activities, a)
	return a
}

// stageIndexByName returns the index of the stage a candidate is in.
func (f *Fake) stageIndexByName(name string) int {
	for i, s := range f.stages {
		if s.Name == name {
			return i
		}
	}
	return 0
}
