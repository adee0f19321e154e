package usertoken

import (
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// t0 is the fixed "now" of most tests: 2026-01-01T00:00:00Z.
var t0 = time.Unix(1767225600, 0).UTC()

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

const testAPIKey = "ENGAGESPOT_TEST_API_KEY"

// readTestdata returns a file under testdata/.
func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	require.NoError(tb, err)
	return b
}

// testKeys are the committed TEST-ONLY keys (testdata/keys/README.md).
type testKeys struct {
	rsaPriv, rsaPrivPKCS1, rsaPrivB64, rsaPub, rsaPubPKCS1 []byte
	otherPriv, otherPub                                    []byte
	weak1024, weakE3, ecPriv, ecPub                        []byte
	secret                                                 []byte
	// ES256 keys.
	p256Priv, p256PrivSEC1, p256PrivB64, p256Pub []byte
	otherP256Priv, otherP256Pub                  []byte
	p384Priv, p384Pub                            []byte
	otherSecret                                  []byte
	usertour                                     []byte // a utv_ key: the whole text is the key
}

func loadKeys(tb testing.TB) testKeys {
	tb.Helper()
	return testKeys{
		rsaPriv:      readTestdata(tb, "keys/test_rsa_private_pkcs8.pem"),
		rsaPrivPKCS1: readTestdata(tb, "keys/test_rsa_private_pkcs1.pem"),
		rsaPrivB64:   readTestdata(tb, "keys/test_rsa_private_pkcs8.pem.b64"),
		rsaPub:       readTestdata(tb, "keys/test_rsa_public.pem"),
		rsaPubPKCS1:  readTestdata(tb, "keys/test_rsa_public_pkcs1.pem"),
		otherPriv:    readTestdata(tb, "keys/other_rsa_private_pkcs8.pem"),
		otherPub:     readTestdata(tb, "keys/other_rsa_public.pem"),
		weak1024:     readTestdata(tb, "keys/weak_rsa1024_private.pem"),
		weakE3:       readTestdata(tb, "keys/weak_rsa_e3_private.pem"),
		ecPriv:       readTestdata(tb, "keys/wrongkind_ec_private.pem"),
		ecPub:        readTestdata(tb, "keys/wrongkind_ec_public.pem"),
		secret:       readTestdata(tb, "keys/test_hmac_secret.txt"),

		p256Priv:      readTestdata(tb, "keys/test_ec_p256_private_pkcs8.pem"),
		p256PrivSEC1:  readTestdata(tb, "keys/test_ec_p256_private_sec1.pem"),
		p256PrivB64:   readTestdata(tb, "keys/test_ec_p256_private_pkcs8.pem.b64"),
		p256Pub:       readTestdata(tb, "keys/test_ec_p256_public.pem"),
		otherP256Priv: readTestdata(tb, "keys/other_ec_p256_private_pkcs8.pem"),
		otherP256Pub:  readTestdata(tb, "keys/other_ec_p256_public.pem"),
		p384Priv:      readTestdata(tb, "keys/wrongcurve_ec_p384_private.pem"),
		p384Pub:       readTestdata(tb, "keys/wrongcurve_ec_p384_public.pem"),
		otherSecret:   readTestdata(tb, "keys/other_hmac_secret.txt"),
		usertour:      readTestdata(tb, "keys/test_usertour_secret.txt"),
	}
}

// otherKeyFor returns a second, unrelated key pair for p's algorithm.
func (k testKeys) otherKeyFor(p Profile) (sign, verify []byte) {
	switch p.Algorithm() {
	case algRS256:
		return k.otherPriv, k.otherPub
	case algES256:
		return k.otherP256Priv, k.otherP256Pub
	}
	return k.otherSecret, k.otherSecret
}

// keyFor returns the signing and verifying key for p's algorithm (for
// Usertour, its utv_ key).
func (k testKeys) keyFor(p Profile) (sign, verify []byte) {
	if p.Name() == "usertour" {
		return k.usertour, k.usertour
	}
	switch p.Algorithm() {
	case algRS256:
		return k.rsaPriv, k.rsaPub
	case algES256:
		return k.p256Priv, k.p256Pub
	}
	return k.secret, k.secret
}

// rawSigningKey returns the key object golang-jwt needs to sign for p
// directly (bypassing the Issuer), for forging tokens in tests.
func (k testKeys) rawSigningKey(tb testing.TB, p Profile) any {
	tb.Helper()
	switch p.Algorithm() {
	case algRS256:
		priv, err := parseRSAPrivateKey(k.rsaPriv)
		require.NoError(tb, err)
		return priv
	case algES256:
		priv, err := parseECPrivateKey(k.p256Priv)
		require.NoError(tb, err)
		return priv
	}
	return k.secret
}

// allProfiles returns one valid instance of every profile.
func allProfiles() []Profile {
	return []Profile{
		Engagespot(testAPIKey), Knock(), Braze(), Intercom(), Zendesk("app_test_kid"), Drift(),
		StreamChat(), TalkJS("tTestApp"), MagicBell("pk_test_magicbell"), OneSignal("00000000-0000-4000-8000-000000000001"),
		SuprSend("tenant-a"), SuprSend(""),
	}
}

// signRaw signs arbitrary header fields and claims with golang-jwt
// directly: the way an attacker (or a buggy issuer) would.
func signRaw(tb testing.TB, method jwt.SigningMethod, key any, header, claims map[string]any) string {
	tb.Helper()
	tok := jwt.NewWithClaims(method, jwt.MapClaims(claims))
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	require.NoError(tb, err)
	return s
}

// validClaims returns the claims an Issuer for p would sign at t0.
func validClaims(p Profile, id string) map[string]any {
	c := map[string]any{"exp": t0.Add(time.Hour).Unix()}
	in := func(obj string) map[string]any {
		if obj == "" {
			return c
		}
		if m, ok := c[obj].(map[string]any); ok {
			return m
		}
		m := map[string]any{}
		c[obj] = m
		return m
	}
	in(p.subjectIn)[p.subjectClaim] = p.subjectPrefix + id
	for _, f := range p.fixed {
		if !f.ifPresent {
			in(f.in)[f.name] = f.value
		}
	}
	if p.iat || p.issueIAT {
		c["iat"] = t0.Unix()
	}
	return c
}

func validHeader(p Profile) map[string]any {
	if p.kid != "" {
		return map[string]any{"kid": p.kid}
	}
	return nil
}

func methodFor(p Profile) jwt.SigningMethod {
	switch p.Algorithm() {
	case algRS256:
		return jwt.SigningMethodRS256
	case algES256:
		return jwt.SigningMethodES256
	}
	return jwt.SigningMethodHS256
}

// segments splits a compact token and decodes its header and payload.
func segments(tb testing.TB, tok string) (header, payload map[string]any) {
	tb.Helper()
	parts := strings.Split(tok, ".")
	require.Len(tb, parts, 3)
	for i, dst := range []*map[string]any{&header, &payload} {
		b, err := base64.RawURLEncoding.Strict().DecodeString(parts[i])
		require.NoError(tb, err)
		require.NoError(tb, json.Unmarshal(b, dst))
	}
	return header, payload
}

// segment is the base64url JSON encoding of v, as a JWS segment.
func segment(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sigBytes decodes the signature segment of tok.
func sigBytes(tb testing.TB, tok string) []byte {
	tb.Helper()
	parts := strings.Split(tok, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(tb, err)
	return b
}

// withSig replaces the signature of tok.
func withSig(tb testing.TB, tok string, sig []byte) string {
	tb.Helper()
	parts := strings.Split(tok, ".")
	return parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// derSig re-encodes the r‖s signature of an ES256 token as ASN.1 DER, the
// form JWS does not use.
func derSig(tb testing.TB, tok string) []byte {
	tb.Helper()
	rs := sigBytes(tb, tok)
	require.Len(tb, rs, 64)
	der, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(rs[:32]), new(big.Int).SetBytes(rs[32:])})
	require.NoError(tb, err)
	return der
}

// relabel rewrites the alg of tok's header, keeping the rest.
func relabel(tb testing.TB, tok, alg string) string {
	tb.Helper()
	hdr, _ := segments(tb, tok)
	hdr["alg"] = alg
	parts := strings.Split(tok, ".")
	return segment(tb, hdr) + "." + parts[1] + "." + parts[2]
}

// withClaim returns a copy of claims with name set to v.
func withClaim(claims map[string]any, name string, v any) map[string]any {
	out := make(map[string]any, len(claims)+1)
	for k, e := range claims {
		out[k] = e
	}
	out[name] = v
	return out
}

// withoutClaim returns a copy of claims without name.
func withoutClaim(claims map[string]any, name string) map[string]any {
	out := withClaim(claims, name, nil)
	delete(out, name)
	return out
}
