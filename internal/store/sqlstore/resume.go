package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/resultlinks/resultlinks"
)

// EncodeResume returns the stored form of a sync's resume point: JSON, or
// "" for none.
func EncodeResume(r *resultlinks.SyncResume) string {
	if r == nil {
		return ""
	}
	b, _ := json.Marshal(r) // two strings: cannot fail
	return string(b)
}

// DecodeResume reads a stored resume point; "" is none.
func DecodeResume(s string) (*resultlinks.SyncResume, error) {
	if s == "" {
		return nil, nil
	}
	var r resultlinks.SyncResume
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return nil, fmt.Errorf("sync resume point: %w", err)
	}
	return &r, nil
}
