package sandbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
)

// The demo dataset is generated, not random: every sandbox integration holds
// the same records under the same remote IDs, so its derived IDs are stable
// and tests can rely on its shape.

// NumCandidates is the number of candidates in the demo dataset.
const NumCandidates = 60

// DeletedCandidates is the number of candidates (the last ones) that the
// dataset marks deleted in the ATS, with their applications.
const DeletedCandidates = 2

var (
	baseTime   = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	firstNames = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Dennis",
		"Margaret", "Linus", "Katherine", "Tim", "Hedy", "John", "Annie", "Guido", "Sophie", "Niklaus"}
	lastNames = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Ritchie",
		"Hamilton", "Torvalds", "Johnson", "Berners-Lee", "Lamarr", "Backus", "Easley", "van Rossum", "Wilson", "Wirth"}
	companies = []string{"Initech", "Globex", "Umbrella Labs", "Hooli", "Vandelay Industries", "Stark Works", "Wayne Data"}
	titles    = []string{"Software Engineer", "Senior Engineer", "Analyst", "Designer", "Account Manager", "Team Lead"}
	sources   = []string{"LinkedIn", "Referral", "Careers page", "Job board", "Agency"}
	cities    = [][2]string{{"Berlin", "DE"}, {"London", "GB"}, {"New York", "US"}, {"Paris", "FR"}, {"Toronto", "CA"}, {"Amsterdam", "NL"}}
	tagNames  = []string{"Top talent", "Relocation", "Remote", "Silver medalist"}
	jobNames  = []string{"Backend Engineer", "Frontend Engineer", "Data Analyst", "Product Designer",
		"Customer Success Manager", "Sales Development Representative"}
	stageNames = []string{"Application Review", "Phone Screen", "Assessment", "Onsite Interview", "Offer", "Hired"}
	rejections = []string{"Not enough experience", "Position filled", "Withdrew", "Culture add elsewhere"}
)

func ptr[T any](v T) *T { return &v }

func jobRemoteID(i int) string   { return fmt.Sprintf("job_%d", 101+i) }
func stageRemoteID(i int) string { return fmt.Sprintf("stage_%d", 1+i) }

// CandidateRemoteID returns the remote ID of the i-th demo candidate.
func CandidateRemoteID(i int) string { return fmt.Sprintf("cand_%d", 1001+i) }

func applicationRemoteID(i, k int) string { return fmt.Sprintf("app_%d_%d", 1001+i, k+1) }

func demoJobs() []*resultlinks.Job {
	out := make([]*resultlinks.Job, len(jobNames))
	for i, n := range jobNames {
		out[i] = &resultlinks.Job{RemoteID: jobRemoteID(i), Name: ptr(n)}
	}
	return out
}

func demoStages() []*resultlinks.Stage {
	out := make([]*resultlinks.Stage, len(stageNames))
	for i, n := range stageNames {
		out[i] = &resultlinks.Stage{RemoteID: stageRemoteID(i), Name: ptr(n), Index: ptr(i), Status: ptr(resultlinks.StageActive)}
	}
	return out
}

// demoCandidate returns the i-th candidate and its applications.
func demoCandidate(i int) (*resultlinks.Candidate, []*resultlinks.Application) {
	first := firstNames[i%len(firstNames)]
	last := lastNames[(i*7+i/len(firstNames))%len(lastNames)]
	created := baseTime.Add(time.Duration(i) * 6 * time.Hour)
	updated := created.Add(48 * time.Hour)
	city := cities[i%len(cities)]
	email := strings.ToLower(strings.ReplaceAll(first+"."+last, " ", "")) + fmt.Sprintf("%d@example.com", i+1)
	c := &resultlinks.Candidate{
		RemoteID:     CandidateRemoteID(i),
		FirstName:    ptr(first),
		LastName:     ptr(last),
		Company:      ptr(companies[i%len(companies)]),
		Title:        ptr(titles[i%len(titles)]),
		Confidential: ptr(i%17 == 0),
		Source:       ptr(sources[i%len(sources)]),
		PhoneNumbers: []resultlinks.PhoneNumber{{PhoneNumber: fmt.Sprintf("+1 555 01%02d", i%100), Type: ptr("MOBILE")}},
		EmailAddresses: []resultlinks.EmailAddress{
			{EmailAddress: ptr(email), Type: ptr("PERSONAL")},
		},
		SocialMedia: []resultlinks.SocialMedia{{
			Link: ptr("https://www.linkedin.com/in/" + strings.ToLower(first) + "-" + fmt.Sprint(1001+i)), Type: ptr("LINKEDIN"), Username: nil,
		}},
		Location:        &resultlinks.Location{City: ptr(city[0]), Country: ptr(city[1]), Raw: ptr(city[0] + ", " + city[1])},
		CustomFields:    map[string]any{},
		RemoteCreatedAt: ptr(created),
		RemoteUpdatedAt: ptr(updated),
		Tags:            []resultlinks.Tag{},
	}
	if i%3 == 0 {
		k := i % len(tagNames)
		c.Tags = append(c.Tags, resultlinks.Tag{RemoteID: fmt.Sprintf("tag_%d", k+1), Name: ptr(tagNames[k])})
	}
	if i%5 == 0 {
		c.EmailAddresses = append(c.EmailAddresses, resultlinks.EmailAddress{
			EmailAddress: ptr(fmt.Sprintf("%s.%d@work.example.org", strings.ToLower(first), i+1)), Type: ptr("WORK"),
		})
	}
	var deleted *time.Time
	if i >= NumCandidates-DeletedCandidates {
		deleted = ptr(updated.Add(24 * time.Hour))
		c.RemoteDeletedAt = deleted
	}
	n := 1 + (i*5)%3
	apps := make([]*resultlinks.Application, n)
	for k := 0; k < n; k++ {
		stage := (i + 2*k) % len(stageNames)
		a := &resultlinks.Application{
			RemoteID:             applicationRemoteID(i, k),
			CandidateRemoteID:    c.RemoteID,
			JobRemoteID:          jobRemoteID((i + 2*k) % len(jobNames)),
			CurrentStageRemoteID: stageRemoteID(stage),
			CustomFields:         map[string]any{},
			RemoteCreatedAt:      ptr(created.Add(time.Duration(k) * time.Hour)),
			RemoteUpdatedAt:      ptr(updated.Add(time.Duration(k) * time.Hour)),
			Interviews:           []resultlinks.Interview{},
			Offers:               []resultlinks.Offer{},
			RemoteDeletedAt:      deleted,
		}
		switch {
		case stage == len(stageNames)-1:
			a.Outcome = ptr(resultlinks.OutcomeHired)
		case (i+k)%7 == 0:
			a.Outcome = ptr(resultlinks.OutcomeDeclined)
			a.RejectionReasonName = ptr(rejections[(i+k)%len(rejections)])
			a.RejectedAt = ptr(updated.Add(time.Duration(k) * time.Hour))
		default:
			a.Outcome = ptr(resultlinks.OutcomePending)
		}
		if stage >= 3 {
			start := created.Add(72 * time.Hour)
			a.Interviews = append(a.Interviews, resultlinks.Interview{
				RemoteID: ptr(fmt.Sprintf("int_%d_%d", 1001+i, k+1)), Title: ptr("Onsite interview"),
				StartingAt: ptr(start), EndingAt: ptr(start.Add(time.Hour)), Canceled: ptr(false),
			})
		}
		if stage >= 4 {
			status := "SENT"
			if stage == 5 {
				status = "ACCEPTED"
			}
			a.Offers = append(a.Offers, resultlinks.Offer{RemoteID: ptr(fmt.Sprintf("off_%d_%d", 1001+i, k+1)), Status: ptr(status)})
		}
		apps[k] = a
	}
	return c, apps
}
