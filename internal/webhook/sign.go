// Package webhook signs and sends an environment's events to its webhook
// endpoints, the way Kombo does, and retries them as River jobs.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"time"
)

// The headers of every event sent.
const (
	// SignatureHeader carries Kombo's signature: base64url without padding
	// of HMAC-SHA256 over the raw body, keyed by the endpoint's secret.
	SignatureHeader = "X-Kombo-Signature"
	// TimestampHeader carries the Unix time, in seconds, of the send.
	TimestampHeader = "X-Resultlinks-Timestamp"
	// TimestampSignatureHeader carries the signature of the timestamp and
	// body: HMAC-SHA256 over "<timestamp>.<body>", encoded like
	// SignatureHeader, for receivers that reject replays.
	TimestampSignatureHeader = "X-Resultlinks-Signature"
	// EventIDHeader carries the event's ID, the envelope's id.
	EventIDHeader = "X-Resultlinks-Event-Id"
)

// NewSecret returns a new endpoint secret: 32 random bytes, base64url.
func NewSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails.
	return []byte("whsec_" + base64.RawURLEncoding.EncodeToString(b))
}

func mac(secret []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, secret)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// Sign answers Kombo's signature of body.
func Sign(secret, body []byte) string {
	return base64.RawURLEncoding.EncodeToString(mac(secret, body))
}

// SignTimestamped answers the signature of timestamp and body.
func SignTimestamped(secret []byte, timestamp string, body []byte) string {
	return base64.RawURLEncoding.EncodeToString(mac(secret, []byte(timestamp), []byte("."), body))
}

// Verify reports whether signature is Kombo's signature of body.
func Verify(secret, body []byte, signature string) bool {
	got, err := base64.RawURLEncoding.DecodeString(signature)
	return err == nil && hmac.Equal(got, mac(secret, body))
}

// Errors of VerifyTimestamped.
var (
	ErrBadSignature = errors.New("webhook: the signature does not match")
	ErrStale        = errors.New("webhook: the timestamp is outside the tolerance")
)

// VerifyTimestamped checks the timestamped signature of body and that the
// timestamp is within tolerance of now.
func VerifyTimestamped(secret []byte, timestamp string, body []byte, signature string, now time.Time, tolerance time.Duration) error {
	got, err := base64.RawURLEncoding.DecodeString(signature)
	if err != nil || !hmac.Equal(got, mac(secret, []byte(timestamp), []byte("."), body)) {
		return ErrBadSignature
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	return nil
}
