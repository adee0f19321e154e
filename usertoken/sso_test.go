package usertoken

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// usertourKey is a key in Usertour's form: the whole "utv_…" text is the
// HS256 key.
var usertourKey = []byte("utv_TEST_ONLY_0123456789abcdefghijklmnop")

// ssoPair is an Issuer and Verifier for p under key at t0.
func ssoPair(t *testing.T, p Profile, key []byte, vopts ...VerifierOption) (*Issuer, *Verifier) {
	t.Helper()
	iss, err := NewIssuer(p, key, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	v, err := NewVerifier(p, key, append([]VerifierOption{WithClock(fixedClock(t0))}, vopts...)...)
	require.NoError(t, err)
	return iss, v
}

// TestSSOProfilesRoundTrip: each profile's fields go out under the
// vendor's claim names and come back typed.
func TestSSOProfilesRoundTrip(t *testing.T) {
	k := loadKeys(t)
	cases := []struct {
		p      Profile
		key    []byte
		in     Claims
		claims map[string]any // the payload, without exp/iat
		iat    bool
	}{
		{Nolt(), k.secret,
			Claims{UserID: "42", Email: "ada@example.com", Name: "Ada", ImageURL: "https://example.com/a.png", Role: "MODERATOR"},
			map[string]any{"id": "42", "email": "ada@example.com", "name": "Ada", "imageUrl": "https://example.com/a.png", "noltUserRole": "MODERATOR"}, true},
		{UserVoice(), k.secret,
			Claims{UserID: "u-7", Email: "ada@example.com", Name: "Ada L."},
			map[string]any{"guid": "u-7", "email": "ada@example.com", "display_name": "Ada L."}, false},
		{Usertour(), usertourKey,
			Claims{UserID: "12345678901234567890", CompanyID: "98765432109876543210"},
			map[string]any{"sub": "12345678901234567890", "companyId": "98765432109876543210"}, false},
		{Userback(), k.secret,
			Claims{UserID: "james@example.com", Name: "James White", ImageURL: "https://www.example.com/avatar.jpg"},
			map[string]any{"email": "james@example.com", "name": "James White", "avatar_url": "https://www.example.com/avatar.jpg"}, true},
	}
	for _, c := range cases {
		iss, v := ssoPair(t, c.p, c.key)
		tok, err := iss.Issue(c.in)
		require.NoError(t, err, c.p.Name())
		hdr, payload := segments(t, tok)
		assert.Equal(t, map[string]any{"alg": "HS256", "typ": "JWT"}, hdr)
		want := map[string]any{"exp": float64(t0.Add(DefaultTTL).Unix())}
		if c.iat {
			want["iat"] = float64(t0.Unix())
		}
		for name, val := range c.claims {
			want[name] = val
		}
		assert.Equal(t, want, payload, c.p.Name())

		got, err := v.VerifyClaims(tok)
		require.NoError(t, err, c.p.Name())
		wantClaims := c.in
		wantClaims.ExpiresAt = t0.Add(DefaultTTL)
		if c.iat {
			wantClaims.IssuedAt = t0
		}
		if c.p.Name() == "userback" {
			wantClaims.Email = c.in.UserID
		}
		assert.Equal(t, wantClaims, got, c.p.Name())
	}
}

// TestSSOIssueRules: what a vendor requires, allows or does not carry.
func TestSSOIssueRules(t *testing.T) {
	k := loadKeys(t)
	nolt, _ := ssoPair(t, Nolt(), k.secret)
	_, err := nolt.Token("42")
	assert.ErrorIs(t, err, ErrInvalidClaims, "Nolt needs email and name")
	_, err = nolt.Issue(Claims{UserID: "42", Email: "a@example.com"})
	assert.ErrorIs(t, err, ErrInvalidClaims, "Nolt needs name")
	_, err = nolt.Issue(Claims{UserID: "42", Email: "a@example.com", Name: "A", Role: "OWNER"})
	assert.ErrorIs(t, err, ErrInvalidClaims, "Nolt roles are ADMIN and MODERATOR")
	_, err = nolt.Issue(Claims{UserID: "42", Email: "a@example.com", Name: "A", CompanyID: "c"})
	assert.ErrorIs(t, err, ErrInvalidClaims, "Nolt carries no company")
	_, err = nolt.Issue(Claims{UserID: "42", Email: "a@example.com", Name: "A\n"})
	assert.ErrorIs(t, err, ErrInvalidClaims, "control character")
	_, err = nolt.Issue(Claims{UserID: "42", Email: "a@example.com", Name: strings.Repeat("a", MaxFieldLen+1)})
	assert.ErrorIs(t, err, ErrInvalidClaims, "oversized")
	_, err = nolt.Issue(Claims{Email: "a@example.com", Name: "A"})
	assert.ErrorIs(t, err, ErrInvalidUserID)

	uv, _ := ssoPair(t, UserVoice(), k.secret)
	_, err = uv.Token("u-7")
	assert.ErrorIs(t, err, ErrInvalidClaims, "UserVoice needs email")

	ut, _ := ssoPair(t, Usertour(), usertourKey)
	_, err = ut.Token("42")
	assert.NoError(t, err, "Usertour needs the user id alone")
	_, err = ut.Issue(Claims{UserID: "42", Email: "a@example.com"})
	assert.ErrorIs(t, err, ErrInvalidClaims, "Usertour carries no email")

	ub, _ := ssoPair(t, Userback(), k.secret)
	_, err = ub.Issue(Claims{UserID: "a@example.com", Email: "a@example.com"})
	assert.NoError(t, err, "Userback: Email may repeat the user id")
	_, err = ub.Issue(Claims{UserID: "a@example.com", Email: "b@example.com"})
	assert.ErrorIs(t, err, ErrInvalidClaims, "Userback: the email is the user id")

	// WithClaims cannot set what the profile owns.
	for _, c := range []struct {
		p     Profile
		names []string
	}{
		{Nolt(), []string{"id", "email", "name", "imageUrl", "noltUserRole"}}, {UserVoice(), []string{"guid", "email", "display_name", "expires"}},
		{Usertour(), []string{"sub", "companyId"}}, {Userback(), []string{"email", "name", "avatar_url"}},
	} {
		p := c.p
		for _, n := range c.names {
			_, err := NewIssuer(p, k.secret, WithClaims(map[string]any{n: "x"}))
			assert.ErrorIs(t, err, ErrInvalidOption, "%s %s", p.Name(), n)
		}
	}
}

// TestSSOVerifyRules: tokens the vendors' recipes could make, and ones
// they must not accept.
func TestSSOVerifyRules(t *testing.T) {
	k := loadKeys(t)
	hs := jwt.SigningMethodHS256
	exp := t0.Add(time.Hour).Unix()
	cases := []struct {
		name   string
		p      Profile
		key    []byte
		claims map[string]any
		want   error
	}{
		{"nolt recipe (iat, no exp)", Nolt(), k.secret, map[string]any{"id": "42", "email": "a@example.com", "name": "A", "iat": t0.Unix()}, nil},
		{"nolt numeric id", Nolt(), k.secret, map[string]any{"id": 42, "email": "a@example.com", "name": "A"}, ErrWrongClaims},
		{"nolt without name", Nolt(), k.secret, map[string]any{"id": "42", "email": "a@example.com"}, ErrWrongClaims},
		{"nolt empty email", Nolt(), k.secret, map[string]any{"id": "42", "email": "", "name": "A"}, ErrWrongClaims},
		{"nolt email a number", Nolt(), k.secret, map[string]any{"id": "42", "email": 1, "name": "A"}, ErrWrongClaims},
		{"nolt role OWNER", Nolt(), k.secret, map[string]any{"id": "42", "email": "a@example.com", "name": "A", "noltUserRole": "OWNER"}, ErrWrongClaims},
		{"nolt role admin (case)", Nolt(), k.secret, map[string]any{"id": "42", "email": "a@example.com", "name": "A", "noltUserRole": "admin"}, ErrWrongClaims},
		{"nolt role ADMIN", Nolt(), k.secret, map[string]any{"id": "42", "email": "a@example.com", "name": "A", "noltUserRole": "ADMIN"}, nil},
		{"nolt custom attribute", Nolt(), k.secret, map[string]any{"id": "42", "email": "a@example.com", "name": "A", "title": 7}, nil},
		{"nolt expired", Nolt(), k.secret, map[string]any{"id": "42", "email": "a@example.com", "name": "A", "exp": t0.Unix() - 1}, ErrExpired},

		{"uservoice recipe (no expiry)", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "a@example.com", "display_name": "A"}, nil},
		{"uservoice without email", UserVoice(), k.secret, map[string]any{"guid": "u"}, ErrWrongClaims},
		{"uservoice email as guid is still a guid", UserVoice(), k.secret, map[string]any{"guid": "a@example.com", "email": "a@example.com"}, nil},
		{"uservoice expires ahead", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "expires": "2026-01-01 00:00:01"}, nil},
		{"uservoice expires now", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "expires": "2026-01-01 00:00:00"}, ErrExpired},
		{"uservoice expires one-digit hour", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "expires": "2026-01-01 1:00:00"}, ErrWrongClaims},
		{"uservoice expires ISO", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "expires": "2026-01-01T01:00:00Z"}, ErrWrongClaims},
		{"uservoice expires never", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "expires": "never"}, ErrWrongClaims},
		{"uservoice expires a number", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "expires": exp}, ErrWrongClaims},
		{"uservoice expires Feb 30", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "expires": "2026-02-30 00:00:00"}, ErrWrongClaims},
		{"uservoice exp ahead, expires past", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "exp": exp, "expires": "2025-12-31 23:59:59"}, ErrExpired},
		{"uservoice exp past, expires ahead", UserVoice(), k.secret, map[string]any{"guid": "u", "email": "e", "exp": t0.Unix() - 1, "expires": "2026-06-01 00:00:00"}, ErrExpired},

		{"usertour recipe (iat, no exp)", Usertour(), usertourKey, map[string]any{"sub": "42", "companyId": "7", "iat": t0.Unix()}, nil},
		{"usertour go recipe (sub alone)", Usertour(), usertourKey, map[string]any{"sub": "42"}, nil},
		{"usertour numeric sub", Usertour(), usertourKey, map[string]any{"sub": 42}, ErrWrongClaims},
		{"usertour numeric companyId", Usertour(), usertourKey, map[string]any{"sub": "42", "companyId": 7}, ErrWrongClaims},
		{"usertour expired", Usertour(), usertourKey, map[string]any{"sub": "42", "exp": t0.Unix()}, ErrExpired},
		// Names match exactly, as JSON.parse reads them: "Sub" is not sub.
		{"usertour Sub for sub", Usertour(), usertourKey, map[string]any{"Sub": "42"}, ErrWrongClaims},
		{"usertour long-s sub", Usertour(), usertourKey, map[string]any{"ſub": "42"}, ErrWrongClaims},
		{"usertour EXP is not exp", Usertour(), usertourKey, map[string]any{"sub": "42", "EXP": t0.Unix() - 10}, nil},

		{"userback recipe", Userback(), k.secret, map[string]any{"email": "j@example.com", "name": "J", "avatar_url": "https://x/a.jpg", "iat": t0.Unix()}, nil},
		{"userback without email", Userback(), k.secret, map[string]any{"name": "J"}, ErrWrongClaims},
		{"userback avatar_url a number", Userback(), k.secret, map[string]any{"email": "j@example.com", "avatar_url": 1}, ErrWrongClaims},
	}
	for _, c := range cases {
		v, err := NewVerifier(c.p, c.key, WithClock(fixedClock(t0)))
		require.NoError(t, err)
		_, err = v.Verify(signRaw(t, hs, c.key, nil, c.claims))
		if c.want == nil {
			assert.NoError(t, err, c.name)
		} else {
			assert.ErrorIs(t, err, c.want, c.name)
		}
	}
}

// TestExactClaimNames: names are matched exactly, as the
// vendors' decoders read them: "EMAIL" is not email, "SUB" is not sub.
func TestExactClaimNames(t *testing.T) {
	k := loadKeys(t)
	v, err := NewVerifier(Intercom(), k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	c, err := v.VerifyClaims(signRaw(t, jwt.SigningMethodHS256, k.secret, nil, map[string]any{"user_id": "42", "email": "a@example.com", "name": "Ada"}))
	require.NoError(t, err)
	assert.Equal(t, Claims{UserID: "42", Email: "a@example.com", Name: "Ada"}, c)
	c, err = v.VerifyClaims(signRaw(t, jwt.SigningMethodHS256, k.secret, nil, map[string]any{"user_id": "42", "EMAIL": "a@example.com", "Name": "Ada"}))
	require.NoError(t, err)
	assert.Equal(t, Claims{UserID: "42"}, c, "EMAIL is not email")
	c, err = v.VerifyClaims(signRaw(t, jwt.SigningMethodHS256, k.secret, nil, map[string]any{"user_id": "42", "USER_ID": "admin", "user_İd": "admin"}))
	require.NoError(t, err)
	assert.Equal(t, "42", c.UserID, "USER_ID is not user_id")
	// An escaped name is the name it spells, as in JSON.parse.
	parts := strings.Split(signRaw(t, jwt.SigningMethodHS256, k.secret, nil, map[string]any{"user_id": "x"}), ".")
	escaped := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"user\u005fid":"42"}`))
	sig, err := jwt.SigningMethodHS256.Sign(escaped, k.secret)
	require.NoError(t, err)
	id, err := v.Verify(escaped + "." + base64.RawURLEncoding.EncodeToString(sig))
	require.NoError(t, err)
	assert.Equal(t, "42", id)
	_, err = v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, nil, map[string]any{"User_ID": "42"}))
	assert.ErrorIs(t, err, ErrWrongClaims)

	// Nested names too: OneSignal's identity.external_id.
	os := OneSignal("app")
	ov, err := NewVerifier(os, k.p256Pub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	claims := validClaims(os, "x")
	claims["identity"] = map[string]any{"External_ID": "victim"}
	_, err = ov.Verify(signRaw(t, methodFor(os), k.rawSigningKey(t, os), nil, claims))
	assert.ErrorIs(t, err, ErrWrongClaims)
}

// TestHeaderRules: "kid":"" names no key; header names are exact.
func TestHeaderRules(t *testing.T) {
	k := loadKeys(t)
	hs := jwt.SigningMethodHS256
	claims := validClaims(Intercom(), "u")

	// Keys with ids: a token with kid "" is tried under every key, as one
	// without kid is, and selects no key by the empty id.
	v, err := NewVerifier(Intercom(), k.secret, WithClock(fixedClock(t0)), WithKeyID("k-new"), WithPreviousKeys(k.otherSecret))
	require.NoError(t, err)
	for _, key := range [][]byte{k.secret, k.otherSecret} {
		res, err := v.verify(signRaw(t, hs, key, map[string]any{"kid": ""}, claims))
		require.NoError(t, err)
		want := 0
		if bytes.Equal(key, k.otherSecret) {
			want = 1
		}
		assert.Equal(t, want, res.key)
	}
	// Keys without ids ignore kid, "" and non-strings included.
	plain, err := NewVerifier(Intercom(), k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	for _, kid := range []any{"", "k-new", 7, nil} {
		_, err = plain.Verify(signRaw(t, hs, k.secret, map[string]any{"kid": kid}, claims))
		assert.NoError(t, err, "%v", kid)
	}
	// Keys with ids read it: a kid that is not a string names no key.
	_, err = v.Verify(signRaw(t, hs, k.secret, map[string]any{"kid": 7}, claims))
	assert.ErrorIs(t, err, ErrWrongClaims)
	// Zendesk needs a kid: "" is none.
	zd := Zendesk("app_kid")
	zv, err := NewVerifier(zd, k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	_, err = zv.Verify(signRaw(t, hs, k.secret, map[string]any{"kid": ""}, validClaims(zd, "u")))
	assert.ErrorIs(t, err, ErrWrongClaims)
	_, err = zv.Verify(signRaw(t, hs, k.secret, map[string]any{"kid": 7}, validClaims(zd, "u")))
	assert.ErrorIs(t, err, ErrWrongClaims)

	// Header names match exactly: "ALG" is no alg, "CRIT" no crit.
	tok := signRaw(t, hs, k.secret, nil, claims)
	parts := strings.Split(tok, ".")
	for h, want := range map[string]error{
		`{"ALG":"HS256"}`:                 ErrBadSignature,
		`{"alg":"none","Alg":"HS256"}`:    ErrBadSignature,
		`{"alg":"HS256","CRIT":["exp"]}`:  nil,
		`{"alg":"HS256","crit":["exp"]}`:  ErrWrongClaims,
		`{"alg":"HS256","alg":"HS256"}`:   nil,
		`{"alg":"HS256","KID":"x"}`:       nil,
		`null`:                            ErrMalformed,
		`[]`:                              ErrMalformed,
		`{"alg":"HS256"} {"alg":"HS256"}`: ErrMalformed,
		`{"alg":"HS256",}`:                ErrMalformed,
	} {
		forged := base64.RawURLEncoding.EncodeToString([]byte(h)) + "." + parts[1]
		sig, err := hs.Sign(forged, k.secret)
		require.NoError(t, err)
		_, err = plain.Verify(forged + "." + base64.RawURLEncoding.EncodeToString(sig))
		if want == nil {
			assert.NoError(t, err, h)
		} else {
			assert.ErrorIs(t, err, want, h)
		}
	}
	// The plain header takes the fast path and the general one alike.
	_, err = plain.Verify(tok)
	assert.NoError(t, err)
	reordered := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`)) + "." + parts[1]
	sig, err := hs.Sign(reordered, k.secret)
	require.NoError(t, err)
	_, err = plain.Verify(reordered + "." + base64.RawURLEncoding.EncodeToString(sig))
	assert.NoError(t, err)
}

// TestMiddlewareVerifierLookup: one middleware, a Verifier per tenant.
func TestMiddlewareVerifierLookup(t *testing.T) {
	k := loadKeys(t)
	issA, vA := ssoPair(t, Usertour(), usertourKey)
	issB, vB := ssoPair(t, Intercom(), k.secret)
	dbDown := errors.New("tenant store unreachable")
	lookup := func(r *http.Request) (*Verifier, error) {
		switch r.Header.Get("X-Tenant") {
		case "a":
			return vA, nil
		case "b":
			return vB, nil
		case "down":
			return nil, dbDown
		case "nil":
			return nil, nil
		case "gone":
			return nil, sighttp.ErrUnknownSigner
		}
		return nil, ErrUnknownVerifier
	}
	var logs bytes.Buffer
	var seen []error
	h := Middleware(nil, WithVerifierLookup(lookup), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			seen = append(seen, err)
			w.WriteHeader(http.StatusUnauthorized)
		}))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := ClaimsFromContext(r.Context())
		w.Header().Set("X-User", c.UserID)
		w.WriteHeader(http.StatusNoContent)
	}))
	do := func(tenant, tok string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("X-Tenant", tenant)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	tokA, err := issA.Token("alice")
	require.NoError(t, err)
	tokB, err := issB.Token("bob")
	require.NoError(t, err)
	w := do("a", tokA)
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Equal(t, "alice", w.Header().Get("X-User"))
	w = do("b", tokB)
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Equal(t, "bob", w.Header().Get("X-User"))
	assert.Equal(t, http.StatusUnauthorized, do("a", tokB).Code, "another tenant's token")
	for _, tenant := range []string{"zzz", "nil", "gone", "down"} {
		assert.Equal(t, http.StatusUnauthorized, do(tenant, tokA).Code, tenant)
	}
	require.Len(t, seen, 5)
	assert.ErrorIs(t, seen[1], ErrUnknownVerifier)
	assert.ErrorIs(t, seen[1], sighttp.ErrUnknownSigner, "one check covers both middlewares")
	assert.ErrorIs(t, seen[2], ErrUnknownVerifier, "a nil Verifier is unknown")
	assert.ErrorIs(t, seen[3], sighttp.ErrUnknownSigner)
	assert.ErrorIs(t, seen[4], dbDown)
	assert.NotErrorIs(t, seen[4], sighttp.ErrUnknownSigner)
	out := logs.String()
	assert.Equal(t, 3, strings.Count(out, "reason=unknown-signer"), out)
	assert.Equal(t, 1, strings.Count(out, "reason=error"), out)
	assert.Equal(t, 1, strings.Count(out, "reason=invalid profile=usertour"), out)
	assert.NotContains(t, out, tokA)

	assert.Panics(t, func() { Middleware(nil) }, "no Verifier and no lookup")
	assert.Panics(t, func() { WithVerifierLookup(nil) })

	// Default answer: 401 for an unknown tenant.
	def := Middleware(nil, WithVerifierLookup(lookup))(http.NotFoundHandler())
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	def.ServeHTTP(rec, r)
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.JSONEq(t, `{"error":"unauthorized"}`, rec.Body.String())
}

// TestHS256UsesCoreEngine: the HS256 key is a usersig.Signer, the core's
// engine, and it agrees with golang-jwt's crypto/hmac signature.
func TestHS256UsesCoreEngine(t *testing.T) {
	k := loadKeys(t)
	_, v := ssoPair(t, Usertour(), usertourKey)
	s, ok := v.keys()[0].key.(*usersig.Signer)
	require.True(t, ok)
	tok := signRaw(t, jwt.SigningMethodHS256, usertourKey, nil, map[string]any{"sub": "42"})
	parts := strings.Split(tok, ".")
	require.NoError(t, s.Verify(usersig.Identity{UserID: parts[0] + "." + parts[1]}, parts[2]))
	assert.NotContains(t, v.String(), string(usertourKey))
	_ = k
}

// TestWireNameIndex: the switch forms agree with wireNames.
func TestWireNameIndex(t *testing.T) {
	for i, n := range wireNames {
		assert.Equal(t, i, wireIndex(n), n)
	}
	wt := reflect.TypeFor[wireClaims]()
	require.Equal(t, len(wireNames), wt.NumField())
	for i := range wt.NumField() {
		assert.Equal(t, wireNames[i], wt.Field(i).Tag.Get("json"), wt.Field(i).Name)
	}
	assert.Equal(t, -1, wireIndex("Sub"))
	assert.Equal(t, -1, wireIndex("imageurl"))
}

// TestNullOptionalFields: an optional field signed as JSON null (Nolt's
// snippet with a user without avatar) is absent; a required one is not
// there.
func TestNullOptionalFields(t *testing.T) {
	k := loadKeys(t)
	v, err := NewVerifier(Nolt(), k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	c, err := v.VerifyClaims(signRaw(t, jwt.SigningMethodHS256, k.secret, nil,
		map[string]any{"id": "42", "email": "a@example.com", "name": "A", "imageUrl": nil, "noltUserRole": nil}))
	require.NoError(t, err)
	assert.Equal(t, Claims{UserID: "42", Email: "a@example.com", Name: "A"}, c)
	_, err = v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, nil, map[string]any{"id": "42", "email": nil, "name": "A"}))
	assert.ErrorIs(t, err, ErrWrongClaims)
	_, err = v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, nil, map[string]any{"id": nil, "email": "a@example.com", "name": "A"}))
	assert.ErrorIs(t, err, ErrWrongClaims)
}

type parentKey struct{}

// TestMiddlewareContext: the handler's context is the request's, plus
// the verified claims: its values, deadline and cancellation pass through.
func TestMiddlewareContext(t *testing.T) {
	iss, v := ssoPair(t, Usertour(), usertourKey)
	tok, err := iss.Token("42")
	require.NoError(t, err)
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), parentKey{}, "kept"))
	h := Middleware(v)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		assert.Equal(t, "kept", ctx.Value(parentKey{}))
		id, ok := UserIDFromContext(ctx)
		assert.True(t, ok)
		assert.Equal(t, "42", id)
		child, stop := context.WithCancel(ctx)
		defer stop()
		cancel()
		select {
		case <-child.Done():
		case <-time.After(5 * time.Second):
			t.Error("cancelling the request's context did not reach the handler's")
		}
		assert.ErrorIs(t, ctx.Err(), context.Canceled)
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(parent)
	r.Header.Set("Authorization", "Bearer "+tok)
	h.ServeHTTP(httptest.NewRecorder(), r)
}
