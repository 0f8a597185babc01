package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/server"
)

func resultLinksCommand(stdio IO) *ffcli.Command {
	var status, integ *string
	var limit *int
	list := envSubcommand{
		Path: "resultlinks result-links list", Usage: "[--status S] [--integration ID] [--limit N]",
		Help: "print the ledger, newest first: ID, status, attempts, integration, target, created, error",
		Flags: func(fs *flag.FlagSet) {
			status = fs.String("status", "", "only links in this state: QUEUED, DELIVERING, DELIVERED or FAILED (env RESULTLINKS_STATUS)")
			integ = fs.String("integration", "", "only links of this integration (env RESULTLINKS_INTEGRATION)")
			limit = fs.Int("limit", 50, "the most links to print (env RESULTLINKS_LIMIT)")
		},
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, _ []string) error {
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
	show := envSubcommand{
		Path: "resultlinks result-links show", Usage: "<result-link-id>", Args: 1,
		Help: "print one ledger entry as JSON, with its redacted exchanges with the ATS",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
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
	retry := envSubcommand{
		Path: "resultlinks result-links retry", Usage: "<result-link-id>", Args: 1,
		Help: "queue a FAILED result link for another delivery (a running server delivers it)",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			var queue delivery.Queue
			if app.Queue != nil {
				queue = app.Queue
			}
			rl, err := delivery.RetryFailed(ctx, app.Store, queue, env.ID, args[0], time.Now().UTC())
			if err != nil {
				return err
			}
			if err := app.Audit(ctx, env.ID, "", "result_link.retry", rl.ID, ""); err != nil {
				return err
			}
			fmt.Fprintln(stdio.Stdout, rl.ID)
			return nil
		},
	}
	fs, _ := newFlags("resultlinks result-links")
	return &ffcli.Command{
		Name: "result-links", ShortUsage: "resultlinks result-links <subcommand>", ShortHelp: "inspect and retry the ledger of result links",
		FlagSet: fs, Subcommands: []*ffcli.Command{list.command(stdio), show.command(stdio), retry.command(stdio)},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}
