package personio

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// seedEpoch is the fixed start of the generated history.
var seedEpoch = time.Date(2025, time.April, 7, 6, 0, 0, 0, time.UTC)

// ID ranges keep ids of different kinds apart. Candidate and application
// ids are numeric strings; job and category ids are UUIDs.
const (
	firstCandidateID = 11000001
	firstAppID       = 12000001
	firstStageID     = 1301
)

var (
	seedFirstNames = []string{"Anna", "Ben", "Clara", "Daniel", "Elena", "Felix", "Greta", "Hannes", "Ines",
		"Jonas", "Katharina", "Lukas", "Mia", "Niklas", "Paula", "Quirin", "Sophie", "Tobias", "Valentina"}
	seedLastNames = []string{"Albrecht", "Bauer", "Dietrich", "Engel", "Fischer", "Graf", "Hoffmann", "Keller",
		"Lorenz", "Maier", "Neumann", "Richter", "Schulz", "Vogel", "Wagner", "Zimmermann"}
	seedCities   = []string{"Munich", "Berlin", "Madrid", "Dublin", "Amsterdam", "Vienna"}
	seedChannels = []string{"Career page", "LinkedIn", "StepStone", "Referral"}
	seedCats     = []string{"Engineering", "Business"}
	seedJobs     = []struct{ name, dept, status string }{
		{"Software Engineer (Go)", "Engineering", "ACTIVE"},
		{"QA Engineer", "Engineering", "ACTIVE"},
		{"Account Executive", "Sales", "ACTIVE"},
		{"HR Generalist", "People", "ACTIVE"},
		{"Office Manager", "Operations", "ARCHIVED"},
	}
	seedStageDefs = []struct{ name, typ, kind string }{
		{"Unassigned", "UNASSIGNED", "DEFAULT"},
		{"Phone screening", "IN_PROGRESS", "CUSTOM"},
		{"Assessment", "IN_PROGRESS", "CUSTOM"},
		{"Interview", "IN_PROGRESS", "CUSTOM"},
		{"Offer", "IN_PROGRESS", "CUSTOM"},
		{"Accepted", "ACCEPTED", "DEFAULT"},
		{"Rejected", "REJECTED", "DEFAULT"},
	}
)

func uuidFor(kind, n int) string {
	return fmt.Sprintf("%08x-5e7a-4c0d-8f%02x-%012x", 0x1f3a0000+kind, kind, n)
}

func (f *Fake) seed() {
	rng := rand.New(rand.NewPCG(uint64(f.opts.Seed), 0x9e450110))
	for i, name := range seedCats {
		c := &Category{ID: uuidFor(1, i+1), Name: name}
		for k, sd := range seedStageDefs {
			s := Stage{ID: strconv.Itoa(firstStageID + i*100 + k), Name: sd.name, Type: sd.typ, Kind: sd.kind}
			c.Stages = append(c.Stages, s)
			f.stageByID[s.ID] = s
		}
		f.categories = append(f.categories, c)
	}
	for i, sj := range seedJobs {
		at := seedEpoch.Add(time.Duration(-60+i) * 24 * time.Hour)
		cat := f.categories[0]
		if sj.dept != "Engineering" {
			cat = f.categories[1]
		}
		j := &Job{ID: uuidFor(2, i+1), Name: sj.name, Department: sj.dept, CategoryID: cat.ID, Status: sj.status,
			CreatedAt: at, UpdatedAt: at}
		f.jobs = append(f.jobs, j)
		f.jobByID[j.ID] = j
	}
	appID := firstAppID
	for i := range f.opts.Candidates {
		first := seedFirstNames[rng.IntN(len(seedFirstNames))]
		last := seedLastNames[rng.IntN(len(seedLastNames))]
		created := seedEpoch.Add(time.Duration(i)*140*time.Minute + time.Duration(rng.IntN(100))*time.Minute)
		c := &Candidate{
			ID: strconv.Itoa(firstCandidateID + i), FirstName: first, LastName: last,
			Phone: fmt.Sprintf("+49 151 %04d%04d", rng.IntN(10000), i%10000), Location: seedCities[rng.IntN(len(seedCities))],
			CreatedAt: created, UpdatedAt: created,
		}
		c.Email = fmt.Sprintf("%s.%s.%s@example.com", strings.ToLower(first), strings.ToLower(last), c.ID)
		if rng.IntN(2) == 0 {
			c.LinkedinProfile = "https://www.linkedin.com/in/" + strings.ToLower(first+last)
		}
		n := 1 + rng.IntN(3)
		for k, idx := range rng.Perm(len(f.jobs))[:n] {
			j := f.jobs[idx]
			stages := f.category(j.CategoryID).Stages
			aCreated := created.Add(time.Duration(k*30+rng.IntN(10)) * time.Hour)
			a := &Application{ID: strconv.Itoa(appID), CandidateID: c.ID, JobID: j.ID, StageID: stages[0].ID,
				ApplicationDate: aCreated.Format("2006-01-02"), Channel: seedChannels[rng.IntN(len(seedChannels))],
				CreatedAt: aCreated, UpdatedAt: aCreated}
			appID++
			f.transitions[a.ID] = []StageTransition{{StageID: stages[0].ID, EnteredAt: aCreated}}
			at := aCreated
			for step := rng.IntN(len(stages)); step > 0; step-- {
				at = at.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
				next := stages[min(len(stages)-1, indexOf(stages, a.StageID)+1+rng.IntN(2))]
				a.StageID = next.ID
				f.transitions[a.ID] = append(f.transitions[a.ID], StageTransition{StageID: next.ID, EnteredAt: at})
				if next.Type != "IN_PROGRESS" {
					break
				}
			}
			a.UpdatedAt = at
			f.apps = append(f.apps, a)
			f.appByID[a.ID] = a
			if at.After(c.UpdatedAt) {
				c.UpdatedAt = at
			}
		}
		f.candidates = append(f.candidates, c)
		f.candByID[c.ID] = c
	}
}

func indexOf(stages []Stage, id string) int {
	for i, s := range stages {
		if s.ID == id {
			return i
		}
	}
	return 0
}

func (f *Fake) category(id string) *Category {
	for _, c := range f.categories {
		if c.ID == id {
			return c
		}
	}
	return f.categories[0]
}
