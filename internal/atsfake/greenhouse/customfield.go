package greenhouse

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Custom-field value rules. The accepted JSON per value_type follows the
// write item schema of [OAS] (PATCH /v3/applications/{id}): strings for text,
// url and date (YYYY-MM-DD), booleans for yes_no, numbers, option names or
// ids for selects, {amount,currency_code}, {min_amount,max_amount,
// currency_code}, {min_value,max_value}, and null to clear. The error
// strings are the fake's own; Greenhouse's exact wording is not published.

// renderCustomFields builds the custom_fields object of a record: every
// active definition of fieldType keyed by name_key, null when unset, plus
// inactive ones that still hold a value. Called with f.mu held.
func (f *Fake) renderCustomFields(fieldType string, values map[int64]any) map[string]CustomFieldValue {
	out := map[string]CustomFieldValue{}
	for _, fr := range f.fields {
		if fr.def.FieldType != fieldType {
			continue
		}
		v, has := values[fr.def.ID]
		if !fr.def.Active && !has {
			continue
		}
		out[fr.def.NameKey] = CustomFieldValue{Name: fr.def.Name, Type: fr.def.ValueType, Value: fr.display(v)}
	}
	return out
}

// display turns a stored value into its read form: select values read back
// as option names [OAS][ML].
func (fr *fieldRec) display(v any) any {
	switch fr.def.ValueType {
	case "single_select":
		if id, ok := v.(int64); ok {
			return fr.optionName(id)
		}
	case "multi_select":
		if ids, ok := v.([]int64); ok {
			names := make([]string, 0, len(ids))
			for _, id := range ids {
				names = append(names, fr.optionName(id))
			}
			return names
		}
	}
	return v
}

func (fr *fieldRec) optionName(id int64) string {
	for _, o := range fr.options {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

// findOption resolves an option given by name (string) or id (number).
func (fr *fieldRec) findOption(v any) (int64, bool) {
	switch x := v.(type) {
	case string:
		for _, o := range fr.options {
			if o.Active && o.Name == x {
				return o.ID, true
			}
		}
	case json.Number:
		id, err := x.Int64()
		if err != nil {
			return 0, false
		}
		for _, o := range fr.options {
			if o.Active && o.ID == id {
				return o.ID, true
			}
		}
	}
	return 0, false
}

// normalize validates v against the field's value_type and returns the value
// to store. v comes from a decoder with UseNumber and is never nil here.
func (f *Fake) normalize(fr *fieldRec, v any) (any, string) {
	vt := fr.def.ValueType
	switch vt {
	case "short_text", "long_text", "rich_text":
		s, ok := v.(string)
		if !ok {
			return nil, "must be a string for value_type " + vt
		}
		if vt == "short_text" && len(s) > 255 {
			return nil, "is too long (maximum is 255 characters) for value_type short_text"
		}
		return s, ""
	case "url":
		s, ok := v.(string)
		if !ok {
			return nil, "must be a string for value_type url"
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, "must be a valid http or https URL"
		}
		return s, ""
	case "date", "date_of_birth":
		s, ok := v.(string)
		if _, err := time.Parse(time.DateOnly, s); !ok || err != nil {
			return nil, "must be a date formatted YYYY-MM-DD"
		}
		return s, ""
	case "yes_no":
		b, ok := v.(bool)
		if !ok {
			return nil, "must be a boolean for value_type yes_no"
		}
		return b, ""
	case "number":
		n, ok := v.(json.Number)
		if !ok {
			return nil, "must be a number for value_type number"
		}
		return n, ""
	case "single_select":
		id, ok := fr.findOption(v)
		if !ok {
			return nil, fmt.Sprintf("must be the name or id of an active option of %q", fr.def.Name)
		}
		return id, ""
	case "multi_select":
		items, ok := v.([]any)
		if !ok {
			return nil, "must be an array of option names or ids for value_type multi_select"
		}
		ids := make([]int64, 0, len(items))
		for _, it := range items {
			id, ok := fr.findOption(it)
			if !ok {
				return nil, fmt.Sprintf("must only contain names or ids of active options of %q", fr.def.Name)
			}
			ids = append(ids, id)
		}
		return ids, ""
	case "currency":
		return objectValue(v, vt, []string{"amount"}, []string{"currency_code"})
	case "currency_range":
		return objectValue(v, vt, []string{"min_amount", "max_amount"}, []string{"currency_code"})
	case "number_range":
		return objectValue(v, vt, []string{"min_value", "max_value"}, nil)
	case "user":
		n, ok := v.(json.Number)
		id, err := n.Int64()
		if !ok || err != nil {
			return nil, "must be a user id for value_type user"
		}
		if _, exists := f.userByID[id]; !exists {
			return nil, "must be the id of an existing user"
		}
		return id, ""
	}
	return nil, "value_type " + vt + " cannot be set through the API"
}

// objectValue checks an object value with the given number and string
// members and nothing else.
func objectValue(v any, vt string, numbers, strs []string) (any, string) {
	m, ok := v.(map[string]any)
	want := strings.Join(append(append([]string{}, numbers...), strs...), ", ")
	if !ok || len(m) != len(numbers)+len(strs) {
		return nil, "must be an object with " + want + " for value_type " + vt
	}
	for _, k := range numbers {
		if _, ok := m[k].(json.Number); !ok {
			return nil, "must be an object with " + want + " for value_type " + vt
		}
	}
	for _, k := range strs {
		if _, ok := m[k].(string); !ok {
			return nil, "must be an object with " + want + " for value_type " + vt
		}
	}
	return m, ""
}

// lookupField resolves a field of fieldType by name_key or by id; inactive
// fields are not writable.
func (f *Fake) lookupField(fieldType string, nameKey *string, id *int64) *fieldRec {
	if id != nil {
		fr, ok := f.fieldByID[*id]
		if !ok || fr.def.FieldType != fieldType || !fr.def.Active {
			return nil
		}
		return fr
	}
	fr := f.fieldByName(fieldType, *nameKey)
	if fr == nil || !fr.def.Active {
		return nil
	}
	return fr
}

// v3CustomFieldUpdates validates a v3 custom_fields array: every item has
// exactly one of name_key or custom_field_id, plus value (null clears)
// [OAS][SV]. It returns the updates by field id (nil meaning clear) or the
// error entries; nothing is applied on error.
func (f *Fake) v3CustomFieldUpdates(fieldType string, raw any) (map[int64]any, []any) {
	items, ok := raw.([]any)
	if !ok {
		return nil, []any{fieldError("custom_fields", "must be an array")}
	}
	updates := map[int64]any{}
	var errs []any
	for i, it := range items {
		at := fmt.Sprintf("custom_fields[%d]", i)
		m, ok := it.(map[string]any)
		if !ok {
			errs = append(errs, fieldError(at, "must be an object"))
			continue
		}
		nk, hasKey := m["name_key"]
		cid, hasID := m["custom_field_id"]
		if hasKey == hasID {
			errs = append(errs, fieldError(at, "must include exactly one of name_key or custom_field_id"))
			continue
		}
		var fr *fieldRec
		if hasKey {
			s, ok := nk.(string)
			if !ok || s == "" || len(s) > 255 {
				errs = append(errs, fieldError(at+".name_key", "must be a non-empty string of at most 255 characters"))
				continue
			}
			if fr = f.lookupField(fieldType, &s, nil); fr == nil {
				errs = append(errs, fieldError(at+".name_key", fmt.Sprintf("`%s` is not an active %s custom field", s, fieldType)))
				continue
			}
		} else {
			n, ok := cid.(json.Number)
			id, err := n.Int64()
			if !ok || err != nil {
				errs = append(errs, fieldError(at+".custom_field_id", "must be an integer"))
				continue
			}
			if fr = f.lookupField(fieldType, nil, &id); fr == nil {
				errs = append(errs, fieldError(at+".custom_field_id", fmt.Sprintf("`%d` is not an active %s custom field", id, fieldType)))
				continue
			}
		}
		v, hasValue := m["value"]
		if !hasValue {
			errs = append(errs, fieldError(at+".value", "is required (send null to clear)"))
			continue
		}
		if v == nil {
			updates[fr.def.ID] = nil
			continue
		}
		stored, msg := f.normalize(fr, v)
		if msg != "" {
			errs = append(errs, fieldError(at+".value", msg))
			continue
		}
		updates[fr.def.ID] = stored
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return updates, nil
}

// applyValues merges updates into values; a nil update clears the field.
// Fields not named keep their values (merge, not replace: the safer reading
// of an unverified rule, see greenhouse-v3.md §4.1).
func applyValues(values map[int64]any, updates map[int64]any) {
	for id, v := range updates {
		if v == nil {
			delete(values, id)
			continue
		}
		values[id] = v
	}
}

func parseInt64(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}
