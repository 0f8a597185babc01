package server

import (
	"net/netip"

	"github.com/resultlinks/resultlinks/internal/dashboard"
	"github.com/resultlinks/resultlinks/internal/delivery"
	"github.com/resultlinks/resultlinks/internal/httpapi"
	"github.com/resultlinks/resultlinks/internal/web"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// SetTrustedProxies names the proxies whose X-Forwarded-For says which
// client signs in to the dashboard (for its limit of sign-in attempts).
func (a *App) SetTrustedProxies(prefixes []netip.Prefix) { a.trustedProxies = prefixes }

// dashboard returns the dashboard's pages over the API's queues.
func (a *App) dashboard(deps httpapi.Deps) web.Mounter {
	cfg := dashboard.Config{Store: a.Store, Syncs: deps.Syncs, Logger: a.Logger, TrustedProxies: a.trustedProxies}
	// A nil queue of the API's type must stay a nil interface here.
	if deps.Deliveries != nil {
		cfg.Deliveries = delivery.Queue(deps.Deliveries)
	}
	if deps.Webhooks != nil {
		cfg.Webhooks = webhook.Resender(deps.Webhooks)
	}
	d, err := dashboard.New(cfg)
	if err != nil {
		// The templates are embedded: they fail to parse in every test.
		panic("dashboard: " + err.Error())
	}
	return d
}
