package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/resultlinks/resultlinks"
)

// Paging limits of the list endpoints.
const (
	DefaultPageSize = 100
	MaxPageSize     = 250
)

// listQuery is the parsed query of a list endpoint.
type listQuery struct {
	values url.Values
	after  string
	size   int
	ids    []string
	remote []string
	jobIDs []string
	since  *time.Time
	all    bool
}

// cursor is the opaque paging cursor: base64 of a small JSON object.
type cursor struct {
	After string `json:"after"`
}

func encodeCursor(after string) string {
	b, _ := json.Marshal(cursor{After: after})
	return base64.URLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (string, error) {
	bad := resultlinks.Errorf(resultlinks.CodeInputInvalid, "cursor: not a cursor this server issued; pass the 'next' value of the previous page as is")
	b, err := base64.URLEncoding.DecodeString(s)
	if err != nil {
		if b, err = base64.RawURLEncoding.DecodeString(s); err != nil {
			return "", bad
		}
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || !resultlinks.IsID(c.After) {
		return "", bad
	}
	return c.After, nil
}

// parseList parses the parameters both list endpoints share.
func parseList(v url.Values) (*listQuery, error) {
	q := &listQuery{values: v, size: DefaultPageSize}
	var err error
	if c := v.Get("cursor"); c != "" {
		if q.after, err = decodeCursor(c); err != nil {
			return nil, err
		}
	}
	if q.size, err = pageSize(v); err != nil {
		return nil, err
	}
	if q.ids, err = idList(v, "ids"); err != nil {
		return nil, err
	}
	if q.jobIDs, err = idList(v, "job_ids"); err != nil {
		return nil, err
	}
	q.remote = list(v, "remote_ids")
	if s := v.Get("updated_after"); s != "" {
		t, err := parseTimestamp(s)
		if err != nil {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "updated_after: must be a date or date-time like 2026-01-31T12:00:00.000Z, got %q", s)
		}
		q.since = &t
	}
	if q.all, err = boolParam(v, "include_deleted"); err != nil {
		return nil, err
	}
	// Every filter is supported by the mirror, so ignoring unsupported ones
	// changes nothing; the value must still be valid.
	if _, err = boolParam(v, "ignore_unsupported_filters"); err != nil {
		return nil, err
	}
	return q, nil
}

// list splits a comma list, dropping empty items.
func list(v url.Values, name string) []string {
	var out []string
	for _, raw := range v[name] {
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func idList(v url.Values, name string) ([]string, error) {
	ids := list(v, name)
	for _, id := range ids {
		if !resultlinks.IsID(id) {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s: %q is not an ID (IDs are %d base58 characters)", name, id, resultlinks.IDLength)
		}
	}
	return ids, nil
}

func boolParam(v url.Values, name string) (bool, error) {
	switch s := v.Get(name); s {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s: must be true or false, got %q", name, s)
	}
}

// timestampLayouts are the accepted forms of updated_after:
// YYYY-MM-DD[THH:MM:SS[.fff]][Z or offset].
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"}

func parseTimestamp(s string) (time.Time, error) {
	var err error
	for _, l := range timestampLayouts {
		var t time.Time
		if t, err = time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

func emailParam(v url.Values) (string, error) {
	s := strings.TrimSpace(v.Get("email"))
	if s == "" {
		return "", nil
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s {
		return "", resultlinks.Errorf(resultlinks.CodeInputInvalid, "email: %q is not an e-mail address", s)
	}
	return s, nil
}

func outcomesParam(v url.Values) ([]resultlinks.Outcome, error) {
	var out []resultlinks.Outcome
	for _, s := range append(list(v, "outcomes"), list(v, "outcome")...) {
		o := resultlinks.Outcome(s)
		if !o.Valid() {
			return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "outcomes: %q is not one of PENDING, HIRED, DECLINED", s)
		}
		out = append(out, o)
	}
	return out, nil
}

// pageSize reads page_size: DefaultPageSize when absent, else 1 to
// MaxPageSize.
func pageSize(v url.Values) (int, error) {
	s := v.Get("page_size")
	if s == "" {
		return DefaultPageSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxPageSize {
		return 0, resultlinks.Errorf(resultlinks.CodeInputInvalid, "page_size: must be an integer from 1 to %d, got %q", MaxPageSize, s)
	}
	return n, nil
}
