package teamtailor

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"
)

// ref names one record: its JSON:API type and numeric id.
type ref struct {
	typ string
	id  int64
}

func (r ref) identifier() Identifier { return Identifier{Type: r.typ, ID: strconv.FormatInt(r.id, 10)} }

// relDef describes one relationship of a resource type.
type relDef struct {
	toMany  bool
	resolve func(f *Fake, id int64) []ref
}

// relDefs lists the relationships of every type; include= and the related
// endpoints (/v1/{type}/{id}/{relationship}) accept exactly these.
var relDefs map[string]map[string]relDef

func init() {
	one := func(typ string, get func(f *Fake, id int64) int64) relDef {
		return relDef{resolve: func(f *Fake, id int64) []ref {
			if target := get(f, id); target != 0 {
				return []ref{{typ, target}}
			}
			return nil
		}}
	}
	relDefs = map[string]map[string]relDef{
		"candidates": {
			"job-applications": {toMany: true, resolve: func(f *Fake, id int64) (out []ref) {
				for _, a := range f.apps {
					if a.CandidateID == id {
						out = append(out, ref{"job-applications", a.ID})
					}
				}
				return out
			}},
			"custom-field-values": {toMany: true, resolve: func(f *Fake, id int64) []ref {
				return f.valuesOf("Candidate", id)
			}},
			"notes": {toMany: true, resolve: func(f *Fake, id int64) (out []ref) {
				for _, n := range f.notes {
					if n.CandidateID == id {
						out = append(out, ref{"notes", n.ID})
					}
				}
				return out
			}},
		},
		"job-applications": {
			"candidate": one("candidates", func(f *Fake, id int64) int64 { return f.appByID[id].CandidateID }),
			"job":       one("jobs", func(f *Fake, id int64) int64 { return f.appByID[id].JobID }),
			"stage":     one("stages", func(f *Fake, id int64) int64 { return f.appByID[id].StageID }),
		},
		"jobs": {
			"stages": {toMany: true, resolve: func(f *Fake, id int64) (out []ref) {
				for _, s := range f.stages {
					if s.JobID == id {
						out = append(out, ref{"stages", s.ID})
					}
				}
				return out
			}},
			"custom-field-values": {toMany: true, resolve: func(f *Fake, id int64) []ref {
				return f.valuesOf("Job", id)
			}},
		},
		"stages": {
			"job": one("jobs", func(f *Fake, id int64) int64 { return f.stageByID[id].JobID }),
		},
		"users":         {},
		"custom-fields": {},
		"custom-field-values": {
			"custom-field": one("custom-fields", func(f *Fake, id int64) int64 { return f.valueByID[id].CustomFieldID }),
			"owner": {resolve: func(f *Fake, id int64) []ref {
				v := f.valueByID[id]
				return []ref{{ownerCollection(v.OwnerType), v.OwnerID}}
			}},
		},
		"notes": {
			"candidate": one("candidates", func(f *Fake, id int64) int64 { return f.noteByID[id].CandidateID }),
			"user":      one("users", func(f *Fake, id int64) int64 { return f.noteByID[id].UserID }),
		},
	}
}

// ownerCollection maps a custom field owner type to its collection.
func ownerCollection(ownerType string) string {
	if ownerType == "Job" {
		return "jobs"
	}
	return "candidates"
}

func (f *Fake) valuesOf(ownerType string, id int64) (out []ref) {
	for _, v := range f.values {
		if v.OwnerType == ownerType && v.OwnerID == id {
			out = append(out, ref{"custom-field-values", v.ID})
		}
	}
	return out
}

// exists reports whether r names a live record.
func (f *Fake) exists(r ref) bool {
	var ok bool
	switch r.typ {
	case "candidates":
		_, ok = f.candByID[r.id]
	case "job-applications":
		_, ok = f.appByID[r.id]
	case "jobs":
		_, ok = f.jobByID[r.id]
	case "stages":
		_, ok = f.stageByID[r.id]
	case "users":
		_, ok = f.userByID[r.id]
	case "custom-fields":
		_, ok = f.fieldByID[r.id]
	case "custom-field-values":
		_, ok = f.valueByID[r.id]
	case "notes":
		_, ok = f.noteByID[r.id]
	}
	return ok
}

// collectionIDs returns the ids of a type in ascending order.
func (f *Fake) collectionIDs(typ string) []int64 {
	var ids []int64
	add := func(id int64) { ids = append(ids, id) }
	switch typ {
	case "candidates":
		for _, x := range f.candidates {
			add(x.ID)
		}
	case "job-applications":
		for _, x := range f.apps {
			add(x.ID)
		}
	case "jobs":
		for _, x := range f.jobs {
			add(x.ID)
		}
	case "stages":
		for _, x := range f.stages {
			add(x.ID)
		}
	case "users":
		for _, x := range f.users {
			add(x.ID)
		}
	case "custom-fields":
		for _, x := range f.fields {
			add(x.ID)
		}
	case "custom-field-values":
		for _, x := range f.values {
			add(x.ID)
		}
	case "notes":
		for _, x := range f.notes {
			add(x.ID)
		}
	}
	return ids
}

// timesOf returns a record's created-at and updated-at.
func (f *Fake) timesOf(r ref) (created, updated time.Time) {
	switch r.typ {
	case "candidates":
		x := f.candByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	case "job-applications":
		x := f.appByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	case "jobs":
		x := f.jobByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	case "stages":
		x := f.stageByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	case "users":
		x := f.userByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	case "custom-fields":
		x := f.fieldByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	case "custom-field-values":
		x := f.valueByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	case "notes":
		x := f.noteByID[r.id]
		return x.CreatedAt, x.UpdatedAt
	}
	return time.Time{}, time.Time{}
}

// attributes renders a record's attributes with Teamtailor's dasherized
// member names.
func (f *Fake) attributes(r ref) map[string]any {
	switch r.typ {
	case "candidates":
		x := f.candByID[r.id]
		return map[string]any{
			"first-name": x.FirstName, "last-name": x.LastName, "email": x.Email, "phone": x.Phone,
			"linkedin-url": nullable(x.LinkedinURL), "sourced": x.Sourced, "tags": append([]string{}, x.Tags...),
			"created-at": formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	case "job-applications":
		x := f.appByID[r.id]
		return map[string]any{
			"sourced": x.Sourced, "changed-stage-at": formatTime(x.ChangedStageAt),
			"rejected-at": formatTime(x.RejectedAt),
			"created-at":  formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	case "jobs":
		x := f.jobByID[r.id]
		return map[string]any{
			"title": x.Title, "status": x.Status,
			"created-at": formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	case "stages":
		x := f.stageByID[r.id]
		return map[string]any{
			"name": x.Name, "stage-type": x.StageType, "row-order": x.RowOrder,
			"created-at": formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	case "users":
		x := f.userByID[r.id]
		return map[string]any{
			"name": x.Name, "email": x.Email, "role": x.Role,
			"created-at": formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	case "custom-fields":
		x := f.fieldByID[r.id]
		return map[string]any{
			"name": x.Name, "api-name": x.APIName, "field-type": x.FieldType, "owner-type": x.OwnerType,
			"created-at": formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	case "custom-field-values":
		x := f.valueByID[r.id]
		return map[string]any{
			"value": x.Value, "field-type": f.fieldByID[x.CustomFieldID].FieldType,
			"created-at": formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	case "notes":
		x := f.noteByID[r.id]
		return map[string]any{
			"note": x.Note, "created-at": formatTime(x.CreatedAt), "updated-at": formatTime(x.UpdatedAt),
		}
	}
	return map[string]any{}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// render builds the resource object of r. Relationships always carry their
// links; those named in include also carry their linkage.
func (f *Fake) render(base string, r ref, include map[string]bool) Resource {
	self := base + "/v1/" + r.typ + "/" + strconv.FormatInt(r.id, 10)
	res := Resource{
		ID: strconv.FormatInt(r.id, 10), Type: r.typ,
		Links:      map[string]string{"self": self},
		Attributes: f.attributes(r),
	}
	defs := relDefs[r.typ]
	if len(defs) > 0 {
		res.Relationships = map[string]Relationship{}
	}
	for name, def := range defs {
		rel := Relationship{Links: map[string]string{
			"self": self + "/relationships/" + name, "related": self + "/" + name,
		}}
		if include[name] {
			targets := def.resolve(f, r.id)
			var data any
			if def.toMany {
				ids := make([]Identifier, 0, len(targets))
				for _, t := range targets {
					ids = append(ids, t.identifier())
				}
				data = ids
			} else if len(targets) == 1 {
				data = targets[0].identifier()
			}
			rel.Data, _ = json.Marshal(data)
		}
		res.Relationships[name] = rel
	}
	return res
}

// renderIncluded renders the records reached through the included
// relationships of primary, each once, in first-seen order.
func (f *Fake) renderIncluded(base string, primary []ref, include map[string]bool) []Resource {
	if len(include) == 0 {
		return nil
	}
	seen := map[ref]bool{}
	for _, p := range primary {
		seen[p] = true
	}
	out := []Resource{}
	for _, p := range primary {
		for _, name := range slices.Sorted(maps.Keys(include)) {
			for _, t := range relDefs[p.typ][name].resolve(f, p.id) {
				if !seen[t] && f.exists(t) {
					seen[t] = true
					out = append(out, f.render(base, t, nil))
				}
			}
		}
	}
	return out
}
