// Package teamtailor is an in-memory, protocol-faithful fake of the
// Teamtailor public API (JSON:API, /v1) for tests and demos.
//
// One [Fake] is one Teamtailor company. It is an [http.Handler] standing in
// for the region's API host (https://api.teamtailor.com or
// https://api.na.teamtailor.com). Every request needs
// "Authorization: Token token=<api key>" and an "X-Api-Version: YYYYMMDD"
// header; bodies both ways use the media type application/vnd.api+json.
//
// # Where the shapes come from
//
// The behaviour follows the Teamtailor section of shared/spec/vendors.md,
// whose sources are the public API reference (docs.teamtailor.com, Postman
// documenter), Teamtailor's support article on assessment integrations,
// Nango's provider entry and candidates sync (links.next, page[size]=30,
// X-Rate-Limit-* retries) and public clients that POST /v1/notes. Open
// clients also confirmed the filter[updated-at][from]/[to] and
// filter[created-at][from]/[to] names, the default page size of 10 and the
// 30 maximum. Error objects and paging metadata (record-count, page-count,
// first/prev/next/last links) follow the JSON:API conventions of the Rails
// jsonapi-resources library those names come from.
//
// # Endpoints
//
//	GET    /v1/{type}                     paged list: page[size] (≤ 30), page[number], sort,
//	                                      include, filter[...]; links.next until absent
//	GET    /v1/{type}/{id}                one resource (include allowed)
//	GET    /v1/{type}/{id}/{relationship} related resources (paged for to-many)
//	POST   /v1/notes                      note + candidate + user relationships → 201
//	POST   /v1/custom-fields              field definition → 201
//	POST   /v1/custom-field-values        value + custom-field + owner relationships → 201
//	PATCH  /v1/custom-field-values/{id}   new value → 200
//	DELETE /v1/custom-field-values/{id}   → 204
//
// where {type} is candidates, job-applications, jobs, stages, users,
// custom-fields, custom-field-values or notes. Filters: candidates
// (updated-at, created-at, email), job-applications (updated-at,
// created-at, candidate, job, stage), jobs (updated-at, created-at,
// status), stages (job), users (email, role), notes (updated-at,
// created-at, candidate).
//
// A result link goes in as custom field values on the candidate (with
// custom fields created first if need be), or else as a note authored by a
// user picked from GET /v1/users. Both are readable again through
// /v1/candidates/{id}/custom-field-values and /v1/candidates/{id}/notes
// (or /v1/notes?filter[candidate]=...), and both move the candidate's
// updated-at.
//
// # Simplifications and choices
//
//   - Errors are JSON:API {"errors": [{"status", "title", "detail",
//     "source"}]}: 401 bad or missing key, 406 missing or malformed
//     X-Api-Version, 403 key scope (Public keys read only jobs and stages;
//     writes need an Admin key with write access), 404 unknown route or
//     record, 400 bad query parameters (unknown filter or include, page size
//     over 30), 409 data.type or data.id mismatch, 415 wrong Content-Type on
//     a write, 422 validation with a source pointer, 429 rate limited. The
//     406 for the version header is the fake's choice; the titles and
//     details are the fake's own words.
//   - The rate limit is 50 requests per 10-second window per key (medium
//     confidence). Every authenticated answer carries X-Rate-Limit-Limit,
//     -Remaining and -Reset, where Reset is the number of seconds until the
//     window resets; a 429 adds Retry-After with the same number.
//   - Relationships carry links only; their linkage (data) appears when the
//     relationship is named in include, as jsonapi-resources does. Lists
//     default to ascending id order. Filter ranges are inclusive.
//   - Custom field types are limited to Text, Number, Date, Url and
//     Checkbox. A field has at most one value per owner; a second POST is a
//     422 and the value must be changed with PATCH.
//   - Deleting a candidate removes their applications, notes and values
//     without a marker.
//   - Injected latency uses real time; everything else uses Options.Now.
package teamtailor
