package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/resultlinks/resultlinks"
)

// readBody reads the whole request body, refusing one over MaxBodyBytes.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "body: larger than the limit of %d bytes (1 MiB)", MaxBodyBytes)
	}
	if err != nil {
		return nil, resultlinks.Errorf(resultlinks.CodeInputInvalid, "body: could not be read: %v", err)
	}
	return b, nil
}

// decoder walks a JSON body field by field so that every error names the
// field (details.attributes[2].key) and every ignored key becomes a warning.
type decoder struct {
	ignored []string
}

func invalid(field, format string, args ...any) error {
	return resultlinks.Errorf(resultlinks.CodeInputInvalid, "%s: %s", field, fmt.Sprintf(format, args...))
}

// object decodes raw as a JSON object; a null object is reported as absent.
func (d *decoder) object(field string, raw json.RawMessage, known ...string) (map[string]json.RawMessage, bool, error) {
	if isNull(raw) {
		return nil, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false, invalid(field, "must be a JSON object")
	}
	for k := range m {
		if !slices.Contains(known, k) {
			d.ignored = append(d.ignored, join(field, k))
		}
	}
	return m, true, nil
}

func join(parent, key string) string {
	if parent == "body" {
		return key
	}
	return parent + "." + key
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func str(field string, raw json.RawMessage, required bool) (*string, error) {
	if isNull(raw) {
		if required {
			return nil, invalid(field, "is required and must be a string")
		}
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, invalid(field, "must be a string")
	}
	return &s, nil
}

// decodeResultLink decodes and validates a result-link body. It returns the
// input and the warnings for ignored keys; any error names the field.
func decodeResultLink(body []byte) (*resultlinks.ResultLinkInput, []string, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil, invalid("body", "a JSON object with label and url is required")
	}
	if !json.Valid(body) {
		return nil, nil, invalid("body", "not valid JSON")
	}
	d := &decoder{}
	top, ok, err := d.object("body", body, "label", "url", "details", "remote_fields")
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, invalid("body", "must be a JSON object, not null")
	}
	in := &resultlinks.ResultLinkInput{}
	label, err := str("label", top["label"], true)
	if err != nil {
		return nil, nil, err
	}
	url, err := str("url", top["url"], true)
	if err != nil {
		return nil, nil, err
	}
	in.Label, in.URL = *label, *url
	if err := d.details(in, top["details"]); err != nil {
		return nil, nil, err
	}
	if err := d.remoteFields(in, top["remote_fields"]); err != nil {
		return nil, nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	slices.Sort(d.ignored)
	var warnings []string
	if len(d.ignored) > 0 {
		warnings = append(warnings, fmt.Sprintf("Ignored unknown keys: %s.", strings.Join(d.ignored, ", ")))
	}
	return in, warnings, nil
}

func (d *decoder) details(in *resultlinks.ResultLinkInput, raw json.RawMessage) error {
	m, ok, err := d.object("details", raw, "custom_field_name_prefix", "attributes")
	if err != nil || !ok {
		return err
	}
	prefix, err := str("details.custom_field_name_prefix", m["custom_field_name_prefix"], true)
	if err != nil {
		return err
	}
	if isNull(m["attributes"]) {
		return invalid("details.attributes", "is required when details is given (an array of {key, value})")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(m["attributes"], &items); err != nil {
		return invalid("details.attributes", "must be an array of {key, value} objects")
	}
	det := &resultlinks.Details{CustomFieldNamePrefix: *prefix, Attributes: []resultlinks.Attribute{}}
	for i, item := range items {
		field := fmt.Sprintf("details.attributes[%d]", i)
		am, ok, err := d.object(field, item, "key", "value")
		if err != nil {
			return err
		}
		if !ok {
			return invalid(field, "must be a {key, value} object, not null")
		}
		key, err := str(field+".key", am["key"], true)
		if err != nil {
			return err
		}
		value, err := str(field+".value", am["value"], true)
		if err != nil {
			return err
		}
		det.Attributes = append(det.Attributes, resultlinks.Attribute{Key: *key, Value: *value})
	}
	in.Details = det
	return nil
}

func (d *decoder) remoteFields(in *resultlinks.ResultLinkInput, raw json.RawMessage) error {
	m, ok, err := d.object("remote_fields", raw, "icims", "oracle", "greenhouse", "workable")
	if err != nil || !ok {
		return err
	}
	rf := &in.RemoteFields
	if t, ok, err := d.object("remote_fields.icims", m["icims"], "assessment_package_id"); err != nil {
		return err
	} else if ok {
		if rf.ICIMSAssessmentPackageID, err = str("remote_fields.icims.assessment_package_id", t["assessment_package_id"], false); err != nil {
			return err
		}
	}
	if t, ok, err := d.object("remote_fields.oracle", m["oracle"], "override_document_category", "multi_post_to_all_current_applications"); err != nil {
		return err
	} else if ok {
		if rf.OracleDocumentCategory, err = str("remote_fields.oracle.override_document_category", t["override_document_category"], false); err != nil {
			return err
		}
		if v := t["multi_post_to_all_current_applications"]; !isNull(v) {
			var b bool
			if err := json.Unmarshal(v, &b); err != nil {
				return invalid("remote_fields.oracle.multi_post_to_all_current_applications", "must be true or false")
			}
			rf.OracleMultiPost = &b
		}
	}
	if t, ok, err := d.object("remote_fields.greenhouse", m["greenhouse"], "post_headers"); err != nil {
		return err
	} else if ok {
		h, ok, err := d.object("remote_fields.greenhouse.post_headers", t["post_headers"], "On-Behalf-Of")
		if err != nil {
			return err
		}
		if ok {
			if rf.GreenhouseOnBehalfOf, err = str("remote_fields.greenhouse.post_headers.On-Behalf-Of", h["On-Behalf-Of"], false); err != nil {
				return err
			}
		}
	}
	if t, ok, err := d.object("remote_fields.workable", m["workable"], "on_behalf_of_user_remote_id"); err != nil {
		return err
	} else if ok {
		if rf.WorkableOnBehalfOf, err = str("remote_fields.workable.on_behalf_of_user_remote_id", t["on_behalf_of_user_remote_id"], false); err != nil {
			return err
		}
	}
	return nil
}
