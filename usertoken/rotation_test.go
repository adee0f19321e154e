package usertoken

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unrelatedKey returns a fresh key pair, unknown to every verifier, for
// p's algorithm.
func unrelatedKey(tb testing.TB, p Profile) (sign, verify []byte) {
	tb.Helper()
	switch p.Algorithm() {
	case algRS256:
		priv, pub, err := GenerateRSAKeyPair()
		require.NoError(tb, err)
		return priv, pub
	case algES256:
		priv, pub, err := GenerateECKeyPair()
		require.NoError(tb, err)
		return priv, pub
	}
	s := []byte("an-unrelated-hs256-secret-0123456789")
	return s, s
}

func tokenUnder(tb testing.TB, p Profile, key []byte, opts ...IssuerOption) string {
	tb.Helper()
	iss, err := NewIssuer(p, key, append([]IssuerOption{WithClock(fixedClock(t0))}, opts...)...)
	require.NoError(tb, err)
	tok, err := iss.Token("u1")
	require.NoError(tb, err)
	return tok
}

// TestRotation: a Verifier whose current key is the new one and whose
// previous key is the old one accepts tokens under the old key and the new
// key and refuses one under an unrelated key, for every algorithm, and
// says which key verified.
func TestRotation(t *testing.T) {
	k := loadKeys(t)
	for _, p := range []Profile{Knock(), OneSignal("app"), StreamChat(), SuprSend("")} {
		oldSign, oldVerify := k.keyFor(p)
		newSign, newVerify := k.otherKeyFor(p)
		badSign, _ := unrelatedKey(t, p)
		v, err := NewVerifier(p, newVerify, WithClock(fixedClock(t0)), WithPreviousKeys(oldVerify))
		require.NoError(t, err, p.Name())

		res, err := v.verify(tokenUnder(t, p, oldSign))
		require.NoError(t, err, "%s: old key", p.Name())
		assert.Equal(t, "u1", res.claims.UserID)
		assert.Equal(t, 1, res.key)
		assert.Equal(t, "previous-1", v.keys()[res.key].label)

		res, err = v.verify(tokenUnder(t, p, newSign))
		require.NoError(t, err, "%s: new key", p.Name())
		assert.Equal(t, 0, res.key)

		_, err = v.Verify(tokenUnder(t, p, badSign))
		assert.ErrorIs(t, err, ErrBadSignature, "%s: unrelated key", p.Name())

		// Without the previous key the old tokens are refused.
		only, err := NewVerifier(p, newVerify, WithClock(fixedClock(t0)))
		require.NoError(t, err)
		_, err = only.Verify(tokenUnder(t, p, oldSign))
		assert.ErrorIs(t, err, ErrBadSignature, "%s: old key after rotation", p.Name())
	}
}

// TestRotationKeyIDs: with ids on the keys, a token's kid selects the key;
// a kid naming no key is ErrWrongClaims; a token without kid tries all.
func TestRotationKeyIDs(t *testing.T) {
	k := loadKeys(t)
	p := StreamChat()
	oldKey, newKey := k.secret, k.otherSecret
	v, err := NewVerifier(p, newKey, WithClock(fixedClock(t0)), WithKeyID("k2"), WithPreviousKey("k1", oldKey))
	require.NoError(t, err)

	res, err := v.verify(tokenUnder(t, p, oldKey, WithKeyID("k1")))
	require.NoError(t, err)
	assert.Equal(t, "kid:k1", v.keys()[res.key].label)
	res, err = v.verify(tokenUnder(t, p, newKey, WithKeyID("k2")))
	require.NoError(t, err)
	assert.Equal(t, 0, res.key)

	// The kid selects: the old key's token labelled with the new key's id
	// is tried under the new key only.
	_, err = v.Verify(tokenUnder(t, p, oldKey, WithKeyID("k2")))
	assert.ErrorIs(t, err, ErrBadSignature)
	_, err = v.Verify(tokenUnder(t, p, oldKey, WithKeyID("k3")))
	assert.ErrorIs(t, err, ErrWrongClaims, "unknown kid")
	_, err = v.Verify(signRaw(t, methodFor(p), oldKey, map[string]any{"kid": 7}, validClaims(p, "u1")))
	assert.ErrorIs(t, err, ErrWrongClaims, "kid not a string")

	// No kid: every key is tried.
	res, err = v.verify(tokenUnder(t, p, oldKey))
	require.NoError(t, err)
	assert.Equal(t, 1, res.key)

	// A verifier whose keys have no ids ignores kid, as before.
	plain, err := NewVerifier(p, newKey, WithClock(fixedClock(t0)), WithPreviousKeys(oldKey))
	require.NoError(t, err)
	_, err = plain.Verify(tokenUnder(t, p, oldKey, WithKeyID("anything")))
	assert.NoError(t, err)
}

// TestRotationZendesk: Zendesk's kid is the current key's id; the old key
// is given with its own kid.
func TestRotationZendesk(t *testing.T) {
	k := loadKeys(t)
	v, err := NewVerifier(Zendesk("app_new"), k.otherSecret, WithClock(fixedClock(t0)), WithPreviousKey("app_old", k.secret))
	require.NoError(t, err)
	res, err := v.verify(tokenUnder(t, Zendesk("app_old"), k.secret))
	require.NoError(t, err)
	assert.Equal(t, "kid:app_old", v.keys()[res.key].label)
	_, err = v.Verify(tokenUnder(t, Zendesk("app_new"), k.otherSecret))
	require.NoError(t, err)
	_, err = v.Verify(tokenUnder(t, Zendesk("app_other"), k.secret))
	assert.ErrorIs(t, err, ErrWrongClaims, "kid of no key")
	_, err = v.Verify(tokenUnder(t, Zendesk("app_new"), k.secret))
	assert.ErrorIs(t, err, ErrBadSignature, "old secret under the new kid")

	_, err = NewVerifier(Zendesk("app_new"), k.otherSecret, WithPreviousKeys(k.secret))
	assert.ErrorIs(t, err, ErrInvalidOption, "Zendesk previous keys need an id")
	_, err = NewVerifier(Zendesk("app_new"), k.otherSecret, WithKeyID("x"))
	assert.ErrorIs(t, err, ErrInvalidOption, "Zendesk's kid is the profile's")
}

// TestRotationOptionRules: previous keys meet the current key's policy,
// issuers refuse them, ids are unique and the number of keys is bounded.
func TestRotationOptionRules(t *testing.T) {
	k := loadKeys(t)
	cases := []struct {
		name string
		p    Profile
		key  []byte
		opt  VerifierOption
		want error
	}{
		{"weak RSA previous key", Knock(), k.rsaPub, WithPreviousKeys(k.weak1024), ErrWeakKey},
		{"e=3 previous key", Knock(), k.rsaPub, WithPreviousKeys(k.weakE3), ErrWeakKey},
		{"short HMAC previous secret", Intercom(), k.secret, WithPreviousKeys([]byte("short")), ErrWeakKey},
		{"PEM as previous HMAC secret", Intercom(), k.secret, WithPreviousKeys(k.rsaPub), ErrWrongKeyType},
		{"P-384 previous key", OneSignal("a"), k.p256Pub, WithPreviousKeys(k.p384Pub), ErrWrongKeyType},
		{"no key", Intercom(), k.secret, WithPreviousKeys(), ErrInvalidOption},
		{"empty kid", Intercom(), k.secret, WithPreviousKey("", k.otherSecret), ErrInvalidOption},
		{"kid with a space", Intercom(), k.secret, WithKeyID("a b"), ErrInvalidOption},
		{"too many keys", Intercom(), k.secret, WithPreviousKeys(k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret), ErrInvalidOption},
	}
	for _, c := range cases {
		_, err := NewVerifier(c.p, c.key, c.opt)
		assert.ErrorIs(t, err, c.want, c.name)
	}
	_, err := NewVerifier(Intercom(), k.secret, WithKeyID("k"), WithPreviousKey("k", k.otherSecret))
	assert.ErrorIs(t, err, ErrInvalidOption, "duplicate id")
	_, err = NewVerifier(Intercom(), k.secret, WithPreviousKeys(k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret, k.otherSecret))
	assert.NoError(t, err, "MaxKeys keys in all")

	for _, opt := range []VerifierOption{WithPreviousKeys(k.otherSecret), WithPreviousKey("k", k.otherSecret)} {
		_, isIssuerOption := opt.(IssuerOption)
		assert.False(t, isIssuerOption, "an issuer signs with one key: NewIssuer(p, k, opt) does not compile")
	}
}

// TestMiddlewareLogsPreviousKey: the operator learns which key verified;
// the client learns nothing.
func TestMiddlewareLogsPreviousKey(t *testing.T) {
	k := loadKeys(t)
	p := Knock()
	v, err := NewVerifier(p, k.otherPub, WithClock(fixedClock(t0)), WithPreviousKeys(k.rsaPub))
	require.NoError(t, err)
	var logs bytes.Buffer
	h := Middleware(v, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	for _, c := range []struct {
		key     []byte
		wantLog string
	}{{k.rsaPriv, "key=previous-1"}, {k.otherPriv, ""}} {
		logs.Reset()
		tok := tokenUnder(t, p, c.key)
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		assert.Equal(t, http.StatusNoContent, w.Code)
		assert.Empty(t, w.Header().Values("X-Key"), "nothing about keys in the answer")
		if c.wantLog == "" {
			assert.Empty(t, logs.String(), "the current key is not logged")
			continue
		}
		assert.Contains(t, logs.String(), "usertoken: token verified under a previous key")
		assert.Contains(t, logs.String(), c.wantLog)
		assert.NotContains(t, logs.String(), tok)
	}
}
