package resultlinks

import (
	"context"
	"crypto/sha256"
	"time"
)

// The codes of a connect link that can no longer be used. They are not wire
// codes: only the connect pages show them (with HTTP 410), never the API.
const (
	// CodeConnectLinkExpired: the link's time ran out before it was used.
	CodeConnectLinkExpired Code = "CONNECT.LINK_EXPIRED"
	// CodeConnectLinkUsed: the link already connected an integration.
	CodeConnectLinkUsed Code = "CONNECT.LINK_USED"
	// CodeConnectLinkLocked: too many credential checks were refused
	// through the link.
	CodeConnectLinkLocked Code = "CONNECT.LINK_LOCKED"
)

// Connect link limits.
const (
	// DefaultConnectLinkTTL is how long a connect link can be used.
	DefaultConnectLinkTTL = 7 * 24 * time.Hour
	// MaxConnectFailures is how many refused credential checks lock a
	// link, so that its page cannot be used to guess credentials.
	MaxConnectFailures = 10
)

// ConnectLink is a single-use link a vendor hands to its customer, whose
// page lets the customer connect their ATS account: the customer picks the
// tool (or gets the one preset), enters the credentials, and on success the
// integration exists. Only the SHA-256 of the link's token is stored.
type ConnectLink struct {
	// ID identifies the link.
	ID string
	// EnvironmentID is the environment the integration will belong to.
	EnvironmentID string
	// TokenHash is the SHA-256 of the token in the link's URL.
	TokenHash []byte
	// EndUser is the customer the link is for.
	EndUser EndUser
	// Tool is the preset tool's slug; empty lets the customer pick.
	Tool string
	// Language is the language the vendor asked for ("en", "de", ...),
	// empty when none.
	Language string
	// CreatedAt and ExpiresAt bound the link's use.
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is when the link connected an integration.
	UsedAt *time.Time
	// IntegrationID is the integration the link connected.
	IntegrationID string
	// IntegrationTokenHash is the SHA-256 of the integration token handed
	// to the customer's browser when the link was used; the vendor
	// exchanges that token for the integration's ID.
	IntegrationTokenHash []byte
	// FailedChecks counts the credential checks the ATS refused.
	FailedChecks int
}

// HashConnectToken returns the stored form of a link or integration token.
func HashConnectToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Usable answers why the link can no longer be used at now, or nil.
func (l *ConnectLink) Usable(now time.Time) error {
	switch {
	case l.UsedAt != nil:
		return Errorf(CodeConnectLinkUsed, "This link was already used to connect an integration. Ask for a new link if you need to connect again.")
	case !now.Before(l.ExpiresAt):
		return Errorf(CodeConnectLinkExpired, "This link expired on %s. Ask for a new link.", l.ExpiresAt.UTC().Format("2 January 2006 at 15:04 UTC"))
	case l.FailedChecks >= MaxConnectFailures:
		return Errorf(CodeConnectLinkLocked, "This link is locked after %d refused attempts. Ask for a new link.", MaxConnectFailures)
	}
	return nil
}

// ConnectStore keeps connect links.
type ConnectStore interface {
	// CreateConnectLink stores a new link.
	CreateConnectLink(ctx context.Context, l *ConnectLink) error
	// FindConnectLink returns the link whose token has the hash, whatever
	// its state (see Usable), or CodeNotFound.
	FindConnectLink(ctx context.Context, tokenHash []byte) (*ConnectLink, error)
	// CountConnectFailure adds a refused credential check to the link and
	// returns how many it has now, or CodeNotFound.
	CountConnectFailure(ctx context.Context, id string) (int, error)
	// CompleteConnectLink, in one transaction, marks the link used at now
	// with the integration token's hash, creates the integration (which
	// must belong to the link's environment) and stores each emit's
	// event. Only an unused, unexpired, unlocked link completes: of
	// concurrent calls exactly one does; the others, and any call on a
	// link that can no longer be used, answer the link's Usable error (or
	// CodeNotFound) and store nothing.
	CompleteConnectLink(ctx context.Context, id string, integrationTokenHash []byte, now time.Time, in *Integration, emit ...*Emit) error
	// FindConnectLinkByIntegrationToken returns the used link of the
	// environment whose integration token has the hash, or CodeNotFound.
	FindConnectLinkByIntegrationToken(ctx context.Context, environmentID string, tokenHash []byte) (*ConnectLink, error)
	// DeleteConnectLinksBefore deletes the links that expired before t
	// (retention) and returns how many.
	DeleteConnectLinksBefore(ctx context.Context, t time.Time) (int, error)
}
