package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/personio"
)

// runPersonio serves personio.Fake until ctx is cancelled.
func runPersonio(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "atsfake personio"
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded candidates (each with 1-3 applications)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	clientID := fs.String("client-id", personio.DefaultClientID, "API client id accepted by POST /v2/auth/token")
	clientSecret := fs.String("client-secret", personio.DefaultClientSecret, "API client secret accepted by POST /v2/auth/token")
	scopes := fs.String("scopes", personio.ScopeRecruitingRead, "space-separated scopes granted to the credentials")
	tokenTTL := fs.Duration("token-ttl", 24*time.Hour, "lifetime of access tokens")
	rateLimit := fs.Int("rate-limit", 100, "recruiting requests allowed per window; negative disables the limit")
	rateWindow := fs.Duration("rate-window", time.Minute, "length of the fixed recruiting rate-limit window")
	tokenRateLimit := fs.Int("token-rate-limit", 150, "token requests allowed per minute; negative disables the limit")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake personio [flags]

Serves a fake Personio: POST /v2/auth/token (client credentials) and the
read-only v2 Recruiting API under /v2/recruiting/... (candidates,
applications with stage transitions, jobs, categories with stages).
Recruiting requests need a Bearer token and the header "Beta: true".
There are no write endpoints: Personio's public API cannot write onto an
existing application.
The first stdout line is
  {"addr":"HOST:PORT","credentials":{"client_id":"...","client_secret":"...",
   "base_url":"http://HOST:PORT"}}

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
	fake := personio.New(personio.Options{
		Seed:           *seed,
		Candidates:     *candidates,
		ClientID:       *clientID,
		ClientSecret:   *clientSecret,
		Scopes:         strings.Fields(*scopes),
		TokenTTL:       *tokenTTL,
		RateLimit:      personio.RateLimit{Limit: *rateLimit, Window: *rateWindow},
		TokenRateLimit: personio.RateLimit{Limit: *tokenRateLimit, Window: time.Minute},
	})
	return serveFakeUntilDone(ctx, name, *addr, fake, func(base string) any { return fake.Credentials(base) }, stdout, stderr,
		fmt.Sprintf("%d candidates", *candidates))
}
