package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/wire"
)

// baselineBody is the request body as the baseline decodes it.
type baselineBody struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	Details *struct {
		Prefix     string `json:"custom_field_name_prefix"`
		Attributes []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"attributes"`
	} `json:"details"`
	RemoteFields json.RawMessage `json:"remote_fields"`
}

// baselineHandler is the baseline: a bare net/http handler that decodes the
// same JSON body, checks the same required fields and answers the same
// envelope, with no authentication lookup, store, queue, log or metrics.
func baselineHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/ats/applications/{application_id}/result-links", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" || r.Header.Get("X-Integration-Id") == "" {
			writeBaseline(w, http.StatusUnauthorized, wire.ErrorEnvelope{Status: "error", Error: wire.ErrorDetail{Message: "missing credentials"}})
			return
		}
		var body baselineBody
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil || body.Label == "" || body.URL == "" {
			writeBaseline(w, http.StatusBadRequest, wire.ErrorEnvelope{Status: "error", Error: wire.ErrorDetail{Message: "label and url are required"}})
			return
		}
		receipt := wire.ResultLinkReceipt{ResultLinkID: resultlinks.NewID(), Status: "QUEUED", Channels: []string{}}
		warnings := []wire.Warning{}
		if !strings.Contains(r.Header.Get("Prefer"), "respond-async") {
			receipt.Status, receipt.Channels = "DELIVERED", []string{"custom_fields"}
			warnings = append(warnings, wire.Warning{Message: "Baseline: wrote the link to application " + r.PathValue("application_id") + "."})
		} else {
			w.Header().Set("Preference-Applied", "respond-async")
		}
		writeBaseline(w, http.StatusOK, wire.ActionEnvelope{Status: "success", Data: receipt, Warnings: warnings})
	})
	return mux
}

func writeBaseline(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// runBaseline is the hidden __baseline subcommand: it serves the baseline on
// a free loopback port, prints the address as its first stdout line, and
// runs until killed.
func runBaseline(args []string) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench __baseline: %v\n", err)
		return 1
	}
	fmt.Println(ln.Addr().String())
	srv := &http.Server{Handler: baselineHandler(), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintf(os.Stderr, "bench __baseline: %v\n", err)
		return 1
	}
	return 0
}

// startBaseline runs the baseline server as a child process.
func (e *env) startBaseline(ctx context.Context) (url string, stop func(), err error) {
	cmd := exec.Command(e.self, "__baseline")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop = func() { cmd.Process.Kill(); cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("baseline server: %v", err)
	}
	go io.Copy(io.Discard, out)
	return "http://" + strings.TrimSpace(line), stop, nil
}
