// Package greenhouse is an in-memory, protocol-faithful fake of Greenhouse
// Harvest for tests and demos: Harvest v3 with OAuth client credentials as
// the primary API, and Harvest v1 with a Basic-auth key as the second
// credential type.
//
// One [Fake] is one Greenhouse account. It is an [http.Handler] serving both
// hosts at once, so a single httptest server or listener stands in for
//
//   - https://auth.greenhouse.io: POST /token
//   - https://harvest.greenhouse.io: /v3/..., /v1/... and POST /auth/token
//
// # Where the shapes come from
//
// Every behaviour follows shared/spec/greenhouse-v3.md (and, for v1, the
// Greenhouse section of shared/spec/vendors.md). The bracketed keys are that
// document's source keys:
//
//   - Token endpoint (Basic client_id:client_secret, grant_type in query or
//     form, optional sub, {token_type, access_token, expires_at}, the 400/401
//     error table): [A], [PHP], [C1], [SV], measured errors from [W6].
//     POST /auth/token, the v1-key transition mint: [OAS] /auth/token, [W6].
//   - Errors ({"message","errors"} with string or {"field":"msg"} entries;
//     the exact 401 "Token could not be decoded" body; 404 "Resource not
//     found" before authentication; 422 "Unprocessable Content"): [W6], [AB].
//   - Paging (bare arrays, id-descending, per_page 1–500 default 100, opaque
//     cursor in Link rel="next", the exact 422 for a cursor with other
//     params, pipe-delimited date filters such as updated_at=gte|T|lte|T):
//     [P], [L], [OAS], [AB], [W6], [ML].
//   - Read shapes of candidates, applications, notes and custom field
//     definitions/options: [OAS] components, matched by [ML]. Jobs, job
//     interview stages and users: the [OAS] schemas as extracted by
//     amp-labs/connectors providers/greenhouse/metadata/schemas.json.
//   - Writes: PATCH /v3/candidates/{id} and /v3/applications/{id} custom
//     field items {name_key | custom_field_id, value} ([OAS] item schema,
//     [SV], [W6]); POST /v3/notes with write/read visibility spellings and
//     the EMAIL rules ([W6], [SV], [WM]); POST /v3/custom_fields ([SV]
//     capability map; body assumed to mirror v1, see greenhouse-v3.md §4.2).
//   - Rate limits: a fixed 30-second window with X-RateLimit-Limit,
//     -Remaining and -Reset on every response, 429 with Retry-After, and a
//     separate 60-second budget on the token endpoints ([RL] via [SV], [AB],
//     [W6]); v1 uses a 10-second window and drops Limit/Remaining from its
//     429s (v1 docs, "Throttling").
//   - v1: the grnhse/greenhouse-api-docs Harvest pages (Basic key auth,
//     On-Behalf-Of, page/per_page Link paging with next/prev/last,
//     custom_fields/keyed_custom_fields, activity-feed notes with the legacy
//     "visiblity" key, the "Validation error" envelope).
//
// # Endpoints
//
//	POST  /token                                  client-credentials mint
//	POST  /auth/token                             v1 key → v3 token (transition)
//	GET   /v3/candidates                          ids, created_at, updated_at, last_activity_at,
//	                                              private, email, tag, custom_field_option_id, fields
//	PATCH /v3/candidates/{id}                     custom_fields, profile members
//	GET   /v3/applications                        + candidate_ids, job_ids, stage_ids, status, ...
//	PATCH /v3/applications/{id}                   custom_fields
//	GET   /v3/jobs, /v3/job_interview_stages, /v3/users
//	GET   /v3/custom_fields, /v3/custom_field_options
//	POST  /v3/custom_fields
//	GET   /v3/notes; POST /v3/notes
//	GET   /v1/candidates, /v1/candidates/{id}, /v1/applications, /v1/users
//	PATCH /v1/candidates/{id}
//	GET   /v1/candidates/{id}/activity_feed; POST .../activity_feed/notes
//	GET   /v1/custom_fields[/{field_type}]; POST /v1/custom_fields
//
// # Simplifications and choices
//
// Where the sources are silent the fake picks one behaviour and keeps it:
//
//   - Tokens are HS256 JWTs signed with a per-Fake random key; the sub claim
//     is the acting user. A token without sub acts as [ServiceUserID], which
//     is a Site Admin and hidden from GET /v3/users unless
//     show_service_accounts=true. A sub naming no user mints fine but every
//     request with it gets 403. Only client_credentials succeeds; the partner
//     grants answer invalid_grant.
//   - Every scope is granted until [Fake.RevokeScope]. All GETs need a Site
//     Admin acting user; writes need only an active one.
//   - The rate budget is spent by requests that pass routing and
//     authentication; 401s and 404s only report it. Windows are aligned to
//     multiples of their length.
//   - Unknown query parameters are ignored. The wording of validation
//     messages other than the documented ones (cursor, per_page > 500) is the
//     fake's own.
//   - Custom field writes merge into the existing values (whether Greenhouse
//     merges or replaces is unverified). Inactive fields are not writable.
//     A v3 PATCH of an unknown record is 404.
//   - There is no GET-by-id in v3 (404), as in Greenhouse; read one record
//     with ?ids=. Deleted candidates vanish without a marker.
//   - v1 accepts plain HTTP (the real API answers 403 to it), and a write
//     without a valid On-Behalf-Of user is a 422.
//   - Injected latency uses real time; everything else uses Options.Now.
package greenhouse
