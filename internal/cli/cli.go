// Package cli is the command line of resultlinks: serve, migrate, keys,
// integrations and version. Every flag can also be set from the environment
// (RESULTLINKS_ plus the flag name in upper case, dashes as underscores).
// Commands that print a value print only that value on stdout, so $(...)
// captures it; logs and messages go to stderr.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/server"
)

// Version is the version of resultlinks, set at build time with
// -ldflags "-X github.com/resultlinks/resultlinks/internal/cli.Version=...".
var Version = "dev"

// EnvPrefix starts the environment variable of every flag.
const EnvPrefix = "RESULTLINKS"

// IO is where a command reads and writes.
type IO struct {
	Stdout, Stderr io.Writer
	// Stdin is where secrets typed or piped in are read; nil reads the
	// process's standard input.
	Stdin io.Reader
}

// Run runs the command line args (without the program name) and returns the
// process exit code.
func Run(ctx context.Context, args []string, stdio IO) int {
	if err := applySecretFiles(); err != nil {
		fmt.Fprintf(stdio.Stderr, "resultlinks: %v\n", err)
		return 2
	}
	root := rootCommand(stdio)
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stdio.Stderr, "resultlinks: %v\n", err)
		return 2
	}
	if err := root.Run(ctx); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stdio.Stderr, "resultlinks: %v\n", err)
		return 1
	}
	return 0
}

func rootCommand(stdio IO) *ffcli.Command {
	fs := flag.NewFlagSet("resultlinks", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	root := &ffcli.Command{
		Name:       "resultlinks",
		ShortUsage: "resultlinks <command> [flags]",
		ShortHelp:  "the result-link gateway",
		LongHelp: strings.TrimSpace(`
resultlinks writes assessment results into applicant tracking systems,
speaking Kombo's unified ATS API. Start with 'resultlinks serve'.

Every flag can also be set from the environment: RESULTLINKS_ followed by the
flag name in upper case with dashes as underscores (--database-url is
RESULTLINKS_DATABASE_URL). Flags win over the environment. A secret can
come from a file: RESULTLINKS_DATABASE_URL_FILE=/run/secrets/db reads the
value from that file.`),
		FlagSet: fs,
		Subcommands: []*ffcli.Command{
			serveCommand(stdio),
			migrateCommand(stdio),
			keysCommand(stdio),
			integrationsCommand(stdio),
			syncCommand(stdio),
			resultLinksCommand(stdio),
			auditCommand(stdio),
			webhooksCommand(stdio),
			operatorsCommand(stdio),
			configCommand(stdio),
			healthcheckCommand(stdio),
			versionCommand(stdio),
		},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
	setUsage(root, stdio.Stderr)
	return root
}

// setUsage makes every command print its help on stderr.
func setUsage(c *ffcli.Command, w io.Writer) {
	if c.FlagSet != nil {
		c.FlagSet.SetOutput(w)
	}
	for _, s := range c.Subcommands {
		setUsage(s, w)
	}
}

// newFlags returns a flag set whose flags can come from the environment.
func newFlags(name string) (*flag.FlagSet, []ff.Option) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return fs, []ff.Option{ff.WithEnvVarPrefix(EnvPrefix)}
}

// databaseFlag adds --database-url to fs.
func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database-url", server.DefaultDatabaseURL,
		"database to use: sqlite:///path/to/file.db (env RESULTLINKS_DATABASE_URL)")
}

// commandLogger logs warnings and errors of one-shot commands to stderr.
func commandLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// openApp opens the database of a one-shot command.
func openApp(ctx context.Context, databaseURL string, stdio IO) (*server.App, func(), error) {
	store, err := server.OpenStoreWithKey(ctx, databaseURL, os.Getenv(EnvPrefix+"_SECRET_KEY"))
	if err != nil {
		return nil, nil, err
	}
	app, err := server.NewApp(store, nil, commandLogger(stdio.Stderr))
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return app, func() { store.Close() }, nil
}

// openEnv opens the database of a one-shot command and its default
// environment (created when the database has none).
func openEnv(ctx context.Context, databaseURL string, stdio IO) (*server.App, *resultlinks.Environment, func(), error) {
	app, closeFn, err := openApp(ctx, databaseURL, stdio)
	if err != nil {
		return nil, nil, nil, err
	}
	env, _, err := app.DefaultEnvironment(ctx)
	if err != nil {
		closeFn()
		return nil, nil, nil, err
	}
	return app, env, closeFn, nil
}

func versionCommand(stdio IO) *ffcli.Command {
	fs, opts := newFlags("resultlinks version")
	return &ffcli.Command{
		Name: "version", ShortUsage: "resultlinks version", ShortHelp: "print the version",
		FlagSet: fs, Options: opts,
		Exec: func(context.Context, []string) error {
			fmt.Fprintln(stdio.Stdout, Version)
			return nil
		},
	}
}

func migrateCommand(stdio IO) *ffcli.Command {
	fs, opts := newFlags("resultlinks migrate")
	dbURL := databaseFlag(fs)
	return &ffcli.Command{
		Name: "migrate", ShortUsage: "resultlinks migrate [--database-url URL]",
		ShortHelp: "create or upgrade the database schema, then exit",
		LongHelp:  "Applies every pending migration. 'serve' does the same on start; use this to upgrade ahead of a deploy.",
		FlagSet:   fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			_, closeFn, err := openApp(ctx, *dbURL, stdio)
			if err != nil {
				return err
			}
			closeFn()
			fmt.Fprintln(stdio.Stderr, "resultlinks: database is up to date")
			return nil
		},
	}
}

func noArgs(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(args, " "))
	}
	return nil
}

// Main runs the command line of the process and exits.
func Main() {
	ctx := context.Background()
	os.Exit(Run(ctx, os.Args[1:], IO{Stdout: os.Stdout, Stderr: os.Stderr}))
}

// envSubcommand is a subcommand that works on the default environment of
// the database --database-url names.
type envSubcommand struct {
	// Path is the command line up to the subcommand, e.g. "resultlinks
	// webhooks delete"; its last word is the subcommand's name.
	Path string
	// Usage is the line after Path that shows the arguments, e.g.
	// "<webhook-id>".
	Usage string
	// Help and LongHelp describe it.
	Help, LongHelp string
	// Args is the exact number of arguments it takes; another number
	// answers the usage line.
	Args int
	// Flags adds the subcommand's own flags, when not nil.
	Flags func(fs *flag.FlagSet)
	// Run does the work with the opened app and environment.
	Run func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error
}

// command builds the subcommand: --database-url and the own flags, the
// check of the arguments, and the app opened and closed around Run.
func (c envSubcommand) command(stdio IO) *ffcli.Command {
	fs, opts := newFlags(c.Path)
	db := databaseFlag(fs)
	if c.Flags != nil {
		c.Flags(fs)
	}
	usage := strings.TrimSpace(c.Path + " " + c.Usage)
	return &ffcli.Command{
		Name: c.Path[strings.LastIndexByte(c.Path, ' ')+1:], ShortUsage: usage, ShortHelp: c.Help, LongHelp: c.LongHelp,
		FlagSet: fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != c.Args {
				if c.Args == 0 {
					return noArgs(args)
				}
				return fmt.Errorf("usage: %s", usage)
			}
			app, env, closeFn, err := openEnv(ctx, *db, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			return c.Run(ctx, app, env, args)
		},
	}
}
