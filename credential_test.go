package usersig

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignedFieldsOnly: what Issue hands out and Authenticate vouches for is
// what the signature covers, never a field the client could have changed.
func TestSignedFieldsOnly(t *testing.T) {
	before := WithClock(func() time.Time { return expiry.Add(-time.Hour) })
	full := Identity{UserID: "u-1", Email: "a@b.c", ExpiresAt: expiry}
	tests := []struct {
		scheme Scheme
		want   Identity
	}{
		{Proficient(), Identity{UserID: "u-1"}},
		{Crisp(), Identity{Email: "a@b.c"}},
		{Intercom(), Identity{UserID: "u-1"}},
		{Helpshift(), Identity{UserID: "u-1", Email: "a@b.c"}},
		{ProductFruits(), Identity{UserID: "u-1", ExpiresAt: expiry}},
		{Scheme{Name: "own", Composer: Framed, Encoding: Hex}, full},
		{Scheme{Name: "custom", Composer: rawMessage("fixed"), Encoding: Hex}, Identity{}},
	}
	for _, tc := range tests {
		s := newSigner(t, tc.scheme, rotNew, before)
		c, err := s.Issue(full)
		require.NoError(t, err, tc.scheme.Name)
		assert.Equal(t, tc.want.UserID, c.UserID, tc.scheme.Name)
		assert.Equal(t, tc.want.Email, c.Email, tc.scheme.Name)
		assert.Equal(t, tc.want.ExpiresAt.IsZero(), c.Expires == "", tc.scheme.Name)

		// A client adds the fields back: they do not reach the identity.
		sent := Credential{UserID: full.UserID, Email: full.Email, Signature: c.Signature}
		if tc.want.ExpiresAt.IsZero() {
			sent.Expires = "2099-01-01T00:00:00.000Z"
		} else {
			sent.Expires = c.Expires
		}
		got, err := s.Authenticate(sent)
		require.NoError(t, err, tc.scheme.Name)
		assert.Equal(t, tc.want.UserID, got.UserID, tc.scheme.Name)
		assert.Equal(t, tc.want.Email, got.Email, tc.scheme.Name)
		assert.True(t, tc.want.ExpiresAt.Equal(got.ExpiresAt), tc.scheme.Name)
	}
}

// TestExpiryRequired reproduces the UserIDExpiry ambiguity the vendor format
// has, and shows WithExpiryRequired closing it.
func TestExpiryRequired(t *testing.T) {
	now := WithClock(func() time.Time { return expiry.Add(-time.Hour) })
	lax := newSigner(t, ProductFruits(), rotNew, now)
	strict := newSigner(t, ProductFruits(), rotNew, now, WithExpiryRequired())

	// A user who may pick the id "alice2099-01-01T00:00:00.000Z" gets an
	// expiry-less signature ...
	sig, err := lax.Sign(Identity{UserID: "alice2099-01-01T00:00:00.000Z"})
	require.NoError(t, err)
	// ... which, under the vendor's format, is also alice's until 2099.
	forged := Credential{UserID: "alice", Expires: "2099-01-01T00:00:00.000Z", Signature: sig}
	assert.NoError(t, lax.VerifyCredential(forged), "the format is ambiguous without an expiry")

	_, err = strict.Sign(Identity{UserID: "alice2099-01-01T00:00:00.000Z"})
	assert.ErrorIs(t, err, ErrInvalidExpiry, "a strict signer never makes an expiry-less signature")
	assert.ErrorIs(t, strict.VerifyCredential(Credential{UserID: "alice2099-01-01T00:00:00.000Z", Signature: sig}), ErrInvalidExpiry)
	_, err = strict.Issue(Identity{UserID: "alice"})
	assert.ErrorIs(t, err, ErrInvalidExpiry)
	c, err := strict.Issue(Identity{UserID: "alice", ExpiresAt: expiry})
	require.NoError(t, err)
	assert.NoError(t, strict.VerifyCredential(c))
	// Gluing the expiry onto the id no longer reads as an expiry-less id.
	assert.ErrorIs(t, strict.VerifyCredential(Credential{UserID: "alice" + c.Expires, Signature: c.Signature}), ErrInvalidExpiry)
}

func TestSignCredentialDropsUnsignedFields(t *testing.T) {
	s := newSigner(t, Proficient(), rotNew)
	c, err := s.SignCredential(Credential{UserID: "alice", Email: "boss@x", Expires: "2029-01-01T00:00:00.000Z"})
	require.NoError(t, err)
	assert.Equal(t, Credential{UserID: "alice", Signature: c.Signature}, c)
}

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
