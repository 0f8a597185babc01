package secret

import (
	"context"
	"fmt"

	"github.com/resultlinks/resultlinks"
)

// Store seals credentials and connector state on their way into a store
// and opens them on their way out; everything else passes through.
type Store struct {
	resultlinks.Store
	ring *Keyring
}

// Wrap returns store with sealing by ring.
func Wrap(store resultlinks.Store, ring *Keyring) *Store {
	return &Store{Store: store, ring: ring}
}

// Unwrap returns the store underneath.
func (s *Store) Unwrap() resultlinks.Store { return s.Store }

// Keyring returns the keyring.
func (s *Store) Keyring() *Keyring { return s.ring }

func credentialsContext(integrationID string) string { return "credentials:" + integrationID }

func stateContext(integrationID, key string) string { return "state:" + integrationID + ":" + key }

func (s *Store) open(in *resultlinks.Integration) error {
	plain, err := s.ring.Open(in.Credentials, credentialsContext(in.ID))
	if err != nil {
		return fmt.Errorf("integration %s credentials: %w", in.ID, err)
	}
	in.Credentials = plain
	return nil
}

// CreateIntegration stores the integration with its credentials sealed.
func (s *Store) CreateIntegration(ctx context.Context, in *resultlinks.Integration, emit ...*resultlinks.Emit) error {
	sealed, err := s.ring.Seal(in.Credentials, credentialsContext(in.ID))
	if err != nil {
		return err
	}
	copy := *in
	copy.Credentials = sealed
	return s.Store.CreateIntegration(ctx, &copy, emit...)
}

// FindIntegration returns the integration with its credentials opened.
func (s *Store) FindIntegration(ctx context.Context, environmentID, id string) (*resultlinks.Integration, error) {
	in, err := s.Store.FindIntegration(ctx, environmentID, id)
	if err != nil {
		return nil, err
	}
	return in, s.open(in)
}

// GetIntegration returns the integration with its credentials opened.
func (s *Store) GetIntegration(ctx context.Context, id string) (*resultlinks.Integration, error) {
	in, err := s.Store.GetIntegration(ctx, id)
	if err != nil {
		return nil, err
	}
	return in, s.open(in)
}

// ListIntegrations returns the integrations with their credentials opened.
func (s *Store) ListIntegrations(ctx context.Context, environmentID string) ([]*resultlinks.Integration, error) {
	list, err := s.Store.ListIntegrations(ctx, environmentID)
	if err != nil {
		return nil, err
	}
	for _, in := range list {
		if err := s.open(in); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// SetIntegrationCredentials stores credentials sealed.
func (s *Store) SetIntegrationCredentials(ctx context.Context, id string, credentials []byte) error {
	sealed, err := s.ring.Seal(credentials, credentialsContext(id))
	if err != nil {
		return err
	}
	return s.Store.SetIntegrationCredentials(ctx, id, sealed)
}

// GetState returns a connector state value, opened.
func (s *Store) GetState(ctx context.Context, integrationID, key string) ([]byte, error) {
	v, err := s.Store.GetState(ctx, integrationID, key)
	if err != nil || v == nil {
		return v, err
	}
	return s.ring.Open(v, stateContext(integrationID, key))
}

// PutState stores a connector state value, sealed.
func (s *Store) PutState(ctx context.Context, integrationID, key string, value []byte) error {
	sealed, err := s.ring.Seal(value, stateContext(integrationID, key))
	if err != nil {
		return err
	}
	return s.Store.PutState(ctx, integrationID, key, sealed)
}

// Reseal seals every stored secret under the keyring's current key (after
// a rotation), and returns how many values it rewrote.
func (s *Store) Reseal(ctx context.Context) (int, error) {
	current := s.ring.Current()
	n := 0
	envs, err := s.Store.ListEnvironments(ctx)
	if err != nil {
		return n, err
	}
	for _, env := range envs {
		list, err := s.Store.ListIntegrations(ctx, env.ID)
		if err != nil {
			return n, err
		}
		for _, in := range list {
			if SealedBy(in.Credentials) != current {
				plain, err := s.ring.Open(in.Credentials, credentialsContext(in.ID))
				if err != nil {
					return n, fmt.Errorf("integration %s: %w", in.ID, err)
				}
				if err := s.SetIntegrationCredentials(ctx, in.ID, plain); err != nil {
					return n, err
				}
				n++
			}
			keys, err := s.Store.ListStateKeys(ctx, in.ID)
			if err != nil {
				return n, err
			}
			for _, k := range keys {
				raw, err := s.Store.GetState(ctx, in.ID, k)
				if err != nil || SealedBy(raw) == current {
					if err != nil {
						return n, err
					}
					continue
				}
				plain, err := s.ring.Open(raw, stateContext(in.ID, k))
				if err != nil {
					return n, fmt.Errorf("integration %s state %s: %w", in.ID, k, err)
				}
				if err := s.PutState(ctx, in.ID, k, plain); err != nil {
					return n, err
				}
				n++
			}
		}
		hooks, err := s.Store.ListWebhooks(ctx, env.ID)
		if err != nil {
			return n, err
		}
		for _, h := range hooks {
			if SealedBy(h.Secret) == current {
				continue
			}
			plain, err := s.ring.Open(h.Secret, webhookContext(h.ID))
			if err != nil {
				return n, fmt.Errorf("webhook %s: %w", h.ID, err)
			}
			if err := s.SetWebhookSecret(ctx, h.ID, plain); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func webhookContext(id string) string { return "webhook:" + id }

func (s *Store) openWebhook(w *resultlinks.Webhook) error {
	plain, err := s.ring.Open(w.Secret, webhookContext(w.ID))
	if err != nil {
		return fmt.Errorf("webhook %s secret: %w", w.ID, err)
	}
	w.Secret = plain
	return nil
}

// CreateWebhook stores the endpoint with its signing secret sealed.
func (s *Store) CreateWebhook(ctx context.Context, w *resultlinks.Webhook) error {
	sealed, err := s.ring.Seal(w.Secret, webhookContext(w.ID))
	if err != nil {
		return err
	}
	copy := *w
	copy.Secret = sealed
	return s.Store.CreateWebhook(ctx, &copy)
}

// GetWebhook returns the endpoint with its signing secret opened.
func (s *Store) GetWebhook(ctx context.Context, id string) (*resultlinks.Webhook, error) {
	w, err := s.Store.GetWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	return w, s.openWebhook(w)
}

// FindWebhook returns the environment's endpoint with its signing secret opened.
func (s *Store) FindWebhook(ctx context.Context, environmentID, id string) (*resultlinks.Webhook, error) {
	w, err := s.Store.FindWebhook(ctx, environmentID, id)
	if err != nil {
		return nil, err
	}
	return w, s.openWebhook(w)
}

// ListWebhooks returns the environment's endpoints with their secrets opened.
func (s *Store) ListWebhooks(ctx context.Context, environmentID string) ([]*resultlinks.Webhook, error) {
	list, err := s.Store.ListWebhooks(ctx, environmentID)
	if err != nil {
		return nil, err
	}
	for _, w := range list {
		if err := s.openWebhook(w); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// SetWebhookSecret stores an endpoint's secret sealed.
func (s *Store) SetWebhookSecret(ctx context.Context, id string, secret []byte) error {
	sealed, err := s.ring.Seal(secret, webhookContext(id))
	if err != nil {
		return err
	}
	return s.Store.SetWebhookSecret(ctx, id, sealed)
}
