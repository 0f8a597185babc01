package resultlinks

import (
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"strings"
)

// Base58Alphabet is the Bitcoin base58 alphabet used for every identifier:
// no 0, O, I or l, so IDs survive being read aloud or retyped.
const Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// IDLength is the length of every resultlinks identifier.
const IDLength = 24

var idModulus = new(big.Int).Exp(big.NewInt(58), big.NewInt(IDLength), nil)

// encodeID renders the first bytes of b as exactly IDLength base58 characters.
func encodeID(b []byte) string {
	n := new(big.Int).SetBytes(b)
	n.Mod(n, idModulus)
	out := make([]byte, IDLength)
	base := big.NewInt(58)
	rem := new(big.Int)
	for i := IDLength - 1; i >= 0; i-- {
		n.QuoRem(n, base, rem)
		out[i] = Base58Alphabet[rem.Int64()]
	}
	return string(out)
}

// NewID returns a random identifier of IDLength base58 characters
// (about 140 bits of entropy).
func NewID() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("resultlinks: no randomness: " + err.Error())
	}
	return encodeID(b[:])
}

// DeriveID returns the identifier of a mirrored record: a function of the
// integration, the model and the record's ID in the ATS, so the same record
// keeps its ID across syncs, restarts and rebuilt mirrors.
func DeriveID(integrationID string, model Model, remoteID string) string {
	h := sha256.New()
	h.Write([]byte(integrationID))
	h.Write([]byte{0})
	h.Write([]byte(model))
	h.Write([]byte{0})
	h.Write([]byte(remoteID))
	return encodeID(h.Sum(nil))
}

// IsID reports whether s has the shape of a resultlinks identifier.
func IsID(s string) bool {
	if len(s) != IDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(Base58Alphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// NewIntegrationID returns a new integration ID, "<tool>:<24 base58 chars>".
func NewIntegrationID(tool string) string { return tool + ":" + NewID() }

// ToolOf returns the tool slug of an integration ID, the part before ':'.
func ToolOf(integrationID string) string {
	tool, _, _ := strings.Cut(integrationID, ":")
	return tool
}
