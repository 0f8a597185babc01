package secret

import (
	"context"
	"time"

	"github.com/resultlinks/resultlinks"
)

// CompleteConnectLink completes the link, storing the integration with its
// credentials sealed.
func (s *Store) CompleteConnectLink(ctx context.Context, id string, integrationTokenHash []byte, now time.Time, in *resultlinks.Integration,
	emit ...*resultlinks.Emit) error {
	sealed, err := s.ring.Seal(in.Credentials, credentialsContext(in.ID))
	if err != nil {
		return err
	}
	copy := *in
	copy.Credentials = sealed
	return s.Store.CompleteConnectLink(ctx, id, integrationTokenHash, now, &copy, emit...)
}
