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

	"github.com/resultlinks/resultlinks/internal/atsfake/lever"
)

// runLever serves lever.Fake until ctx is cancelled.
func runLever(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("atsfake lever", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded contacts (each with 1-3 opportunities)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	apiKey := fs.String("api-key", lever.DefaultAPIKey, "API key accepted as the Basic auth username (empty password)")
	oauthToken := fs.String("oauth-token", lever.DefaultOAuthToken, "OAuth access token accepted as a Bearer token")
	rateLimit := fs.Int("rate-limit", 10, "requests per --rate-window each credential may make; negative disables the limit")
	rateWindow := fs.Duration("rate-window", time.Second, "refill period of --rate-limit tokens")
	rateBurst := fs.Int("rate-burst", 20, "token bucket capacity (burst size)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake lever [flags]

Serves a fake Lever Data API v1 under /v1/... (opportunities, notes, links,
tags, postings, stages, users, contacts). Authenticate with Basic <api-key>:
(empty password) or Bearer <oauth-token>; writes accept perform_as=<user id>.
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
		fmt.Fprintf(stderr, "atsfake lever: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *candidates < 0 {
		fmt.Fprintln(stderr, "atsfake lever: --candidates must not be negative")
		return 2
	}
	if *apiKey == "" || *oauthToken == "" {
		fmt.Fprintln(stderr, "atsfake lever: --api-key and --oauth-token must not be empty")
		return 2
	}

	fake := lever.New(lever.Options{
		Seed:       *seed,
		Candidates: *candidates,
		APIKey:     *apiKey,
		OAuthToken: *oauthToken,
		RateLimit:  lever.RateLimit{Limit: *rateLimit, Window: *rateWindow, Burst: *rateBurst},
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "atsfake lever: %v\n", err)
		return 1
	}
	bound := ln.Addr().String()
	if err := json.NewEncoder(stdout).Encode(readyLine{
		Addr:        bound,
		Credentials: fake.Credentials("http://" + bound),
	}); err != nil {
		_ = ln.Close()
		fmt.Fprintf(stderr, "atsfake lever: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "atsfake lever: %d contacts at http://%s (admin user %s, recruiter %s); Ctrl-C stops\n",
		*candidates, bound, lever.AdminUserID, lever.RecruiterUserID)

	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "atsfake lever: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "atsfake lever: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "atsfake lever: stopped")
	return 0
}
