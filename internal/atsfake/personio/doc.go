// Package personio is an in-memory, protocol-faithful fake of Personio's v2
// authentication and v2 Recruiting (beta, read-only) APIs for tests and
// demos.
//
// One [Fake] is one Personio company standing in for https://api.personio.de.
// A client exchanges its API credentials for a Bearer token at
// POST /v2/auth/token and reads candidates, applications, jobs and
// categories (with their stages) with it. Personio's public API has no way
// to write onto an existing application (v1 recruiting only creates
// applications, v2 recruiting is read-only), so the fake serves no write
// endpoint at all: a connector should report result write-back as
// unsupported without calling the API.
//
// # Where the shapes come from
//
// The behaviour follows the Personio section of shared/spec/vendors.md,
// whose sources are developer.personio.de (post_v2-auth-token,
// get_v2-recruiting-candidates, get_v2-recruiting-jobs,
// get_v2-recruiting-applications-id-stage-transitions) and Personio's
// OpenAPI files in github.com/personio/api-docs. Details that vendors.md
// left open were taken from open-source v2 clients and from notes on
// Personio's v2 OpenAPI files: the token response (access_token with a
// papi- prefix, token_type, expires_in 86400, scope) and its error body
// (error, error_description, error_uri, timestamp, trace_id); the list
// envelope {"_data": [...], "_meta": {"links": {"self": {"href"},
// "next": {"href"}}}} with the cursor only inside the absolute next link;
// the problem+json error body {"personio_trace_id", "timestamp",
// "errors": [{"title", "detail"}]}; and the recruiting record shapes
// (application candidate/job/current_stage objects, categories with
// stages, stage transitions).
//
// # Endpoints
//
//	POST /v2/auth/token                                   form: grant_type=client_credentials,
//	                                                      client_id, client_secret, scope
//	POST /v2/auth/revoke                                  form: token → 204
//	GET  /v2/recruiting/candidates                        limit, cursor, updated_at.gt|lt, email
//	GET  /v2/recruiting/candidates/{id}
//	GET  /v2/recruiting/applications                      limit, cursor, updated_at.gt|lt
//	GET  /v2/recruiting/applications/{id}
//	GET  /v2/recruiting/applications/{id}/stage-transitions
//	GET  /v2/recruiting/jobs                              limit, cursor, updated_at.gt|lt
//	GET  /v2/recruiting/jobs/{id}
//	GET  /v2/recruiting/categories, /v2/recruiting/categories/{id}
//
// Recruiting reads need "Authorization: Bearer <token>" with the scope
// personio:recruiting:read and the header "Beta: true".
//
// # Simplifications and choices
//
//   - Lists sort by updated_at, newest first (ties by id), and page with an
//     opaque cursor that carries the list, the limit (1–200, default 100)
//     and the filters; with a cursor, other query parameters are ignored.
//     updated_at.gt and updated_at.lt are exclusive bounds and cannot be
//     combined (400).
//   - Candidate timestamps are RFC 3339 strings; applications, jobs and
//     stage transitions use {"date-time", "timezone"} objects, as one
//     open-source client of the v2 recruiting API records. A connector is
//     safest accepting both forms everywhere.
//   - Token failures are 400s with an OAuth error code (invalid_request,
//     unsupported_grant_type, invalid_client, invalid_scope). Resource
//     failures are problem+json: 401 bad or expired token, 403 missing
//     scope, 400 missing Beta header (the fake's choice; Personio does not
//     document the answer) or bad parameters, 404 unknown record or path,
//     429 rate limited. Titles and details are the fake's own words.
//   - Rate limits: the token endpoint allows 150 requests per minute;
//     Personio publishes no limit for v2 recruiting, so the fake assumes
//     100 requests per minute. A 429 carries Retry-After and no other rate
//     headers.
//   - Stage ids are numeric strings; job and category ids are UUIDs;
//     candidate and application ids are numeric strings.
//   - Injected latency uses real time; everything else uses Options.Now.
package personio
