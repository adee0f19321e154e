package tenants

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// A KEK (key-encryption key) wraps and unwraps the store's data keys, the
// AES-256 keys that seal tenant secrets. It may live in a KMS
// (contrib/cloudkek) or locally (LocalKEK). The store calls Unwrap once per
// data key, not once per secret, so a remote KEK costs one call at start.
type KEK interface {
	// ID names this key (its version) without revealing it; it is stored
	// beside every data key it wraps, so a Store can pick the right KEK
	// during a rotation.
	ID() string
	// Wrap encrypts a 32-byte data key.
	Wrap(ctx context.Context, dataKey []byte) ([]byte, error)
	// Unwrap decrypts what Wrap returned; it must fail (not return other
	// bytes) for anything Wrap did not produce under this key, with an
	// error wrapping ErrSealed. Any other error means it could not tell (a
	// KMS outage): the tenants under that data key are refused meanwhile
	// and tried again on every sync until it answers.
	Unwrap(ctx context.Context, wrapped []byte) ([]byte, error)
}

// LocalKEK is a KEK held in process memory: AES-256-GCM under a 32-byte key.
// Its security is that of wherever the key came from; keep it in a secret
// manager or a file only the service can read, never in the database.
type LocalKEK struct {
	aead cipher.AEAD
	id   string
}

// localKEKLabel is the associated data of a data key wrapped by a LocalKEK,
// so a wrapped data key cannot be passed off as any other GCM message.
const localKEKLabel = "usersig tenants data key v1"

// NewLocalKEK returns a LocalKEK for key, which must be exactly 32 bytes
// (ErrKEKSize otherwise). The key is copied into the cipher and not kept.
func NewLocalKEK(key []byte) (*LocalKEK, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("%w: got %d bytes", ErrKEKSize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The ID is a MAC of a label under the key: it tells keys apart and
	// reveals nothing about them.
	m := hmac.New(sha256.New, key)
	m.Write([]byte("usersig tenants kek id"))
	return &LocalKEK{aead: aead, id: "local:" + hex.EncodeToString(m.Sum(nil)[:8])}, nil
}

// ParseLocalKEK reads a LocalKEK from text: 32 bytes as standard or URL
// base64 (padded or not) or as 64 hex digits, surrounding white space
// ignored. Anything else is ErrKEKSize. The text is never echoed in errors.
func ParseLocalKEK(text string) (*LocalKEK, error) {
	text = strings.TrimSpace(text)
	for _, dec := range []func(string) ([]byte, error){
		hex.DecodeString,
		base64.StdEncoding.DecodeString,
		base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString,
		base64.RawURLEncoding.DecodeString,
	} {
		if b, err := dec(text); err == nil && len(b) == 32 {
			return NewLocalKEK(b)
		}
	}
	return nil, fmt.Errorf("%w: want 32 bytes as base64 or 64 hex digits", ErrKEKSize)
}

// LocalKEKFromFile reads a LocalKEK from a file holding its text form
// (see ParseLocalKEK); the file may also hold the 32 raw bytes.
func LocalKEKFromFile(path string) (*LocalKEK, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tenants: reading KEK file: %w", err)
	}
	if len(b) == 32 {
		if k, err := ParseLocalKEK(string(b)); err == nil {
			return k, nil
		}
		return NewLocalKEK(b)
	}
	return ParseLocalKEK(string(b))
}

// LocalKEKFromEnv reads a LocalKEK from the environment variable name in
// its text form (see ParseLocalKEK). An unset variable is ErrNoKEK.
func LocalKEKFromEnv(name string) (*LocalKEK, error) {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return nil, fmt.Errorf("%w: $%s is not set", ErrNoKEK, name)
	}
	return ParseLocalKEK(v)
}

// ID implements KEK.
func (k *LocalKEK) ID() string { return k.id }

// String shows the ID only.
func (k *LocalKEK) String() string { return "LocalKEK(" + k.id + ")" }

// Wrap implements KEK: a random 12-byte nonce, then the GCM ciphertext.
func (k *LocalKEK) Wrap(_ context.Context, dataKey []byte) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(dataKey)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return k.aead.Seal(nonce, nonce, dataKey, []byte(localKEKLabel)), nil
}

// Unwrap implements KEK.
func (k *LocalKEK) Unwrap(_ context.Context, wrapped []byte) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(wrapped) < n+k.aead.Overhead() {
		return nil, ErrSealed
	}
	out, err := k.aead.Open(nil, wrapped[:n], wrapped[n:], []byte(localKEKLabel))
	if err != nil {
		return nil, ErrSealed
	}
	return out, nil
}
