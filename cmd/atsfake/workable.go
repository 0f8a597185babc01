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

	"github.com/resultlinks/resultlinks/internal/atsfake/workable"
)

// runWorkable serves workable.Fake until ctx is cancelled.
func runWorkable(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("atsfake workable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; port 0 picks a free port")
	candidates := fs.Int("candidates", 25, "number of seeded people (each a candidate record on 1-3 jobs)")
	seed := fs.Int64("seed", 1, "seed of the generated dataset")
	subdomain := fs.String("subdomain", workable.DefaultSubdomain, "account subdomain ({subdomain}.workable.com)")
	accessToken := fs.String("access-token", workable.DefaultAccessToken, "account API access token accepted as Bearer")
	partnerToken := fs.String("partner-token", workable.DefaultPartnerToken, "partner token, accepted with X-WORKABLE-CLIENT-ID")
	clientID := fs.String("client-id", workable.DefaultPartnerClientID, "X-WORKABLE-CLIENT-ID the partner token needs")
	rateLimit := fs.Int("rate-limit", 10, "account-token requests per --rate-window; negative disables the limits")
	partnerLimit := fs.Int("partner-rate-limit", 50, "partner-token requests per --rate-window")
	rateWindow := fs.Duration("rate-window", 10*time.Second, "length of the fixed rate-limit window")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: atsfake workable [flags]

Serves a fake Workable account, SPI v3 under /spi/v3/... (candidates,
comments, custom attributes, jobs, stages, members). Authenticate with
Authorization: Bearer <access-token>. paging.next links are absolute URLs
back to this server. The first stdout line is
  {"addr":"HOST:PORT","credentials":{"subdomain":"...","access_token":"...",
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
		fmt.Fprintf(stderr, "atsfake workable: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *candidates < 0 {
		fmt.Fprintln(stderr, "atsfake workable: --candidates must not be negative")
		return 2
	}
	if *subdomain == "" || *accessToken == "" || *partnerToken == "" || *clientID == "" {
		fmt.Fprintln(stderr, "atsfake workable: --subdomain, --access-token, --partner-token and --client-id must not be empty")
		return 2
	}
	if *rateLimit < 0 {
		*partnerLimit = -1
	}

	fake := workable.New(workable.Options{
		Seed:             *seed,
		Candidates:       *candidates,
		Subdomain:        *subdomain,
		AccessToken:      *accessToken,
		PartnerToken:     *partnerToken,
		PartnerClientID:  *clientID,
		RateLimit:        workable.RateLimit{Limit: *rateLimit, Window: *rateWindow},
		PartnerRateLimit: workable.RateLimit{Limit: *partnerLimit, Window: *rateWindow},
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "atsfake workable: %v\n", err)
		return 1
	}
	bound := ln.Addr().String()
	if err := json.NewEncoder(stdout).Encode(readyLine{
		Addr:        bound,
		Credentials: fake.Credentials("http://" + bound),
	}); err != nil {
		_ = ln.Close()
		fmt.Fprintf(stderr, "atsfake workable: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "atsfake workable: %d people at http://%s/spi/v3 (account %q, admin member %s); Ctrl-C stops\n",
		*candidates, bound, *subdomain, workable.AdminMemberID)

	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "atsfake workable: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "atsfake workable: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "atsfake workable: stopped")
	return 0
}
