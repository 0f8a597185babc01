// Package resultlinks holds the domain of resultlinks: environments, API keys,
// integrations, the mirrored candidates, applications, jobs and stages, result
// links and their delivery receipts, the storage interfaces the adapters
// implement, and the one error type whose codes are the wire format's codes.
//
// The package imports nothing else of this module. HTTP lives in
// internal/httpapi, storage engines in internal/store/..., ATS connectors in
// internal/connector/..., and internal/server wires them together.
package resultlinks
