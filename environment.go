package resultlinks

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"time"
)

// Environment is one tenant of resultlinks: it owns API keys and
// integrations, and nothing of one environment is visible from another.
type Environment struct {
	// ID is the environment's identifier, answered by check-api-key.
	ID string
	// Name is a label for people.
	Name string
	// CreatedAt is when the environment was created.
	CreatedAt time.Time
}

// APIKey is a secret that authenticates calls for one environment. Only its
// SHA-256 hash is stored; the key itself is shown once, when created.
type APIKey struct {
	// ID identifies the key without revealing it.
	ID string
	// EnvironmentID is the environment the key acts for.
	EnvironmentID string
	// Name is a label for people.
	Name string
	// Prefix is the first characters of the key, safe to show in listings.
	Prefix string
	// Hash is the SHA-256 of the whole key.
	Hash []byte
	// CreatedAt is when the key was created.
	CreatedAt time.Time
	// LastUsedAt is when the key last authenticated a call (to the minute).
	LastUsedAt *time.Time
	// RevokedAt is when the key was revoked; a revoked key fails at once.
	RevokedAt *time.Time
}

// APIKeyPrefix starts every API key, so secret scanners recognise a
// leaked one.
const APIKeyPrefix = "rl_live_"

// NewAPIKey returns a fresh random secret key (APIKeyPrefix followed by
// 48 base58 characters) and its stored record without the environment.
func NewAPIKey(name string, now time.Time) (secret string, key *APIKey) {
	var b [64]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("resultlinks: no randomness: " + err.Error())
	}
	secret = APIKeyPrefix + encodeID(b[:32]) + encodeID(b[32:])
	return secret, &APIKey{
		ID:        NewID(),
		Name:      name,
		Prefix:    secret[:len(APIKeyPrefix)+6],
		Hash:      HashAPIKey(secret),
		CreatedAt: now,
	}
}

// HashAPIKey returns the stored form of an API key.
func HashAPIKey(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// EnvironmentStore keeps environments and their API keys.
type EnvironmentStore interface {
	// CreateEnvironment stores a new environment.
	CreateEnvironment(ctx context.Context, env *Environment) error
	// CreateFirstEnvironment stores env only when there is no environment
	// yet, atomically across processes, and reports whether it did.
	CreateFirstEnvironment(ctx context.Context, env *Environment) (created bool, err error)
	// ListEnvironments returns every environment, oldest first.
	ListEnvironments(ctx context.Context) ([]*Environment, error)
	// CreateAPIKey stores a new API key.
	CreateAPIKey(ctx context.Context, key *APIKey) error
	// FindAPIKeyByHash returns the live (not revoked) key with that hash, or
	// CodeAuthenticationInvalid.
	FindAPIKeyByHash(ctx context.Context, hash []byte) (*APIKey, error)
	// ListAPIKeys returns the environment's keys (never their secrets), oldest first.
	ListAPIKeys(ctx context.Context, environmentID string) ([]*APIKey, error)
	// RevokeAPIKey revokes a key of the environment, or answers CodeNotFound.
	RevokeAPIKey(ctx context.Context, environmentID, id string, at time.Time) error
	// TouchAPIKey records that a key was used at at.
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
}

// AuditRecord says who did what, and when. It never holds a secret.
type AuditRecord struct {
	// ID identifies the record.
	ID string
	// EnvironmentID is the environment acted in.
	EnvironmentID string
	// At is when it happened.
	At time.Time
	// Actor is who did it: "key:<API key ID>" or "cli".
	Actor string
	// Action names what was done, e.g. "integration.create".
	Action string
	// Target is the ID of what it was done to.
	Target string
	// Detail adds what helps a person (never a secret).
	Detail string
}

// AuditStore keeps the audit log.
type AuditStore interface {
	// AddAudit stores a record.
	AddAudit(ctx context.Context, r *AuditRecord) error
	// ListAudit returns the environment's records, newest first, at most limit.
	ListAudit(ctx context.Context, environmentID string, limit int) ([]*AuditRecord, error)
}
