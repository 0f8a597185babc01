package teamtailor

import (
	"cmp"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Paging limits: page[size] defaults to 10 and may not exceed 30.
const (
	defaultPageSize = 10
	maxPageSize     = 30
)

// filterDef matches one record against a filter value.
type filterDef func(f *Fake, id int64, value string) bool

// idIn matches when get(id) is one of the comma-separated ids in value.
func idIn(get func(f *Fake, id int64) int64) filterDef {
	return func(f *Fake, id int64, value string) bool {
		want := get(f, id)
		for _, s := range strings.Split(value, ",") {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && n == want {
				return true
			}
		}
		return false
	}
}

// typeFilters are the filter[...] names each collection accepts besides
// the time ranges in timeFiltered.
var typeFilters = map[string]map[string]filterDef{
	"candidates": {
		"email": func(f *Fake, id int64, v string) bool { return strings.EqualFold(f.candByID[id].Email, v) },
	},
	"job-applications": {
		"candidate": idIn(func(f *Fake, id int64) int64 { return f.appByID[id].CandidateID }),
		"job":       idIn(func(f *Fake, id int64) int64 { return f.appByID[id].JobID }),
		"stage":     idIn(func(f *Fake, id int64) int64 { return f.appByID[id].StageID }),
	},
	"jobs": {
		"status": func(f *Fake, id int64, v string) bool { return f.jobByID[id].Status == v },
	},
	"stages": {
		"job": idIn(func(f *Fake, id int64) int64 { return f.stageByID[id].JobID }),
	},
	"users": {
		"email": func(f *Fake, id int64, v string) bool { return strings.EqualFold(f.userByID[id].Email, v) },
		"role":  func(f *Fake, id int64, v string) bool { return f.userByID[id].Role == v },
	},
	"notes": {
		"candidate": idIn(func(f *Fake, id int64) int64 { return f.noteByID[id].CandidateID }),
	},
}

// timeFiltered are the collections with filter[created-at] and
// filter[updated-at] ranges ([from] and [to], both inclusive).
var timeFiltered = map[string]bool{"candidates": true, "job-applications": true, "jobs": true, "notes": true}

var filterKeyRE = regexp.MustCompile(`^filter\[([a-z-]+)\](?:\[([a-z]+)\])?$`)

// listQuery is a parsed collection request.
type listQuery struct {
	include map[string]bool
	match   []func(f *Fake, id int64) bool
	sort    []string
	size    int
	number  int
}

func parseFilterTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseInclude validates include=a,b against the type's relationships.
func parseInclude(typ string, q url.Values) (map[string]bool, *response) {
	v := q.Get("include")
	if v == "" {
		return nil, nil
	}
	inc := map[string]bool{}
	for _, name := range strings.Split(v, ",") {
		if _, ok := relDefs[typ][name]; !ok {
			return nil, badParam("include", "Invalid include",
				name+" is not a relationship of "+typ+".")
		}
		inc[name] = true
	}
	return inc, nil
}

// parseList reads include, filter[...], sort and page[...] for typ.
func parseList(typ string, q url.Values) (*listQuery, *response) {
	lq := &listQuery{size: defaultPageSize, number: 1}
	var resp *response
	if lq.include, resp = parseInclude(typ, q); resp != nil {
		return nil, resp
	}
	for key, vals := range q {
		if !strings.HasPrefix(key, "filter[") {
			continue
		}
		m := filterKeyRE.FindStringSubmatch(key)
		value := vals[0]
		switch {
		case m != nil && (m[1] == "created-at" || m[1] == "updated-at") && timeFiltered[typ] && (m[2] == "from" || m[2] == "to"):
			t, ok := parseFilterTime(value)
			if !ok {
				return nil, badParam(key, "Invalid filter value", value+" is not a valid date-time for "+key+".")
			}
			field, bound := m[1], m[2]
			lq.match = append(lq.match, func(f *Fake, id int64) bool {
				created, updated := f.timesOf(ref{typ, id})
				at := updated
				if field == "created-at" {
					at = created
				}
				if bound == "from" {
					return !at.Before(t)
				}
				return !at.After(t)
			})
		case m != nil && m[2] == "" && typeFilters[typ][m[1]] != nil:
			def := typeFilters[typ][m[1]]
			lq.match = append(lq.match, func(f *Fake, id int64) bool { return def(f, id, value) })
		default:
			return nil, badParam(key, "Filter not allowed", key+" is not an allowed filter for "+typ+".")
		}
	}
	if v := q.Get("sort"); v != "" {
		for _, s := range strings.Split(v, ",") {
			switch strings.TrimPrefix(s, "-") {
			case "id", "created-at", "updated-at":
				lq.sort = append(lq.sort, s)
			default:
				return nil, badParam("sort", "Invalid sort criteria", s+" is not a valid sort criteria for "+typ+".")
			}
		}
	}
	if v, ok := q["page[size]"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 {
			return nil, badParam("page[size]", "Invalid page value", v[0]+" is not a valid value for page[size].")
		}
		if n > maxPageSize {
			return nil, badParam("page[size]", "Invalid page size",
				"page[size] exceeds the maximum page size of "+strconv.Itoa(maxPageSize)+".")
		}
		lq.size = n
	}
	if v, ok := q["page[number]"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 {
			return nil, badParam("page[number]", "Invalid page value", v[0]+" is not a valid value for page[number].")
		}
		lq.number = n
	}
	return lq, nil
}

// list serves GET /v1/{type}.
func (f *Fake) list(c *call) *response {
	return f.listIDs(c, c.rt.typ, f.collectionIDs(c.rt.typ))
}

// listIDs filters, sorts and pages ids of typ and renders the page with
// links (first, prev, next, last) and meta (record-count, page-count).
func (f *Fake) listIDs(c *call, typ string, ids []int64) *response {
	q := c.r.URL.Query()
	lq, resp := parseList(typ, q)
	if resp != nil {
		return resp
	}
	var hits []int64
	for _, id := range ids {
		ok := true
		for _, m := range lq.match {
			if ok = m(f, id); !ok {
				break
			}
		}
		if ok {
			hits = append(hits, id)
		}
	}
	slices.SortStableFunc(hits, func(a, b int64) int {
		for _, s := range lq.sort {
			desc := strings.HasPrefix(s, "-")
			var d int
			switch strings.TrimPrefix(s, "-") {
			case "id":
				d = cmp.Compare(a, b)
			case "created-at", "updated-at":
				ca, ua := f.timesOf(ref{typ, a})
				cb, ub := f.timesOf(ref{typ, b})
				if strings.HasSuffix(s, "created-at") {
					d = ca.Compare(cb)
				} else {
					d = ua.Compare(ub)
				}
			}
			if desc {
				d = -d
			}
			if d != 0 {
				return d
			}
		}
		return cmp.Compare(a, b)
	})
	count := len(hits)
	pages := (count + lq.size - 1) / lq.size
	start := min((lq.number-1)*lq.size, count)
	end := min(start+lq.size, count)
	page := make([]ref, 0, end-start)
	data := make([]Resource, 0, end-start)
	for _, id := range hits[start:end] {
		r := ref{typ, id}
		page = append(page, r)
		data = append(data, f.render(c.base, r, lq.include))
	}
	link := func(n int) string {
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		v.Set("page[number]", strconv.Itoa(n))
		v.Set("page[size]", strconv.Itoa(lq.size))
		return c.base + c.r.URL.Path + "?" + v.Encode()
	}
	links := map[string]string{"first": link(1), "last": link(max(pages, 1))}
	if lq.number > 1 {
		links["prev"] = link(min(lq.number-1, max(pages, 1)))
	}
	if lq.number < pages {
		links["next"] = link(lq.number + 1)
	}
	return docResponse(http.StatusOK, Document{
		Data: data, Included: f.renderIncluded(c.base, page, lq.include), Links: links,
		Meta: map[string]any{"record-count": count, "page-count": pages},
	})
}

// show serves GET /v1/{type}/{id}.
func (f *Fake) show(c *call) *response {
	r := ref{c.rt.typ, c.rt.id}
	if !f.exists(r) {
		return recordNotFound(strconv.FormatInt(r.id, 10))
	}
	inc, resp := parseInclude(r.typ, c.r.URL.Query())
	if resp != nil {
		return resp
	}
	res := f.render(c.base, r, inc)
	return docResponse(http.StatusOK, Document{Data: &res, Included: f.renderIncluded(c.base, []ref{r}, inc)})
}

// related serves GET /v1/{type}/{id}/{relationship}: a paged collection for
// a to-many relationship, the single resource (or null) for a to-one.
func (f *Fake) related(c *call) *response {
	r := ref{c.rt.typ, c.rt.id}
	if !f.exists(r) {
		return recordNotFound(strconv.FormatInt(r.id, 10))
	}
	def := relDefs[r.typ][c.rt.rel]
	targets := def.resolve(f, r.id)
	if def.toMany {
		if len(targets) == 0 {
			// The relationship names are the target collections' names.
			return f.listIDs(c, c.rt.rel, nil)
		}
		ids := make([]int64, 0, len(targets))
		for _, t := range targets {
			ids = append(ids, t.id)
		}
		return f.listIDs(c, targets[0].typ, ids)
	}
	if len(targets) == 0 || !f.exists(targets[0]) {
		return docResponse(http.StatusOK, Document{Data: nil})
	}
	inc, resp := parseInclude(targets[0].typ, c.r.URL.Query())
	if resp != nil {
		return resp
	}
	res := f.render(c.base, targets[0], inc)
	return docResponse(http.StatusOK, Document{Data: &res, Included: f.renderIncluded(c.base, targets[:1], inc)})
}
