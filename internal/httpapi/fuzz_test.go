package httpapi

import (
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks"
)

// FuzzDecodeResultLink: whatever body arrives, the decoder answers an input
// that passes validation or a PLATFORM.INPUT_INVALID error naming a field,
// and never panics.
func FuzzDecodeResultLink(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `{"label":"L","url":"https://x.example"}`,
		`{"label":"L","url":"https://x.example","details":{"custom_field_name_prefix":"A:","attributes":[{"key":"k","value":"v"}]}}`,
		`{"label":1}`, `{"label":"L","url":"ftp://x"}`, `{"details":{"attributes":[null,1,"x",{}]}}`,
		`{"label":"L","url":"https://x.example","remote_fields":{"greenhouse":{"post_headers":{"On-Behalf-Of":null}},"oracle":{"override_document_category":"MISC","multi_post_to_all_current_applications":true},"x":1}}`,
		`{"label":"\u0000","url":"https://x.example/\u2028"}`, `{"label":"L","url":"https://x.example","label":"M"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, warnings, err := decodeResultLink(body)
		if err != nil {
			if resultlinks.ErrorCode(err) != resultlinks.CodeInputInvalid {
				t.Fatalf("error of code %s: %v", resultlinks.ErrorCode(err), err)
			}
			if !strings.Contains(resultlinks.ErrorMessage(err), ":") {
				t.Fatalf("the message names no field: %q", resultlinks.ErrorMessage(err))
			}
			return
		}
		if err := in.Validate(); err != nil {
			t.Fatalf("decoded input fails validation: %v", err)
		}
		_ = warnings
	})
}

// FuzzDecodeCursor: any cursor is decoded to an ID or refused with
// PLATFORM.INPUT_INVALID; an issued cursor always decodes to its ID.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(resultlinks.NewID()))
	f.Add("")
	f.Add("e30")
	f.Add("eyJhZnRlciI6IngifQ==")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := decodeCursor(s)
		if err != nil {
			if resultlinks.ErrorCode(err) != resultlinks.CodeInputInvalid {
				t.Fatalf("error of code %s", resultlinks.ErrorCode(err))
			}
			return
		}
		if !resultlinks.IsID(id) {
			t.Fatalf("decoded %q, not an ID", id)
		}
		if back, err := decodeCursor(encodeCursor(id)); err != nil || back != id {
			t.Fatalf("round trip of %q gave %q, %v", id, back, err)
		}
	})
}
