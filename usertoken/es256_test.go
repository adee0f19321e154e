package usertoken

import (
	"encoding/hex"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wpECDSAFile is the subset of Wycheproof's ecdsa_p1363_verify schema used
// here.
type wpECDSAFile struct {
	NumberOfTests int `json:"numberOfTests"`
	TestGroups    []struct {
		PublicKey struct {
			Curve string `json:"curve"`
		} `json:"publicKey"`
		PublicKeyPem string `json:"publicKeyPem"`
		Sha          string `json:"sha"`
		Tests        []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Msg     string   `json:"msg"`
			Sig     string   `json:"sig"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproofECDSAP256P1363: every test of Wycheproof's P-256 / SHA-256
// r‖s file, through the ES256 Verifier's key loader (publicKeyPem) and the
// method and key it holds, agrees with the label.
func TestWycheproofECDSAP256P1363(t *testing.T) {
	var f wpECDSAFile
	loadJSON(t, "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json", &f)
	var total, valid, invalid int
	for _, g := range f.TestGroups {
		require.Equal(t, "secp256r1", g.PublicKey.Curve)
		require.Equal(t, "SHA-256", g.Sha)
		v, err := NewVerifier(OneSignal("app"), []byte(g.PublicKeyPem))
		require.NoError(t, err)
		require.Equal(t, jwt.SigningMethodES256, v.method)
		for _, tc := range g.Tests {
			total++
			msg, err := hex.DecodeString(tc.Msg)
			require.NoError(t, err)
			sig, err := hex.DecodeString(tc.Sig)
			require.NoError(t, err)
			err = v.method.Verify(string(msg), sig, v.keys()[0].key)
			switch tc.Result {
			case "valid":
				if assert.NoError(t, err, "tcId %d %s", tc.TcID, tc.Comment) {
					valid++
				}
			case "invalid":
				if assert.Error(t, err, "tcId %d %s", tc.TcID, tc.Comment) {
					invalid++
				}
			default:
				t.Errorf("tcId %d: result %q: the file has no acceptable tests", tc.TcID, tc.Result)
			}
		}
	}
	assert.Equal(t, 262, f.NumberOfTests)
	assert.Equal(t, f.NumberOfTests, total)
	assert.Equal(t, 173, valid)
	assert.Equal(t, 89, invalid)
}

func TestES256Keys(t *testing.T) {
	k := loadKeys(t)
	p := OneSignal("app")
	for name, key := range map[string][]byte{
		"pkcs8": k.p256Priv, "sec1": k.p256PrivSEC1, "base64 of pkcs8 pem (SuprSend)": k.p256PrivB64,
	} {
		iss, err := NewIssuer(p, key, WithClock(fixedClock(t0)))
		require.NoError(t, err, name)
		tok, err := iss.Token("u1")
		require.NoError(t, err, name)
		for vname, vkey := range map[string][]byte{"public": k.p256Pub, "private": k.p256Priv, "sec1": k.p256PrivSEC1} {
			v, err := NewVerifier(p, vkey, WithClock(fixedClock(t0)))
			require.NoError(t, err, vname)
			id, err := v.Verify(tok)
			require.NoError(t, err, "%s -> %s", name, vname)
			assert.Equal(t, "u1", id)
		}
	}
	refused := []struct {
		name   string
		issuer bool
		key    []byte
		want   error
	}{
		{"p384 private", true, k.p384Priv, ErrWrongKeyType},
		{"p384 public", false, k.p384Pub, ErrWrongKeyType},
		{"rsa private to ES256 issuer", true, k.rsaPriv, ErrWrongKeyType},
		{"rsa public to ES256 verifier", false, k.rsaPub, ErrWrongKeyType},
		{"public key to issuer", true, k.p256Pub, ErrWrongKeyType},
		{"hmac secret", true, k.secret, ErrWrongKeyType},
		{"hmac secret to verifier", false, k.secret, ErrWrongKeyType},
		{"damaged pem", false, []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), ErrInvalidKey},
	}
	for _, c := range refused {
		var err error
		if c.issuer {
			_, err = NewIssuer(p, c.key)
		} else {
			_, err = NewVerifier(p, c.key)
		}
		assert.ErrorIs(t, err, c.want, c.name)
	}
	// ES256 keys are the wrong kind everywhere else.
	_, err := NewIssuer(Knock(), k.p256Priv)
	assert.ErrorIs(t, err, ErrWrongKeyType)
	_, err = NewVerifier(Intercom(), k.p256Pub)
	assert.ErrorIs(t, err, ErrWrongKeyType)
}

// TestES256Forgeries: the ES256 verifier takes only the 64-byte r‖s form,
// under its own key, with the pinned algorithm.
func TestES256Forgeries(t *testing.T) {
	k := loadKeys(t)
	p := SuprSend("tenant-a")
	v, err := NewVerifier(p, k.p256Pub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	claims := validClaims(p, "u1")
	good := signRaw(t, jwt.SigningMethodES256, k.rawSigningKey(t, p), nil, claims)
	_, err = v.Verify(good)
	require.NoError(t, err)

	otherKey, err := parseECPrivateKey(k.otherP256Priv)
	require.NoError(t, err)
	hsPub := signRaw(t, jwt.SigningMethodHS256, k.p256Pub, nil, claims)
	es384, err := parseECPrivateKey(k.p256Priv)
	require.NoError(t, err)
	for name, tok := range map[string]string{
		"another key":              signRaw(t, jwt.SigningMethodES256, otherKey, nil, claims),
		"HS256 keyed with the PEM": hsPub,
		"none":                     "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + segment(t, claims) + ".",
		"DER signature":            withSig(t, good, derSig(t, good)),
		"truncated signature":      withSig(t, good, sigBytes(t, good)[:63]),
		"ES384 header":             relabel(t, signRaw(t, jwt.SigningMethodES256, es384, nil, claims), "ES384"),
	} {
		_, err := v.Verify(tok)
		assert.ErrorIs(t, err, ErrBadSignature, name)
	}
	// SuprSend tenant scoping.
	for name, c := range map[string]map[string]any{
		"other tenant":   withClaim(claims, "scope", map[string]any{"tenant_id": "tenant-b"}),
		"no scope":       withoutClaim(claims, "scope"),
		"scope a string": withClaim(claims, "scope", "tenant-a"),
		"entity_type":    withClaim(claims, "entity_type", "user"),
		"entity_id num":  withClaim(claims, "entity_id", 42),
	} {
		_, err := v.Verify(signRaw(t, jwt.SigningMethodES256, k.rawSigningKey(t, p), nil, c))
		assert.ErrorIs(t, err, ErrWrongClaims, name)
	}
	// The default tenant: no scope, or scope naming "default".
	vd, err := NewVerifier(SuprSend(""), k.p256Pub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	for name, c := range map[string]map[string]any{
		"no scope":        withoutClaim(claims, "scope"),
		"default":         withClaim(claims, "scope", map[string]any{"tenant_id": "default"}),
		"empty scope obj": withClaim(claims, "scope", map[string]any{}),
	} {
		_, err := vd.Verify(signRaw(t, jwt.SigningMethodES256, k.rawSigningKey(t, p), nil, c))
		assert.NoError(t, err, name)
	}
	_, err = vd.Verify(good)
	assert.ErrorIs(t, err, ErrWrongClaims, "a tenant-a token is not a default-tenant token")
}
