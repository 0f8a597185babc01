// Package smartrecruiters is an in-memory, protocol-faithful fake of the
// SmartRecruiters Customer API (https://api.smartrecruiters.com) for tests
// and demos.
//
// One [Fake] is one SmartRecruiters company whose API credentials belong to
// one user. It is an [http.Handler] serving the API and its OAuth token
// endpoint on one address.
//
// # Where the shapes come from
//
// Every behaviour follows the SmartRecruiters section of
// shared/spec/vendors.md and the sources it lists:
//
//   - Auth: the API key in the X-SmartToken header, or an access token from
//     the client-credentials grant at /identity/oauth/token sent as
//     Authorization: Bearer (vendors.md §5.1; Nango providers.yaml;
//     roksela/smartrecruiters-python-client).
//   - Candidates: GET /candidates with limit 1–100 (default 10),
//     updatedAfter, q, jobId, status and tag; pages named by nextPageId in
//     the body and a Link rel="next" header; only candidates with at least
//     one application; at most one such request in flight per credential
//     (developers.smartrecruiters.com/reference/candidatesall-1 and
//     /docs/rate-limiting). Candidate, assignment, property and
//     hiring-process shapes: the python client's models (Candidate,
//     CandidatePrimaryAssignment, CandidateProperty,
//     CandidatePropertyDefinition, HiringProcess, HiringProcessSubStatuses).
//   - Result-link channel chain (vendors.md §5.3–5.4): job-scoped candidate
//     properties written with PUT /candidates/{id}/jobs/{jobId}/properties,
//     a batch of [{"id": <property id or key>, "value": ...}] answered 204,
//     an entry without value resetting the property
//     (/reference/candidatespropertiesvaluesbatchupdateforjob-1), plus the
//     deprecated single-property forms; definitions are read-only through
//     the API (GET /configuration/candidate-properties). The fallback is a
//     message: POST /messages/shares with content (1–10000 characters),
//     shareWith and correlationId, where #[CANDIDATE:id] attaches it to the
//     profile (/reference/messagessharescreate-1); it is read back with GET
//     /messages?candidateId= (ADMINISTRATOR only, per the generated
//     open_api_smart_recruiters_sdk MessagesApi).
//   - Errors: {"message", "errors": [{"code", "message"}]} (the python
//     client's ErrorResponse and Error models).
//   - Rate limits: per credential, 10 requests per second and 8 in flight
//     (1 for GET /candidates), 429 when exceeded, and X-RateLimit-Limit,
//     X-RateLimit-Remaining, X-RateLimit-Concurrent-Limit and
//     X-RateLimit-Concurrent-Remaining on every authenticated response; no
//     Retry-After (/docs/rate-limiting).
//
// # Endpoints
//
//	POST /identity/oauth/token                                  client credentials → bearer token
//	GET  /candidates                                            limit, pageId, offset, updatedAfter, q, jobId, status, tag
//	GET  /candidates/{id}
//	GET  /candidates/{id}/jobs/{jobId}                          one application
//	GET  /candidates/{id}/jobs/{jobId}/properties               job-scoped property values
//	PUT  /candidates/{id}/jobs/{jobId}/properties               batch write → 204
//	PUT  /candidates/{id}/jobs/{jobId}/properties/{propertyId}  single write → 204 (deprecated)
//	GET  /candidates/{id}/properties                            candidate-level values
//	PUT  /candidates/{id}/properties/{propertyId}               single write → 204 (deprecated)
//	GET  /configuration/candidate-properties[/{id}[/values]]
//	GET  /configuration/hiring-processes[/{id}]
//	GET  /jobs                                                  limit, pageId, offset, updatedAfter, status, q
//	GET  /jobs/{id}
//	GET  /users                                                 limit, pageId, offset
//	POST /messages/shares                                       → 201 message
//	GET  /messages                                              candidateId, jobId, limit, pageId
//
// # Simplifications and choices
//
// Where the sources are silent the fake picks one behaviour and keeps it:
//
//   - Stages are the fixed statuses in [Statuses] plus each hiring
//     process's sub-statuses; applications exist only as a candidate's
//     assignments and GET /candidates/{id}/jobs/{jobId}, whose body
//     (candidateId, job, status, subStatus, createdOn, updatedOn) is the
//     fake's own reduction.
//   - Error codes other than the HTTP statuses (UNAUTHORIZED,
//     INVALID_PARAMETER, PROPERTY_NOT_FOUND, INVALID_PROPERTY_VALUE,
//     INVALID_MENTION, TOO_MANY_REQUESTS, ...) are the fake's own; the
//     envelope is the vendor's. Routing comes before authentication: an
//     unknown path or method is 404.
//   - limit outside 1–100 is refused with 400 rather than clamped. Lists
//     are ordered by creation time; updatedAfter is exclusive. Property
//     definitions and hiring processes are returned whole, without paging.
//   - Property writes are validated as a whole before anything is stored;
//     an unknown property is 400, a candidate without an application to the
//     job is 404. TEXT takes a string, NUMBER and PERCENT a number, BOOLEAN
//     a boolean, DATE an ISO date-time, SINGLE_SELECT a value id and
//     CURRENCY {code, value}; other types are not modelled. Reads return
//     only properties that have a value. Each write moves the candidate's
//     updatedOn (and the application's), so updatedAfter listings see it.
//   - A message must be shared with someone (users, hiringTeamOf, everyone
//     or openNote); unknown mentioned candidates or users are 400. The
//     created message is returned with author, createdOn and shareWith;
//     GET /messages filters by jobId through shareWith.hiringTeamOf.
//   - Every credential (the key and every token) shares one budget. The
//     token endpoint is not limited; a 401 spends nothing and carries no
//     budget headers. Access tokens live 30 minutes unless
//     Options.TokenTTL says otherwise.
//   - Injected latency uses real time and is waited after the request took
//     its concurrency slot; everything else uses Options.Now.
package smartrecruiters
