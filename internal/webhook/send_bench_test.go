package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/store/sqlite"
	"github.com/resultlinks/resultlinks/internal/webhook"
)

// BenchmarkSend measures one signed send to a loopback receiver with its
// attempt recorded in SQLite.
func BenchmarkSend(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "rl.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }))
	defer rcv.Close()
	env := resultlinks.NewID()
	h := &resultlinks.Webhook{ID: resultlinks.NewID(), EnvironmentID: env, URL: rcv.URL, Secret: webhook.NewSecret(), CreatedAt: time.Now()}
	if err := s.CreateWebhook(ctx, h); err != nil {
		b.Fatal(err)
	}
	ev := &resultlinks.WebhookEvent{ID: resultlinks.NewID(), EnvironmentID: env, Type: resultlinks.EventResultLinkDelivered,
		Data: json.RawMessage(`{"result_link_id":"x","channels":["note"]}`), CreatedAt: time.Now()}
	if err := s.AddWebhookEvent(ctx, ev, nil); err != nil {
		b.Fatal(err)
	}
	sender := &webhook.Sender{Store: s, Client: webhook.NewClient(nil), Now: time.Now}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out, _, err := sender.Send(ctx, ev.ID, h.ID, 1, true); out != webhook.Sent {
			b.Fatal(err)
		}
	}
}
