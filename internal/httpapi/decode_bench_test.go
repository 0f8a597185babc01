package httpapi

import (
	"fmt"
	"strings"
	"testing"
)

// Benchmarks of decoding and validating a result-link body, the part of
// every POST .../result-links that runs before the store is touched.

func BenchmarkDecodeResultLink(b *testing.B) {
	many := make([]string, 50)
	for i := range many {
		many[i] = fmt.Sprintf(`{"key":"Section %d","value":"%d%%"}`, i, i)
	}
	cases := []struct {
		name  string
		body  string
		valid bool
	}{
		{"minimal", `{"label":"Assessment Result","url":"https://acme.example/results/5BtP1WC1"}`, true},
		{"attributes", `{"label":"Assessment Result","url":"https://acme.example/results/5BtP1WC1","details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"},{"key":"Time","value":"2:30h"}]}}`, true},
		{"50-attributes-remote-fields-unknown-keys", `{"label":"Assessment Result","url":"https://acme.example/results/5BtP1WC1","extra":1,` +
			`"remote_fields":{"greenhouse":{"post_headers":{"On-Behalf-Of":"4080"}},"oracle":{"override_document_category":"MISC"},"lever":{}},` +
			`"details":{"custom_field_name_prefix":"Acme:","attributes":[` + strings.Join(many, ",") + `]}}`, true},
		{"invalid-url", `{"label":"Assessment Result","url":"ftp://acme.example/results/5BtP1WC1","details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"}]}}`, false},
		{"invalid-json", `{"label":"Assessment Result","url":`, false},
	}
	for _, c := range cases {
		body := []byte(c.body)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				_, _, err := decodeResultLink(body)
				if (err == nil) != c.valid {
					b.Fatalf("decodeResultLink(%s): %v", c.name, err)
				}
			}
		})
	}
}
