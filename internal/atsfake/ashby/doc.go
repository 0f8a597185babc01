// Package ashby is an in-memory, protocol-faithful fake of the Ashby public
// API (https://api.ashbyhq.com) for tests and demos.
//
// One [Fake] is one Ashby organization with one API key. It is an
// [http.Handler]; serve it with httptest or a listener and point a client's
// base URL at it.
//
// # Where the shapes come from
//
// Every behaviour follows the Ashby section of shared/spec/vendors.md and the
// sources it lists:
//
//   - Protocol: RPC style, every endpoint a POST to /<object>.<method> with a
//     JSON body, reads included; Basic auth with the API key as user name and
//     an empty password (developers.ashbyhq.com/docs/introduction,
//     /reference/authentication).
//   - Auth errors: no key is 401; a wrong or deactivated key is 403; a key
//     without the endpoint's permission is 403 with the error
//     missing_endpoint_permission (/reference/authentication).
//   - Envelopes: success is {"success": true, "results": ...}; what would
//     be a 4xx elsewhere is HTTP 200 with {"success": false, ...}. The
//     failure body carries both the "errors" string list of the OpenAPI
//     error schema (konfig-sdks/openapi-examples ashby/openapi.yaml) and the
//     errorInfo {code, message, requestId} object of /docs/responses.
//   - Paging and incremental sync: limit (capped at 100), cursor,
//     moreDataAvailable, nextCursor, and a syncToken on the last page that a
//     later call sends to get only changed records
//     (/docs/pagination-and-incremental-sync). An expired token is answered
//     sync_token_expired and forces a full resync (vendors.md §4.6,
//     medium).
//   - Read shapes of candidates, applications, jobs, interview plans and
//     stages, users, custom field definitions, custom field values
//     ({id, title, value}) and notes: the OpenAPI document above.
//   - Writes, the result-link channel chain of vendors.md §4.3–4.4:
//     customField.create (title, fieldType, objectType; case-sensitive
//     enums), customField.setValue (objectId, objectType, fieldId,
//     fieldValue, type-checked against the field) and, as the fallback,
//     candidate.createNote (note as a string or {type, value} with
//     text/html or text/plain; author is the key's user), from the OpenAPI
//     schemas and NangoHQ's create-note template.
//   - Rate limiting: a per-key budget answered with 429 and Retry-After;
//     the partner-wide throttle adds X-RateLimit-Scope: integration-partner
//     (vendors.md §4.7, changelog 2026-10-14), reproduced by
//     FaultRateLimit with Scope.
//
// # Endpoints
//
//	POST /candidate.list        limit, cursor, syncToken, createdAfter
//	POST /candidate.info        id
//	POST /candidate.listNotes   candidateId, limit, cursor
//	POST /candidate.createNote  candidateId, note, isPrivate, sendNotifications, createdAt
//	POST /application.list      limit, cursor, syncToken, createdAfter, status, jobId
//	POST /application.info      applicationId
//	POST /job.list              limit, cursor, syncToken, status[]
//	POST /job.info              id
//	POST /interviewPlan.list    includeArchived
//	POST /interviewStage.list   interviewPlanId
//	POST /user.list             limit, cursor, syncToken, includeDeactivated
//	POST /customField.list      limit, cursor, syncToken, includeArchived
//	POST /customField.create    title, fieldType, objectType, description, selectableValues
//	POST /customField.setValue  objectId, objectType, fieldId, fieldValue
//	POST /apiKey.info
//
// # Simplifications and choices
//
// Where the sources are silent the fake picks one behaviour and keeps it:
//
//   - Routing comes before authentication: another method or an unknown
//     path is 404 endpoint_not_found. The codes unauthenticated,
//     invalid_api_key, invalid_cursor, invalid_sync_token,
//     rate_limit_exceeded, invalid_author and interview_plan_not_found are
//     the fake's own; invalid_input, the *_not_found codes,
//     missing_endpoint_permission and sync_token_expired follow Ashby.
//   - A body other than JSON, or a Content-Type other than
//     application/json, is a logical invalid_input failure.
//   - limit above 100 is capped; zero, negative or non-integer limits are
//     invalid_input. Full syncs return records by createdAt, incremental
//     ones by the time of their last change; a syncToken returns every record
//     changed at or after the moment its full sync started. Sync tokens
//     live seven days unless Options.SyncTokenTTL says otherwise.
//   - Candidates have no updatedAt on the wire (as in Ashby's schema); the
//     fake tracks one internally for syncToken. Notes, candidate field
//     values and TouchCandidate move it; application writes move the
//     application's updatedAt.
//   - Deleted candidates simply disappear; nothing in an incremental sync
//     marks them.
//   - text/html notes keep only b, i, u, a, ul, ol, li, code, pre, br and p
//     tags (text inside other tags stays); comments are removed. Put any
//     marker a client needs to find its note again in visible text.
//   - customField.create allows duplicate titles. Values of Date fields are
//     stored and read back as ISO timestamps. The batch
//     customField.setValues, the partner assessment endpoints and any
//     endpoint not listed above are not served.
//   - Ashby does not publish its per-key numbers: the default budget of
//     1000 requests per fixed minute is the fake's own; successful
//     responses carry no budget headers. Requests refused before
//     authentication do not spend the budget.
//   - Injected latency uses real time; everything else uses Options.Now.
package ashby
