package usertoken

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIssuerClaimsPerProfile(t *testing.T) {
	k := loadKeys(t)
	iat := t0.Unix()
	exp := t0.Add(time.Hour).Unix()
	cases := []struct {
		p      Profile
		header map[string]any
		claims map[string]any
	}{
		{Engagespot(testAPIKey), map[string]any{"alg": "RS256", "typ": "JWT"},
			map[string]any{"sub": "user:alice", "apiKey": testAPIKey, "iat": float64(iat), "exp": float64(exp)}},
		{Knock(), map[string]any{"alg": "RS256", "typ": "JWT"},
			map[string]any{"sub": "alice", "iat": float64(iat), "exp": float64(exp)}},
		{Braze(), map[string]any{"alg": "RS256", "typ": "JWT"},
			map[string]any{"sub": "alice", "exp": float64(exp)}},
		{Intercom(), map[string]any{"alg": "HS256", "typ": "JWT"},
			map[string]any{"user_id": "alice", "exp": float64(exp)}},
		{Zendesk("app_kid_1"), map[string]any{"alg": "HS256", "typ": "JWT", "kid": "app_kid_1"},
			map[string]any{"scope": "user", "external_id": "alice", "exp": float64(exp)}},
		{Drift(), map[string]any{"alg": "HS256", "typ": "JWT"},
			map[string]any{"sub": "alice", "exp": float64(exp)}},
	}
	for _, c := range cases {
		sk, _ := k.keyFor(c.p)
		iss, err := NewIssuer(c.p, sk, WithClock(fixedClock(t0)))
		require.NoError(t, err, c.p.Name())
		assert.Equal(t, c.p, iss.Profile())
		tok, err := iss.Token("alice")
		require.NoError(t, err, c.p.Name())
		h, cl := segments(t, tok)
		assert.Equal(t, c.header, h, c.p.Name())
		assert.Equal(t, c.claims, cl, c.p.Name())
	}
}

func TestIssuerTTLAndClock(t *testing.T) {
	k := loadKeys(t)
	now := t0.Add(1500 * time.Millisecond) // sub-second part is truncated
	iss, err := NewIssuer(Knock(), k.rsaPriv, WithClock(fixedClock(now)), WithTTL(5*time.Minute))
	require.NoError(t, err)
	tok, err := iss.Token("u")
	require.NoError(t, err)
	_, cl := segments(t, tok)
	assert.Equal(t, float64(t0.Unix()+1), cl["iat"])
	assert.Equal(t, float64(t0.Unix()+1+300), cl["exp"])

	for _, bad := range []time.Duration{0, -time.Second, 500 * time.Millisecond, MaxTTL + time.Second, 1500 * time.Millisecond} {
		_, err := NewIssuer(Knock(), k.rsaPriv, WithTTL(bad))
		assert.ErrorIs(t, err, ErrInvalidOption, bad.String())
	}
	_, err = NewIssuer(Knock(), k.rsaPriv, WithTTL(MaxTTL))
	assert.NoError(t, err)
}

func TestOptionsRoles(t *testing.T) {
	k := loadKeys(t)
	// A misplaced option does not compile: NewIssuer takes IssuerOptions,
	// NewVerifier VerifierOptions, and only the shared ones are both.
	for _, o := range []any{WithTTL(time.Minute), WithClaims(map[string]any{"a": 1})} {
		_, isVerifierOption := o.(VerifierOption)
		assert.False(t, isVerifierOption, "%T", o)
	}
	for _, o := range []any{WithLeeway(time.Second), WithPreviousKeys(k.secret), WithPreviousKey("k", k.secret)} {
		_, isIssuerOption := o.(IssuerOption)
		assert.False(t, isIssuerOption, "%T", o)
	}
	for _, o := range []any{WithClock(time.Now), WithKeyID("k")} {
		_, isBoth := o.(Option)
		assert.True(t, isBoth, "%T", o)
	}
	_, err := NewVerifier(Knock(), k.rsaPub, WithClock(nil))
	assert.ErrorIs(t, err, ErrInvalidOption)
	_, err = NewIssuer(Knock(), k.rsaPriv, nil)
	assert.ErrorIs(t, err, ErrInvalidOption)
	for _, l := range []time.Duration{-time.Second, MaxLeeway + time.Second} {
		_, err = NewVerifier(Knock(), k.rsaPub, WithLeeway(l))
		assert.ErrorIs(t, err, ErrInvalidOption)
	}
}

func TestWithClaims(t *testing.T) {
	k := loadKeys(t)
	extra := map[string]any{"email": "ada@example.com", "name": "Ada", "email_verified": true}
	iss, err := NewIssuer(Zendesk("kid1"), k.secret, WithClock(fixedClock(t0)), WithClaims(extra), WithClaims(map[string]any{"phone": "1"}))
	require.NoError(t, err)
	extra["email"] = "mallory@example.com" // copied at option time
	tok, err := iss.Token("zd")
	require.NoError(t, err)
	_, cl := segments(t, tok)
	assert.Equal(t, "ada@example.com", cl["email"])
	assert.Equal(t, true, cl["email_verified"])
	assert.Equal(t, "1", cl["phone"])

	v, err := NewVerifier(Zendesk("kid1"), k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	id, err := v.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, "zd", id)

	// Claims the profile owns cannot be overridden.
	owned := map[string][]string{
		"engagespot": {"sub", "apiKey", "iat", "exp", "nbf"},
		"knock":      {"sub", "iat", "exp"},
		"braze":      {"sub", "exp"},
		"intercom":   {"user_id", "exp"},
		"zendesk":    {"external_id", "scope", "exp"},
		"drift":      {"sub", "exp"},
	}
	for _, p := range allProfiles() {
		sk, _ := k.keyFor(p)
		for _, name := range owned[p.Name()] {
			_, err := NewIssuer(p, sk, WithClaims(map[string]any{name: "x"}))
			assert.ErrorIs(t, err, ErrInvalidOption, "%s %s", p.Name(), name)
		}
	}
	_, err = NewIssuer(Intercom(), k.secret, WithClaims(map[string]any{"bad": func() {}}))
	assert.ErrorIs(t, err, ErrInvalidOption)
	_, err = NewIssuer(Intercom(), k.secret, WithClaims(map[string]any{"": 1}))
	assert.ErrorIs(t, err, ErrInvalidOption)

	// Extra claims that would make the token exceed MaxTokenSize.
	big, err := NewIssuer(Intercom(), k.secret, WithClaims(map[string]any{"blob": strings.Repeat("a", MaxTokenSize)}))
	require.NoError(t, err)
	_, err = big.Token("u")
	assert.ErrorIs(t, err, ErrTokenTooLarge)
}

func TestIssuerUserIDRules(t *testing.T) {
	k := loadKeys(t)
	iss, err := NewIssuer(Engagespot(testAPIKey), k.rsaPriv)
	require.NoError(t, err)
	for _, bad := range []string{"", strings.Repeat("a", MaxUserIDLen+1), "a\nb", "tab\t", "\x00", string([]byte{0xff, 0xfe})} {
		_, err := iss.Token(bad)
		assert.ErrorIs(t, err, ErrInvalidUserID, "%q", bad)
	}
	for _, good := range []string{"a", strings.Repeat("a", MaxUserIDLen), " padded ", "Jörg@example.com", "tenant:42", "user:nested"} {
		_, err := iss.Token(good)
		assert.NoError(t, err, "%q", good)
	}
}
