// Package workable is an in-memory, protocol-faithful fake of the Workable
// SPI v3 API for tests and demos: a connector that mirrors candidates and
// writes result links through it should work against a real account.
//
// One [Fake] is one Workable account, an [http.Handler] standing in for
// https://{subdomain}.workable.com (the connector appends /spi/v3/...).
//
// # Where the shapes come from
//
// The facts follow the Workable section (§3) of shared/spec/vendors.md and
// the sources it cites (workable.readme.io reference pages and the
// NangoHQ/integration-templates Workable fixtures, which record real
// traffic):
//
//   - Auth: Authorization: Bearer with the account's API access token, or a
//     partner token together with X-WORKABLE-CLIENT-ID (§3.1); scopes
//     r_candidates, w_candidates, w_comments, r_jobs, r_account.
//   - Errors: {"error": "..."}, e.g. 404 {"error":"Not found"} for an
//     unknown custom attribute key (recorded); 401, 403, 422 (§3.7).
//   - Lists: {"candidates": [...], "paging": {"next": "<absolute URL>"}},
//     limit default 50 and at most 100, since_id / max_id, created_after,
//     updated_after; next may point at /spi/v3/jobs/{shortcode}/candidates
//     (§3.6, fixture list-candidates).
//   - Records: candidates (one record per job, §3.5), the candidate detail,
//     members, stages and activities as in the fixtures list-candidates,
//     get-candidate, list-members, list-stages and
//     list-candidate-activities.
//   - Result-link channels: a comment on the candidate's timeline
//     (POST /candidates/{id}/comments with member_id → 200 {"id"}, §3.4 and
//     fixture create-comment), and a custom attribute value
//     (PATCH /candidates/{id}/update_custom_attribute_value, §3.3) on an
//     attribute the connector finds by label in GET /custom_attributes.
//     There is no API to create attributes; [Fake.AddCustomAttribute] plays
//     the admin.
//   - Rate limits: fixed 10-second windows per token, 10 requests for the
//     account token and 50 for a partner token, X-Rate-Limit-Limit,
//     -Remaining and -Reset (epoch seconds of the next window) on every
//     authenticated response, 429 past the budget (§3.7, recorded headers).
//     No Retry-After is documented, so none is sent.
//
// # Endpoints (under /spi/v3)
//
//	GET   /candidates                                   limit, since_id, max_id, created_after, updated_after,
//	                                                    shortcode, stage, email
//	GET   /candidates/{id}                              {"candidate": {...}}
//	GET   /candidates/{id}/activities                   limit, since_id, max_id
//	POST  /candidates/{id}/comments                     member_id, comment{body, policy, attachment}
//	PATCH /candidates/{id}/update_custom_attribute_value custom_attribute_key + value|checked|date|choices|file
//	GET   /custom_attributes
//	GET   /jobs                                         state, created_after, limit, since_id, max_id
//	GET   /jobs/{shortcode}/candidates, /jobs/{shortcode}/stages
//	GET   /stages
//	GET   /members                                      status, role, email, limit, since_id, max_id
//
// # Simplifications and choices
//
// Where the sources are silent the fake picks one behaviour and keeps it:
//
//   - Any Host is accepted except another account's *.workable.com
//     subdomain (404). paging.next uses the request's own Host, so it
//     points back at the fake.
//   - Unknown paths and methods are 404 {"error":"Not found"} before
//     authentication; a bad token is 401 {"error":"Not authorized"}, a
//     missing scope 403. The custom attribute write needs r_jobs, as the
//     reference page says; comments take w_comments or w_candidates.
//   - limit outside 1–100, a since_id/max_id that is not hex, or an
//     unparsable timestamp are 422. created_after and updated_after are
//     strict (later than the bound) and accept ISO 8601 or Unix seconds;
//     timestamps have whole-second precision, as Workable renders them.
//   - Comment validation failures (no member_id, unknown or inactive
//     member, blank body, bad attachment) are 422 with the fake's own
//     wording; malformed JSON is 400. policy accepts any role names.
//   - Custom attribute values: the type-specific rules of §3.3 (short_text
//     at most 128 characters, date YYYY-MM-DD, choice ids of the
//     attribute); a disabled attribute is 422; success is 200 {}. Workable
//     does not document how values read back; the fake lists them under
//     custom_attributes in GET /candidates/{id}. Choice options render as
//     {"id","body"}.
//   - Every write bumps the candidate's updated_at. Deleted candidates
//     vanish without a trace.
//   - The partner Assessment Providers flow (§3.2), OAuth and candidate
//     creation or moves through the API are not served.
//   - Injected latency uses real time; everything else uses Options.Now.
package workable
