package cli

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"
)

// secretSettings are masked wherever settings are printed.
var secretSettings = map[string]bool{"database-url": true, "credentials-json": true}

// applySecretFiles reads RESULTLINKS_<NAME>_FILE into RESULTLINKS_<NAME>
// for every setting given that way (a secret mounted as a file), and fails
// naming the setting when the file cannot be read or both are set.
func applySecretFiles() error {
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, EnvPrefix+"_") || !strings.HasSuffix(k, "_FILE") {
			continue
		}
		base := strings.TrimSuffix(k, "_FILE")
		if _, set := os.LookupEnv(base); set {
			return fmt.Errorf("%s and %s are both set; give one", base, k)
		}
		b, err := os.ReadFile(v)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		os.Setenv(base, strings.TrimRight(string(b), "\r\n"))
	}
	return nil
}

// maskSetting hides a secret setting's value, keeping what helps to
// recognise it (a URL's scheme, host and path).
func maskSetting(name, value string) string {
	if !secretSettings[name] || value == "" {
		return value
	}
	if u, err := url.Parse(value); err == nil && u.Scheme != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		return u.String()
	}
	return "[REDACTED]"
}

func configCommand(stdio IO) *ffcli.Command {
	f, opts := newServeFlags("resultlinks config")
	return &ffcli.Command{
		Name: "config", ShortUsage: "resultlinks config [serve's flags]",
		ShortHelp: "print the effective configuration of serve, secrets masked",
		LongHelp:  "Prints every setting of 'resultlinks serve' as it would take effect from flags, environment and *_FILE variables, one per line, with secrets masked, and fails naming any invalid setting.",
		FlagSet:   f.fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			if err := f.validate(); err != nil {
				return err
			}
			var lines []string
			f.fs.VisitAll(func(fl *flag.Flag) {
				env := EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
				lines = append(lines, fmt.Sprintf("%-20s %-34s %s", fl.Name, env, maskSetting(fl.Name, fl.Value.String())))
			})
			sort.Strings(lines)
			fmt.Fprintln(stdio.Stdout, strings.Join(lines, "\n"))
			return nil
		},
	}
}

func healthcheckCommand(stdio IO) *ffcli.Command {
	fs, opts := newFlags("resultlinks healthcheck")
	target := fs.String("url", "http://127.0.0.1:8080/readyz", "the readiness URL to ask (env RESULTLINKS_URL)")
	return &ffcli.Command{
		Name: "healthcheck", ShortUsage: "resultlinks healthcheck [--url URL]",
		ShortHelp: "exit 0 when the server answers ready, 1 otherwise (for container health checks)",
		FlagSet:   fs, Options: opts,
		Exec: func(ctx context.Context, args []string) error {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
			if err != nil {
				return err
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("%s answered %d", *target, res.StatusCode)
			}
			return nil
		},
	}
}
