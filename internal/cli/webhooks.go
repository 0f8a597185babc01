package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

func webhooksCommand(stdio IO) *ffcli.Command {
	cfs, copts := newFlags("resultlinks webhooks create")
	cdb := databaseFlag(cfs)
	events := cfs.String("events", "", "comma-separated event types to send; empty sends all (env RESULTLINKS_EVENTS)")
	create := &ffcli.Command{
		Name: "create", ShortUsage: "resultlinks webhooks create [--events a,b] <url>",
		ShortHelp: "configure a webhook endpoint; prints its ID and its signing secret (shown only once)",
		LongHelp: "Configures an endpoint of the default environment. Events are signed as Kombo signs them: " +
			webhook.SignatureHeader + " is base64url (no padding) of HMAC-SHA256 over the raw body, keyed by the secret. The types are " +
			strings.Join(resultlinks.WebhookEventTypes, ", ") + ".",
		FlagSet: cfs, Options: copts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks webhooks create [--events a,b] <url>")
			}
			var types []string
			for _, e := range strings.Split(*events, ",") {
				if e = strings.TrimSpace(e); e != "" {
					types = append(types, e)
				}
			}
			app, env, closeFn, err := openEnv(ctx, *cdb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
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
	lfs, lopts := newFlags("resultlinks webhooks list")
	ldb := databaseFlag(lfs)
	list := &ffcli.Command{
		Name: "list", ShortUsage: "resultlinks webhooks list",
		ShortHelp: "print one line per endpoint: ID, URL, events, failures, disabled (with the reason)",
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
	dfs, dopts := newFlags("resultlinks webhooks delete")
	ddb := databaseFlag(dfs)
	del := &ffcli.Command{
		Name: "delete", ShortUsage: "resultlinks webhooks delete <webhook-id>", ShortHelp: "delete an endpoint",
		FlagSet: dfs, Options: dopts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks webhooks delete <webhook-id>")
			}
			app, env, closeFn, err := openEnv(ctx, *ddb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
			if err := app.Store.DeleteWebhook(ctx, env.ID, args[0]); err != nil {
				return err
			}
			return app.Audit(ctx, env.ID, "", "webhook.delete", args[0], "")
		},
	}
	afs, aopts := newFlags("resultlinks webhooks deliveries")
	adb := databaseFlag(afs)
	limit := afs.Int("limit", 50, "the most attempts to print (env RESULTLINKS_LIMIT)")
	deliveries := &ffcli.Command{
		Name: "deliveries", ShortUsage: "resultlinks webhooks deliveries [--limit N] <webhook-id>",
		ShortHelp: "print an endpoint's send attempts, newest first: when, event, type, attempt, status, duration, error",
		FlagSet:   afs, Options: aopts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: resultlinks webhooks deliveries [--limit N] <webhook-id>")
			}
			app, env, closeFn, err := openEnv(ctx, *adb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
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
	rfs, ropts := newFlags("resultlinks webhooks resend")
	rdb := databaseFlag(rfs)
	resend := &ffcli.Command{
		Name: "resend", ShortUsage: "resultlinks webhooks resend <webhook-id> <event-id>",
		ShortHelp: "send an event to an endpoint once more (enabling it again when it was disabled); a running server sends it",
		FlagSet:   rfs, Options: ropts,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("usage: resultlinks webhooks resend <webhook-id> <event-id>")
			}
			app, env, closeFn, err := openEnv(ctx, *rdb, stdio)
			if err != nil {
				return err
			}
			defer closeFn()
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
		FlagSet: wfs, Subcommands: []*ffcli.Command{create, list, del, deliveries, resend},
		Exec: func(context.Context, []string) error { return flag.ErrHelp },
	}
}
