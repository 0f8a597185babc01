package sqlstore

import (
	"database/sql"
	"time"
)

// TimeLayout is the stored form of a timestamp: UTC with a fixed number of
// fraction digits, so text order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime returns the stored form of t.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// FormatTimePtr returns the stored form of t, or NULL.
func FormatTimePtr(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: FormatTime(*t), Valid: true}
}

// ParseTime parses a stored timestamp.
func ParseTime(s string) (time.Time, error) { return time.Parse(TimeLayout, s) }

// ParseTimePtr parses a nullable stored timestamp.
func ParseTimePtr(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := ParseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
