package usersig

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestZeroSignerRefuses(t *testing.T) {
	var s Signer
	_, err := s.Sign(Identity{UserID: "u"})
	assert.ErrorIs(t, err, ErrInvalidScheme)
	assert.ErrorIs(t, s.Verify(Identity{UserID: "u"}, ""), ErrInvalidScheme)
	assert.ErrorIs(t, s.VerifyCredential(Credential{UserID: "u", Signature: msgB64}), ErrInvalidScheme)
	var enc Encoding
	var mac [macSize]byte
	assert.ErrorIs(t, enc.decode(&mac, ""), ErrMalformedSignature)
}

// TestSentinelsCannotBeDisarmed: the exported sentinels are variables, as is
// Go's custom; reassigning one must not turn a refusal into a nil error.
func TestSentinelsCannotBeDisarmed(t *testing.T) {
	saved := []error{ErrEmptySecret, ErrInvalidSignature, ErrExpired, ErrWeakSecret}
	ErrEmptySecret, ErrInvalidSignature, ErrExpired, ErrWeakSecret = nil, nil, nil, nil
	defer func() {
		ErrEmptySecret, ErrInvalidSignature, ErrExpired, ErrWeakSecret = saved[0], saved[1], saved[2], saved[3]
	}()
	_, err := New(Engagespot(), nil)
	assert.Error(t, err)
	_, err = New(Engagespot(), []byte("short"))
	assert.Error(t, err)
	s := newSigner(t, Engagespot(), rotNew, WithClock(func() time.Time { return expiry }))
	assert.Error(t, s.Verify(Identity{UserID: "admin"}, strings.Repeat("A", 43)+"="))
	assert.Error(t, s.Verify(Identity{UserID: "user-1", ExpiresAt: expiry}, rotNewSig))
}
