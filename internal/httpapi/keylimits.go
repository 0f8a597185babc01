package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"golang.org/x/time/rate"
)

// keyLimits caps each API key's request rate and its concurrent requests,
// so one caller cannot starve the others.
type keyLimits struct {
	mu          sync.Mutex
	rate        rate.Limit
	burst       int
	concurrency int
	keys        map[string]*keyLimit
}

type keyLimit struct {
	bucket   *rate.Limiter
	inflight int
}

func newKeyLimits(perSecond float64, burst, concurrency int) *keyLimits {
	return &keyLimits{rate: rate.Limit(perSecond), burst: burst, concurrency: concurrency, keys: map[string]*keyLimit{}}
}

// admit lets a request of the key in, or answers 429
// PLATFORM.RATE_LIMIT_EXCEEDED with the wait; done ends the request.
func (k *keyLimits) admit(keyID string) (done func(), err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l := k.keys[keyID]
	if l == nil {
		l = &keyLimit{bucket: rate.NewLimiter(k.rate, k.burst)}
		k.keys[keyID] = l
	}
	if l.inflight >= k.concurrency {
		return nil, &resultlinks.Error{Code: resultlinks.CodeRateLimitExceeded, RetryAfter: time.Second,
			Message: "This API key already has the most requests in flight it may have; retry when one finishes."}
	}
	r := l.bucket.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return nil, &resultlinks.Error{Code: resultlinks.CodeRateLimitExceeded, RetryAfter: d,
			Message: "This API key sends requests faster than it may; retry after the Retry-After."}
	}
	l.inflight++
	return func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		l.inflight--
	}, nil
}

// touchKey records a key's use, at most once a minute per key and process.
func (a *API) touchKey(ctx context.Context, keyID string) {
	now := a.now()
	a.touchMu.Lock()
	last, seen := a.touched[keyID]
	if seen && now.Sub(last) < time.Minute {
		a.touchMu.Unlock()
		return
	}
	a.touched[keyID] = now
	a.touchMu.Unlock()
	if err := a.store.TouchAPIKey(context.WithoutCancel(ctx), keyID, now); err != nil {
		a.logger.Warn("recording an API key's use", "key", keyID, "error", err)
	}
}

// audit records what the calling key did; a failure to record is logged,
// not answered (the action itself succeeded).
func (a *API) audit(ctx context.Context, action, target, detail string) {
	c := callOf(ctx)
	err := a.store.AddAudit(context.WithoutCancel(ctx), &resultlinks.AuditRecord{
		ID: resultlinks.NewID(), EnvironmentID: c.environmentID, At: a.now(), Actor: "key:" + c.keyID,
		Action: action, Target: target, Detail: detail,
	})
	if err != nil {
		a.logger.Error("recording audit", "action", action, "target", target, "error", err)
	}
}
