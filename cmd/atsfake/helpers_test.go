package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// toolRun is the signature of every tool's run function (runGreenhouse,
// runLever and so on).
type toolRun func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// lockedBuffer is a bytes.Buffer safe to read while a tool writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startToolInProcess runs a tool in-process (every tool listens on
// 127.0.0.1:0 unless args say otherwise), decodes its first stdout line into
// ready and returns a stop function that cancels it and returns its exit
// code and stderr.
func startToolInProcess(t *testing.T, run toolRun, args []string, ready any) func() (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		code := run(ctx, args, pw, &stderr)
		_ = pw.Close()
		done <- code
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, pr)
	}()
	stop := func() (int, string) {
		cancel()
		select {
		case code := <-done:
			return code, stderr.String()
		case <-time.After(10 * time.Second):
			t.Fatalf("tool did not stop; stderr: %s", stderr.String())
			return -1, ""
		}
	}
	var line string
	select {
	case line = <-lines:
	case <-time.After(10 * time.Second):
		stop()
		t.Fatalf("no ready line; stderr: %s", stderr.String())
	}
	require.NoError(t, json.Unmarshal([]byte(line), ready), "ready line: %q", line)
	return stop
}

// requireListening checks the addr of a ready line: a real port on the
// loopback address.
func requireListening(t *testing.T, addr string) {
	t.Helper()
	require.True(t, strings.HasPrefix(addr, "127.0.0.1:"), "addr %q", addr)
	require.NotEqual(t, "127.0.0.1:0", addr)
}

// requireStops stops a tool started by startToolInProcess and checks that it
// exits cleanly saying wantStderr.
func requireStops(t *testing.T, stop func() (int, string), wantStderr string) {
	t.Helper()
	code, stderr := stop()
	require.Equal(t, 0, code, "stderr: %s", stderr)
	require.Contains(t, stderr, wantStderr)
}

// flagCase is a command line a tool explains or rejects.
type flagCase struct {
	// name names the subtest; empty means the arguments.
	name       string
	args       []string
	wantCode   int
	wantStderr string
}

// checkFlags runs each case in a subtest and checks the exit code, that
// stderr says wantStderr and that nothing went to stdout.
func checkFlags(t *testing.T, run toolRun, cases []flagCase) {
	t.Helper()
	for _, tt := range cases {
		name := tt.name
		if name == "" {
			name = strings.Join(tt.args, " ")
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code, "%v: %s", tt.args, stderr.String())
			require.Contains(t, stderr.String(), tt.wantStderr)
			require.Empty(t, stdout.String())
		})
	}
}
