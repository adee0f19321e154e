package usertoken

import (
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoundTripAllProfiles(t *testing.T) {
	k := loadKeys(t)
	for _, p := range allProfiles() {
		sk, vk := k.keyFor(p)
		iss, err := NewIssuer(p, sk, WithClock(fixedClock(t0)))
		require.NoError(t, err, p.Name())
		v, err := NewVerifier(p, vk, WithClock(fixedClock(t0.Add(59*time.Minute))))
		require.NoError(t, err, p.Name())
		assert.Equal(t, p, v.Profile())
		for _, id := range []string{"alice", "Jörg.Müller@example.com", "tenant:42", "user:nested", "a b"} {
			tok, err := iss.Token(id)
			require.NoError(t, err)
			got, err := v.Verify(tok)
			require.NoError(t, err, "%s %q", p.Name(), id)
			assert.Equal(t, id, got, p.Name())
		}
	}
}

func TestVerifyExpiryAndLeeway(t *testing.T) {
	k := loadKeys(t)
	iss, err := NewIssuer(Engagespot(testAPIKey), k.rsaPriv, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	tok, err := iss.Token("u")
	require.NoError(t, err)
	exp := t0.Add(time.Hour)

	at := func(now time.Time, opts ...VerifierOption) error {
		v, err := NewVerifier(Engagespot(testAPIKey), k.rsaPub, append([]VerifierOption{WithClock(fixedClock(now))}, opts...)...)
		require.NoError(t, err)
		_, err = v.Verify(tok)
		return err
	}
	assert.NoError(t, at(exp.Add(-time.Second)))
	assert.ErrorIs(t, at(exp), ErrExpired) // exp is exclusive
	assert.ErrorIs(t, at(exp.Add(time.Hour)), ErrExpired)
	assert.NoError(t, at(exp.Add(20*time.Second), WithLeeway(30*time.Second)))
	assert.ErrorIs(t, at(exp.Add(31*time.Second), WithLeeway(30*time.Second)), ErrExpired)

	// The default clock is the real one: a 2026 token is not expired
	// "now" only if now < exp; use an old token instead.
	old, err := NewIssuer(Knock(), k.rsaPriv, WithClock(fixedClock(time.Unix(1_000_000_000, 0))))
	require.NoError(t, err)
	oldTok, err := old.Token("u")
	require.NoError(t, err)
	v, err := NewVerifier(Knock(), k.rsaPub)
	require.NoError(t, err)
	_, err = v.Verify(oldTok)
	assert.ErrorIs(t, err, ErrExpired)
}

// TestForgeries: each forged or damaged token is refused with the right
// sentinel.
func TestForgeries(t *testing.T) {
	k := loadKeys(t)
	es := Engagespot(testAPIKey)
	priv := k.rawSigningKey(t, es)
	otherPriv, err := parseRSAPrivateKey(k.otherPriv)
	require.NoError(t, err)
	v, err := NewVerifier(es, k.rsaPub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	good := signRaw(t, jwt.SigningMethodRS256, priv, nil, validClaims(es, "victim"))
	id, err := v.Verify(good)
	require.NoError(t, err)
	require.Equal(t, "victim", id)

	noneTok, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims(validClaims(es, "victim"))).
		SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)

	with := func(mod func(map[string]any)) map[string]any {
		c := validClaims(es, "victim")
		mod(c)
		return c
	}
	parts := strings.Split(good, ".")
	tamperedPayload := base64.RawURLEncoding.EncodeToString(
		[]byte(`{"apiKey":"` + testAPIKey + `","exp":1767229200,"iat":1767225600,"sub":"user:admin"}`))

	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"alg none", noneTok, ErrBadSignature},
		{"alg none with good signature kept", strings.Split(noneTok, ".")[0] + "." + parts[1] + "." + parts[2], ErrBadSignature},
		{"HS256 keyed with the RSA public key PEM (alg confusion)",
			signRaw(t, jwt.SigningMethodHS256, k.rsaPub, nil, validClaims(es, "victim")), ErrBadSignature},
		{"HS256 keyed with the PKCS#1 public PEM",
			signRaw(t, jwt.SigningMethodHS256, k.rsaPubPKCS1, nil, validClaims(es, "victim")), ErrBadSignature},
		{"RS384 with the right key", signRaw(t, jwt.SigningMethodRS384, priv, nil, validClaims(es, "victim")), ErrBadSignature},
		{"PS256 with the right key", signRaw(t, jwt.SigningMethodPS256, priv, nil, validClaims(es, "victim")), ErrBadSignature},
		{"another key", signRaw(t, jwt.SigningMethodRS256, otherPriv, nil, validClaims(es, "victim")), ErrBadSignature},
		{"tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2], ErrBadSignature},
		{"tampered header", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT","x":1}`)) + "." + parts[1] + "." + parts[2], ErrBadSignature},
		{"signature one byte short", parts[0] + "." + parts[1] + "." + truncSig(t, parts[2]), ErrBadSignature},
		{"empty signature", parts[0] + "." + parts[1] + ".", ErrBadSignature},
		{"expired", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) {
			c["exp"] = t0.Add(-time.Second).Unix()
		})), ErrExpired},
		{"not yet valid", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) {
			c["nbf"] = t0.Add(time.Minute).Unix()
		})), ErrNotYetValid},
		{"missing exp", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { delete(c, "exp") })), ErrWrongClaims},
		{"exp as string", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { c["exp"] = "1767229200" })), ErrWrongClaims},
		{"missing iat", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { delete(c, "iat") })), ErrWrongClaims},
		{"wrong apiKey", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { c["apiKey"] = "OTHER_APP" })), ErrWrongClaims},
		{"missing apiKey", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { delete(c, "apiKey") })), ErrWrongClaims},
		{"sub without user: prefix", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { c["sub"] = "victim" })), ErrWrongClaims},
		{"sub with upper-case prefix", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { c["sub"] = "USER:victim" })), ErrWrongClaims},
		{"sub is only the prefix", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { c["sub"] = "user:" })), ErrWrongClaims},
		{"sub not a string", signRaw(t, jwt.SigningMethodRS256, priv, nil, with(func(c map[string]any) { c["sub"] = 42 })), ErrWrongClaims},
		{"crit header", signRaw(t, jwt.SigningMethodRS256, priv, map[string]any{"crit": []string{"exp"}}, validClaims(es, "victim")), ErrWrongClaims},
		{"1 MiB token", parts[0] + "." + strings.Repeat("A", 1<<20) + "." + parts[2], ErrTokenTooLarge},
		{"just over the limit", strings.Repeat("a", MaxTokenSize+1), ErrTokenTooLarge},
		{"empty", "", ErrMalformed},
		{"two segments", parts[0] + "." + parts[1], ErrMalformed},
		{"four segments", good + ".x", ErrMalformed},
		{"Bearer prefix left in", "Bearer " + good, ErrMalformed},
		{"padded signature", good + "==", ErrMalformed},
		{"standard base64 alphabet", parts[0] + "." + parts[1] + "." + strings.NewReplacer("-", "+", "_", "/").Replace(parts[2]) + "+", ErrMalformed},
		{"whitespace inside", parts[0] + ". " + parts[1] + "." + parts[2], ErrMalformed},
		{"header not JSON", base64.RawURLEncoding.EncodeToString([]byte("nope")) + "." + parts[1] + "." + parts[2], ErrMalformed},
		// The payload is decoded only after the signature verified: an
		// unparseable payload under a signature that does not cover it
		// is a bad signature, and under one that does, malformed.
		{"payload not JSON", parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + "." + parts[2], ErrBadSignature},
		{"payload not JSON, signed", signedPayload(t, priv, parts[0], []byte("nope")), ErrMalformed},
		{"payload null, signed", signedPayload(t, priv, parts[0], []byte("null")), ErrMalformed},
		{"payload an array, signed", signedPayload(t, priv, parts[0], []byte(`[{"sub":"user:victim"}]`)), ErrMalformed},
		{"missing alg", base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT"}`)) + "." + parts[1] + "." + parts[2], ErrBadSignature},
		{"unknown alg", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"XS256"}`)) + "." + parts[1] + "." + parts[2], ErrBadSignature},
	}
	for _, c := range cases {
		id, err := v.Verify(c.token)
		assert.ErrorIs(t, err, c.want, c.name)
		assert.Empty(t, id, c.name)
		if err != nil && len(c.token) > 30 {
			assert.NotContains(t, err.Error(), c.token[len(c.token)-20:], c.name)
		}
	}
	// Non-canonical trailing bits in the signature (golang-jwt's "tweaked
	// signature"): the last base64url character of a 256-byte signature
	// carries 4 unused bits.
	sig := parts[2]
	last := sig[len(sig)-1]
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	idx := strings.IndexByte(alphabet, last)
	tweaked := sig[:len(sig)-1] + string(alphabet[idx^1])
	_, err = v.Verify(parts[0] + "." + parts[1] + "." + tweaked)
	assert.ErrorIs(t, err, ErrMalformed, "non-canonical base64 (strict decoding)")
}

func TestZendeskHeaderAndScope(t *testing.T) {
	k := loadKeys(t)
	p := Zendesk("app_kid")
	v, err := NewVerifier(p, k.secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	good := signRaw(t, jwt.SigningMethodHS256, k.secret, map[string]any{"kid": "app_kid"}, validClaims(p, "z1"))
	id, err := v.Verify(good)
	require.NoError(t, err)
	assert.Equal(t, "z1", id)

	claims := func(mod func(map[string]any)) map[string]any { c := validClaims(p, "z1"); mod(c); return c }
	cases := map[string]struct {
		tok  string
		want error
	}{
		"missing kid":  {signRaw(t, jwt.SigningMethodHS256, k.secret, nil, validClaims(p, "z1")), ErrWrongClaims},
		"wrong kid":    {signRaw(t, jwt.SigningMethodHS256, k.secret, map[string]any{"kid": "app_other"}, validClaims(p, "z1")), ErrWrongClaims},
		"kid number":   {signRaw(t, jwt.SigningMethodHS256, k.secret, map[string]any{"kid": 7}, validClaims(p, "z1")), ErrWrongClaims},
		"wrong scope":  {signRaw(t, jwt.SigningMethodHS256, k.secret, map[string]any{"kid": "app_kid"}, claims(func(c map[string]any) { c["scope"] = "admin" })), ErrWrongClaims},
		"no scope":     {signRaw(t, jwt.SigningMethodHS256, k.secret, map[string]any{"kid": "app_kid"}, claims(func(c map[string]any) { delete(c, "scope") })), ErrWrongClaims},
		"no ext id":    {signRaw(t, jwt.SigningMethodHS256, k.secret, map[string]any{"kid": "app_kid"}, claims(func(c map[string]any) { delete(c, "external_id") })), ErrWrongClaims},
		"wrong secret": {signRaw(t, jwt.SigningMethodHS256, append([]byte("x"), k.secret...), map[string]any{"kid": "app_kid"}, validClaims(p, "z1")), ErrBadSignature},
		"RS256":        {signRaw(t, jwt.SigningMethodRS256, k.rawSigningKey(t, Knock()), map[string]any{"kid": "app_kid"}, validClaims(p, "z1")), ErrBadSignature},
		"HS512":        {signRaw(t, jwt.SigningMethodHS512, k.secret, map[string]any{"kid": "app_kid"}, validClaims(p, "z1")), ErrBadSignature},
	}
	for name, c := range cases {
		_, err := v.Verify(c.tok)
		assert.ErrorIs(t, err, c.want, name)
	}
}

func TestOptionalExp(t *testing.T) {
	k := loadKeys(t)
	for _, p := range []Profile{Intercom(), Drift(), Zendesk("kid")} {
		v, err := NewVerifier(p, k.secret, WithClock(fixedClock(t0)))
		require.NoError(t, err)
		c := validClaims(p, "u")
		delete(c, "exp")
		id, err := v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, validHeader(p), c))
		assert.NoError(t, err, p.Name())
		assert.Equal(t, "u", id)
		c["exp"] = t0.Add(-time.Minute).Unix()
		_, err = v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, validHeader(p), c))
		assert.ErrorIs(t, err, ErrExpired, p.Name())
		// golang-jwt reads exp 0 as absent; present, it is 1970: expired.
		c["exp"] = 0
		_, err = v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, validHeader(p), c))
		assert.ErrorIs(t, err, ErrExpired, "%s: exp 0", p.Name())
		// 1e19 converts to int64 differently across platforms: golang-jwt
		// sees it expired on amd64; where it saturates, checkExp refuses it.
		c["exp"] = 1e19
		_, err = v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, validHeader(p), c))
		assert.True(t, errors.Is(err, ErrExpired) || errors.Is(err, ErrWrongClaims), "%s: exp after year 9999: %v", p.Name(), err)
		c["exp"] = 1e13 // year 318857: fits int64, refused by checkExp
		_, err = v.Verify(signRaw(t, jwt.SigningMethodHS256, k.secret, validHeader(p), c))
		assert.ErrorIs(t, err, ErrWrongClaims, "%s: exp after year 9999", p.Name())
	}
	for _, p := range []Profile{Engagespot(testAPIKey), Knock(), Braze()} {
		v, err := NewVerifier(p, k.rsaPub, WithClock(fixedClock(t0)))
		require.NoError(t, err)
		c := validClaims(p, "u")
		delete(c, "exp")
		_, err = v.Verify(signRaw(t, jwt.SigningMethodRS256, k.rawSigningKey(t, p), nil, c))
		assert.ErrorIs(t, err, ErrWrongClaims, p.Name())
	}
}

func TestCrossProfileTokens(t *testing.T) {
	// With one key shared between profiles, a token minted for one profile
	// is refused by another unless the claim layouts overlap. The overlaps
	// below are inherent to the vendors' formats (sub + exp); they are why
	// SECURE_MODE.md says never to share a key between vendors.
	accepted := map[[2]string]bool{
		{"engagespot", "knock"}: true, // id comes back as "user:<id>"
		{"engagespot", "braze"}: true,
		{"knock", "braze"}:      true,
		// Stream Chat and Intercom both sign {user_id, exp}.
		{"intercom", "streamchat"}: true,
		{"streamchat", "intercom"}: true,
		// Drift checks only sub, which TalkJS's token also carries.
		{"talkjs", "drift"}: true,
	}
	k := loadKeys(t)
	for _, ip := range allProfiles() {
		sk, _ := k.keyFor(ip)
		iss, err := NewIssuer(ip, sk, WithClock(fixedClock(t0)))
		require.NoError(t, err)
		tok, err := iss.Token("u")
		require.NoError(t, err)
		for _, vp := range allProfiles() {
			if vp.Name() == ip.Name() {
				continue
			}
			_, vk := k.keyFor(vp)
			v, err := NewVerifier(vp, vk, WithClock(fixedClock(t0)))
			require.NoError(t, err)
			_, err = v.Verify(tok)
			switch {
			case accepted[[2]string{ip.Name(), vp.Name()}]:
				assert.NoError(t, err, "%s token at %s verifier", ip.Name(), vp.Name())
			case vp.Algorithm() != ip.Algorithm():
				assert.ErrorIs(t, err, ErrBadSignature, "%s token at %s verifier", ip.Name(), vp.Name())
			default:
				assert.ErrorIs(t, err, ErrWrongClaims, "%s token at %s verifier", ip.Name(), vp.Name())
			}
		}
	}
}

// truncSig drops the last byte of a base64url signature, re-encoded
// canonically.
func truncSig(tb testing.TB, sig string) string {
	b, err := base64.RawURLEncoding.DecodeString(sig)
	require.NoError(tb, err)
	return base64.RawURLEncoding.EncodeToString(b[:len(b)-1])
}

func TestVerifierConcurrent(t *testing.T) {
	k := loadKeys(t)
	iss, err := NewIssuer(Knock(), k.rsaPriv, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	v, err := NewVerifier(Knock(), k.rsaPub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				tok, err := iss.Token("c")
				if !assert.NoError(t, err) {
					return
				}
				id, err := v.Verify(tok)
				assert.NoError(t, err)
				assert.Equal(t, "c", id)
				_, err = v.Verify(tok + "x")
				assert.Error(t, err)
			}
		}()
	}
	wg.Wait()
}

// TestOneSpellingPerToken: Go's base64 decoder skips CR and LF even in strict
// mode; Verify must not, or one token has many accepted texts.
func TestOneSpellingPerToken(t *testing.T) {
	k := loadKeys(t)
	for _, p := range allProfiles() {
		sk, vk := k.keyFor(p)
		iss, err := NewIssuer(p, sk, WithClock(fixedClock(t0)))
		require.NoError(t, err)
		v, err := NewVerifier(p, vk, WithClock(fixedClock(t0)))
		require.NoError(t, err)
		tok, err := iss.Token("alice")
		require.NoError(t, err)
		last := strings.LastIndexByte(tok, '.')
		for _, variant := range []string{
			tok + "\n", tok + "\r\n", tok[:last+5] + "\n" + tok[last+5:], tok[:last+5] + "\r" + tok[last+5:],
			" " + tok, tok[:10] + "\n" + tok[10:], tok + "=",
		} {
			_, err := v.Verify(variant)
			assert.ErrorIs(t, err, ErrMalformed, "%s %q", p.Name(), variant[len(variant)-3:])
		}
	}
}

// signedPayload signs header (a base64url segment) and the raw payload
// bytes with RS256, whatever the payload is.
func signedPayload(t *testing.T, priv any, header string, payload []byte) string {
	t.Helper()
	input := header + "." + base64.RawURLEncoding.EncodeToString(payload)
	sig, err := jwt.SigningMethodRS256.Sign(input, priv)
	require.NoError(t, err)
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}
