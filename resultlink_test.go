package resultlinks_test

import (
	"strings"
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

func TestResultLinkInputValidate(t *testing.T) {
	t.Parallel()
	valid := func() resultlinks.ResultLinkInput {
		return resultlinks.ResultLinkInput{Label: "Result", URL: "https://acme.example/r/1",
			Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "1"}}}}
	}
	many := make([]resultlinks.Attribute, 51)
	for i := range many {
		many[i] = resultlinks.Attribute{Key: "k", Value: "v"}
	}
	cases := []struct {
		name   string
		mutate func(*resultlinks.ResultLinkInput)
		field  string // "" means valid
	}{
		{"valid", func(*resultlinks.ResultLinkInput) {}, ""},
		{"http ok", func(in *resultlinks.ResultLinkInput) { in.URL = "http://localhost:3000/x" }, ""},
		{"no details ok", func(in *resultlinks.ResultLinkInput) { in.Details = nil }, ""},
		{"empty attributes ok", func(in *resultlinks.ResultLinkInput) { in.Details.Attributes = nil }, ""},
		{"50 attributes ok", func(in *resultlinks.ResultLinkInput) { in.Details.Attributes = many[:50] }, ""},
		{"url at limit", func(in *resultlinks.ResultLinkInput) {
			in.URL = "https://a.example/" + strings.Repeat("x", resultlinks.MaxURLLength-18)
		}, ""},
		{"empty label", func(in *resultlinks.ResultLinkInput) { in.Label = "" }, "label"},
		{"blank label", func(in *resultlinks.ResultLinkInput) { in.Label = "\t " }, "label"},
		{"empty url", func(in *resultlinks.ResultLinkInput) { in.URL = "" }, "url"},
		{"relative url", func(in *resultlinks.ResultLinkInput) { in.URL = "results/1" }, "url"},
		{"mailto", func(in *resultlinks.ResultLinkInput) { in.URL = "mailto:a@b.example" }, "url"},
		{"no host", func(in *resultlinks.ResultLinkInput) { in.URL = "https:///path" }, "url"},
		{"too long", func(in *resultlinks.ResultLinkInput) {
			in.URL = "https://a.example/" + strings.Repeat("x", resultlinks.MaxURLLength)
		}, "url"},
		{"51 attributes", func(in *resultlinks.ResultLinkInput) { in.Details.Attributes = many }, "details.attributes"},
		{"empty key", func(in *resultlinks.ResultLinkInput) {
			in.Details.Attributes = append(in.Details.Attributes, resultlinks.Attribute{Key: " "})
		}, "details.attributes[1].key"},
		{"oracle category", func(in *resultlinks.ResultLinkInput) { in.RemoteFields.OracleDocumentCategory = ptr("PDF") }, "remote_fields.oracle.override_document_category"},
		{"oracle category ok", func(in *resultlinks.ResultLinkInput) { in.RemoteFields.OracleDocumentCategory = ptr("MISC") }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.mutate(&in)
			err := in.Validate()
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))
			require.True(t, strings.HasPrefix(resultlinks.ErrorMessage(err), tc.field+":"), resultlinks.ErrorMessage(err))
		})
	}
}

func TestFieldNameAndText(t *testing.T) {
	t.Parallel()
	d := &resultlinks.Details{CustomFieldNamePrefix: "Acme:"}
	require.Equal(t, "Acme: Score", d.FieldName("Score"))
	require.Equal(t, "Score", (&resultlinks.Details{}).FieldName("Score"))
	in := resultlinks.ResultLinkInput{Label: "Result", URL: "https://x.example",
		Details: &resultlinks.Details{CustomFieldNamePrefix: "Acme:", Attributes: []resultlinks.Attribute{{Key: "Score", Value: "100%"}}}}
	require.Equal(t, "Result: https://x.example\nAcme: Score: 100%", in.Text())
}

func TestErrorHelpers(t *testing.T) {
	t.Parallel()
	err := resultlinks.Errorf(resultlinks.CodeNotFound, "Candidate %q", "x")
	require.True(t, resultlinks.IsNotFound(err))
	require.Equal(t, `Candidate "x"`, resultlinks.ErrorMessage(err))
	require.Equal(t, resultlinks.CodeUnknown, resultlinks.ErrorCode(strings.NewReader("").UnreadByte()))
	require.NotContains(t, resultlinks.ErrorMessage(strings.NewReader("").UnreadByte()), "UnreadByte")
	require.Equal(t, resultlinks.Code(""), resultlinks.ErrorCode(nil))
}
