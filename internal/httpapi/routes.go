package httpapi

import "net/http"

// routes is the route table: every endpoint the API serves.
func (a *API) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h handlerFunc) { mux.Handle(pattern, a.wrap(h)) }

	handle("GET /v1/check-api-key", a.authed(a.checkAPIKey))
	handle("GET /v1/integrations/{integration_id}", a.authed(a.getIntegration))
	handle("DELETE /v1/integrations/{integration_id}", a.authed(a.deleteIntegration))
	handle("GET /v1/ats/candidates", a.authed(a.withIntegration(a.listCandidates)))
	handle("GET /v1/ats/applications", a.authed(a.withIntegration(a.listApplications)))
	handle("POST /v1/ats/candidates/{candidate_id}/result-links", a.authed(a.withIntegration(a.addCandidateResultLink)))
	handle("POST /v1/ats/applications/{application_id}/result-links", a.authed(a.withIntegration(a.addApplicationResultLink)))
	handle("POST /v1/force-sync", a.authed(a.withIntegration(a.forceSync)))
	handle("GET /v1/syncs", a.authed(a.withIntegration(a.listSyncs)))
	handle("GET /v1/syncs/{sync_id}", a.authed(a.getSync))
	handle("GET /v1/result-links", a.authed(a.listResultLinks))
	handle("GET /v1/result-links/{result_link_id}", a.authed(a.getResultLink))
	handle("POST /v1/result-links/{result_link_id}/retry", a.authed(a.retryResultLink))
	handle("POST /v1/webhooks", a.authed(a.createWebhook))
	handle("GET /v1/webhooks", a.authed(a.listWebhooks))
	handle("DELETE /v1/webhooks/{webhook_id}", a.authed(a.deleteWebhook))
	handle("GET /v1/webhooks/{webhook_id}/deliveries", a.authed(a.listWebhookDeliveries))
	handle("POST /v1/webhooks/{webhook_id}/resend", a.authed(a.resendWebhookEvent))
	handle("GET /v1/interactions/{interaction_id}", a.authed(a.getInteraction))
	handle("POST /v1/connect/create-link", a.authed(a.createConnectLink))
	handle("GET /v1/connect/integration-by-token/{token}", a.authed(a.integrationByToken))
	handle("GET /assets/tools/{file}", a.toolAsset)
	handle("GET /v1/openapi.json", a.openAPI)
	handle("GET /healthz", a.healthz)
	handle("GET /readyz", a.readyz)
	if a.metrics != nil {
		mux.Handle("GET /metrics", a.metrics)
	}
	handle("/", a.notFound)
	return mux
}
