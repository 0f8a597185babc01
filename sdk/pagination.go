package sdk

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// paginate walks the pages fetch returns, starting from params, and yields
// every record. Each further page is requested with the same params and the
// cursor of the page before, which setCursor writes into params. An error is
// yielded once and ends the walk, as does a page without a next cursor.
func paginate[T, P any](ctx context.Context, params P, setCursor func(*P, string), fetch func(context.Context, P) ([]T, string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		for {
			results, next, err := fetch(ctx, params)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, rec := range results {
				if !yield(rec, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			// A server that hands out a cursor twice would keep the walk
			// going forever.
			if seen[next] {
				yield(zero, fmt.Errorf("sdk: pagination: the server returned cursor %q twice", next))
				return
			}
			seen[next] = true
			setCursor(&params, next)
		}
	}
}

// listQuery builds the query string of a list call. Its setters skip zero
// values, so a filter left unset is not sent and the server's default holds.
type listQuery url.Values

// str sets key to v.
func (q listQuery) str(key, v string) {
	if v != "" {
		url.Values(q).Set(key, v)
	}
}

// list sets key to the values joined by commas, which the server reads as
// "any of these".
func (q listQuery) list(key string, vs []string) {
	if len(vs) > 0 {
		url.Values(q).Set(key, strings.Join(vs, ","))
	}
}

// boolean sets key to "true" when v is true.
func (q listQuery) boolean(key string, v bool) {
	if v {
		url.Values(q).Set(key, "true")
	}
}

// integer sets key to v when v is positive.
func (q listQuery) integer(key string, v int) {
	if v > 0 {
		url.Values(q).Set(key, strconv.Itoa(v))
	}
}

// timestamp sets key to t in UTC as ISO 8601 with milliseconds and Z, the
// form the wire uses.
func (q listQuery) timestamp(key string, t time.Time) {
	if !t.IsZero() {
		url.Values(q).Set(key, t.UTC().Format(wireTimeLayout))
	}
}

// wireTimeLayout is how timestamps are written on the wire, for example
// 2022-08-07T14:01:29.196Z.
const wireTimeLayout = "2006-01-02T15:04:05.000Z"

// stringList converts a slice of a string type to []string.
func stringList[S ~string](vs []S) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
