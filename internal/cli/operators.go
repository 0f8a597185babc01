package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/server"
)

func operatorsCommand(stdio IO) *ffcli.Command {
	var pwFile *string
	create := envSubcommand{
		Path: "resultlinks operators create", Usage: "[--password-file FILE] <email>", Args: 1,
		Help: "create a dashboard operator of the default environment; the password is read from stdin or --password-file",
		LongHelp: fmt.Sprintf("Creates an operator who signs in to the dashboard with the e-mail address and a password of at least %d "+
			"characters. The password is read from the first line of standard input (or of --password-file), never from a flag, and stored "+
			"as a PBKDF2-SHA256 hash. Prints the operator's ID.", resultlinks.MinPasswordLength),
		Flags: func(fs *flag.FlagSet) {
			pwFile = fs.String("password-file", "", "read the password from this file instead of standard input (env RESULTLINKS_PASSWORD_FILE)")
		},
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			password, err := readPassword(stdio, *pwFile)
			if err != nil {
				return err
			}
			o, err := resultlinks.NewOperator(env.ID, args[0], password, time.Now().UTC())
			if err != nil {
				return err
			}
			if err := app.Store.CreateOperator(ctx, o); err != nil {
				return err
			}
			if err := app.Audit(ctx, env.ID, "", "operator.create", o.ID, o.Email); err != nil {
				return err
			}
			fmt.Fprintln(stdio.Stdout, o.ID)
			return nil
		},
	}
	list := envSubcommand{
		Path: "resultlinks operators list",
		Help: "print one line per operator of the default environment: ID, e-mail, created",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, _ []string) error {
			ops, err := app.Store.ListOperators(ctx, env.ID)
			if err != nil {
				return err
			}
			for _, o := range ops {
				fmt.Fprintf(stdio.Stdout, "%s\t%s\t%s\n", o.ID, o.Email, o.CreatedAt.UTC().Format(time.RFC3339))
			}
			return nil
		},
	}
	del := envSubcommand{
		Path: "resultlinks operators delete", Usage: "<operator-id>", Args: 1,
		Help: "delete an operator; their dashboard sessions end at once",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			if err := app.Store.DeleteOperator(ctx, env.ID, args[0]); err != nil {
				return err
			}
			return app.Audit(ctx, env.ID, "", "operator.delete", args[0], "")
		},
	}
	return &ffcli.Command{
		Name: "operators", ShortUsage: "resultlinks operators <create|list|delete>",
		ShortHelp:   "manage the people who sign in to the dashboard with an e-mail and a password",
		Subcommands: []*ffcli.Command{create.command(stdio), list.command(stdio), del.command(stdio)},
		Exec:        func(context.Context, []string) error { return flag.ErrHelp },
	}
}

// readPassword reads a password from the first line of a file, or of
// standard input, without its line ending.
func readPassword(stdio IO, file string) (string, error) {
	var r io.Reader = stdio.Stdin
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		r = f
	} else if r == nil {
		r = os.Stdin
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("no password: pipe it on standard input or give --password-file")
	}
	return line, nil
}
