package resultlinks

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// Operator is a person who signs in to the dashboard with an e-mail
// address and a password. Each operator belongs to one environment.
type Operator struct {
	// ID identifies the operator.
	ID string
	// EnvironmentID is the environment the operator sees and acts in.
	EnvironmentID string
	// Email signs the operator in; it is unique across environments and
	// kept in lower case.
	Email string
	// PasswordHash is the password's PBKDF2 hash (see HashPassword).
	PasswordHash string
	// CreatedAt is when the operator was created.
	CreatedAt time.Time
}

// Password hashing: PBKDF2 with SHA-256, a random salt of SaltSize bytes
// and PasswordIterations rounds.
const (
	// PasswordIterations is the PBKDF2 round count of new hashes.
	PasswordIterations = 600_000
	// MinPasswordLength is the shortest password accepted.
	MinPasswordLength = 12
	saltSize          = 16
	passwordKeySize   = 32
	passwordScheme    = "pbkdf2-sha256"
)

// NewOperator checks an e-mail address and a password and returns the
// operator with the password hashed. Bad input is CodeInputInvalid.
func NewOperator(environmentID, email, password string, now time.Time) (*Operator, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return nil, Errorf(CodeInputInvalid, "email: must be an e-mail address like ops@example.com")
	}
	if len(password) < MinPasswordLength {
		return nil, Errorf(CodeInputInvalid, "password: must be at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return &Operator{ID: NewID(), EnvironmentID: environmentID, Email: email, PasswordHash: hash, CreatedAt: now}, nil
}

// HashPassword returns the stored form of a password:
// "pbkdf2-sha256$<iterations>$<salt>$<hash>", salt and hash in base64url.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, PasswordIterations, passwordKeySize)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return fmt.Sprintf("%s$%d$%s$%s", passwordScheme, PasswordIterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash made by
// HashPassword, comparing in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != passwordScheme {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false
	}
	enc := base64.RawURLEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// Session is a signed-in dashboard visitor. The browser holds a random
// token; only its SHA-256 is stored.
type Session struct {
	// ID identifies the session (never the token).
	ID string
	// TokenHash is the SHA-256 of the cookie's token.
	TokenHash []byte
	// EnvironmentID is the environment the session sees.
	EnvironmentID string
	// APIKeyID or OperatorID is what signed in; the session ends when
	// that key is revoked or that operator deleted.
	APIKeyID, OperatorID string
	// Actor names who signed in, for the audit log and the page header:
	// the key's prefix or the operator's e-mail address.
	Actor string
	// CSRF is the form token every form of the session carries.
	CSRF string
	// CreatedAt is when the session began.
	CreatedAt time.Time
	// IdleUntil is when the session ends unless it is used again;
	// ExpiresAt is when it ends regardless.
	IdleUntil, ExpiresAt time.Time
}

// HashSessionToken returns the stored form of a session token.
func HashSessionToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// OperatorStore keeps dashboard operators and sessions.
type OperatorStore interface {
	// CreateOperator stores an operator; an e-mail address already taken
	// is CodeInputInvalid.
	CreateOperator(ctx context.Context, o *Operator) error
	// FindOperatorByEmail returns the operator with the (lower-case)
	// address in any environment, or CodeNotFound.
	FindOperatorByEmail(ctx context.Context, email string) (*Operator, error)
	// ListOperators returns the environment's operators, oldest first.
	ListOperators(ctx context.Context, environmentID string) ([]*Operator, error)
	// DeleteOperator deletes an operator of the environment and its
	// sessions, or answers CodeNotFound.
	DeleteOperator(ctx context.Context, environmentID, id string) error
	// CreateSession stores a session.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with the token hash that is live at
	// now: not idle or expired, and its API key not revoked and its
	// operator not deleted. Otherwise it is CodeNotFound.
	FindSession(ctx context.Context, tokenHash []byte, now time.Time) (*Session, error)
	// TouchSession moves a session's idle end to idleUntil.
	TouchSession(ctx context.Context, id string, idleUntil time.Time) error
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, id string) error
	// DeleteSessionsBefore deletes the sessions idle or expired at t and
	// returns how many.
	DeleteSessionsBefore(ctx context.Context, t time.Time) (int, error)
	// ListResultLinkInteractions returns the logs of the environment's API
	// calls about a result link, newest first, at most limit.
	ListResultLinkInteractions(ctx context.Context, environmentID, resultLinkID string, limit int) ([]*Interaction, error)
}

// CheckAPIKey returns the live key whose secret this is: the API and the
// dashboard both authenticate this way, by the secret's SHA-256, compared
// in constant time. An empty, unknown or revoked key is
// CodeAuthenticationInvalid.
func CheckAPIKey(ctx context.Context, store EnvironmentStore, secret string) (*APIKey, error) {
	invalid := Errorf(CodeAuthenticationInvalid, "The API key is missing or not valid.")
	if strings.TrimSpace(secret) == "" {
		return nil, invalid
	}
	hash := HashAPIKey(secret)
	key, err := store.FindAPIKeyByHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(key.Hash, hash) != 1 {
		return nil, invalid
	}
	return key, nil
}
