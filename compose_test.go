package usersig

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var expiry = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestMessageRules(t *testing.T) {
	both := Identity{UserID: "42", Email: "user@example.com"}
	tests := []struct {
		rule MessageRule
		id   Identity
		want string
	}{
		{UserID, both, "42"},
		{UserID, Identity{UserID: "José 👩‍💻"}, "José 👩‍💻"},
		{Email, both, "user@example.com"},
		{Email, Identity{Email: " Jane.Doe+x@Example.COM "}, " Jane.Doe+x@Example.COM "}, // never normalised
		{UserIDOrEmail, both, "42"},
		{UserIDOrEmail, Identity{Email: "a@b"}, "a@b"},
		{UserIDEmail, both, "42user@example.com"},
		{UserIDEmail, Identity{UserID: "42"}, "42"},
		{UserIDEmail, Identity{Email: "a@b"}, "a@b"},
		{UserIDExpiry, Identity{UserID: "testUser"}, "testUser"},
		{UserIDExpiry, Identity{UserID: "testUser", ExpiresAt: expiry}, "testUser2026-11-22T10:00:00.000Z"},
		{UserIDExpiry, Identity{UserID: "u", ExpiresAt: expiry.Add(1500 * time.Microsecond).In(time.FixedZone("x", 3600))}, "u2026-11-22T10:00:00.001Z"},
	}
	for _, tc := range tests {
		got, err := tc.rule.AppendMessage([]byte("prefix:"), tc.id)
		require.NoError(t, err, "%v %+v", tc.rule, tc.id)
		assert.Equal(t, "prefix:"+tc.want, string(got), "%v %+v", tc.rule, tc.id)
	}
}

func TestMessageRulesMissingIdentity(t *testing.T) {
	tests := []struct {
		rule MessageRule
		id   Identity
	}{
		{UserID, Identity{Email: "a@b"}},
		{Email, Identity{UserID: "42"}},
		{UserIDOrEmail, Identity{ExpiresAt: expiry}},
		{UserIDEmail, Identity{}},
		{UserIDExpiry, Identity{Email: "a@b", ExpiresAt: expiry}},
		{Framed, Identity{ExpiresAt: expiry}},
	}
	for _, tc := range tests {
		_, err := tc.rule.AppendMessage(nil, tc.id)
		assert.ErrorIs(t, err, ErrMissingIdentity, "%v", tc.rule)
	}
	_, err := MessageRule(0).AppendMessage(nil, Identity{UserID: "x"})
	assert.ErrorIs(t, err, ErrInvalidScheme)
}

// TestUserIDEmailIsAmbiguous records the collision the Helpshift format has
// (the pair from testdata/derived_encoding_malleability_go.json) and that
// Framed does not.
func TestUserIDEmailIsAmbiguous(t *testing.T) {
	a := Identity{UserID: "ab", Email: "c@x"}
	b := Identity{UserID: "abc", Email: "@x"}
	ma, _ := UserIDEmail.AppendMessage(nil, a)
	mb, _ := UserIDEmail.AppendMessage(nil, b)
	assert.Equal(t, ma, mb)
	fa, _ := Framed.AppendMessage(nil, a)
	fb, _ := Framed.AppendMessage(nil, b)
	assert.NotEqual(t, fa, fb)
}

func TestFramedLayout(t *testing.T) {
	got, err := Framed.AppendMessage(nil, Identity{UserID: "ab", Email: "c", ExpiresAt: time.Unix(256, 7)})
	require.NoError(t, err)
	want := "usersig/framed/v1\x00" +
		"\x00\x00\x00\x00\x00\x00\x00\x02ab" +
		"\x00\x00\x00\x00\x00\x00\x00\x01c" +
		"\x01\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x07"
	assert.Equal(t, want, string(got))

	noExpiry, err := Framed.AppendMessage(nil, Identity{Email: "c"})
	require.NoError(t, err)
	assert.Equal(t, "usersig/framed/v1\x00"+"\x00\x00\x00\x00\x00\x00\x00\x00"+"\x00\x00\x00\x00\x00\x00\x00\x01c"+"\x00", string(noExpiry))
}

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

func TestSignCredentialDropsUnsignedFields(t *testing.T) {
	s := newSigner(t, Proficient(), rotNew)
	c, err := s.SignCredential(Credential{UserID: "alice", Email: "boss@x", Expires: "2029-01-01T00:00:00.000Z"})
	require.NoError(t, err)
	assert.Equal(t, Credential{UserID: "alice", Signature: c.Signature}, c)
}
