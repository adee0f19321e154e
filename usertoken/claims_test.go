package usertoken

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// TestTimeClaimRanges: nbf and iat, when present, are numbers in the range
// exp is held to; huge values that would wrap to a past time are refused,
// and an iat in the future beyond the leeway is not valid yet.
func TestTimeClaimRanges(t *testing.T) {
	k := loadKeys(t)
	for _, p := range []Profile{Intercom(), Knock(), OneSignal("app")} {
		sign := k.rawSigningKey(t, p)
		_, vk := k.keyFor(p)
		v, err := NewVerifier(p, vk, WithClock(fixedClock(t0)), WithLeeway(30*time.Second))
		require.NoError(t, err)
		base := validClaims(p, "u1")
		cases := []struct {
			name  string
			claim string
			value any
			want  error
		}{
			{"nbf 1e19 (wraps)", "nbf", 1e19, ErrWrongClaims},
			{"nbf 1e300", "nbf", 1e300, ErrWrongClaims},
			{"nbf after 9999", "nbf", float64(maxExp + 1), ErrWrongClaims},
			{"nbf negative", "nbf", -1, ErrWrongClaims},
			{"nbf zero", "nbf", 0, ErrWrongClaims},
			{"nbf string", "nbf", "1767225600", ErrWrongClaims},
			{"iat 1e19 (wraps)", "iat", 1e19, ErrWrongClaims},
			{"iat 1e300", "iat", 1e300, ErrWrongClaims},
			{"iat negative", "iat", -5, ErrWrongClaims},
			{"iat string", "iat", "now", ErrWrongClaims},
			{"exp 1e19", "exp", 1e19, ErrWrongClaims},
			{"exp 0", "exp", 0, ErrExpired},
			{"nbf in the future", "nbf", t0.Add(time.Minute).Unix(), ErrNotYetValid},
			{"iat in the future", "iat", t0.Add(time.Minute).Unix(), ErrNotYetValid},
			{"nbf within the leeway", "nbf", t0.Add(20 * time.Second).Unix(), nil},
			{"iat within the leeway", "iat", t0.Add(20 * time.Second).Unix(), nil},
			{"iat in the past", "iat", t0.Add(-time.Hour).Unix(), nil},
		}
		for _, c := range cases {
			tok := signRaw(t, methodFor(p), sign, validHeader(p), withClaim(base, c.claim, c.value))
			_, err := v.Verify(tok)
			if c.want == nil {
				assert.NoError(t, err, "%s: %s", p.Name(), c.name)
			} else {
				assert.ErrorIs(t, err, c.want, "%s: %s", p.Name(), c.name)
			}
		}
	}
}

// TestStreamChatOwnRecipe: tokens as stream-chat-go's CreateToken makes
// them, with no exp and no iat, and with each.
func TestStreamChatOwnRecipe(t *testing.T) {
	k := loadKeys(t)
	v, err := NewVerifier(StreamChat(), k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	for name, c := range map[string]map[string]any{
		"user_id only": {"user_id": "john"},
		"with exp":     {"user_id": "john", "exp": t0.Add(time.Hour).Unix()},
		"with iat":     {"user_id": "john", "iat": t0.Unix()},
	} {
		id, err := v.Verify(signRaw(t, methodFor(StreamChat()), k.secret, nil, c))
		require.NoError(t, err, name)
		assert.Equal(t, "john", id)
	}
	_, err = v.Verify(signRaw(t, methodFor(StreamChat()), k.secret, nil, map[string]any{"user_id": "john", "exp": t0.Add(-time.Second).Unix()}))
	assert.ErrorIs(t, err, ErrExpired)
}

// TestOneVocabulary: where a usertoken refusal means what a core refusal
// means, errors.Is holds for both.
func TestOneVocabulary(t *testing.T) {
	k := loadKeys(t)
	p := Intercom()
	v, err := NewVerifier(p, k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	expired := signRaw(t, methodFor(p), k.secret, nil, withClaim(validClaims(p, "u"), "exp", t0.Add(-time.Hour).Unix()))
	_, errExpired := v.Verify(expired)
	forged := signRaw(t, methodFor(p), k.otherSecret, nil, validClaims(p, "u"))
	_, errBadSig := v.Verify(forged)
	_, errMalformed := v.Verify("a.b")
	_, errOption := NewVerifier(p, k.secret, nil)
	_, errShort := NewVerifier(p, []byte("short"))
	_, errEmpty := NewIssuer(p, nil)
	iss, err := NewIssuer(p, k.secret)
	require.NoError(t, err)
	_, errNoID := iss.Token("")
	for _, c := range []struct {
		err        error
		mine, core error
	}{
		{errExpired, ErrExpired, usersig.ErrExpired},
		{errBadSig, ErrBadSignature, usersig.ErrInvalidSignature},
		{errMalformed, ErrMalformed, usersig.ErrMalformedSignature},
		{errOption, ErrInvalidOption, usersig.ErrInvalidOption},
		{errShort, ErrWeakKey, usersig.ErrWeakSecret},
		{errEmpty, ErrWeakKey, usersig.ErrEmptySecret},
		{errNoID, ErrInvalidUserID, usersig.ErrMissingIdentity},
	} {
		require.Error(t, c.err)
		assert.ErrorIs(t, c.err, c.mine)
		assert.ErrorIs(t, c.err, c.core, "%v", c.err)
		assert.NotContains(t, c.err.Error(), "usersig:", "the message stays usertoken's")
	}
	// Distinct meanings stay distinct.
	assert.False(t, errors.Is(errExpired, usersig.ErrInvalidSignature))
	assert.False(t, errors.Is(errBadSig, usersig.ErrExpired))
	_, errWeakRSA := NewVerifier(Knock(), k.weak1024)
	assert.ErrorIs(t, errWeakRSA, ErrWeakKey)
	assert.False(t, errors.Is(errWeakRSA, usersig.ErrWeakSecret), "an RSA modulus is not a secret")
}

// TestMiddlewareErrorHandlerAndClaims: the error handler gets a typed
// error; the handler gets a private copy of the verified claims.
func TestMiddlewareErrorHandlerAndClaims(t *testing.T) {
	k := loadKeys(t)
	p := OneSignal("app-1")
	iss, err := NewIssuer(p, k.p256Priv, WithClock(fixedClock(t0)),
		WithClaims(map[string]any{"subscriptions": []any{map[string]any{"type": "Email", "token": "a@example.com"}}}))
	require.NoError(t, err)
	v, err := NewVerifier(p, k.p256Pub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	tok, err := iss.Token("ext-1")
	require.NoError(t, err)

	var gotErr error
	var gotClaims map[string]any
	h := Middleware(v, WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		gotErr = err
		w.WriteHeader(http.StatusTeapot)
	}))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := PayloadFromContext(r.Context())
		require.True(t, ok)
		c["identity"].(map[string]any)["external_id"] = "mallory"
		gotClaims, _ = PayloadFromContext(r.Context())
		typed, ok := ClaimsFromContext(r.Context())
		require.True(t, ok)
		assert.Equal(t, "ext-1", typed.UserID)
		assert.Equal(t, t0.Add(time.Hour), typed.ExpiresAt.UTC())
		id, _ := UserIDFromContext(r.Context())
		assert.Equal(t, "ext-1", id)
	}))
	do := func(hdr string) int {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if hdr != "" {
			r.Header.Set("Authorization", hdr)
		}
		w := httptest.NewRecorder()
		gotErr = nil
		h.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, http.StatusOK, do("Bearer "+tok))
	assert.Equal(t, "ext-1", gotClaims["identity"].(map[string]any)["external_id"], "claims are copied deeply")
	assert.Equal(t, "app-1", gotClaims["iss"])
	assert.Equal(t, float64(t0.Add(time.Hour).Unix()), gotClaims["exp"])
	assert.Len(t, gotClaims["subscriptions"], 1)

	assert.Equal(t, http.StatusTeapot, do(""))
	assert.ErrorIs(t, gotErr, ErrNoToken)
	assert.ErrorIs(t, gotErr, sighttp.ErrNoSignature)
	assert.Equal(t, http.StatusTeapot, do("Basic x"))
	assert.ErrorIs(t, gotErr, ErrMalformed)
	assert.ErrorIs(t, gotErr, sighttp.ErrMalformedCredential)
	assert.Equal(t, http.StatusTeapot, do("Bearer "+tok[:len(tok)-4]+"AAAA"))
	assert.ErrorIs(t, gotErr, ErrBadSignature)

	_, ok := ClaimsFromContext(context.Background())
	assert.False(t, ok)
}
