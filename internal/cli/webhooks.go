package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/server"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

func webhooksCommand(stdio IO) *ffcli.Command {
	var events *string
	create := envSubcommand{
		Path: "resultlinks webhooks create", Usage: "[--events a,b] <url>", Args: 1,
		Help: "configure a webhook endpoint; prints its ID and its signing secret (shown only once)",
		LongHelp: "Configures an endpoint of the default environment. Events are signed as Kombo signs them: " +
			webhook.SignatureHeader + " is base64url (no padding) of HMAC-SHA256 over the raw body, keyed by the secret. The types are " +
			strings.Join(resultlinks.WebhookEventTypes, ", ") + ".",
		Flags: func(fs *flag.FlagSet) {
			events = fs.String("events", "", "comma-separated event types to send; empty sends all (env RESULTLINKS_EVENTS)")
		},
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			var types []string
			for _, e := range strings.Split(*events, ",") {
				if e = strings.TrimSpace(e); e != "" {
					types = append(types, e)
				}
			}
			h, err := resultlinks.NewWebhook(env.ID, args[0], types, webhook.NewSecret(), time.Now().UTC())
			if err != nil {
				return err
			}
			if err := app.Store.CreateWebhook(ctx, h); err != nil {
				return err
			}
			if err := app.Audit(ctx, env.ID, "", "webhook.create", h.ID, h.URL); err != nil {
				return err
			}
			fmt.Fprintf(stdio.Stdout, "%s\t%s\n", h.ID, h.Secret)
			return nil
		},
	}
	list := envSubcommand{
		Path: "resultlinks webhooks list",
		Help: "print one line per endpoint: ID, URL, events, failures, disabled (with the reason)",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, _ []string) error {
			hooks, err := app.Store.ListWebhooks(ctx, env.ID)
			if err != nil {
				return err
			}
			for _, h := range hooks {
				types, disabled := "all", "-"
				if len(h.Events) > 0 {
					types = strings.Join(h.Events, ",")
				}
				if h.DisabledAt != nil {
					disabled = h.DisabledAt.UTC().Format(time.RFC3339) + " " + h.DisabledReason
				}
				fmt.Fprintf(stdio.Stdout, "%s\t%s\t%s\t%d\t%s\n", h.ID, h.URL, types, h.Failures, disabled)
			}
			return nil
		},
	}
	del := envSubcommand{
		Path: "resultlinks webhooks delete", Usage: "<webhook-id>", Args: 1, Help: "delete an endpoint",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			if err := app.Store.DeleteWebhook(ctx, env.ID, args[0]); err != nil {
				return err
			}
			return app.Audit(ctx, env.ID, "", "webhook.delete", args[0], "")
		},
	}
	var limit *int
	deliveries := envSubcommand{
		Path: "resultlinks webhooks deliveries", Usage: "[--limit N] <webhook-id>", Args: 1,
		Help: "print an endpoint's send attempts, newest first: when, event, type, attempt, status, duration, error",
		Flags: func(fs *flag.FlagSet) {
			limit = fs.Int("limit", 50, "the most attempts to print (env RESULTLINKS_LIMIT)")
		},
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			h, err := app.Store.FindWebhook(ctx, env.ID, args[0])
			if err != nil {
				return err
			}
			ds, err := app.Store.ListWebhookDeliveries(ctx, h.ID, *limit)
			if err != nil {
				return err
			}
			for _, d := range ds {
				errText := d.Error
				if errText == "" {
					errText = "-"
				}
				fmt.Fprintf(stdio.Stdout, "%s\t%s\t%s\t%d\t%d\t%dms\t%s\n", d.At.UTC().Format(time.RFC3339), d.EventID, d.EventType,
					d.Attempt, d.StatusCode, d.Duration.Milliseconds(), errText)
			}
			return nil
		},
	}
	resend := envSubcommand{
		Path: "resultlinks webhooks resend", Usage: "<webhook-id> <event-id>", Args: 2,
		Help: "send an event to an endpoint once more (enabling it again when it was disabled); a running server sends it",
		Run: func(ctx context.Context, app *server.App, env *resultlinks.Environment, args []string) error {
			var queue webhook.Resender
			if app.Queue != nil {
				queue = app.Queue
			}
			h, err := webhook.Resend(ctx, app.Store, queue, env.ID, args[0], args[1])
			if err != nil {
				return err
			}
			return app.Audit(ctx, env.ID, "", "webhook.resend", h.ID, args[1])
		},
	}
	wfs, _ := newFlags("resultlinks webhooks")
	return &ffcli.Command{
		Name: "webhooks", ShortUsage: "resultlinks webhooks <subcommand>", ShortHelp: "manage webhook endpoints and see their deliveries",
		FlagSet: wfs, Subcommands: []*ffcli.Command{create.command(stdio), list.command(stdio), del.command(stdio),
			deliveries.command(stdio), resend.command(stdio)},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}
