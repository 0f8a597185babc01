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

	"github.com/resultlinks/resultlinks/internal/atsfake/greenhouse"
)

// readyLine is the first stdout line of every tool.
type readyLine struct {
	Addr        string `json:"addr"`
	Credentials any    `json:"credentials"`
}

// runGreenhouse serves greenhouse.Fake until ctx is cancelled.
func runGreenhouse(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("atsfake greenhouse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded candidates (each with 1-3 applications)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	clientID := fs.String("client-id", greenhouse.DefaultClientID, "OAuth client id accepted by POST /token (must end in -<n>)")
	clientSecret := fs.String("client-secret", greenhouse.DefaultClientSecret, "OAuth client secret accepted by POST /token")
	apiKey := fs.String("api-key", greenhouse.DefaultAPIKey, "Harvest v1 API key accepted on /v1 and POST /auth/token")
	tokenTTL := fs.Duration("token-ttl", time.Hour, "lifetime of minted access tokens")
	rateLimit := fs.Int("rate-limit", 75, "v3 requests allowed per window; negative disables the limit")
	rateWindow := fs.Duration("rate-window", 30*time.Second, "length of the fixed v3 rate-limit window")
	singleToken := fs.Bool("single-active-token", false, "a new mint revokes earlier tokens of the same client and sub")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake greenhouse [flags]

Serves a fake Greenhouse: POST /token (the auth host), Harvest v3 under
/v3/..., Harvest v1 under /v1/... and POST /auth/token, all on one address.
The first stdout line is
  {"addr":"HOST:PORT","credentials":{"api_version":"v3","client_id":"...",
   "client_secret":"...","base_url":"http://HOST:PORT","auth_url":"http://HOST:PORT"}}

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
		fmt.Fprintf(stderr, "atsfake greenhouse: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *candidates < 0 {
		fmt.Fprintln(stderr, "atsfake greenhouse: --candidates must not be negative")
		return 2
	}

	fake := greenhouse.New(greenhouse.Options{
		Seed:              *seed,
		Candidates:        *candidates,
		ClientID:          *clientID,
		ClientSecret:      *clientSecret,
		APIKey:            *apiKey,
		TokenTTL:          *tokenTTL,
		HarvestRateLimit:  greenhouse.RateLimit{Limit: *rateLimit, Window: *rateWindow},
		SingleActiveToken: *singleToken,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "atsfake greenhouse: %v\n", err)
		return 1
	}
	bound := ln.Addr().String()
	if err := json.NewEncoder(stdout).Encode(readyLine{
		Addr:        bound,
		Credentials: fake.Credentials("http://" + bound),
	}); err != nil {
		_ = ln.Close()
		fmt.Fprintf(stderr, "atsfake greenhouse: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "atsfake greenhouse: %d candidates at http://%s (v1 key %q, admin user %d); Ctrl-C stops\n",
		*candidates, bound, *apiKey, greenhouse.AdminUserID)

	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "atsfake greenhouse: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "atsfake greenhouse: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "atsfake greenhouse: stopped")
	return 0
}
