package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/resultlinks/resultlinks/internal/atsfake/recruitee"
)

// runRecruitee serves recruitee.Fake until ctx is cancelled.
func runRecruitee(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "atsfake recruitee"
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded candidates (each placed on 1-3 offers)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	companyID := fs.Int64("company-id", recruitee.DefaultCompanyID, "numeric company id, the {company_id} path segment")
	subdomain := fs.String("subdomain", recruitee.DefaultSubdomain, "company subdomain, also accepted as {company_id}")
	apiToken := fs.String("api-token", recruitee.DefaultAPIToken, "personal API token accepted as Bearer token")
	rateLimit := fs.Int("rate-limit", 100, "requests allowed per window; negative disables the limit")
	rateWindow := fs.Duration("rate-window", 10*time.Second, "length of the fixed rate-limit window")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake recruitee [flags]

Serves a fake Recruitee core API under /c/{company_id}/... (candidates,
notes, candidate profile fields, offers with their pipeline stages).
The first stdout line is
  {"addr":"HOST:PORT","credentials":{"company_id":"...","api_token":"...",
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
	if *candidates < 0 || *companyID <= 0 {
		fmt.Fprintf(stderr, "%s: --candidates must not be negative and --company-id must be positive\n", name)
		return 2
	}
	fake := recruitee.New(recruitee.Options{
		Seed:       *seed,
		Candidates: *candidates,
		CompanyID:  *companyID,
		Subdomain:  *subdomain,
		APIToken:   *apiToken,
		RateLimit:  recruitee.RateLimit{Limit: *rateLimit, Window: *rateWindow},
	})
	return serveFakeUntilDone(ctx, name, *addr, fake, func(base string) any { return fake.Credentials(base) }, stdout, stderr,
		fmt.Sprintf("%d candidates, company %d", *candidates, *companyID))
}

// serveFakeUntilDone listens on addr, prints the ready line built by creds, serves h
// until ctx is cancelled and shuts down gracefully. It is shared by the
// recruitee, teamtailor and personio tools.
func serveFakeUntilDone(ctx context.Context, name, addr string, h http.Handler, creds func(baseURL string) any,
	stdout, stderr io.Writer, summary string,
) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	bound := ln.Addr().String()
	if err := json.NewEncoder(stdout).Encode(readyLine{Addr: bound, Credentials: creds("http://" + bound)}); err != nil {
		_ = ln.Close()
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s: %s at http://%s; Ctrl-C stops\n", name, summary, bound)

	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "%s: shutdown: %v\n", name, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s: stopped\n", name)
	return 0
}
