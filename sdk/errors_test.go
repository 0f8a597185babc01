package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// errorBody renders the error envelope; "null" stands for a JSON null.
func errorBody(code, title, message, logURL string) string {
	q := func(s string) string {
		if s == "null" {
			return s
		}
		return `"` + s + `"`
	}
	return `{"status":"error","error":{"code":` + q(code) + `,"title":` + q(title) + `,"message":` + q(message) + `,"log_url":` + q(logURL) + `}}`
}

func TestErrorFamilies(t *testing.T) {
	t.Parallel()

	sentinels := []error{ErrRateLimited, ErrNotFound, ErrUnauthorized, ErrInvalidInput, ErrRemoteUnavailable}
	tests := []struct {
		name    string
		status  int
		code    string
		matches []error // the sentinels errors.Is must match; all others must not
	}{
		{"platform rate limit", 429, "PLATFORM.RATE_LIMIT_EXCEEDED", []error{ErrRateLimited}},
		{"concurrency limit", 429, "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED", []error{ErrRateLimited}},
		{"remote rate limit", 429, "REMOTE.RATE_LIMIT_EXCEEDED", []error{ErrRateLimited}},
		{"bare 429", 429, "null", []error{ErrRateLimited}},
		{"unknown candidate", 404, "null", []error{ErrNotFound}},
		{"unknown integration", 404, "PLATFORM.INTEGRATION_NOT_FOUND", []error{ErrNotFound}},
		{"bad API key", 401, "PLATFORM.AUTHENTICATION_INVALID", []error{ErrUnauthorized}},
		{"bare 401", 401, "null", []error{ErrUnauthorized}},
		{"ATS refused the integration's credentials", 401, "INTEGRATION.AUTHENTICATION_INVALID", nil},
		{"invalid body", 400, "PLATFORM.INPUT_INVALID", []error{ErrInvalidInput}},
		{"ATS refused the input", 400, "REMOTE.INPUT_INVALID", []error{ErrInvalidInput}},
		{"idempotency key reused with another body", 422, "PLATFORM.INPUT_INVALID", []error{ErrInvalidInput}},
		{"bare 422", 422, "null", []error{ErrInvalidInput}},
		{"ATS cannot take result links", 400, "INTEGRATION.ACTION_NOT_AVAILABLE", nil},
		{"remote down", 503, "REMOTE.SERVICE_UNAVAILABLE", []error{ErrRemoteUnavailable}},
		{"setup sync pending, old status", 503, "INTEGRATION.SETUP_SYNC_PENDING", nil},
		{"setup sync pending", 409, "INTEGRATION.SETUP_SYNC_PENDING", nil},
		{"action disabled", 403, "INTEGRATION.ACTION_DISABLED", nil},
		{"unknown error", 500, "PLATFORM.UNKNOWN_ERROR", nil},
		{"task timed out", 504, "PLATFORM.TASK_TIMED_OUT", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("X-Request-Id", "req-42")
				reply(w, tt.status, errorBody(tt.code, "A title", "what went wrong", "https://rl.example/v1/interactions/1"))
			}, WithRetry(RetryConfig{MaxAttempts: 1}))

			_, err := b.client.AddCandidateResultLink(context.Background(), minimalCandidateLink("c1"))
			var apiErr *Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want an *Error", err, err)
			}
			wantCode := ErrorCode(tt.code)
			if tt.code == "null" {
				wantCode = ""
			}
			want := Error{StatusCode: tt.status, Code: wantCode, Title: "A title", Message: "what went wrong",
				LogURL: "https://rl.example/v1/interactions/1", RequestID: "req-42"}
			if *apiErr != want {
				t.Errorf("error = %+v, want %+v", *apiErr, want)
			}
			for _, s := range sentinels {
				wantMatch := false
				for _, m := range tt.matches {
					wantMatch = wantMatch || m == s
				}
				if got := errors.Is(err, s); got != wantMatch {
					t.Errorf("errors.Is(err, %v) = %v, want %v", s, got, wantMatch)
				}
			}
		})
	}
}

func TestErrorNullFieldsAndString(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("X-Request-Id", "req-9")
		reply(w, 404, errorBody("null", "null", "candidate c1 not found", "null"))
	})
	_, err := b.client.AddCandidateResultLink(context.Background(), minimalCandidateLink("c1"))
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	if apiErr.Code != "" || apiErr.Title != "" || apiErr.LogURL != "" {
		t.Errorf("null fields: got code %q title %q log URL %q, want all empty", apiErr.Code, apiErr.Title, apiErr.LogURL)
	}
	if got, want := err.Error(), "sdk: HTTP 404: candidate c1 not found (request ID req-9)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	full := &Error{StatusCode: 429, Code: CodePlatformRateLimitExceeded, Message: "slow down"}
	if got, want := full.Error(), "sdk: HTTP 429 PLATFORM.RATE_LIMIT_EXCEEDED: slow down"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestErrorUnexpectedBody(t *testing.T) {
	t.Parallel()

	long := "<html><head><title>502 Bad Gateway</title></head>\n<body>" + strings.Repeat("ü", 300) + "</body></html>"
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        []string
		notWant     string
	}{
		{
			name: "proxy HTML page", status: 502, contentType: "text/html",
			body: "<html>\n  <body>Bad gateway</body>\n</html>",
			want: []string{"status 502 Bad Gateway", "content type text/html", "body: <html> <body>Bad gateway</body> </html>"},
		},
		{
			name: "long page is truncated", status: 502, contentType: "text/html; charset=utf-8",
			body: long,
			want: []string{"status 502", "content type text/html; charset=utf-8", "<title>502 Bad Gateway</title>", "…(truncated)"},
			// The cut must not leave half a rune.
			notWant: "\uFFFD",
		},
		{
			name: "empty body", status: 503, contentType: "",
			want: []string{"status 503 Service Unavailable", "content type none", "empty body"},
		},
		{
			name: "JSON that is not the envelope", status: 500, contentType: "application/json",
			body: `{"detail":"boom"}`,
			want: []string{"status 500", `body: {"detail":"boom"}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Header().Set("X-Request-Id", "req-1")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}, WithRetry(RetryConfig{MaxAttempts: 1}))
			_, err := b.client.CheckAPIKey(context.Background())
			var apiErr *Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != "" || apiErr.RequestID != "req-1" {
				t.Errorf("error = %+v, want status %d, no code, request ID req-1", *apiErr, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(apiErr.Message, w) {
					t.Errorf("Message %q does not contain %q", apiErr.Message, w)
				}
			}
			if tt.notWant != "" && strings.Contains(apiErr.Message, tt.notWant) {
				t.Errorf("Message %q contains %q", apiErr.Message, tt.notWant)
			}
			if len(apiErr.Message) > 400 {
				t.Errorf("Message is %d bytes long, want the body cut short", len(apiErr.Message))
			}
		})
	}
}

func TestErrorCarriesRetryAfter(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "30")
		reply(w, 429, errorBody("REMOTE.RATE_LIMIT_EXCEEDED", "null", "the ATS throttles", "null"))
	}, WithRetry(RetryConfig{MaxAttempts: 1}))
	_, err := b.client.AddCandidateResultLink(context.Background(), minimalCandidateLink("c1"))
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 30*time.Second {
		t.Fatalf("err = %#v, want an *Error with RetryAfter 30s", err)
	}
}

func TestErrorCodeValues(t *testing.T) {
	t.Parallel()

	codes := []ErrorCode{
		CodePlatformRateLimitExceeded, CodePlatformConcurrencyLimitExceeded, CodePlatformIntegrationNotFound,
		CodePlatformInputInvalid, CodePlatformUnknownError, CodePlatformIPNotWhitelisted,
		CodePlatformAuthenticationInvalid, CodePlatformTaskTimedOut,
		CodeIntegrationPermissionMissing, CodeIntegrationAuthenticationInvalid, CodeIntegrationQAFailed,
		CodeIntegrationSetupSyncPending, CodeIntegrationSetupIncomplete, CodeIntegrationInactive,
		CodeIntegrationModelNotAvailable, CodeIntegrationModelDisabled, CodeIntegrationActionNotAvailable,
		CodeIntegrationActionDisabled,
		CodeRemoteServiceUnavailable, CodeRemoteRateLimitExceeded, CodeRemoteInputInvalid, CodeRemoteUnknownHTTPError,
		CodeATSJobClosed, CodeATSApplicationAlreadyExists, CodeHRISEmployeeAlreadyExists, CodeHRISStaffingEntityClosed,
	}
	want := "PLATFORM.RATE_LIMIT_EXCEEDED PLATFORM.CONCURRENCY_LIMIT_EXCEEDED PLATFORM.INTEGRATION_NOT_FOUND " +
		"PLATFORM.INPUT_INVALID PLATFORM.UNKNOWN_ERROR PLATFORM.IP_NOT_WHITELISTED " +
		"PLATFORM.AUTHENTICATION_INVALID PLATFORM.TASK_TIMED_OUT " +
		"INTEGRATION.PERMISSION_MISSING INTEGRATION.AUTHENTICATION_INVALID INTEGRATION.QA_FAILED " +
		"INTEGRATION.SETUP_SYNC_PENDING INTEGRATION.SETUP_INCOMPLETE INTEGRATION.INACTIVE " +
		"INTEGRATION.MODEL_NOT_AVAILABLE INTEGRATION.MODEL_DISABLED INTEGRATION.ACTION_NOT_AVAILABLE " +
		"INTEGRATION.ACTION_DISABLED " +
		"REMOTE.SERVICE_UNAVAILABLE REMOTE.RATE_LIMIT_EXCEEDED REMOTE.INPUT_INVALID REMOTE.UNKNOWN_HTTP_ERROR " +
		"ATS.JOB_CLOSED ATS.APPLICATION_ALREADY_EXISTS HRIS.EMPLOYEE_ALREADY_EXISTS HRIS.STAFFING_ENTITY_CLOSED"
	if got := strings.Join(stringList(codes), " "); got != want {
		t.Errorf("codes:\n got %s\nwant %s", got, want)
	}
}
