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
)

func operatorsCommand(stdio IO) *ffcli.Command {
	cfs, copts := newFlags("resultlinks operators create")
	cdb := databaseFlag(cfs)
	pwFile := cfs.String("password-file", "", "read the password from this file instead of standard input (env RESULTLINKS_PASSWORD_FILE)")
	create := &ffcli.Command{
		Name: "create", ShortUsage: "resultlinks operators create [--password-file FILE] <email>",
		ShortHelp: "create a dashboard operator of the default environment; the password is read from stdin or --password-file",
		LongHelp: fmt.Sprintf("Creates an operator who signs in to the dashboard with the e-mail address and a password of at least %d "+
			"characters. The password is read from the first line of standard input (or of --password-file), never from a flag, and stored "+
			"as a PBKDF2-SHA256 hash. Prints the operator's ID.", resultlinks.MinPasswordLength),
		FlagSet: cfs, Options: copts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks operators create [--password-file FILE] <email>")
			}
			password, err := readPassword(stdio, *pwFile)
			if err != nil {
				return err
			}
			app, env, closeFn, err := openEnv(ctx, *cdb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
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
	lfs, lopts := newFlags("resultlinks operators list")
	ldb := databaseFlag(lfs)
	list := &ffcli.Command{
		Name: "list", ShortUsage: "resultlinks operators list",
		ShortHelp: "print one line per operator of the default environment: ID, e-mail, created",
		FlagSet:   lfs, Options: lopts,
		Exec: func(ctx context.Context, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			app, env, closeFn, err := openEnv(ctx, *ldb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
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
	dfs, dopts := newFlags("resultlinks operators delete")
	ddb := databaseFlag(dfs)
	del := &ffcli.Command{
		Name: "delete", ShortUsage: "resultlinks operators delete <operator-id>",
		ShortHelp: "delete an operator; their dashboard sessions end at once",
		FlagSet:   dfs, Options: dopts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks operators delete <operator-id>")
			}
			app, env, closeFn, err := openEnv(ctx, *ddb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			if err := app.Store.DeleteOperator(ctx, env.ID, args[0]); err != nil {
				return err
			}
			return app.Audit(ctx, env.ID, "", "operator.delete", args[0], "")
		},
	}
	return &ffcli.Command{
		Name: "operators", ShortUsage: "resultlinks operators <create|list|delete>",
		ShortHelp:   "manage the people who sign in to the dashboard with an e-mail and a password",
		Subcommands: []*ffcli.Command{create, list, del},
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
