package tenants

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"
)

// A dataKey seals tenant secrets: AES-256-GCM, its key wrapped by a KEK in
// the usersig_data_keys table. Secrets are sealed under a data key rather
// than the KEK itself so that a KMS is asked once per data key, not once per
// tenant, and so one KEK interface serves KMSs that take no associated data.
type dataKey struct {
	id   string
	aead cipher.AEAD
}

func newDataKey(id string, key []byte) (*dataKey, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("%w: data key %s is %d bytes", ErrSealed, id, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &dataKey{id: id, aead: aead}, nil
}

// What a sealed value is, part of its associated data, so a sealed HMAC
// secret cannot be passed off as a token key or the reverse.
const (
	kindSecret   = "usersig tenant secret v1"
	kindTokenKey = "usersig tenant token key v1"
)

// secretAD is the associated data of a sealed value: its kind, the tenant
// key and the secret id, so a sealed value copied to another tenant or
// another secret id does not open.
func secretAD(kind, tenant string, secretID int) []byte {
	ad := make([]byte, 0, 48+len(tenant))
	ad = append(ad, kind...)
	ad = append(ad, 0)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(tenant)))
	ad = append(ad, tenant...)
	return binary.BigEndian.AppendUint64(ad, uint64(secretID))
}

func (k *dataKey) seal(kind, tenant string, secretID int, secret []byte) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(secret)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return k.aead.Seal(nonce, nonce, secret, secretAD(kind, tenant, secretID)), nil
}

func (k *dataKey) open(kind, tenant string, secretID int, sealed []byte) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(sealed) < n+k.aead.Overhead() {
		return nil, ErrSealed
	}
	out, err := k.aead.Open(nil, sealed[:n], sealed[n:], secretAD(kind, tenant, secretID))
	if err != nil {
		return nil, ErrSealed
	}
	return out, nil
}
