// Package browsertest starts headless Chromium for end-to-end tests of the
// pages, through the DevTools protocol (chromedp). Tests that need a
// browser call New; without Chromium on the machine they are skipped,
// unless RESULTLINKS_TEST_BROWSER=required (CI), where they fail.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium binary: RESULTLINKS_CHROMIUM, or the first of
// chromium, chromium-browser and google-chrome on PATH.
func Path() (string, bool) {
	if p := os.Getenv("RESULTLINKS_CHROMIUM"); p != "" {
		return p, true
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// New starts a headless Chromium for the test, 1280×900, with a fresh
// profile and no background networking, and returns a context that drives
// its first tab. Everything stops when the test ends.
func New(t *testing.T) context.Context {
	t.Helper()
	path, ok := Path()
	if !ok {
		if os.Getenv("RESULTLINKS_TEST_BROWSER") == "required" {
			t.Fatal("Chromium is required for the browser tests (install Debian's chromium package, or set RESULTLINKS_CHROMIUM)")
		}
		t.Skip("no Chromium on this machine: install Debian's chromium package to run the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser, whose life is then that of ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// Screenshot saves a PNG of the whole page to path.
func Screenshot(ctx context.Context, path string) error {
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(path, buf, 0o644)
}
