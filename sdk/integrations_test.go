package sdk

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestCheckAPIKey(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("Authorization") != "Bearer test-key" {
			reply(w, 401, errorBody("PLATFORM.AUTHENTICATION_INVALID", "null", "bad key", "null"))
			return
		}
		reply(w, 200, `{"status":"success","data":{"environment_id":"2Uev1YUTqLFdvMPD3Jtrg2FX","customer_id":"2Uev1YUTqLFdvMPD3Jtrg2FX"}}`)
	})
	env, err := b.client.CheckAPIKey(context.Background())
	if err != nil || env != "2Uev1YUTqLFdvMPD3Jtrg2FX" {
		t.Fatalf("CheckAPIKey = %q, %v; want the environment ID", env, err)
	}

	wrong, err := New(WithServerURL(b.server.URL+"/v1"), WithAPIKey("wrong"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wrong.CheckAPIKey(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("wrong key: err = %v, want ErrUnauthorized", err)
	}
}

const integrationJSON = `{
  "id": "greenhouse:HWUTwvyx2wLoSUHphiWVrp28",
  "tool": {"id": "greenhouse", "label": "Greenhouse", "internal_label": null,
    "logo_url": "https://rl.example/logos/greenhouse.svg", "icon_url": "https://rl.example/icons/greenhouse.svg"},
  "category": "ATS", "status": "ACTIVE", "setup_status": "COMPLETED",
  "end_user": {"organization_name": "Example Corp", "creator_email": null, "origin_id": "cust-7"},
  "scope_config": {"id": "sc1", "name": null},
  "data_expired_at": null, "created_at": "2026-01-02T03:04:05.006Z", "beta": false,
  "read_models": [{"id": "ats_candidates", "label": "Candidates", "is_available": true, "coverage_status": "SUPPORTED",
    "scope_config_setting": "ENABLED", "opted_out_by_customer": false,
    "fields": [{"id": "first_name", "is_available": true, "coverage_status": "SUPPORTED", "scope_config_setting": "OPTIONAL", "opted_out_by_customer": true}]}],
  "write_actions": [{"id": "ats_add_application_result_link", "label": "Add result links", "is_available": false,
    "coverage_status": "NOT_IMPLEMENTED", "scope_config_setting": "DISABLED", "opted_out_by_customer": false,
    "fields": [{"id": "details", "is_available": false, "coverage_status": "UNKNOWN"}]}]
}`

func TestGetIntegration(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"status":"success","data":`+integrationJSON+`}`)
	})
	got, err := b.client.GetIntegration(context.Background(), "greenhouse:HWUTwvyx2wLoSUHphiWVrp28")
	if err != nil {
		t.Fatalf("GetIntegration: %v", err)
	}
	want := &Integration{
		ID: "greenhouse:HWUTwvyx2wLoSUHphiWVrp28",
		Tool: IntegrationTool{ID: "greenhouse", Label: "Greenhouse",
			LogoURL: "https://rl.example/logos/greenhouse.svg", IconURL: "https://rl.example/icons/greenhouse.svg"},
		Category: CategoryATS, Status: IntegrationActive, SetupStatus: SetupCompleted,
		EndUser:     EndUser{OrganizationName: "Example Corp", OriginID: ptr("cust-7")},
		ScopeConfig: ScopeConfig{ID: "sc1"},
		CreatedAt:   time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.UTC),
		ReadModels: []ReadModel{{ID: "ats_candidates", Label: "Candidates", IsAvailable: true, CoverageStatus: CoverageSupported,
			ScopeConfigSetting: ScopeConfigEnabled,
			Fields: []ReadModelField{{ID: "first_name", IsAvailable: true, CoverageStatus: CoverageSupported,
				ScopeConfigSetting: ScopeConfigOptional, OptedOutByCustomer: true}}}},
		WriteActions: []WriteAction{{ID: "ats_add_application_result_link", Label: "Add result links",
			CoverageStatus: CoverageNotImplemented, ScopeConfigSetting: ScopeConfigDisabled,
			Fields: []WriteActionField{{ID: "details", CoverageStatus: CoverageUnknown}}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("integration:\n got %+v\nwant %+v", got, want)
	}
}

func TestDeleteIntegrationNotFound(t *testing.T) {
	t.Parallel()

	b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 404, errorBody("PLATFORM.INTEGRATION_NOT_FOUND", "Integration not found", "no integration sandbox:gone", "null"))
	})
	err := b.client.DeleteIntegration(context.Background(), "sandbox:gone")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if n := len(b.server.requests()); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}
