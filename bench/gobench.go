package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// goBenchPackages hold the testing.B benchmarks of the hot paths.
var goBenchPackages = []string{".", "./internal/httpapi", "./internal/store/sqlite", "./internal/store/postgres"}

type gobenchReport struct {
	command  string
	output   []string // the lines benchstat reads
	postgres bool
}

// benchGo runs the testing.B benchmarks once and keeps their output in the
// form benchstat reads.
func benchGo(ctx context.Context, e *env) (*gobenchReport, error) {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", e.cfg.gobenchTime, "-count", "1"}
	args = append(args, goBenchPackages...)
	shown := make([]string, len(args))
	for i, a := range args {
		shown[i] = a
		if a == "^$" {
			shown[i] = "'^$'"
		}
	}
	rep := &gobenchReport{command: "go " + strings.Join(shown, " "), postgres: e.cfg.postgresURL != ""}
	if rep.postgres {
		rep.command = "RESULTLINKS_TEST_POSTGRES_URL=" + redactURL(e.cfg.postgresURL) + " " + rep.command
	}
	logf("gobench: %s", rep.command)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = e.root
	cmd.Env = append(os.Environ(), "RESULTLINKS_TEST_POSTGRES_URL="+e.cfg.postgresURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", rep.command, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		for _, p := range []string{"goos:", "goarch:", "pkg:", "cpu:", "Benchmark"} {
			if strings.HasPrefix(line, p) {
				rep.output = append(rep.output, line)
				break
			}
		}
	}
	return rep, nil
}
