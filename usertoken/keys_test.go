package usertoken

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIssuerKeyForms(t *testing.T) {
	k := loadKeys(t)
	v, err := NewVerifier(Knock(), k.rsaPub, WithClock(fixedClock(t0)))
	require.NoError(t, err)

	forms := map[string][]byte{
		"pkcs8":             k.rsaPriv,
		"pkcs1":             k.rsaPrivPKCS1,
		"base64 of pem":     k.rsaPrivB64,
		"base64 wrapped":    []byte(wrap76(string(k.rsaPrivB64))),
		"surrounding space": append(append([]byte("\n  "), k.rsaPriv...), "\n\n"...),
	}
	for name, key := range forms {
		iss, err := NewIssuer(Knock(), key, WithClock(fixedClock(t0)))
		require.NoError(t, err, name)
		tok, err := iss.Token("u1")
		require.NoError(t, err, name)
		id, err := v.Verify(tok)
		require.NoError(t, err, name)
		assert.Equal(t, "u1", id, name)
	}
}

func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func TestVerifierKeyForms(t *testing.T) {
	k := loadKeys(t)
	iss, err := NewIssuer(Braze(), k.rsaPriv, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	tok, err := iss.Token("u2")
	require.NoError(t, err)
	forms := map[string][]byte{
		"pkix":                    k.rsaPub,
		"pkcs1":                   k.rsaPubPKCS1,
		"base64 of pkix":          []byte(base64.StdEncoding.EncodeToString(k.rsaPub)),
		"private pkcs8 (derived)": k.rsaPriv,
		"private pkcs1 (derived)": k.rsaPrivPKCS1,
		"base64 of private pkcs8": k.rsaPrivB64,
	}
	for name, key := range forms {
		v, err := NewVerifier(Braze(), key, WithClock(fixedClock(t0)))
		require.NoError(t, err, name)
		id, err := v.Verify(tok)
		assert.NoError(t, err, name)
		assert.Equal(t, "u2", id, name)
	}
}

func TestKeyPolicy(t *testing.T) {
	k := loadKeys(t)
	rs := Engagespot(testAPIKey)
	hs := Intercom()
	cases := []struct {
		name   string
		issuer bool
		p      Profile
		key    []byte
		want   error
	}{
		{"rsa 1024 private", true, rs, k.weak1024, ErrWeakKey},
		{"rsa 1024 derived public", false, rs, k.weak1024, ErrWeakKey},
		{"rsa e=3 private", true, rs, k.weakE3, ErrWeakKey},
		{"rsa e=3 derived public", false, rs, k.weakE3, ErrWeakKey},
		{"ec private to RS256 issuer", true, rs, k.ecPriv, ErrWrongKeyType},
		{"ec public to RS256 verifier", false, rs, k.ecPub, ErrWrongKeyType},
		{"public key to issuer", true, rs, k.rsaPub, ErrWrongKeyType},
		{"pkcs1 public key to issuer", true, rs, k.rsaPubPKCS1, ErrWrongKeyType},
		{"hmac secret to RS256 issuer", true, rs, k.secret, ErrWrongKeyType},
		{"hmac secret to RS256 verifier", false, rs, k.secret, ErrWrongKeyType},
		{"empty RS256 key", true, rs, nil, ErrWrongKeyType},
		{"two PEM blocks", false, rs, append(append([]byte{}, k.rsaPub...), k.otherPub...), ErrInvalidKey},
		{"trailing junk", false, rs, append(append([]byte{}, k.rsaPub...), "junk"...), ErrInvalidKey},
		{"damaged PEM", false, rs, bytes.Replace(k.rsaPub, []byte("-----END"), []byte("-----XND"), 1), ErrInvalidKey},
		{"certificate", false, rs, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), ErrInvalidKey},
		{"garbage DER", false, rs, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2}}), ErrInvalidKey},
		{"encrypted PEM", true, rs, []byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"), ErrInvalidKey},
		{"short hmac secret", true, hs, []byte("0123456789abcdef0123456789abcde"), ErrWeakKey},
		{"empty hmac secret", false, hs, nil, ErrWeakKey},
		{"RSA public PEM as hmac secret (alg confusion)", false, hs, k.rsaPub, ErrWrongKeyType},
		{"RSA private PEM as hmac secret", true, hs, k.rsaPriv, ErrWrongKeyType},
		{"base64 PEM as hmac secret", true, Drift(), k.rsaPrivB64, ErrWrongKeyType},
	}
	for _, c := range cases {
		var err error
		if c.issuer {
			_, err = NewIssuer(c.p, c.key)
		} else {
			_, err = NewVerifier(c.p, c.key)
		}
		assert.ErrorIs(t, err, c.want, c.name)
		if err != nil && len(c.key) > 40 {
			// Errors never echo key material.
			assert.NotContains(t, err.Error(), string(c.key[len(c.key)/2:len(c.key)/2+20]), c.name)
		}
	}
}

func TestHMACSecretUsedAsGiven(t *testing.T) {
	// A secret that looks like base64 or hex is still used as its bytes,
	// and surrounding whitespace is part of it.
	b64Like := []byte("c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0")
	iss, err := NewIssuer(Drift(), b64Like, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	tok, err := iss.Token("x")
	require.NoError(t, err)

	v, err := NewVerifier(Drift(), b64Like, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	_, err = v.Verify(tok)
	assert.NoError(t, err)

	decoded, err := base64.StdEncoding.DecodeString(string(b64Like))
	require.NoError(t, err)
	padded := append(append([]byte{}, decoded...), decoded...)
	v2, err := NewVerifier(Drift(), padded, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	_, err = v2.Verify(tok)
	assert.ErrorIs(t, err, ErrBadSignature)

	spaced := append([]byte(" "), b64Like...)
	v3, err := NewVerifier(Drift(), spaced, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	_, err = v3.Verify(tok)
	assert.ErrorIs(t, err, ErrBadSignature)
}

func TestKeysAreCopied(t *testing.T) {
	k := loadKeys(t)
	secret := append([]byte{}, k.secret...)
	iss, err := NewIssuer(Intercom(), secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	v, err := NewVerifier(Intercom(), secret, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	for i := range secret {
		secret[i] = 0
	}
	tok, err := iss.Token("u")
	require.NoError(t, err)
	id, err := v.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, "u", id)

	priv := append([]byte{}, k.rsaPriv...)
	iss2, err := NewIssuer(Knock(), priv, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	for i := range priv {
		priv[i] = 'x'
	}
	_, err = iss2.Token("u")
	assert.NoError(t, err)
}

func TestGenerateRSAKeyPair(t *testing.T) {
	if testing.Short() {
		t.Skip("RSA key generation is slow")
	}
	priv, pub, err := GenerateRSAKeyPair()
	require.NoError(t, err)
	pb, _ := pem.Decode(priv)
	require.NotNil(t, pb)
	assert.Equal(t, "PRIVATE KEY", pb.Type)
	ub, _ := pem.Decode(pub)
	require.NotNil(t, ub)
	assert.Equal(t, "PUBLIC KEY", ub.Type)

	key, err := parseRSAPrivateKey(priv)
	require.NoError(t, err)
	assert.Equal(t, 2048, key.N.BitLen())
	assert.Equal(t, 65537, key.E)
	pk, err := parseRSAPublicKey(pub)
	require.NoError(t, err)
	assert.True(t, pk.Equal(&key.PublicKey))
	assert.IsType(t, &rsa.PublicKey{}, pk)

	iss, err := NewIssuer(Engagespot(testAPIKey), priv)
	require.NoError(t, err)
	v, err := NewVerifier(Engagespot(testAPIKey), pub)
	require.NoError(t, err)
	tok, err := iss.Token("gen")
	require.NoError(t, err)
	id, err := v.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, "gen", id)
}
