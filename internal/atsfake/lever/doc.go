// Package lever is an in-memory, protocol-faithful fake of the Lever Data
// API v1 for tests and demos: a connector that mirrors opportunities and
// writes result links through it should work against api.lever.co.
//
// One [Fake] is one Lever account, an [http.Handler] standing in for
// https://api.lever.co (the connector appends /v1/...).
//
// # Where the shapes come from
//
// The facts follow the Lever section (§2) of shared/spec/vendors.md and the
// sources it cites:
//
//   - Auth: Basic with the API key as username and an empty password, or
//     Bearer with an OAuth access token (§2.1). perform_as=<user id> on a
//     write names its author; otherwise the credential's owner is.
//   - Errors: {"code","message"} with restify-style codes BadRequestError,
//     UnauthorizedError, ForbiddenError, ResourceNotFound, MethodNotAllowed
//     and TooManyRequests (§2.5, corbaltcode/lever-data-api-go
//     model/error.go).
//   - Lists: {"data","hasNext","next"}, limit 1–100, next passed back as
//     offset, millisecond-epoch filters such as updated_at_start, and
//     GET /v1/opportunities/deleted (§2.4, lever-data-api-go reqresp.go).
//   - Records: opportunities, applications, notes and stages as recorded by
//     the NangoHQ/integration-templates Lever fixtures (get-opportunity,
//     create-note, get-note, get-stages); postings and users as modelled by
//     lever-data-api-go model/posting.go and model/user.go.
//   - Result-link channels (§2.2): a note on the opportunity
//     (POST /v1/opportunities/{id}/notes → 201 {"data":{...,"noteId"}}),
//     links (addLinks/removeLinks → 200 {"data": opportunity}) and tags
//     (addTags/removeTags) for a status.
//   - Rate limit: a token bucket per credential, 10 requests per second
//     with bursts of 20, and 429 TooManyRequests past it (§2.6, medium).
//     Lever documents no rate-limit headers and no Retry-After, so the fake
//     sends none (an injected FaultRateLimit can add Retry-After).
//
// # Endpoints
//
//	GET  /v1/opportunities                  limit, offset, updated_at_start/_end, created_at_start/_end,
//	                                        email, posting_id, stage_id, contact_id, tag, archived, expand
//	GET  /v1/opportunities/deleted          deleted_at_start/_end, limit, offset
//	GET  /v1/opportunities/{id}             expand=applications|stage|owner|followers|sourcedBy
//	GET  /v1/opportunities/{id}/applications[/{applicationId}]
//	GET  /v1/opportunities/{id}/notes[/{noteId}]
//	POST /v1/opportunities/{id}/notes       perform_as, note_id
//	POST /v1/opportunities/{id}/addLinks, /removeLinks, /addTags, /removeTags   perform_as
//	GET  /v1/contacts/{id}
//	GET  /v1/postings[/{id}]                state, limit, offset
//	GET  /v1/stages
//	GET  /v1/users[/{id}]                   includeDeactivated, email, access_role, limit, offset
//
// # Simplifications and choices
//
// Where the sources are silent the fake picks one behaviour and keeps it:
//
//   - Routing comes before authentication: an unknown path is 404
//     ResourceNotFound and a known path with the wrong method 405
//     MethodNotAllowed, whatever the credentials.
//   - limit outside 1–100 or not an integer, and an offset that is not a
//     token the fake issued, are 400 BadRequestError. Tokens are keyset
//     cursors, so pages stay stable under concurrent writes.
//     Opportunities and postings are listed newest first (createdAt, then
//     id, descending), notes and users oldest first.
//   - The *_start filters are inclusive and the *_end filters exclusive.
//   - perform_as naming an unknown or deactivated user is 400
//     BadRequestError. Every permission is granted until
//     [Fake.RevokePermission], which turns the routes needing it into 403
//     ForbiddenError for both credential types.
//   - Every write bumps the opportunity's updatedAt and lastInteractionAt,
//     so delta syncs see it (Lever's own list of fields that move updatedAt
//     leaves notes out). Links are contact-level in Lever, so a link write
//     bumps every opportunity of the contact.
//   - A note rewrite through note_id answers 200; a new note 201.
//   - Profile forms (POST /v1/form_templates, /opportunities/{id}/forms),
//     the deprecated /v1/candidates aliases, the EU and sandbox hosts and
//     the OAuth authorization server are not served. Bodies must be JSON.
//   - Injected latency uses real time; everything else uses Options.Now.
package lever
