package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/resultlinks/resultlinks/sdk"
)

// fakeServer stands in for a resultlinks server in the examples.
func fakeServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/ats/applications/{id}/result-links", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "8Xi6iZrwusZqJmDGXs49GBmJ" {
			w.Header().Set("X-Request-Id", "req-404")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"status":"error","error":{"code":null,"title":"Not found","message":"no application `+r.PathValue("id")+`","log_url":null}}`)
			return
		}
		io.WriteString(w, `{"status":"success","data":{"result_link_id":"5BtP1WC1UboS7CF3yxjKcvjG","status":"DELIVERED","channels":["custom_fields"]},`+
			`"warnings":[{"message":"attributes written as custom fields Acme: Score and Acme: Time"}]}`)
	})
	mux.HandleFunc("GET /v1/ats/candidates", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			io.WriteString(w, `{"status":"success","data":{"next":"page-2","results":[`+
				`{"id":"26vafvWSRmbhNcxJYqjCzuJg","first_name":"Ada","applications":[{"id":"8Xi6iZrwusZqJmDGXs49GBmJ"}]}]}}`)
			return
		}
		io.WriteString(w, `{"status":"success","data":{"next":null,"results":[`+
			`{"id":"5BtP1WC1UboS7CF3yxjKcvjG","first_name":"Grace","applications":[]}]}}`)
	})
	return httptest.NewServer(mux)
}

func ExampleClient_AddApplicationResultLink() {
	srv := fakeServer()
	defer srv.Close()

	client, err := sdk.New(
		sdk.WithServerURL(srv.URL+"/v1"),
		sdk.WithAPIKey("my-api-key"),
		sdk.WithIntegrationID("greenhouse:HWUTwvyx2wLoSUHphiWVrp28"),
	)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.AddApplicationResultLink(context.Background(), sdk.PostAtsApplicationsApplicationIDResultLinksRequest{
		ApplicationID: "8Xi6iZrwusZqJmDGXs49GBmJ",
		RequestBody: &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBody{
			Label: "Assessment Result",
			URL:   "https://acme.example/results/5BtP1WC1",
			Details: &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBodyDetails{
				CustomFieldNamePrefix: "Acme:",
				Attributes: []sdk.PostAtsApplicationsApplicationIDResultLinksRequestBodyDetailsAttribute{
					{Key: "Score", Value: "100%"},
					{Key: "Time", Value: "2:30h"},
				},
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.ResultLinkID, resp.Status, resp.Channels)
	for _, w := range resp.Warnings {
		fmt.Println("warning:", w.Message)
	}
	// Output:
	// 5BtP1WC1UboS7CF3yxjKcvjG DELIVERED [custom_fields]
	// warning: attributes written as custom fields Acme: Score and Acme: Time
}

func ExampleClient_ListCandidates() {
	srv := fakeServer()
	defer srv.Close()

	client, err := sdk.New(sdk.WithServerURL(srv.URL+"/v1"), sdk.WithAPIKey("my-api-key"))
	if err != nil {
		log.Fatal(err)
	}
	// The loop fetches the second page when the first is used up.
	for cand, err := range client.ListCandidates(context.Background(), sdk.ListCandidatesParams{
		XIntegrationID: "greenhouse:HWUTwvyx2wLoSUHphiWVrp28",
		PageSize:       250,
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(*cand.FirstName, len(cand.Applications), "application(s)")
	}
	// Output:
	// Ada 1 application(s)
	// Grace 0 application(s)
}

func ExampleError() {
	srv := fakeServer()
	defer srv.Close()

	client, err := sdk.New(
		sdk.WithServerURL(srv.URL+"/v1"),
		sdk.WithAPIKey("my-api-key"),
		sdk.WithIntegrationID("greenhouse:HWUTwvyx2wLoSUHphiWVrp28"),
	)
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.AddApplicationResultLink(context.Background(), sdk.PostAtsApplicationsApplicationIDResultLinksRequest{
		ApplicationID: "unknown",
		RequestBody:   &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBody{Label: "Result", URL: "https://acme.example/r/1"},
	})
	fmt.Println(errors.Is(err, sdk.ErrNotFound))
	var apiErr *sdk.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Title, apiErr.RequestID)
	}
	fmt.Println(err)
	// Output:
	// true
	// 404 Not found req-404
	// sdk: HTTP 404: no application unknown (request ID req-404)
}

func ExampleWithRetry() {
	// Three attempts at most, starting at one second between them; the
	// other settings keep their defaults.
	client, err := sdk.New(
		sdk.WithServerURL(sdk.ServerEU),
		sdk.WithRetry(sdk.RetryConfig{MaxAttempts: 3, InitialInterval: time.Second}),
	)
	fmt.Println(client != nil, err)
	// Output: true <nil>
}
