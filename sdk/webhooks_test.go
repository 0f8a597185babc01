package sdk

import (
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The signatures below were computed outside Go:
// printf '%s' BODY | openssl dgst -sha256 -hmac whsec_test -binary | basenc --base64url | tr -d '='
const (
	testSecret = "whsec_test"
	testBody   = `{"id":"ev1","type":"data-changed","data":{}}`
	testSig    = "RPX1fwBSr2YLynD8kDIbonPBvROfcOQ7Wd7IWcrpbcw"
	testTS     = "1700000000"
	testTSSig  = "w2V43p3Wo_YBtTwgoe-iy_Myh-x5OnC8tWIi320r9gA"
	testTSUnix = 1700000000
)

func TestVerifyWebhook(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, secret, body, sig string
		want                    bool
	}{
		{"kombo's signature", testSecret, testBody, testSig, true},
		{"another body", testSecret, testBody + " ", testSig, false},
		{"another secret", "whsec_other", testBody, testSig, false},
		{"padded", testSecret, testBody, testSig + "=", false},
		{"empty", testSecret, testBody, "", false},
	}
	for _, tt := range tests {
		if got := VerifyWebhook(tt.secret, []byte(tt.body), tt.sig); got != tt.want {
			t.Errorf("%s: VerifyWebhook = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestVerifyWebhookTimestamped(t *testing.T) {
	t.Parallel()
	sent := time.Unix(testTSUnix, 0)
	tests := []struct {
		name, ts, sig string
		now           time.Time
		ok            bool
	}{
		{"fresh", testTS, testTSSig, sent.Add(time.Minute), true},
		{"too old", testTS, testTSSig, sent.Add(10 * time.Minute), false},
		{"from the future", testTS, testTSSig, sent.Add(-10 * time.Minute), false},
		{"other timestamp", "1700000001", testTSSig, sent, false},
		{"no timestamp", "", testTSSig, sent, false},
		{"kombo's signature is not the timestamped one", testTS, testSig, sent, false},
	}
	for _, tt := range tests {
		err := VerifyWebhookTimestamped(testSecret, []byte(testBody), tt.ts, tt.sig, tt.now, 5*time.Minute)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrBadSignature)) {
			t.Errorf("%s: err = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestReadWebhook(t *testing.T) {
	t.Parallel()
	body := `{"id":"ev9","type":"result-link-failed","data":{"result_link_id":"rl1","integration_id":"greenhouse:1",` +
		`"status":"FAILED","attempts":3,"channels":[],"remote_ids":[],"warnings":[],` +
		`"error":{"code":"REMOTE.INPUT_INVALID","message":"no such application"},"delivered_at":null}}`
	req := httptest.NewRequest("POST", "/hooks", strings.NewReader(body))
	req.Header.Set(SignatureHeader, sign(testSecret, body))
	ev, err := ReadWebhook(req, testSecret, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID != "ev9" || ev.Type != EventResultLinkFailed {
		t.Fatalf("event = %+v", ev)
	}
	var data ResultLinkEventData
	if err := ev.Decode(&data); err != nil {
		t.Fatal(err)
	}
	if data.ResultLinkID != "rl1" || data.Error == nil || data.Error.Code != "REMOTE.INPUT_INVALID" || data.Attempts != 3 {
		t.Fatalf("data = %+v", data)
	}

	bad := httptest.NewRequest("POST", "/hooks", strings.NewReader(body))
	bad.Header.Set(SignatureHeader, sign("whsec_other", body))
	if _, err := ReadWebhook(bad, testSecret, 0); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("wrong secret: err = %v", err)
	}

	// With a tolerance, the timestamped signature is required.
	noTS := httptest.NewRequest("POST", "/hooks", strings.NewReader(body))
	noTS.Header.Set(SignatureHeader, sign(testSecret, body))
	if _, err := ReadWebhook(noTS, testSecret, time.Minute); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("no timestamp: err = %v", err)
	}
	ts := strconvNow()
	withTS := httptest.NewRequest("POST", "/hooks", strings.NewReader(body))
	withTS.Header.Set(SignatureHeader, sign(testSecret, body))
	withTS.Header.Set(TimestampHeader, ts)
	withTS.Header.Set(TimestampSignatureHeader, sign(testSecret, ts+"."+body))
	if _, err := ReadWebhook(withTS, testSecret, time.Minute); err != nil {
		t.Fatalf("timestamped: %v", err)
	}
}

func sign(secret, s string) string {
	return base64.RawURLEncoding.EncodeToString(webhookMAC(secret, []byte(s)))
}

func strconvNow() string { return strconv.FormatInt(time.Now().Unix(), 10) }
