package outbound

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/metrics"
)

// Exchange is the redacted record of one HTTP call to an ATS.
type Exchange = resultlinks.Exchange

// Recorder receives exchanges.
type Recorder interface {
	Record(Exchange)
}

// Log is a Recorder that keeps exchanges in memory.
type Log struct {
	mu        sync.Mutex
	exchanges []Exchange
}

// Record keeps e.
func (l *Log) Record(e Exchange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.exchanges = append(l.exchanges, e)
}

// Exchanges returns what was recorded.
func (l *Log) Exchanges() []Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.exchanges)
}

// sensitiveHeaders are never recorded in clear, whatever their value.
var sensitiveHeaders = []string{"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token"}

// secrets redacts known secret values.
type secrets struct {
	mu     sync.Mutex
	values []string
}

func newSecrets(vs []string) *secrets {
	s := &secrets{}
	for _, v := range vs {
		s.add(v)
	}
	return s
}

func (s *secrets) add(v string) {
	if len(v) < 4 {
		return // too short to redact without mangling unrelated text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.values, v) {
		s.values = append(s.values, v)
		// Longest first, so a secret containing another is redacted whole.
		sort.Slice(s.values, func(i, j int) bool { return len(s.values[i]) > len(s.values[j]) })
	}
}

func (s *secrets) redact(text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.values {
		text = strings.ReplaceAll(text, v, "[REDACTED]")
	}
	return text
}

func (c *Client) headers(h http.Header) map[string]string {
	out := map[string]string{}
	for k, vs := range h {
		v := strings.Join(vs, ", ")
		if slices.Contains(sensitiveHeaders, strings.ToLower(k)) {
			v = "[REDACTED]"
		}
		out[k] = c.secrets.redact(v)
	}
	return out
}

// secretJSON and secretForm find values of keys that hold secrets in JSON
// and form bodies (a token endpoint's answer before its token is known).
var (
	secretJSON = regexp.MustCompile(`(?i)("(?:access_token|refresh_token|id_token|token|client_secret|password|api_key|apikey|secret)"\s*:\s*)"[^"]*"`)
	secretForm = regexp.MustCompile(`(?i)((?:^|&)(?:client_secret|password|refresh_token|code|api_key)=)[^&]*`)
)

func (c *Client) body(b []byte) string {
	s := string(b)
	if len(s) > maxRecordedBody {
		s = s[:maxRecordedBody] + "...(truncated)"
	}
	s = secretJSON.ReplaceAllString(s, `${1}"[REDACTED]"`)
	s = secretForm.ReplaceAllString(s, `${1}[REDACTED]`)
	return c.secrets.redact(s)
}

func (c *Client) record(req *http.Request, reqBody []byte, res *http.Response, resBody []byte, err error, attempt int, d time.Duration) {
	e := Exchange{
		Time: c.cfg.Now().Add(-d), Tool: c.cfg.Tool, IntegrationID: c.cfg.IntegrationID, Attempt: attempt,
		Method: req.Method, URL: c.secrets.redact(req.URL.String()),
		RequestHeaders: c.headers(req.Header), RequestBody: c.body(reqBody), Duration: d,
	}
	if res != nil {
		e.Status = res.StatusCode
		e.ResponseHeaders = c.headers(res.Header)
		e.ResponseBody = c.body(resBody)
	}
	if err != nil {
		e.Error = c.secrets.redact(describe(err))
	}
	if c.cfg.Recorder != nil {
		c.cfg.Recorder.Record(e)
	}
	metrics.ATSRequests.WithLabelValues(c.cfg.Tool, strconv.Itoa(e.Status)).Inc()
	metrics.ATSDuration.WithLabelValues(c.cfg.Tool).Observe(d.Seconds())
	path := req.URL.Path
	attrs := []any{"tool", c.cfg.Tool, "integration", c.cfg.IntegrationID, "method", e.Method,
		"path", c.secrets.redact(path), "status", e.Status, "attempt", attempt, "duration", d}
	if e.Error != "" {
		attrs = append(attrs, "error", e.Error)
	}
	c.cfg.Logger.Info("ats call", attrs...)
}
