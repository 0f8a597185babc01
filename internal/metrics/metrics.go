// Package metrics holds the Prometheus metrics of resultlinks, registered in
// one registry that GET /metrics serves. Route labels are route patterns,
// never raw IDs.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every metric of the process.
var Registry = prometheus.NewRegistry()

var durations = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

var (
	// HTTPRequests counts API requests by route pattern, method and status.
	HTTPRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_http_requests_total", Help: "API requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	// HTTPDuration times API requests by route pattern and method.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "resultlinks_http_request_duration_seconds", Help: "API request latency by route pattern and method.", Buckets: durations,
	}, []string{"route", "method"})
	// ATSRequests counts calls to ATSs by tool and status (0: no answer).
	ATSRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_ats_requests_total", Help: "Calls to ATS APIs by tool and HTTP status (0 when no answer came).",
	}, []string{"tool", "status"})
	// ATSDuration times calls to ATSs by tool.
	ATSDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "resultlinks_ats_request_duration_seconds", Help: "Latency of calls to ATS APIs by tool.", Buckets: durations,
	}, []string{"tool"})
	// RateLimitWait sums the time calls waited on their ATS's budget.
	RateLimitWait = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_rate_limiter_wait_seconds_total", Help: "Time calls to ATSs waited for their integration's budget, by tool.",
	}, []string{"tool"})
	// ResultLinks counts result links reaching a final state, by tool.
	ResultLinks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_result_links_total", Help: "Result links reaching a final state (DELIVERED, FAILED), by tool.",
	}, []string{"tool", "state"})
	// DeliveryAttempts counts delivery attempts by tool and outcome.
	DeliveryAttempts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_delivery_attempts_total", Help: "Delivery attempts by tool and outcome (delivered, failed, retry, busy).",
	}, []string{"tool", "outcome"})
	// DeliveryRetries counts attempts that will be retried, by tool.
	DeliveryRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_delivery_retries_total", Help: "Delivery attempts that failed for a passing reason and will be retried, by tool.",
	}, []string{"tool"})
	// SyncRuns counts syncs by tool and outcome.
	SyncRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_sync_runs_total", Help: "Syncs by tool, kind (full, delta) and outcome (succeeded, failed).",
	}, []string{"tool", "kind", "outcome"})
	// SyncRecords counts records seen by syncs, by tool.
	SyncRecords = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resultlinks_sync_records_total", Help: "Records seen by syncs, by tool.",
	}, []string{"tool"})
	// InflightWrites is the result-link writes in flight per integration in
	// this process.
	InflightWrites = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "resultlinks_inflight_writes", Help: "Result-link writes in flight in this process, per integration.",
	}, []string{"integration"})
)

func init() {
	Registry.MustRegister(
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		HTTPRequests, HTTPDuration, ATSRequests, ATSDuration, RateLimitWait, ResultLinks,
		DeliveryAttempts, DeliveryRetries, SyncRuns, SyncRecords, InflightWrites,
	)
}

// Handler serves the registry in Prometheus' text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}
