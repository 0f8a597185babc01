package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/resultlinks/resultlinks"
)

func resultLinksCommand(stdio IO) *ffcli.Command {
	lfs, lopts := newFlags("resultlinks result-links list")
	ldb := databaseFlag(lfs)
	status := lfs.String("status", "", "only links in this state: QUEUED, DELIVERING, DELIVERED or FAILED (env RESULTLINKS_STATUS)")
	integ := lfs.String("integration", "", "only links of this integration (env RESULTLINKS_INTEGRATION)")
	limit := lfs.Int("limit", 50, "the most links to print (env RESULTLINKS_LIMIT)")
	list := &ffcli.Command{
		Name: "list", ShortUsage: "resultlinks result-links list [--status S] [--integration ID] [--limit N]",
		ShortHelp: "print the ledger, newest first: ID, status, attempts, integration, target, created, error",
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
			links, err := app.Store.ListResultLinks(ctx, env.ID, resultlinks.ResultLinkFilter{
				Status: resultlinks.DeliveryStatus(*status), IntegrationID: *integ, Limit: *limit})
			if err != nil {
				return err
			}
			for _, rl := range links {
				fmt.Fprintf(stdio.Stdout, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", rl.ID, rl.Status, rl.Attempts, rl.IntegrationID, rl.TargetID,
					rl.CreatedAt.UTC().Format(time.RFC3339), rl.ErrorMessage)
			}
			return nil
		},
	}
	sfs, sopts := newFlags("resultlinks result-links show")
	sdb := databaseFlag(sfs)
	show := &ffcli.Command{
		Name: "show", ShortUsage: "resultlinks result-links show <result-link-id>",
		ShortHelp: "print one ledger entry as JSON, with its redacted exchanges with the ATS",
		FlagSet:   sfs, Options: sopts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks result-links show <result-link-id>")
			}
			app, env, closeFn, err := openEnv(ctx, *sdb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			rl, err := app.Store.FindResultLink(ctx, env.ID, args[0])
			if err != nil {
				return err
			}
			enc := json.NewEncoder(stdio.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				ID, Status, Integration, Target, Label, URL string
				Attempts                                    int
				Channels                                    []resultlinks.Channel
				Warnings                                    []string
				Error                                       string `json:",omitempty"`
				Exchanges                                   []resultlinks.Exchange
			}{rl.ID, string(rl.Status), rl.IntegrationID, rl.TargetID, rl.Input.Label, rl.Input.URL, rl.Attempts,
				rl.Receipt.Channels, append(rl.Warnings, rl.Receipt.Warnings...), rl.ErrorMessage, rl.Exchanges})
		},
	}
	rfs, ropts := newFlags("resultlinks result-links retry")
	rdb := databaseFlag(rfs)
	retry := &ffcli.Command{
		Name: "retry", ShortUsage: "resultlinks result-links retry <result-link-id>",
		ShortHelp: "queue a FAILED result link for another delivery (a running server delivers it)",
		FlagSet:   rfs, Options: ropts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks result-links retry <result-link-id>")
			}
			app, env, closeFn, err := openEnv(ctx, *rdb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			rl, err := app.Store.FindResultLink(ctx, env.ID, args[0])
			if err != nil {
				return err
			}
			if rl.Status != resultlinks.DeliveryFailed {
				return fmt.Errorf("only a FAILED result link can be retried; %s is %s", rl.ID, rl.Status)
			}
			if _, err := app.Store.RequeueResultLink(ctx, rl.ID, time.Now().UTC()); err != nil {
				return err
			}
			if err := app.Queue.EnqueueDelivery(ctx, rl, time.Now()); err != nil {
				return err
			}
			fmt.Fprintln(stdio.Stdout, rl.ID)
			return nil
		},
	}
	fs, _ := newFlags("resultlinks result-links")
	return &ffcli.Command{
		Name: "result-links", ShortUsage: "resultlinks result-links <subcommand>", ShortHelp: "inspect and retry the ledger of result links",
		FlagSet: fs, Subcommands: []*ffcli.Command{list, show, retry},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}
