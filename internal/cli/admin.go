package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/secret"
	"github.com/resultlinks/resultlinks/internal/server"
)

func keysCommand(stdio IO) *ffcli.Command {
	var name *string
	create := envSubcommand{
		Path: "resultlinks keys create", Usage: "[--name NAME] [--database-url URL]",
		Help:     "create an API key and print it (shown only once)",
		LongHelp: "Creates an API key for the default environment and prints only the key on stdout. The key is stored hashed and cannot be shown again.",
		Flags: func(fs *flag.FlagSet) {
			name = fs.String("name", "", "a label for the key, for people (env RESULTLINKS_NAME)")
		},
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, _ []string) error {
			key, err := app.CreateAPIKey(ctx, env.ID, *name)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdio.Stdout, key)
			return nil
		},
	}
	rfs, ropts := newFlags("resultlinks keys rotate-secret")
	rdb := databaseFlag(rfs)
	rotate := &ffcli.Command{
		Name: "rotate-secret", ShortUsage: "resultlinks keys rotate-secret [--database-url URL]",
		ShortHelp: "seal every stored credential under a new secret key; prints the new key's ID",
		LongHelp: `Rotates the key that seals integrations' credentials and connector state.
With the embedded key file (beside the SQLite database), it adds a new key,
makes it current (the old key stays, so running servers keep working), and
re-seals every value under it. With RESULTLINKS_SECRET_KEY, first give every
replica a JSON keyring whose current key is the new one and which keeps the
old one, then run this to re-seal everything under the current key.`,
		FlagSet: rfs, Options: ropts,
		Exec: func(ctx context.Context, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			app, closeFn, err := openApp(ctx, *rdb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			sealed, ok := app.Store.(*secret.Store)
			if !ok {
				return fmt.Errorf("this store does not seal secrets")
			}
			ring := sealed.Keyring()
			if os.Getenv(EnvPrefix+"_SECRET_KEY") == "" {
				path, err := keyFilePath(*rdb)
				if err != nil {
					return err
				}
				if _, err := ring.AddCurrent(secret.NewKey()); err != nil {
					return err
				}
				if err := secret.WriteFile(path, ring); err != nil {
					return err
				}
			}
			n, err := sealed.Reseal(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdio.Stderr, "resultlinks: %d values sealed under key %s\n", n, ring.Current())
			fmt.Fprintln(stdio.Stdout, ring.Current())
			return nil
		},
	}
	list := envSubcommand{
		Path: "resultlinks keys list", Help: "print one line per API key: ID, prefix, name, created, last used, revoked",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, _ []string) error {
			keys, err := app.Store.ListAPIKeys(ctx, env.ID)
			if err != nil {
				return err
			}
			stamp := func(t *time.Time) string {
				if t == nil {
					return "-"
				}
				return t.UTC().Format(time.RFC3339)
			}
			for _, k := range keys {
				fmt.Fprintf(stdio.Stdout, "%s\t%s…\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Name, k.CreatedAt.UTC().Format(time.RFC3339), stamp(k.LastUsedAt), stamp(k.RevokedAt))
			}
			return nil
		},
	}
	revoke := envSubcommand{
		Path: "resultlinks keys revoke", Usage: "<key-id>", Args: 1,
		Help: "revoke an API key (the ID from 'resultlinks keys list'); it fails at once",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			if err := app.Store.RevokeAPIKey(ctx, env.ID, args[0], time.Now().UTC()); err != nil {
				return err
			}
			return app.Audit(ctx, env.ID, "", "key.revoke", args[0], "")
		},
	}
	kfs, _ := newFlags("resultlinks keys")
	return &ffcli.Command{
		Name: "keys", ShortUsage: "resultlinks keys <subcommand>", ShortHelp: "manage API keys and the secret key",
		FlagSet: kfs, Subcommands: []*ffcli.Command{create.command(stdio), list.command(stdio), revoke.command(stdio), rotate},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}

func integrationsCommand(stdio IO) *ffcli.Command {
	ifs, _ := newFlags("resultlinks integrations")
	return &ffcli.Command{
		Name: "integrations", ShortUsage: "resultlinks integrations <subcommand>", ShortHelp: "manage integrations",
		FlagSet: ifs,
		Subcommands: []*ffcli.Command{
			integrationsCreateCommand(stdio),
			integrationsListCommand(stdio),
			integrationsActionCommand(stdio),
		},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}

func integrationsCreateCommand(stdio IO) *ffcli.Command {
	fs, opts := newFlags("resultlinks integrations create")
	dbURL := databaseFlag(fs)
	tool := fs.String("tool", "", "the ATS's tool slug, e.g. sandbox (required) (env RESULTLINKS_TOOL)")
	name := fs.String("name", "", "a label for the integration; defaults to the tool's name (env RESULTLINKS_NAME)")
	creds := fs.String("credentials-json", "", "the connector's credentials as JSON, or @file to read them from a file (env RESULTLINKS_CREDENTIALS_JSON)")
	org := fs.String("organization", "", "the customer's organisation name; defaults to --name (env RESULTLINKS_ORGANIZATION)")
	origin := fs.String("origin-id", "", "your own ID for this customer, answered as end_user.origin_id (env RESULTLINKS_ORIGIN_ID)")
	email := fs.String("creator-email", "", "e-mail of whoever connected the ATS (env RESULTLINKS_CREATOR_EMAIL)")
	quiet := fs.Bool("quiet", false, "print no sync progress (env RESULTLINKS_QUIET)")
	return &ffcli.Command{
		Name:       "create",
		ShortUsage: "resultlinks integrations create --tool TOOL [--name NAME] [--credentials-json JSON] [flags]",
		ShortHelp:  "connect an ATS account; prints the integration ID",
		LongHelp: `Checks the credentials with the ATS, stores the integration, runs its first
full sync, and prints only the new integration ID (<tool>:<24 base58 chars>).`,
		FlagSet: fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			if *tool == "" {
				return fmt.Errorf("--tool is required")
			}
			raw := *creds
			if strings.HasPrefix(raw, "@") {
				b, err := os.ReadFile(raw[1:])
				if err != nil {
					return fmt.Errorf("--credentials-json: %w", err)
				}
				raw = string(b)
			}
			if raw != "" && !json.Valid([]byte(raw)) {
				return fmt.Errorf("--credentials-json: not valid JSON")
			}
			app, env, closeFn, err := openEnv(ctx, *dbURL, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			eu := resultlinks.EndUser{OrganizationName: *org}
			if *origin != "" {
				eu.OriginID = origin
			}
			if *email != "" {
				eu.CreatorEmail = email
			}
			var p *progress
			if !*quiet {
				p = newProgress(stdio.Stderr)
			}
			in, err := app.CreateIntegration(ctx, env.ID, serverParams(*tool, *name, raw, eu), p.update)
			p.done()
			if in != nil {
				fmt.Fprintln(stdio.Stdout, in.ID)
			}
			return err
		},
	}
}

func integrationsListCommand(stdio IO) *ffcli.Command {
	return envSubcommand{
		Path: "resultlinks integrations list", Usage: "[--database-url URL]",
		Help:     "print one line per integration: ID, tool, name, status, setup status",
		LongHelp: "Prints one tab-separated line per integration of the default environment: ID, tool, name, status, setup status, last sync.",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, _ []string) error {
			list, err := app.Store.ListIntegrations(ctx, env.ID)
			if err != nil {
				return err
			}
			for _, in := range list {
				synced := "never"
				if in.LastSyncedAt != nil {
					synced = in.LastSyncedAt.UTC().Format(time.RFC3339)
				}
				fmt.Fprintf(stdio.Stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", in.ID, in.Tool, in.Name, in.Status, in.SetupStatus, synced)
			}
			return nil
		},
	}.command(stdio)
}

func integrationsActionCommand(stdio IO) *ffcli.Command {
	fs, opts := newFlags("resultlinks integrations set-action")
	dbURL := databaseFlag(fs)
	var names []string
	for _, a := range resultlinks.Actions {
		names = append(names, string(a))
	}
	return &ffcli.Command{
		Name:       "set-action",
		ShortUsage: "resultlinks integrations set-action <integration-id> <action> on|off",
		ShortHelp:  "switch an action on or off for one integration",
		LongHelp:   "Switches an action on or off. A call of a switched-off action answers 403 INTEGRATION.ACTION_DISABLED. Actions: " + strings.Join(names, ", ") + ".",
		FlagSet:    fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 3 || (args[2] != "on" && args[2] != "off") {
				return fmt.Errorf("usage: resultlinks integrations set-action <integration-id> <action> on|off")
			}
			action := resultlinks.Action(args[1])
			if !slices.Contains(resultlinks.Actions, action) {
				return fmt.Errorf("unknown action %q; actions: %s", args[1], strings.Join(names, ", "))
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
			in.DisabledActions = slices.DeleteFunc(in.DisabledActions, func(a resultlinks.Action) bool { return a == action })
			if args[2] == "off" {
				in.DisabledActions = append(in.DisabledActions, action)
			}
			in.UpdatedAt = time.Now().UTC()
			if err := app.Store.UpdateIntegration(ctx, in); err != nil {
				return err
			}
			return app.Audit(ctx, env.ID, "", "integration.update", in.ID, string(action)+" "+args[2])
		},
	}
}

// keyFilePath returns where the embedded database keeps its key file.
func keyFilePath(databaseURL string) (string, error) {
	path, ok := server.SQLitePath(databaseURL)
	if !ok {
		return "", fmt.Errorf("only the embedded SQLite database keeps a key file; set RESULTLINKS_SECRET_KEY")
	}
	return path + ".key", nil
}

func auditCommand(stdio IO) *ffcli.Command {
	var limit *int
	list := envSubcommand{
		Path: "resultlinks audit list", Usage: "[--limit N]", Help: "print the audit log, newest first: when, who, what, on what",
		Flags: func(fs *flag.FlagSet) {
			limit = fs.Int("limit", 100, "the most records to print (env RESULTLINKS_LIMIT)")
		},
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, _ []string) error {
			records, err := app.Store.ListAudit(ctx, env.ID, *limit)
			if err != nil {
				return err
			}
			for _, r := range records {
				fmt.Fprintf(stdio.Stdout, "%s\t%s\t%s\t%s\t%s\n", r.At.UTC().Format(time.RFC3339), r.Actor, r.Action, r.Target, r.Detail)
			}
			return nil
		},
	}
	afs, _ := newFlags("resultlinks audit")
	return &ffcli.Command{
		Name: "audit", ShortUsage: "resultlinks audit <subcommand>", ShortHelp: "read the audit log of integrations, keys and result links",
		FlagSet: afs, Subcommands: []*ffcli.Command{list.command(stdio)},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}
