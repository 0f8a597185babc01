// Command atsfake serves protocol-faithful fakes of ATS APIs, for demos and
// for end-to-end tests that run resultlinks against a real socket.
//
// Usage:
//
//	atsfake <tool> [flags]
//	atsfake greenhouse --addr 127.0.0.1:8080 --candidates 50
//
// Each tool is a subcommand with its own flags (atsfake <tool> --help). A
// tool prints exactly one JSON object as its first line on stdout,
//
//	{"addr":"127.0.0.1:PORT","credentials":{...}}
//
// where credentials is the connector credentials JSON for that ATS, so a
// script or test can start the fake on port 0 and read where it listens.
// Everything else goes to stderr. SIGINT or SIGTERM shuts the server down
// gracefully.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// tool is one subcommand.
type tool struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// tools lists every fake the command can serve; add new ATS fakes here.
var tools = []tool{
	{name: "greenhouse", summary: "Greenhouse Harvest v3 (and v1) with its OAuth token endpoint", run: runGreenhouse},
	{name: "ashby", summary: "Ashby RPC API (Basic-auth API key, cursor + syncToken)", run: runAshby},
	{name: "smartrecruiters", summary: "SmartRecruiters Customer API (X-SmartToken, OAuth token endpoint)", run: runSmartRecruiters},
	{name: "lever", summary: "Lever Data API v1 (opportunities, notes, links) with Basic API key or Bearer token", run: runLever},
	{name: "personio", summary: "Personio v2 auth token endpoint and read-only v2 Recruiting API", run: runPersonio},
	{name: "recruitee", summary: "Recruitee core API under /c/{company_id} (Bearer personal token)", run: runRecruitee},
	{name: "teamtailor", summary: "Teamtailor public API v1 (JSON:API, Token auth, X-Api-Version)", run: runTeamtailor},
	{name: "workable", summary: "Workable SPI v3 (candidates, comments, custom attributes) with Bearer access token", run: runWorkable},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a tool and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	}
	for _, t := range tools {
		if t.name == args[0] {
			return t.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "atsfake: unknown tool %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: atsfake <tool> [flags]

Serves an in-memory fake of an ATS API. The first stdout line is
{"addr": "...", "credentials": {...}}; stop with Ctrl-C or SIGTERM.

Tools:
`)
	for _, t := range tools {
		fmt.Fprintf(w, "  %-16s %s\n", t.name, t.summary)
	}
	fmt.Fprint(w, "\nRun 'atsfake <tool> --help' for the tool's flags.\n")
}
