package resultlinks_test

import (
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks"
)

// FuzzIDs: IsID accepts exactly 24 base58 characters, DeriveID always makes
// one, and ToolOf never panics.
func FuzzIDs(f *testing.F) {
	f.Add("8Xi6iZrwusZqJmDGXs49GBmJ", "ats_candidates", "12")
	f.Add("", "", "")
	f.Add("0OIl0OIl0OIl0OIl0OIl0OIl", "x", "\x00")
	f.Add("greenhouse:HWUTwvyx2wLoSUHphiWVrp28", "ats_applications", "ä")
	f.Fuzz(func(t *testing.T, s, model, remote string) {
		want := len(s) == resultlinks.IDLength
		for _, r := range s {
			want = want && strings.ContainsRune(resultlinks.Base58Alphabet, r)
		}
		if resultlinks.IsID(s) != want {
			t.Fatalf("IsID(%q) = %v", s, !want)
		}
		id := resultlinks.DeriveID(s, resultlinks.Model(model), remote)
		if !resultlinks.IsID(id) {
			t.Fatalf("DeriveID gave %q", id)
		}
		_ = resultlinks.ToolOf(s)
	})
}
