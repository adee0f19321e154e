package usersig

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The signatures are Node's (rotOldSig, rotNewSig in signature_test.go), so
// these tests hold the rotation rules to a MAC this package did not compute.

func TestAuthenticateSecretSaysWhichSecretVerified(t *testing.T) {
	s := newSigner(t, Engagespot(), rotNew, WithPreviousSecrets([]byte("other-secret-0123456789"), []byte(rotOld)))
	for _, tc := range []struct {
		sig  string
		want int
	}{{rotNewSig, 0}, {rotOldSig, 2}} {
		id, secret, err := s.AuthenticateSecret(Credential{UserID: "user-1", Signature: tc.sig})
		require.NoError(t, err)
		assert.Equal(t, "user-1", id.UserID)
		assert.Equal(t, tc.want, secret)
	}
	_, secret, err := s.AuthenticateSecret(Credential{UserID: "user-2", Signature: rotOldSig})
	assert.ErrorIs(t, err, ErrInvalidSignature)
	assert.Equal(t, -1, secret)

	twice := newSigner(t, Engagespot(), rotOld, WithPreviousSecrets([]byte(rotOld)))
	_, secret, err = twice.AuthenticateSecret(Credential{UserID: "user-1", Signature: rotOldSig})
	require.NoError(t, err)
	assert.Equal(t, 0, secret, "the first secret that matches is the one reported")
}

func TestRetiringSecretStopsAtItsInstant(t *testing.T) {
	deadline := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	now := deadline.Add(-time.Nanosecond)
	clock := WithClock(func() time.Time { return now })
	for _, sc := range []Scheme{Engagespot(), {Name: "own", Composer: composerFunc(func(dst []byte, id Identity) ([]byte, error) { return append(dst, id.UserID...), nil }), Encoding: Base64}} {
		s := newSigner(t, sc, rotNew, WithRetiringSecret([]byte(rotOld), deadline), clock, WithLeeway(MaxLeeway))
		now = deadline.Add(-time.Nanosecond)
		_, secret, err := s.AuthenticateSecret(Credential{UserID: "user-1", Signature: rotOldSig})
		require.NoError(t, err, sc.Name)
		assert.Equal(t, 1, secret)

		now = deadline
		assert.ErrorIs(t, s.Verify(Identity{UserID: "user-1"}, rotOldSig), ErrInvalidSignature,
			"%s: at its not-after instant the old secret stops, leeway or not", sc.Name)
		assert.NoError(t, s.Verify(Identity{UserID: "user-1"}, rotNewSig), "%s: the current secret has no deadline", sc.Name)
	}
}

func TestRetiringSecretRefusesZeroDeadline(t *testing.T) {
	_, err := New(Engagespot(), []byte(rotNew), WithRetiringSecret([]byte(rotOld), time.Time{}))
	assert.ErrorIs(t, err, ErrInvalidOption)
	_, err = New(Engagespot(), []byte(rotNew), WithRetiringSecret(nil, time.Now()))
	assert.ErrorIs(t, err, ErrEmptySecret, "a retiring secret is checked like the current one")
}

func TestAuthenticateSecretAllocations(t *testing.T) {
	if RaceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	deadline := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newSigner(t, Engagespot(), rotNew, WithRetiringSecret([]byte(rotOld), deadline),
		WithClock(func() time.Time { return deadline.Add(-time.Hour) }))
	cred := Credential{UserID: "user-1", Signature: rotOldSig}
	assert.Zero(t, testing.AllocsPerRun(50, func() { _, _, _ = s.AuthenticateSecret(cred) }))
}
