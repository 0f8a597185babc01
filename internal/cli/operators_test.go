package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks/internal/cli"
	"github.com/stretchr/testify/require"
)

func TestOperators(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "ops.db")
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := cli.Run(context.Background(), append(args[:1:1], append([]string{args[1], "--database-url", db}, args[2:]...)...),
			cli.IO{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(stdin)})
		return code, out.String(), errOut.String()
	}

	code, out, stderr := run("correct horse battery\n", "operators", "create", "Ops@Example.com")
	require.Equal(t, 0, code, stderr)
	id := strings.TrimSpace(out)
	require.NotEmpty(t, id)

	pw := filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(pw, []byte("another long password\n"), 0o600))
	code, _, stderr = run("", "operators", "create", "--password-file", pw, "two@example.com")
	require.Equal(t, 0, code, stderr)

	tests := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"taken address", "correct horse battery\n", []string{"operators", "create", "ops@example.com"}, "exists already"},
		{"short password", "short\n", []string{"operators", "create", "three@example.com"}, "at least 12"},
		{"no password", "", []string{"operators", "create", "three@example.com"}, "no password"},
		{"not an address", "correct horse battery\n", []string{"operators", "create", "nobody"}, "e-mail address"},
	}
	for _, tt := range tests {
		code, _, stderr := run(tt.stdin, tt.args...)
		require.NotEqual(t, 0, code, tt.name)
		require.Contains(t, stderr, tt.want, tt.name)
		require.NotContains(t, stderr, "correct horse", tt.name)
	}

	code, out, _ = run("", "operators", "list")
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	require.True(t, strings.HasPrefix(lines[0], id+"\tops@example.com\t"), lines[0])

	code, _, stderr = run("", "operators", "delete", id)
	require.Equal(t, 0, code, stderr)
	code, out, _ = run("", "operators", "list")
	require.Equal(t, 0, code)
	require.NotContains(t, out, "ops@example.com")
	code, _, _ = run("", "operators", "delete", id)
	require.NotEqual(t, 0, code, "gone already")
}
