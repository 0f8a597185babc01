package sdk

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestResultLinkBodyEncoding(t *testing.T) {
	t.Parallel()

	const fullJSON = `{"label":"Assessment Result","url":"https://acme.example/results/5BtP1WC1?a=1&b=<2>",` +
		`"details":{"custom_field_name_prefix":"Acme:","attributes":[{"key":"Score","value":"100%"},{"key":"Time","value":"2:30h"}]},` +
		`"remote_fields":{"icims":{"assessment_package_id":"pkg-1"},` +
		`"oracle":{"override_document_category":"IRC_INTERNAL","multi_post_to_all_current_applications":false},` +
		`"greenhouse":{"post_headers":{"On-Behalf-Of":"4080"}},` +
		`"workable":{"on_behalf_of_user_remote_id":"u-9"}}}`

	tests := []struct {
		name string
		call func(ctx context.Context, c *Client) error
		want string
	}{
		{
			name: "candidate, minimal",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddCandidateResultLink(ctx, minimalCandidateLink("c1"))
				return err
			},
			want: `{"label":"Assessment Result","url":"https://acme.example/r/1"}`,
		},
		{
			name: "candidate, every member",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddCandidateResultLink(ctx, PostAtsCandidatesCandidateIDResultLinksRequest{
					CandidateID: "c1",
					RequestBody: &PostAtsCandidatesCandidateIDResultLinksRequestBody{
						Label: "Assessment Result",
						URL:   "https://acme.example/results/5BtP1WC1?a=1&b=<2>",
						Details: &PostAtsCandidatesCandidateIDResultLinksRequestBodyDetails{
							CustomFieldNamePrefix: "Acme:",
							Attributes: []PostAtsCandidatesCandidateIDResultLinksRequestBodyDetailsAttribute{
								{Key: "Score", Value: "100%"},
								{Key: "Time", Value: "2:30h"},
							},
						},
						RemoteFields: &PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFields{
							Icims: &PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsIcims{AssessmentPackageID: "pkg-1"},
							Oracle: &PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracle{
								OverrideDocumentCategory:          PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal,
								MultiPostToAllCurrentApplications: ptr(false),
							},
							Greenhouse: &PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhouse{
								PostHeaders: &PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders{OnBehalfOf: ptr("4080")},
							},
							Workable: &PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsWorkable{OnBehalfOfUserRemoteID: "u-9"},
						},
					},
				})
				return err
			},
			want: fullJSON,
		},
		{
			name: "application, every member",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddApplicationResultLink(ctx, PostAtsApplicationsApplicationIDResultLinksRequest{
					ApplicationID: "a1",
					RequestBody: &PostAtsApplicationsApplicationIDResultLinksRequestBody{
						Label: "Assessment Result",
						URL:   "https://acme.example/results/5BtP1WC1?a=1&b=<2>",
						Details: &PostAtsApplicationsApplicationIDResultLinksRequestBodyDetails{
							CustomFieldNamePrefix: "Acme:",
							Attributes: []PostAtsApplicationsApplicationIDResultLinksRequestBodyDetailsAttribute{
								{Key: "Score", Value: "100%"},
								{Key: "Time", Value: "2:30h"},
							},
						},
						RemoteFields: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFields{
							Icims: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsIcims{AssessmentPackageID: "pkg-1"},
							Oracle: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracle{
								OverrideDocumentCategory:          PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal,
								MultiPostToAllCurrentApplications: ptr(false),
							},
							Greenhouse: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhouse{
								PostHeaders: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders{OnBehalfOf: ptr("4080")},
							},
							Workable: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsWorkable{OnBehalfOfUserRemoteID: "u-9"},
						},
					},
				})
				return err
			},
			want: fullJSON,
		},
		{
			name: "application, Greenhouse user left to the server, Oracle category only",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddApplicationResultLink(ctx, PostAtsApplicationsApplicationIDResultLinksRequest{
					ApplicationID: "a1",
					RequestBody: &PostAtsApplicationsApplicationIDResultLinksRequestBody{
						Label: "L",
						URL:   "https://acme.example/r",
						RemoteFields: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFields{
							Oracle: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracle{
								OverrideDocumentCategory: PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryMisc,
							},
							Greenhouse: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhouse{
								PostHeaders: &PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsGreenhousePostHeaders{},
							},
						},
					},
				})
				return err
			},
			want: `{"label":"L","url":"https://acme.example/r","remote_fields":{"oracle":{"override_document_category":"MISC"},"greenhouse":{"post_headers":{"On-Behalf-Of":null}}}}`,
		},
		{
			name: "no request body",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddApplicationResultLink(ctx, PostAtsApplicationsApplicationIDResultLinksRequest{ApplicationID: "a1"})
				return err
			},
			want: `{}`,
		},
		{
			name: "delete integration",
			call: func(ctx context.Context, c *Client) error {
				return c.DeleteIntegration(ctx, "sandbox:x")
			},
			want: `{}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, okAnswer)
			if err := tt.call(context.Background(), b.client); err != nil {
				t.Fatalf("call: %v", err)
			}
			if got := b.server.requests()[0].body; got != tt.want {
				t.Errorf("body:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestOracleDocumentCategoryValues(t *testing.T) {
	t.Parallel()

	got := []string{
		string(PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateResume),
		string(PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateCoverletter),
		string(PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryMisc),
		string(PostAtsCandidatesCandidateIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal),
		string(PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateResume),
		string(PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCCandidateCoverletter),
		string(PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryMisc),
		string(PostAtsApplicationsApplicationIDResultLinksRequestBodyRemoteFieldsOracleOverrideDocumentCategoryIRCInternal),
	}
	want := []string{
		"IRC_CANDIDATE_RESUME", "IRC_CANDIDATE_COVERLETTER", "MISC", "IRC_INTERNAL",
		"IRC_CANDIDATE_RESUME", "IRC_CANDIDATE_COVERLETTER", "MISC", "IRC_INTERNAL",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("categories = %q, want %q", got, want)
	}
}

func TestResultLinkResponse(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		header map[string]string
		body   string
		want   ResultLinkResponse
	}{
		{
			name: "Kombo: empty data, one warning",
			body: `{"status":"success","data":{},"warnings":[{"message":"This is an example warning!"}]}`,
			want: ResultLinkResponse{Warnings: []Warning{{Message: "This is an example warning!"}}},
		},
		{
			name: "resultlinks: receipt and headers",
			header: map[string]string{
				"X-Request-Id":          "req-7",
				"Concurrency-Limit":     "30",
				"Concurrency-Remaining": "0",
			},
			body: `{"status":"success","data":{"result_link_id":"5BtP1WC1UboS7CF3yxjKcvjG","status":"DELIVERED","channels":["custom_fields","note"]},` +
				`"warnings":[{"message":"ignored key application_id"},{"message":"written as custom fields and a note"}]}`,
			want: ResultLinkResponse{
				Warnings:             []Warning{{Message: "ignored key application_id"}, {Message: "written as custom fields and a note"}},
				ResultLinkID:         "5BtP1WC1UboS7CF3yxjKcvjG",
				Status:               DeliveryDelivered,
				Channels:             []string{"custom_fields", "note"},
				RequestID:            "req-7",
				ConcurrencyLimit:     30,
				ConcurrencyRemaining: 0,
			},
		},
		{
			name:   "queued, remaining without limit is ignored",
			header: map[string]string{"Concurrency-Remaining": "12"},
			body:   `{"status":"success","data":{"result_link_id":"r1","status":"QUEUED","channels":[]},"warnings":[]}`,
			want:   ResultLinkResponse{Warnings: []Warning{}, ResultLinkID: "r1", Status: DeliveryQueued, Channels: []string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				reply(w, 200, tt.body)
			})
			got, err := b.client.AddApplicationResultLink(context.Background(), PostAtsApplicationsApplicationIDResultLinksRequest{
				ApplicationID: "a1",
				RequestBody:   &PostAtsApplicationsApplicationIDResultLinksRequestBody{Label: "L", URL: "https://acme.example/r"},
			})
			if err != nil {
				t.Fatalf("AddApplicationResultLink: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("response:\n got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}
