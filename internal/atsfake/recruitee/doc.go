// Package recruitee is an in-memory, protocol-faithful fake of the Recruitee
// (Tellent) core API for tests and demos.
//
// One [Fake] is one Recruitee company. It is an [http.Handler] standing in
// for https://api.recruitee.com: every path sits under /c/{company_id}, where
// the numeric company id or the company's subdomain is accepted, and every
// request carries "Authorization: Bearer <personal API token>".
//
// # Where the shapes come from
//
// The behaviour follows the Recruitee section of shared/spec/vendors.md,
// whose sources are docs.recruitee.com (/reference/candidates-get,
// /reference/custom_fieldscandidatesidfields-post, the notes reference), the
// Pipedream create-note action, Nango's provider entry (base URL and Bearer
// auth) and Kombo's notes on note visibility and body_json. Open-source
// clients of the same endpoints confirmed the {"candidate": ...},
// {"notes": [...]}, {"offers": [...]} envelopes, the profile field "values"
// members (text, flag, number, date, value) and the PATCH/DELETE of a field
// by its id.
//
// # Endpoints
//
//	GET    /c/{company_id}/candidates                 limit, offset, created_after, ids,
//	                                                  offer_id, qualified, disqualified, query
//	GET    /c/{company_id}/candidates/{id}            {"candidate": {..., "fields": [...]}}
//	GET    /c/{company_id}/candidates/{id}/notes      {"notes": [...]}, newest first
//	POST   /c/{company_id}/candidates/{id}/notes      {"note": {"body", "visibility": {"level"}}} → 201
//	POST   /c/{company_id}/custom_fields/candidates/{id}/fields          {"field": {name, kind, values}} → 201
//	PATCH  /c/{company_id}/custom_fields/candidates/{id}/fields/{field_id}
//	DELETE /c/{company_id}/custom_fields/candidates/{id}/fields/{field_id} → 204
//	GET    /c/{company_id}/offers, /c/{company_id}/offers/{id}  offers with pipeline stages
//
// A result link goes in as one profile field per attribute (POST .../fields,
// PATCH to update an earlier one) plus a note; both show up again in
// GET /candidates/{id} (fields) and GET /candidates/{id}/notes, and both
// move the candidate's updated_at.
//
// # Simplifications and choices
//
// Recruitee is silent on several points; the fake picks one behaviour:
//
//   - Errors are {"error": ["message", ...]}: 401 for a missing, unknown or
//     revoked token, 403 for a valid token on another company's path, 404
//     for unknown paths and records, 400 for malformed query values or
//     bodies, 422 for validation failures. The wording is the fake's own.
//   - The candidate list has no updated-since filter, as documented; delta
//     syncs rely on each record's updated_at. Lists are ordered by
//     created_at, newest first.
//   - The rate limit is unpublished: the fake assumes 100 requests per
//     10-second window per company (configurable) and answers 429 with
//     Retry-After and no other rate headers.
//   - Profile field kinds are limited to single_line, multi_line, boolean,
//     number, date and dropdown. Creating a field whose name already exists
//     adds a second field, so a connector must look for its own field and
//     PATCH it. The Partners API ("reports") is not served.
//   - Private notes are listed only to their author.
//   - Deleted candidates vanish without a marker.
//   - Injected latency uses real time; everything else uses Options.Now.
package recruitee
