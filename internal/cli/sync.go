package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/mirror"
)

func syncCommand(stdio IO) *ffcli.Command {
	fs, opts := newFlags("resultlinks sync")
	dbURL := databaseFlag(fs)
	delta := fs.Bool("delta", false, "ask only for what changed since the last sync, instead of a full sync (env RESULTLINKS_DELTA)")
	quiet := fs.Bool("quiet", false, "print no progress (env RESULTLINKS_QUIET)")
	return &ffcli.Command{
		Name:       "sync",
		ShortUsage: "resultlinks sync [--delta] <integration-id>",
		ShortHelp:  "run one sync of an integration in the foreground",
		LongHelp: `Mirrors the integration's candidates, applications, jobs and stages now,
showing progress (records seen, pages, rate) on stderr. A full sync (the
default) also marks records that vanished from the ATS as deleted. Exits
non-zero when the sync fails.`,
		FlagSet: fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks sync [--delta] <integration-id>")
			}
			app, env, closeFn, err := openEnv(ctx, *dbURL, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			in, err := app.Store.FindIntegration(ctx, env.ID, args[0])
			if err != nil {
				return err
			}
			var p *progress
			if !*quiet {
				p = newProgress(stdio.Stderr)
			}
			stats, err := app.Syncer.Run(ctx, in, mirror.RunOptions{Full: !*delta}, p.update)
			p.done()
			if err != nil {
				return fmt.Errorf("sync of %s failed: %w", in.ID, err)
			}
			kind := "full"
			if *delta && in.LastFullSyncedAt != nil && !in.LastFullSyncedAt.Equal(stats.Started) {
				kind = "delta"
			}
			fmt.Fprintf(stdio.Stderr, "resultlinks: %s sync of %s done: %d records in %d pages in %s",
				kind, in.ID, stats.Records, stats.Pages, stats.Duration.Round(time.Millisecond))
			if stats.Vanished > 0 {
				fmt.Fprintf(stdio.Stderr, ", %d marked deleted", stats.Vanished)
			}
			fmt.Fprintln(stdio.Stderr)
			return nil
		},
	}
}

// progress shows a sync's progress: one line rewritten in place on a
// terminal, a line a second otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	start    time.Time
	lastLine time.Time
	printed  bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(m resultlinks.Model, s mirror.Stats) {
	if p == nil {
		return
	}
	now := time.Now()
	if !p.tty && now.Sub(p.lastLine) < time.Second {
		return
	}
	p.lastLine = now
	rate := float64(s.Records) / max(now.Sub(p.start).Seconds(), 0.001)
	line := fmt.Sprintf("syncing %-22s %8d records %6d pages %8.0f records/s", m, s.Records, s.Pages, rate)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", line)
		p.printed = true
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) done() {
	if p != nil && p.tty && p.printed {
		fmt.Fprintln(p.w)
	}
}
