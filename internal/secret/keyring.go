// Package secret seals what resultlinks must keep secret at rest: the
// integrations' credentials and what connectors keep in their state (cached
// tokens, sync cursors). Values are sealed with AES-256-GCM, each with its
// own random nonce, bound to where they are stored (integration and field)
// so a sealed value cannot be moved to another row, and tagged with the ID
// of the key that sealed them, so keys can be rotated: a keyring holds the
// current key and the old ones still needed to open older values.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// prefix starts every sealed value.
const prefix = "rlsec1:"

// KeySize is the size of a key: AES-256.
const KeySize = 32

// ringFile is the stored form of a keyring.
type ringFile struct {
	Current string            `json:"current"`
	Keys    map[string]string `json:"keys"`
}

// Keyring seals and opens values.
type Keyring struct {
	mu      sync.RWMutex
	current string
	keys    map[string]cipher.AEAD
	raw     map[string][]byte
	// reload re-reads the keyring's source, for values sealed by a key
	// added since (a rotation by another process).
	reload func() (*Keyring, error)
}

// KeyID names a key: the first bytes of its hash, never the key.
func KeyID(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:6])
}

// NewKey returns a random key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic("secret: no randomness: " + err.Error())
	}
	return k
}

func newKeyring(current string, raw map[string][]byte) (*Keyring, error) {
	k := &Keyring{current: current, keys: map[string]cipher.AEAD{}, raw: raw}
	for id, key := range raw {
		if len(key) != KeySize {
			return nil, fmt.Errorf("secret: key %s is %d bytes, not %d", id, len(key), KeySize)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		k.keys[id] = aead
	}
	if _, ok := k.keys[current]; !ok {
		return nil, fmt.Errorf("secret: the current key %q is not in the keyring", current)
	}
	return k, nil
}

// Parse reads a keyring: either one base64 key (32 bytes), or the JSON
// form {"current": "<id>", "keys": {"<id>": "<base64 key>", ...}}.
func Parse(text string) (*Keyring, error) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "{") {
		var f ringFile
		if err := json.Unmarshal([]byte(text), &f); err != nil {
			return nil, fmt.Errorf("secret: keyring is not valid JSON: %w", err)
		}
		raw := map[string][]byte{}
		for id, b64 := range f.Keys {
			key, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				return nil, fmt.Errorf("secret: key %s is not base64", id)
			}
			raw[id] = key
		}
		return newKeyring(f.Current, raw)
	}
	key, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, errors.New("secret: the key must be 32 bytes in base64 (e.g. from 'openssl rand -base64 32'), or a JSON keyring")
	}
	id := KeyID(key)
	return newKeyring(id, map[string][]byte{id: key})
}

// Marshal returns the JSON form of the keyring.
func (k *Keyring) Marshal() []byte {
	k.mu.RLock()
	defer k.mu.RUnlock()
	f := ringFile{Current: k.current, Keys: map[string]string{}}
	for id, key := range k.raw {
		f.Keys[id] = base64.StdEncoding.EncodeToString(key)
	}
	b, _ := json.MarshalIndent(f, "", "  ")
	return append(b, '\n')
}

// Current returns the ID of the key that seals new values.
func (k *Keyring) Current() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.current
}

// AddCurrent adds a key and makes it the one that seals new values.
func (k *Keyring) AddCurrent(key []byte) (string, error) {
	id := KeyID(key)
	k.mu.Lock()
	raw := map[string][]byte{id: key}
	for i, r := range k.raw {
		raw[i] = r
	}
	k.mu.Unlock()
	next, err := newKeyring(id, raw)
	if err != nil {
		return "", err
	}
	k.mu.Lock()
	k.current, k.keys, k.raw = next.current, next.keys, next.raw
	k.mu.Unlock()
	return id, nil
}

// Seal seals plaintext for the place named by context (e.g. the
// integration and field), which must be given again to open it.
func (k *Keyring) Seal(plaintext []byte, context string) ([]byte, error) {
	k.mu.RLock()
	id, aead := k.current, k.keys[k.current]
	k.mu.RUnlock()
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	sealed := aead.Seal(nonce, nonce, plaintext, []byte(context))
	return []byte(prefix + id + ":" + base64.RawStdEncoding.EncodeToString(sealed)), nil
}

// IsSealed reports whether a stored value is sealed.
func IsSealed(v []byte) bool { return strings.HasPrefix(string(v), prefix) }

// SealedBy returns the ID of the key that sealed v, or "".
func SealedBy(v []byte) string {
	if !IsSealed(v) {
		return ""
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(string(v), prefix), ":")
	return id
}

// Open opens a sealed value for its context. A value that is not sealed (a
// database written before sealing) is returned as it is.
func (k *Keyring) Open(v []byte, context string) ([]byte, error) {
	if !IsSealed(v) {
		return v, nil
	}
	id, b64, ok := strings.Cut(strings.TrimPrefix(string(v), prefix), ":")
	if !ok {
		return nil, errors.New("secret: malformed sealed value")
	}
	k.mu.RLock()
	aead := k.keys[id]
	reload := k.reload
	k.mu.RUnlock()
	if aead == nil && reload != nil {
		// Sealed by a key added since this process loaded the keyring.
		if fresh, err := reload(); err == nil {
			k.mu.Lock()
			k.current, k.keys, k.raw = fresh.current, fresh.keys, fresh.raw
			aead = k.keys[id]
			k.mu.Unlock()
		}
	}
	if aead == nil {
		return nil, fmt.Errorf("secret: the value was sealed with key %s, which this keyring lacks", id)
	}
	sealed, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(sealed) < aead.NonceSize() {
		return nil, errors.New("secret: malformed sealed value")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(context))
	if err != nil {
		return nil, errors.New("secret: a sealed value failed to open (wrong key, or moved from another place)")
	}
	return plain, nil
}

// LoadFile reads the keyring file at path, creating it (mode 0600) with a
// new key when it does not exist.
func LoadFile(path string) (*Keyring, error) {
	load := func() (*Keyring, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return Parse(string(b))
	}
	k, err := load()
	if errors.Is(err, os.ErrNotExist) {
		key := NewKey()
		id := KeyID(key)
		if k, err = newKeyring(id, map[string][]byte{id: key}); err != nil {
			return nil, err
		}
		if err := WriteFile(path, k); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("secret: key file %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secret: key file %s is readable by others (mode %o); chmod 600 it", path, fi.Mode().Perm())
	}
	k.reload = load
	return k, nil
}

// WriteFile writes the keyring to path with mode 0600, atomically.
func WriteFile(path string, k *Keyring) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".resultlinks-key-*")
	if err != nil {
		return fmt.Errorf("secret: writing key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(k.Marshal()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
