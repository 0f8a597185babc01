package all_test

import (
	"encoding/json"
	"testing"

	"github.com/resultlinks/resultlinks"
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/all"
	"github.com/stretchr/testify/require"
)

// fieldValue is a plausible value of a credentials field.
func fieldValue(key string) string {
	switch key {
	case "region":
		return "eu"
	case "company_id", "user_id":
		return "12345"
	case "subdomain":
		return "acme"
	case "perform_as":
		return "6f1c2a4e-0b7d-4c1a-9e55-3a0000000001"
	}
	return "value-of-" + key
}

// TestSetupFieldsMatchTheCredentials checks, for every built-in connector,
// that its setup has steps and that the credentials built from its declared
// fields (all of them, and the required ones alone) decode strictly.
func TestSetupFieldsMatchTheCredentials(t *testing.T) {
	t.Parallel()
	for _, info := range all.Registry().Tools() {
		t.Run(info.Tool, func(t *testing.T) {
			t.Parallel()
			s := info.Setup
			require.NotEmpty(t, s.Steps, "steps")
			require.NotEmpty(t, s.Fields, "fields")
			full, required := map[string]string{}, map[string]string{}
			for _, f := range s.Fields {
				require.NotEmpty(t, f.Key)
				require.NotEmpty(t, f.Label, f.Key)
				require.NotContains(t, full, f.Key, "each key once")
				full[f.Key] = fieldValue(f.Key)
				if !f.Optional {
					required[f.Key] = fieldValue(f.Key)
				}
			}
			hosts := map[string]string{}
			for k, v := range required {
				hosts[k] = v
			}
			for _, k := range s.HostKeys {
				require.NotContains(t, full, k, "a host key is not a field the customer enters")
				hosts[k] = "https://ats.staging.example"
			}
			for name, creds := range map[string]map[string]string{"all": full, "required": required, "required and hosts": hosts} {
				raw, _ := json.Marshal(creds)
				_, err := info.New(raw, connector.Deps{IntegrationID: info.Tool + ":test"})
				require.NoError(t, err, "%s fields: %s", name, raw)
			}
			// The check above can fail: a key the credentials do not know is refused.
			full["not_a_credential"] = "x"
			raw, _ := json.Marshal(full)
			_, err := info.New(raw, connector.Deps{IntegrationID: info.Tool + ":test"})
			require.Equal(t, resultlinks.CodeInputInvalid, resultlinks.ErrorCode(err))
		})
	}
}
