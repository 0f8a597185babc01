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

	"github.com/resultlinks/resultlinks/internal/atsfake/smartrecruiters"
)

// runSmartRecruiters serves smartrecruiters.Fake until ctx is cancelled.
func runSmartRecruiters(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("atsfake smartrecruiters", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded candidates (each with 1-3 job applications)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	apiKey := fs.String("api-key", smartrecruiters.DefaultAPIKey, "API key accepted in the X-SmartToken header")
	clientID := fs.String("client-id", smartrecruiters.DefaultClientID, "OAuth client id accepted by POST /identity/oauth/token")
	clientSecret := fs.String("client-secret", smartrecruiters.DefaultClientSecret, "OAuth client secret accepted by POST /identity/oauth/token")
	rateLimit := fs.Int("rate-limit", 10, "requests allowed per window for the credentials; negative disables the limit")
	rateWindow := fs.Duration("rate-window", time.Second, "length of the fixed rate-limit window")
	concurrency := fs.Int("concurrency", 8, "requests allowed in flight; negative disables the limit")
	candConcurrency := fs.Int("candidates-concurrency", 1, "GET /candidates requests allowed in flight; negative disables the limit")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake smartrecruiters [flags]

Serves a fake SmartRecruiters Customer API (GET /candidates, job-scoped
candidate properties, POST /messages/shares, ...) authenticated with the
X-SmartToken header, plus the OAuth token endpoint POST /identity/oauth/token.
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
		fmt.Fprintf(stderr, "atsfake smartrecruiters: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *candidates < 0 {
		fmt.Fprintln(stderr, "atsfake smartrecruiters: --candidates must not be negative")
		return 2
	}
	if *apiKey == "" {
		fmt.Fprintln(stderr, "atsfake smartrecruiters: --api-key must not be empty")
		return 2
	}
	// Zero means "default" in Options; on the command line it means off.
	for _, n := range []*int{rateLimit, concurrency, candConcurrency} {
		if *n == 0 {
			*n = -1
		}
	}

	fake := smartrecruiters.New(smartrecruiters.Options{
		Seed:                       *seed,
		Candidates:                 *candidates,
		APIKey:                     *apiKey,
		ClientID:                   *clientID,
		ClientSecret:               *clientSecret,
		RateLimit:                  smartrecruiters.RateLimit{Limit: *rateLimit, Window: *rateWindow},
		ConcurrencyLimit:           *concurrency,
		CandidatesConcurrencyLimit: *candConcurrency,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "atsfake smartrecruiters: %v\n", err)
		return 1
	}
	bound := ln.Addr().String()
	if err := json.NewEncoder(stdout).Encode(readyLine{
		Addr:        bound,
		Credentials: fake.Credentials("http://" + bound),
	}); err != nil {
		_ = ln.Close()
		fmt.Fprintf(stderr, "atsfake smartrecruiters: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "atsfake smartrecruiters: %d candidates at http://%s (key user %s); Ctrl-C stops\n",
		*candidates, bound, smartrecruiters.AdminUserID)

	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "atsfake smartrecruiters: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "atsfake smartrecruiters: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "atsfake smartrecruiters: stopped")
	return 0
}
