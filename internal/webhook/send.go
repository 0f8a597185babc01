package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/resultlinks/resultlinks"
)

// Timeout bounds one send: an endpoint that has not answered by then failed.
const Timeout = 10 * time.Second

// RetryWindow is how long an event is retried; an endpoint that answered
// no send of an event with a 2xx for that long is disabled.
const RetryWindow = 24 * time.Hour

// Outcome is how one send ended.
type Outcome int

const (
	// Sent means the endpoint answered 2xx.
	Sent Outcome = iota
	// Retry means the send failed and should be tried again.
	Retry
	// Dropped means the event is not to be sent again: the endpoint is
	// gone, disabled, or does not take the event's type.
	Dropped
	// Skipped means this job had nothing to do: the send was settled
	// already, or waits behind an earlier event of the same integration
	// (whose settling queues it again).
	Skipped
	// Busy means another worker holds the send until the returned time.
	Busy
)

// claimMargin is how much longer than a send's timeout its claim lasts.
const claimMargin = 30 * time.Second

// Envelope is the body of every event: Kombo's {id, type, data}.
type Envelope struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Sender sends one event to one endpoint and records the attempt.
type Sender struct {
	// Store holds endpoints (with their secrets opened), events and attempts.
	Store resultlinks.Store
	// Client sends; it should refuse the targets the server refuses.
	Client *http.Client
	// Timeout bounds one send; zero means Timeout.
	Timeout time.Duration
	// Now is the clock.
	Now func() time.Time
	// Logger reports failures; never secrets or bodies.
	Logger *slog.Logger
	// Next returns what queues the send of an event to an endpoint inside
	// the transaction that settles the send of the event after, which it
	// waited behind; nil queues nothing.
	Next func(webhookID, eventID, after string) resultlinks.EnqueueFunc
}

func (s *Sender) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Sender) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return Timeout
}

// Send sends the event to the endpoint as attempt number attempt. A first
// send keeps the order of the integration's events: it claims the send and
// waits (Skipped) while an earlier event is pending for the endpoint. A
// resend sends again whatever happened before, outside that order.
func (s *Sender) Send(ctx context.Context, eventID, webhookID string, attempt int, resend bool) (Outcome, time.Time, error) {
	hook, err := s.Store.GetWebhook(ctx, webhookID)
	if resultlinks.IsNotFound(err) {
		return Dropped, time.Time{}, err
	}
	if err != nil {
		return Retry, time.Time{}, err
	}
	ev, err := s.Store.GetWebhookEvent(ctx, eventID)
	if resultlinks.IsNotFound(err) {
		return Dropped, time.Time{}, err
	}
	if err != nil {
		return Retry, time.Time{}, err
	}
	tracked := false
	if !resend {
		now := s.Now()
		until := now.Add(s.timeout() + claimMargin)
		claim, err := s.Store.ClaimWebhookSend(ctx, hook.ID, ev.ID, now, until)
		if err != nil {
			return Retry, time.Time{}, err
		}
		switch claim {
		case resultlinks.SendSettled, resultlinks.SendBlocked:
			return Skipped, time.Time{}, nil
		case resultlinks.SendBusy:
			return Busy, until, nil
		case resultlinks.SendClaimed:
			tracked = true
		}
	}
	outcome, err := s.send(ctx, hook, ev, attempt)
	if tracked {
		state := resultlinks.SendPending
		switch outcome {
		case Sent:
			state = resultlinks.SendDelivered
		case Dropped:
			state = resultlinks.SendDropped
		}
		var next func(string) resultlinks.EnqueueFunc
		if s.Next != nil {
			next = func(eventID string) resultlinks.EnqueueFunc { return s.Next(hook.ID, eventID, ev.ID) }
		}
		if ferr := s.Store.FinishWebhookSend(context.WithoutCancel(ctx), hook.ID, ev.ID, state, next); ferr != nil {
			// The claim runs out on its own; the retry sends again.
			return Retry, time.Time{}, errors.Join(err, ferr)
		}
	}
	return outcome, time.Time{}, err
}

// send sends the event once and records the attempt and the endpoint's health.
func (s *Sender) send(ctx context.Context, hook *resultlinks.Webhook, ev *resultlinks.WebhookEvent, attempt int) (Outcome, error) {
	if hook.DisabledAt != nil {
		return Dropped, fmt.Errorf("webhook %s is disabled: %s", hook.ID, hook.DisabledReason)
	}
	if hook.EnvironmentID != ev.EnvironmentID || !hook.Wants(ev.Type) {
		return Dropped, fmt.Errorf("webhook %s does not take %s events", hook.ID, ev.Type)
	}
	body, err := json.Marshal(Envelope{ID: ev.ID, Type: ev.Type, Data: ev.Data})
	if err != nil {
		return Dropped, err
	}

	start := s.Now()
	status, sendErr := s.post(ctx, hook, ev, body, start)
	d := &resultlinks.WebhookDelivery{ID: resultlinks.NewID(), EventID: ev.ID, EventType: ev.Type, WebhookID: hook.ID,
		Attempt: attempt, StatusCode: status, At: start, Duration: s.Now().Sub(start)}
	if sendErr != nil {
		d.Error = sendErr.Error()
	}
	// The record and the endpoint's health must be saved even when the
	// worker is being stopped.
	wctx := context.WithoutCancel(ctx)
	if err := s.Store.AddWebhookDelivery(wctx, d); err != nil {
		return Retry, err
	}
	if sendErr == nil {
		if hook.Failures > 0 {
			if err := s.Store.SetWebhookHealth(wctx, hook.ID, 0, nil, ""); err != nil {
				return Sent, err
			}
		}
		return Sent, nil
	}
	if s.Now().Sub(ev.CreatedAt) >= RetryWindow {
		at := s.Now()
		reason := fmt.Sprintf("no 2xx answer to event %s for %s; last attempt: %s", ev.ID, RetryWindow, sendErr)
		if err := s.Store.AddWebhookFailure(wctx, hook.ID, &at, reason); err != nil {
			return Retry, err
		}
		s.logger().Warn("webhook disabled", "webhook", hook.ID, "event", ev.ID, "error", sendErr)
		return Dropped, sendErr
	}
	if err := s.Store.AddWebhookFailure(wctx, hook.ID, nil, ""); err != nil {
		return Retry, err
	}
	s.logger().Warn("webhook send failed, will retry", "webhook", hook.ID, "event", ev.ID, "attempt", attempt, "error", sendErr)
	return Retry, sendErr
}

// post sends body and answers the status code (0 when none came) and
// an error unless it was 2xx.
func (s *Sender) post(ctx context.Context, hook *resultlinks.Webhook, ev *resultlinks.WebhookEvent, body []byte, now time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("bad endpoint URL: %w", err)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "resultlinks-webhooks/1")
	req.Header.Set(SignatureHeader, Sign(hook.Secret, body))
	req.Header.Set(TimestampHeader, ts)
	req.Header.Set(TimestampSignatureHeader, SignTimestamped(hook.Secret, ts, body))
	req.Header.Set(EventIDHeader, ev.ID)
	resp, err := s.Client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return 0, fmt.Errorf("no answer within %s", s.timeout())
		}
		return 0, fmt.Errorf("send failed: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// NewClient returns a client for sending events: it does not follow
// redirects (a 3xx is a failed send) and uses transport, or the default
// transport when nil.
func NewClient(transport http.RoundTripper) *http.Client {
	return &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
