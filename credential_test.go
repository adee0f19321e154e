package usersig

import (
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
