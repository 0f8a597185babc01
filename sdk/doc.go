// Package sdk is the Go client of resultlinks. It speaks the wire format of
// Kombo's unified ATS API, so the same code works against a resultlinks
// server and against Kombo itself: only the server URL and the API key
// differ. It depends on the standard library alone.
//
// The request types of the result-link calls carry the names Kombo's own
// SDKs use (PostAtsApplicationsApplicationIDResultLinksRequest and its
// RequestBody family), so code written against those reads the same here.
//
// # Adding a result link
//
// An assessment vendor that finished grading an application makes one call:
//
//	client, err := sdk.New(
//		sdk.WithServerURL("https://resultlinks.example.com/v1"), // or sdk.ServerEU for Kombo
//		sdk.WithAPIKey(os.Getenv("RESULTLINKS_API_KEY")),
//		sdk.WithIntegrationID("greenhouse:HWUTwvyx2wLoSUHphiWVrp28"),
//	)
//	if err != nil {
//		return err
//	}
//	resp, err := client.AddApplicationResultLink(ctx, sdk.PostAtsApplicationsApplicationIDResultLinksRequest{
//		ApplicationID: "8Xi6iZrwusZqJmDGXs49GBmJ",
//		RequestBody: &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBody{
//			Label: "Assessment Result",
//			URL:   "https://acme.example/results/5BtP1WC1",
//			Details: &sdk.PostAtsApplicationsApplicationIDResultLinksRequestBodyDetails{
//				CustomFieldNamePrefix: "Acme:",
//				Attributes: []sdk.PostAtsApplicationsApplicationIDResultLinksRequestBodyDetailsAttribute{
//					{Key: "Score", Value: "100%"},
//					{Key: "Time", Value: "2:30h"},
//				},
//			},
//		},
//	})
//	switch {
//	case errors.Is(err, sdk.ErrNotFound):
//		// The application or the integration does not exist: drop the result.
//	case errors.Is(err, sdk.ErrRateLimited), errors.Is(err, sdk.ErrRemoteUnavailable):
//		// Retries ran out: try again later, after the server's Retry-After.
//		var apiErr *sdk.Error
//		if errors.As(err, &apiErr) {
//			log.Printf("retry in %v (request %s)", apiErr.RetryAfter, apiErr.RequestID)
//		}
//	case err != nil:
//		return err
//	default:
//		for _, w := range resp.Warnings {
//			log.Printf("result link %s: %s", resp.ResultLinkID, w.Message)
//		}
//	}
//
// # Finding the IDs
//
// ListApplications and ListCandidates walk every page of the mirrored ATS
// data as an iterator; ListApplicationsPage and ListCandidatesPage return one
// page and its cursor:
//
//	for app, err := range client.ListApplications(ctx, sdk.ListApplicationsParams{
//		Outcomes: []sdk.Outcome{sdk.OutcomePending},
//		PageSize: 250,
//	}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(app.ID, *app.CandidateID)
//	}
//
// # Errors
//
// Every answer other than HTTP 200 becomes an *Error carrying the HTTP
// status, the wire's error code (such as CodePlatformInputInvalid), title,
// message, log URL and the X-Request-Id of the answer. The sentinels
// ErrRateLimited, ErrNotFound, ErrUnauthorized, ErrInvalidInput and
// ErrRemoteUnavailable group codes and statuses for errors.Is. A body that is
// not the JSON error envelope, such as a proxy's HTML page, still gives an
// *Error whose Message quotes the status, the content type and the start of
// the body. Values a call cannot do without (an empty ID, no integration ID
// for an /ats/ call) are reported before anything is sent.
//
// # Retries and idempotency
//
// A request that fails with HTTP 429, 502, 503 or 504, or with a connection
// error, is sent again after an exponentially growing, jittered wait, or
// after the wait the server names in Retry-After or retry-after-ms; the
// attempts and the total time are bounded by RetryConfig (see WithRetry), and
// a cancelled context stops the waiting. GET requests are always retried.
// Writes are retried only because the SDK sends each with an Idempotency-Key
// header, one random key per call, reused by all its attempts, so that a
// resultlinks server applies the write once. WithIdempotencyKey supplies your
// own key (a key stored with the job survives a crash of your process), and
// WithoutIdempotencyKey sends none, in which case the write gets exactly one
// attempt. Kombo documents no idempotency keys and warns that a write that
// timed out may still complete, so against Kombo a retried write can create
// a duplicate; use WithoutIdempotencyKey there if a duplicate is worse than a
// lost write.
package sdk
