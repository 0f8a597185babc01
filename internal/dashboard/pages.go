package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/mirror"
	"github.com/resultlinks/resultlinks/internal/web"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// Page sizes.
const (
	resultLinkPage = 50
	recentSyncs    = 10
	recentLinks    = 10
	deliveryPage   = 100
)

var deliveryStates = []resultlinks.DeliveryStatus{resultlinks.DeliveryQueued, resultlinks.DeliveryDelivering,
	resultlinks.DeliveryDelivered, resultlinks.DeliveryFailed}

// badge returns the style class of a status.
func badge(status any) string {
	switch v := status.(type) {
	case resultlinks.DeliveryStatus:
		status = string(v)
	case resultlinks.SyncState:
		status = string(v)
	case resultlinks.IntegrationStatus:
		status = string(v)
	case resultlinks.SetupStatus:
		status = string(v)
	}
	switch status {
	case "DELIVERED", "SUCCEEDED", "ACTIVE", "COMPLETED":
		return "ok"
	case "FAILED", "INVALID", "AUTHENTICATION_FAILED", "TIMED_OUT":
		return "bad"
	case "QUEUED", "DELIVERING", "RUNNING", "PARTIALLY_FAILED", "FINAL_SYNC_PENDING", "INCOMPLETE":
		return "warn"
	}
	return "muted"
}

// logo returns the path of a tool's logo.
func logo(tool string) string { return httpapi.ToolLogo(tool) }

// headerText renders headers one per line, sorted.
func headerText(h map[string]string) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + ": " + h[k] + "\n")
	}
	return b.String()
}

// integrationRow is an integration with its latest sync.
type integrationRow struct {
	*resultlinks.Integration
	Last *resultlinks.Sync
}

// integrationsData is the integrations page's data.
type integrationsData struct {
	web.Page
	Rows    []integrationRow
	Running bool
}

func (d *Dashboard) integrations(w http.ResponseWriter, r *http.Request, s *session) error {
	ins, err := d.cfg.Store.ListIntegrations(r.Context(), s.EnvironmentID)
	if err != nil {
		return err
	}
	data := integrationsData{Page: s.base("Integrations", "integrations", r)}
	for _, in := range ins {
		syncs, err := d.cfg.Store.ListSyncs(r.Context(), in.ID, 1)
		if err != nil {
			return err
		}
		row := integrationRow{Integration: in}
		if len(syncs) > 0 {
			row.Last = syncs[0]
			data.Running = data.Running || row.Last.State == resultlinks.SyncRunning
		}
		data.Rows = append(data.Rows, row)
	}
	d.render(w, http.StatusOK, "integrations", data)
	return nil
}

// integrationData is an integration's page's data.
type integrationData struct {
	web.Page
	Integration *resultlinks.Integration
	Syncs       []*resultlinks.Sync
	Running     *resultlinks.Sync
	Links       []*resultlinks.ResultLink
	Names       map[string]string
}

func (d *Dashboard) integration(w http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	in, err := d.cfg.Store.FindIntegration(ctx, s.EnvironmentID, r.PathValue("id"))
	if err != nil {
		return err
	}
	syncs, err := d.cfg.Store.ListSyncs(ctx, in.ID, recentSyncs)
	if err != nil {
		return err
	}
	links, err := d.cfg.Store.ListResultLinks(ctx, s.EnvironmentID, resultlinks.ResultLinkFilter{IntegrationID: in.ID, Limit: recentLinks})
	if err != nil {
		return err
	}
	data := integrationData{Page: s.base(in.Name, "integrations", r), Integration: in, Syncs: syncs, Links: links,
		Names: map[string]string{in.ID: in.Name}}
	for _, sy := range syncs {
		if sy.State == resultlinks.SyncRunning {
			data.Running = sy
			break
		}
	}
	d.render(w, http.StatusOK, "integration", data)
	return nil
}

// syncNow queues a full sync of the integration.
func (d *Dashboard) syncNow(w http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	in, err := d.cfg.Store.FindIntegration(ctx, s.EnvironmentID, r.PathValue("id"))
	if err != nil {
		return err
	}
	back := "/integrations/" + url.PathEscape(in.ID)
	if d.cfg.Syncs == nil {
		http.Redirect(w, r, back+"?problem=no-queue", http.StatusSeeOther)
		return nil
	}
	id, waiting, err := d.cfg.Syncs.EnqueueSync(ctx, mirror.SyncArgs{IntegrationID: in.ID, Full: true, SyncID: resultlinks.NewID()})
	if err != nil {
		return err
	}
	d.audit(r, s.EnvironmentID, s.Actor, "integration.sync", in.ID, "sync "+id+" from the dashboard")
	done := "synced"
	if waiting {
		done = "sync-waiting"
	}
	http.Redirect(w, r, back+"?done="+done, http.StatusSeeOther)
	return nil
}

// resultLinksData is the result links page's data.
type resultLinksData struct {
	web.Page
	Integrations []*resultlinks.Integration
	Names        map[string]string
	Filter       resultlinks.ResultLinkFilter
	Links        []*resultlinks.ResultLink
	// Older is the query of the next page, empty on the last.
	Older string
}

func (d *Dashboard) resultLinks(w http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := resultlinks.ResultLinkFilter{IntegrationID: strings.TrimSpace(q.Get("integration_id")), TargetID: strings.TrimSpace(q.Get("target_id")),
		Status: resultlinks.DeliveryStatus(q.Get("status")), Limit: resultLinkPage + 1}
	if !slices.Contains(deliveryStates, f.Status) {
		f.Status = ""
	}
	if before := q.Get("before"); before != "" {
		rl, err := d.cfg.Store.FindResultLink(ctx, s.EnvironmentID, before)
		if err != nil {
			return err
		}
		f.BeforeCreatedAt, f.BeforeID = &rl.CreatedAt, rl.ID
	}
	ins, err := d.cfg.Store.ListIntegrations(ctx, s.EnvironmentID)
	if err != nil {
		return err
	}
	links, err := d.cfg.Store.ListResultLinks(ctx, s.EnvironmentID, f)
	if err != nil {
		return err
	}
	data := resultLinksData{Page: s.base("Result links", "result-links", r), Integrations: ins, Names: names(ins), Filter: f, Links: links}
	if len(links) > resultLinkPage {
		data.Links = links[:resultLinkPage]
		next := url.Values{"before": {data.Links[resultLinkPage-1].ID}}
		for _, k := range []string{"integration_id", "status", "target_id"} {
			if v := q.Get(k); v != "" {
				next.Set(k, v)
			}
		}
		data.Older = next.Encode()
	}
	d.render(w, http.StatusOK, "result-links", data)
	return nil
}

// names maps integration IDs to names.
func names(ins []*resultlinks.Integration) map[string]string {
	out := make(map[string]string, len(ins))
	for _, in := range ins {
		out[in.ID] = in.Name
	}
	return out
}

// resultLinkData is a result link's page's data.
type resultLinkData struct {
	web.Page
	Link            *resultlinks.ResultLink
	IntegrationName string
	Interactions    []*resultlinks.Interaction
}

func (d *Dashboard) resultLink(w http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	rl, err := d.cfg.Store.FindResultLink(ctx, s.EnvironmentID, r.PathValue("id"))
	if err != nil {
		return err
	}
	data := resultLinkData{Page: s.base("Result link "+rl.ID, "result-links", r), Link: rl}
	if in, err := d.cfg.Store.FindIntegration(ctx, s.EnvironmentID, rl.IntegrationID); err == nil {
		data.IntegrationName = in.Name
	} else if !resultlinks.IsNotFound(err) {
		return err
	}
	if data.Interactions, err = d.cfg.Store.ListResultLinkInteractions(ctx, s.EnvironmentID, rl.ID, 20); err != nil {
		return err
	}
	d.render(w, http.StatusOK, "result-link", data)
	return nil
}

// retry queues a FAILED result link again.
func (d *Dashboard) retry(w http.ResponseWriter, r *http.Request, s *session) error {
	id := r.PathValue("id")
	rl, err := delivery.RetryFailed(r.Context(), d.cfg.Store, d.cfg.Deliveries, s.EnvironmentID, id, d.cfg.Now())
	back := "/result-links/" + url.PathEscape(id)
	switch {
	case rl == nil && err != nil:
		return err
	case resultlinks.ErrorCode(err) == resultlinks.CodeInputInvalid:
		http.Redirect(w, r, back+"?problem=not-failed", http.StatusSeeOther)
		return nil
	case err != nil && d.cfg.Deliveries == nil:
		http.Redirect(w, r, back+"?problem=no-queue", http.StatusSeeOther)
		return nil
	case err != nil:
		return err
	}
	d.audit(r, s.EnvironmentID, s.Actor, "result_link.retry", rl.ID, "from the dashboard")
	http.Redirect(w, r, back+"?done=retried", http.StatusSeeOther)
	return nil
}

// interactionData is an interaction's page's data.
type interactionData struct {
	web.Page
	Interaction     *resultlinks.Interaction
	IntegrationName string
}

func (d *Dashboard) interaction(w http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	in, err := d.cfg.Store.FindInteraction(ctx, s.EnvironmentID, r.PathValue("id"))
	if err != nil {
		return err
	}
	data := interactionData{Page: s.base("API call "+in.ID, "", r), Interaction: in}
	if in.IntegrationID != "" {
		if it, err := d.cfg.Store.FindIntegration(ctx, s.EnvironmentID, in.IntegrationID); err == nil {
			data.IntegrationName = it.Name
		}
	}
	d.render(w, http.StatusOK, "interaction", data)
	return nil
}

// syncData is the page of one sync, what sync-finished's log_url names.
type syncData struct {
	web.Page
	Sync            *resultlinks.Sync
	IntegrationName string
}

func (d *Dashboard) sync(w http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	rec, err := d.cfg.Store.FindSync(ctx, s.EnvironmentID, r.PathValue("id"))
	if err != nil {
		return err
	}
	data := syncData{Page: s.base("Sync "+rec.ID, "integrations", r), Sync: rec}
	if it, err := d.cfg.Store.FindIntegration(ctx, s.EnvironmentID, rec.IntegrationID); err == nil {
		data.IntegrationName = it.Name
	}
	d.render(w, http.StatusOK, "sync", data)
	return nil
}

// webhooksData is the webhooks page's data.
type webhooksData struct {
	web.Page
	Webhooks []*resultlinks.Webhook
}

func (d *Dashboard) webhooks(w http.ResponseWriter, r *http.Request, s *session) error {
	hooks, err := d.cfg.Store.ListWebhooks(r.Context(), s.EnvironmentID)
	if err != nil {
		return err
	}
	d.render(w, http.StatusOK, "webhooks", webhooksData{Page: s.base("Webhooks", "webhooks", r), Webhooks: hooks})
	return nil
}

// deliveryRow is a send attempt; Resend says whether its row carries the
// event's resend button (the newest attempt of each event does).
type deliveryRow struct {
	*resultlinks.WebhookDelivery
	Resend bool
}

// webhookData is an endpoint's page's data.
type webhookData struct {
	web.Page
	Webhook    *resultlinks.Webhook
	Deliveries []deliveryRow
}

func (d *Dashboard) webhook(w http.ResponseWriter, r *http.Request, s *session) error {
	ctx := r.Context()
	h, err := d.cfg.Store.FindWebhook(ctx, s.EnvironmentID, r.PathValue("id"))
	if err != nil {
		return err
	}
	list, err := d.cfg.Store.ListWebhookDeliveries(ctx, h.ID, deliveryPage)
	if err != nil {
		return err
	}
	data := webhookData{Page: s.base("Webhook endpoint", "webhooks", r), Webhook: h}
	seen := map[string]bool{}
	for _, del := range list {
		data.Deliveries = append(data.Deliveries, deliveryRow{WebhookDelivery: del, Resend: !seen[del.EventID]})
		seen[del.EventID] = true
	}
	d.render(w, http.StatusOK, "webhook", data)
	return nil
}

// resend queues an event to the endpoint once more.
func (d *Dashboard) resend(w http.ResponseWriter, r *http.Request, s *session) error {
	id, eventID := r.PathValue("id"), r.PostFormValue("event_id")
	var queue webhook.Resender
	if d.cfg.Webhooks != nil {
		queue = d.cfg.Webhooks
	}
	_, err := webhook.Resend(r.Context(), d.cfg.Store, queue, s.EnvironmentID, id, eventID)
	back := "/webhooks/" + url.PathEscape(id)
	switch {
	case resultlinks.IsNotFound(err):
		return err
	case err != nil && d.cfg.Webhooks == nil:
		http.Redirect(w, r, back+"?problem=no-queue", http.StatusSeeOther)
		return nil
	case resultlinks.ErrorCode(err) == resultlinks.CodeInputInvalid:
		http.Redirect(w, r, back+"?problem=refused", http.StatusSeeOther)
		return nil
	case err != nil:
		return err
	}
	d.audit(r, s.EnvironmentID, s.Actor, "webhook.resend", id, "event "+eventID+" from the dashboard")
	http.Redirect(w, r, back+"?done=resent", http.StatusSeeOther)
	return nil
}
