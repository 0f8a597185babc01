package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/teamtailor"
)

// runTeamtailor serves teamtailor.Fake until ctx is cancelled.
func runTeamtailor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "atsfake teamtailor"
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded candidates (each with 1-3 job applications)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	apiKey := fs.String("api-key", teamtailor.DefaultAPIKey, `Admin read-write API key ("Authorization: Token token=<key>")`)
	apiVersion := fs.String("api-version", "", "the only X-Api-Version accepted; empty accepts any YYYYMMDD date")
	rateLimit := fs.Int("rate-limit", 50, "requests allowed per window and key; negative disables the limit")
	rateWindow := fs.Duration("rate-window", 10*time.Second, "length of the fixed rate-limit window")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake teamtailor [flags]

Serves a fake Teamtailor public API (JSON:API) under /v1/...: candidates,
job-applications, jobs, stages, users, custom-fields, custom-field-values
and notes. Requests need "Authorization: Token token=<key>" and an
X-Api-Version header (for example `+teamtailor.DefaultAPIVersion+`).
The first stdout line is
  {"addr":"HOST:PORT","credentials":{"api_key":"...","base_url":"http://HOST:PORT"}}

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return 2
	}
	if *candidates < 0 {
		fmt.Fprintf(stderr, "%s: --candidates must not be negative\n", name)
		return 2
	}
	if *apiVersion != "" {
		if _, err := time.Parse("20060102", *apiVersion); err != nil {
			fmt.Fprintf(stderr, "%s: --api-version must be a YYYYMMDD date\n", name)
			return 2
		}
	}
	fake := teamtailor.New(teamtailor.Options{
		Seed:       *seed,
		Candidates: *candidates,
		APIKey:     *apiKey,
		APIVersion: *apiVersion,
		RateLimit:  teamtailor.RateLimit{Limit: *rateLimit, Window: *rateWindow},
	})
	return serveFakeUntilDone(ctx, name, *addr, fake, func(base string) any { return fake.Credentials(base) }, stdout, stderr,
		fmt.Sprintf("%d candidates (note author user id %d)", *candidates, teamtailor.AdminUserID))
}
