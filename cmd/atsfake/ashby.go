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

	"github.com/resultlinks/resultlinks/internal/atsfake/ashby"
)

// runAshby serves ashby.Fake until ctx is cancelled.
func runAshby(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("atsfake ashby", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded candidates (each with 1-3 applications)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	apiKey := fs.String("api-key", ashby.DefaultAPIKey, "API key accepted as the Basic auth username (empty password)")
	rateLimit := fs.Int("rate-limit", 1000, "requests allowed per window for the key; negative disables the limit")
	rateWindow := fs.Duration("rate-window", time.Minute, "length of the fixed rate-limit window")
	syncTTL := fs.Duration("sync-token-ttl", 7*24*time.Hour, "lifetime of syncTokens; negative means they never expire")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake ashby [flags]

Serves a fake Ashby API: RPC endpoints such as POST /candidate.list,
/application.list, /customField.setValue and /candidate.createNote, with
Basic auth (API key as user name, empty password). The first stdout line is
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
		fmt.Fprintf(stderr, "atsfake ashby: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *candidates < 0 {
		fmt.Fprintln(stderr, "atsfake ashby: --candidates must not be negative")
		return 2
	}
	if *apiKey == "" {
		fmt.Fprintln(stderr, "atsfake ashby: --api-key must not be empty")
		return 2
	}
	if *syncTTL == 0 {
		*syncTTL = -1
	}

	fake := ashby.New(ashby.Options{
		Seed:         *seed,
		Candidates:   *candidates,
		APIKey:       *apiKey,
		RateLimit:    ashby.RateLimit{Limit: *rateLimit, Window: *rateWindow},
		SyncTokenTTL: *syncTTL,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "atsfake ashby: %v\n", err)
		return 1
	}
	bound := ln.Addr().String()
	if err := json.NewEncoder(stdout).Encode(readyLine{
		Addr:        bound,
		Credentials: fake.Credentials("http://" + bound),
	}); err != nil {
		_ = ln.Close()
		fmt.Fprintf(stderr, "atsfake ashby: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "atsfake ashby: %d candidates at http://%s (key user %s); Ctrl-C stops\n",
		*candidates, bound, ashby.AdminUserID)

	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "atsfake ashby: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "atsfake ashby: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "atsfake ashby: stopped")
	return 0
}
