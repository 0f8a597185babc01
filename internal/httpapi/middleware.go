package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/metrics"
)

// handlerFunc is a handler that returns its error for the one error writer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxEnvironment
	ctxIntegration
	ctxCall
)

// call collects what the log of one API call needs, filled in by the
// layers that learn it.
type call struct {
	environmentID, integrationID, resultLinkID, keyID string
	errCode                                           resultlinks.Code
	errMessage                                        string
}

func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(ctxCall).(*call)
	if c == nil {
		return &call{}
	}
	return c
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

func environmentID(ctx context.Context) string {
	id, _ := ctx.Value(ctxEnvironment).(string)
	return id
}

func integrationOf(ctx context.Context) *resultlinks.Integration {
	in, _ := ctx.Value(ctxIntegration).(*resultlinks.Integration)
	return in
}

// statusRecorder remembers the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// middleware gives every request an ID (answered as X-Request-Id), caps its
// body, recovers panics into a 500 envelope, and logs one line per request.
func (a *API) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := resultlinks.NewID()
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), ctxRequestID, id)
		info := &call{}
		ctx = context.WithValue(ctx, ctxCall, info)
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.writeError(rec, r, fmt.Errorf("panic: %v", p))
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			a.logger.Info("request", "request_id", id, "method", r.Method, "route", route,
				"status", rec.status, "duration", time.Since(start))
			metrics.HTTPRequests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
			metrics.HTTPDuration.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
			// Calls that changed something or failed are logged for
			// error.log_url and GET /v1/interactions/{id}.
			if info.environmentID != "" && (r.Method != http.MethodGet || rec.status >= 400) {
				err := a.store.CreateInteraction(context.WithoutCancel(ctx), &resultlinks.Interaction{
					ID: id, EnvironmentID: info.environmentID, IntegrationID: info.integrationID, Method: r.Method, Route: route,
					Path: r.URL.Path, Status: rec.status, ErrorCode: info.errCode, ErrorMessage: info.errMessage,
					ResultLinkID: info.resultLinkID, StartedAt: start.UTC(), Duration: time.Since(start),
				})
				if err != nil {
					a.logger.Error("logging interaction", "request_id", id, "error", err)
				}
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// wrap adapts a handlerFunc to http.Handler, answering its error.
func (a *API) wrap(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.writeError(w, r, err)
		}
	})
}

// authed requires a valid API key and puts its environment in the context.
// Missing and unknown keys get the same answer.
func (a *API) authed(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		invalid := resultlinks.Errorf(resultlinks.CodeAuthenticationInvalid, "The API key is missing or not valid. Send it as 'Authorization: Bearer <key>'.")
		scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			return invalid
		}
		key, err := resultlinks.CheckAPIKey(r.Context(), a.store, strings.TrimSpace(secret))
		if err != nil {
			if resultlinks.ErrorCode(err) == resultlinks.CodeAuthenticationInvalid {
				return invalid
			}
			return err
		}
		done, err := a.keyLimits.admit(key.ID)
		if err != nil {
			return err
		}
		defer done()
		a.touchKey(r.Context(), key.ID)
		callOf(r.Context()).environmentID = key.EnvironmentID
		callOf(r.Context()).keyID = key.ID
		ctx := context.WithValue(r.Context(), ctxEnvironment, key.EnvironmentID)
		return h(w, r.WithContext(ctx))
	}
}

// withIntegration requires the X-Integration-Id header naming an integration
// of the caller's environment.
func (a *API) withIntegration(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := strings.TrimSpace(r.Header.Get("X-Integration-Id"))
		if id == "" {
			return resultlinks.Errorf(resultlinks.CodeInputInvalid, "The X-Integration-Id header is required on this endpoint.")
		}
		in, err := a.store.FindIntegration(r.Context(), environmentID(r.Context()), id)
		if err != nil {
			return err
		}
		callOf(r.Context()).integrationID = in.ID
		ctx := context.WithValue(r.Context(), ctxIntegration, in)
		return h(w, r.WithContext(ctx))
	}
}

func (a *API) notFound(w http.ResponseWriter, r *http.Request) error {
	return resultlinks.Errorf(resultlinks.CodeNotFound, "There is no endpoint %s %s.", r.Method, r.URL.Path)
}
