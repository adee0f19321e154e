package usertoken

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Wycheproof, RFC 7515 and golang-jwt vectors. Origins and licences:
// testdata/wycheproof/ORIGIN.md, testdata/rfc7515/ORIGIN.md,
// testdata/golang-jwt/ORIGIN.md.

type wpRSAFile struct {
	NumberOfTests int `json:"numberOfTests"`
	TestGroups    []struct {
		KeySize      int    `json:"keySize"`
		PublicKeyPem string `json:"publicKeyPem"`
		PublicKey    struct {
			PublicExponent string `json:"publicExponent"`
		} `json:"publicKey"`
		Tests []struct {
			TcID   int      `json:"tcId"`
			Flags  []string `json:"flags"`
			Msg    string   `json:"msg"`
			Sig    string   `json:"sig"`
			Result string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproofRSASignatures runs all 776 RSASSA-PKCS1-v1_5/SHA-256 tests
// through the Verifier's key loader and the RS256 method and key the
// Verifier holds (the signature check Verify performs after decoding).
func TestWycheproofRSASignatures(t *testing.T) {
	var total, validAccepted, invalidRefused, acceptableRefused, policyRefused int
	for _, name := range []string{
		"rsa_signature_2048_sha256_test.json",
		"rsa_signature_3072_sha256_test.json",
		"rsa_signature_4096_sha256_test.json",
	} {
		var f wpRSAFile
		loadJSON(t, "wycheproof/"+name, &f)
		fileTests := 0
		for _, g := range f.TestGroups {
			fileTests += len(g.Tests)
			total += len(g.Tests)
			v, err := NewVerifier(Knock(), []byte(g.PublicKeyPem))
			if g.PublicKey.PublicExponent != "010001" {
				// e = 3 groups: refused by the key policy at load time.
				require.ErrorIs(t, err, ErrWeakKey, "%s e=%s", name, g.PublicKey.PublicExponent)
				policyRefused += len(g.Tests)
				continue
			}
			require.NoError(t, err, name)
			require.Equal(t, jwt.SigningMethodRS256, v.method)
			for _, tc := range g.Tests {
				msg, err := hex.DecodeString(tc.Msg)
				require.NoError(t, err)
				sig, err := hex.DecodeString(tc.Sig)
				require.NoError(t, err)
				err = v.method.Verify(string(msg), sig, v.keys()[0].key)
				switch tc.Result {
				case "valid":
					if assert.NoError(t, err, "%s tcId %d", name, tc.TcID) {
						validAccepted++
					}
				case "invalid":
					if assert.Error(t, err, "%s tcId %d %v", name, tc.TcID, tc.Flags) {
						invalidRefused++
					}
				case "acceptable":
					// Only MissingNull (DigestInfo without NULL parameters)
					// is "acceptable" here; Go's crypto/rsa refuses it, and
					// so do we.
					assert.Equal(t, []string{"MissingNull"}, tc.Flags, "%s tcId %d", name, tc.TcID)
					if assert.Error(t, err, "%s tcId %d", name, tc.TcID) {
						acceptableRefused++
					}
				default:
					t.Fatalf("%s tcId %d: unknown result %q", name, tc.TcID, tc.Result)
				}
			}
		}
		assert.Equal(t, f.NumberOfTests, fileTests, name)
	}
	t.Logf("wycheproof RSA: %d tests: %d valid accepted, %d invalid refused, %d acceptable (MissingNull) refused, %d refused by key policy (e=3)",
		total, validAccepted, invalidRefused, acceptableRefused, policyRefused)
	assert.Equal(t, 776, total)
	assert.Equal(t, 776, validAccepted+invalidRefused+acceptableRefused+policyRefused)
	assert.Equal(t, 21, validAccepted)
	assert.Equal(t, 749, invalidRefused)
	assert.Equal(t, 3, acceptableRefused)
	assert.Equal(t, 3, policyRefused)
}

type wpJWSFile struct {
	NumberOfTests int `json:"numberOfTests"`
	TestGroups    []struct {
		Comment string         `json:"comment"`
		Private map[string]any `json:"private"`
		Public  map[string]any `json:"public"`
		Tests   []struct {
			TcID    int    `json:"tcId"`
			Comment string `json:"comment"`
			JWS     string `json:"jws"`
			Result  string `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// verifierFromJWK builds a Verifier from a Wycheproof JWK through the
// package's own key loader (RSA keys are converted to PKIX PEM first).
func verifierFromJWK(t *testing.T, jwk map[string]any, clock time.Time) *Verifier {
	t.Helper()
	b64 := func(field string) []byte {
		s, _ := jwk[field].(string)
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err, field)
		return b
	}
	switch jwk["kty"] {
	case "oct":
		v, err := NewVerifier(Drift(), b64("k"), WithClock(fixedClock(clock)))
		require.NoError(t, err)
		return v
	case "RSA":
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(b64("n")), E: int(new(big.Int).SetBytes(b64("e")).Int64())}
		der, err := x509.MarshalPKIXPublicKey(pub)
		require.NoError(t, err)
		v, err := NewVerifier(Knock(), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), WithClock(fixedClock(clock)))
		require.NoError(t, err)
		return v
	}
	t.Fatalf("unsupported kty %v", jwk["kty"])
	return nil
}

// signatureLayer runs stages 1-3 of Verify (size bound, split, header and
// key selection, signature) and the strict decoding of the payload text,
// but not the JSON-claims stages: Wycheproof JWS payloads ("foo", "Test")
// are not JWT claims sets, so Verify itself always refuses them after the
// signature.
func signatureLayer(v *Verifier, token string) error {
	seg, err := splitToken(token)
	if err != nil {
		return err
	}
	first, last, err := v.selectKeys(seg.header)
	if err != nil {
		return err
	}
	if _, err := v.checkSignature(seg, first, last); err != nil {
		return err
	}
	if _, ok := appendDecoded(nil, seg.payload); !ok {
		return ErrMalformed
	}
	return nil
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrTokenTooLarge, ErrMalformed, ErrBadSignature, ErrExpired, ErrNotYetValid, ErrWrongClaims} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func TestWycheproofJWS(t *testing.T) {
	var f wpJWSFile
	loadJSON(t, "wycheproof/json_web_signature_test.json", &f)
	upstreamBug := []int{367, 370}            // C2SP/wycheproof#236: identical to valid 357
	strictRejected := []int{372, 373}         // labelled valid, contain '?': strict decoding refuses
	keyUseGroups := []int{353, 354, 355, 356} // JWK use/key_ops metadata: not read by this package

	// Verifiers for the wrong-alg sweep.
	var rsVerifier, hsVerifier *Verifier
	for _, g := range f.TestGroups {
		if g.Comment == "rs256" && rsVerifier == nil {
			rsVerifier = verifierFromJWK(t, g.Private, t0)
		}
		if g.Comment == "hs256" {
			hsVerifier = verifierFromJWK(t, g.Private, t0)
		}
	}
	require.NotNil(t, rsVerifier)
	require.NotNil(t, hsVerifier)

	var total, checked, validAccepted, invalidRefused, wrongAlgRefused, skipped, strict int
	for _, g := range f.TestGroups {
		jwk := g.Private
		if jwk == nil {
			jwk = g.Public
		}
		alg, _ := jwk["alg"].(string)
		pinned := alg == "RS256" || alg == "HS256"
		for _, tc := range g.Tests {
			total++
			switch {
			case slices.Contains(upstreamBug, tc.TcID), slices.Contains(keyUseGroups, tc.TcID):
				skipped++
				continue
			case !pinned:
				// ES256/ES512/RS384/RS512/PS*: never accepted by an RS256
				// or HS256 verifier, whatever the label.
				for _, v := range []*Verifier{rsVerifier, hsVerifier} {
					assert.Error(t, signatureLayer(v, tc.JWS), "tcId %d", tc.TcID)
					_, err := v.Verify(tc.JWS)
					assert.True(t, isSentinel(err), "tcId %d: %v", tc.TcID, err)
				}
				wrongAlgRefused++
				continue
			}
			v := verifierFromJWK(t, jwk, t0)
			checked++
			err := signatureLayer(v, tc.JWS)
			want := tc.Result == "valid"
			if slices.Contains(strictRejected, tc.TcID) {
				want = false
				strict++
				assert.ErrorIs(t, err, ErrMalformed, "tcId %d: strict base64url", tc.TcID)
			}
			if want {
				if assert.NoError(t, err, "tcId %d %s", tc.TcID, tc.Comment) {
					validAccepted++
				}
			} else if assert.Error(t, err, "tcId %d %s", tc.TcID, tc.Comment) {
				invalidRefused++
			}
			// The full Verify never accepts these (no JWT claims) and
			// always answers with one of the package's sentinels.
			id, verr := v.Verify(tc.JWS)
			assert.Empty(t, id)
			assert.True(t, isSentinel(verr), "tcId %d: %v", tc.TcID, verr)
			if err != nil && !errors.Is(err, ErrMalformed) {
				// Refused at the signature layer: Verify must refuse for
				// the same reason unless the payload is already not JSON.
				assert.True(t, errors.Is(verr, err) || errors.Is(verr, ErrMalformed), "tcId %d: %v vs %v", tc.TcID, verr, err)
			}
		}
	}
	t.Logf("wycheproof JWS: %d tests: %d checked (%d valid accepted, %d refused, of which %d labelled valid but refused by strict base64url: tcId 372, 373), %d other-alg tokens refused, %d skipped (tcId 367, 370 upstream bug; 353-356 JWK key-use metadata)",
		total, checked, validAccepted, invalidRefused, strict, wrongAlgRefused, skipped)
	assert.Equal(t, f.NumberOfTests, total)
	assert.Equal(t, total, checked+wrongAlgRefused+skipped)
	assert.Equal(t, checked, validAccepted+invalidRefused)
	assert.Equal(t, 16, validAccepted)
	assert.Equal(t, 255, invalidRefused)
	assert.Equal(t, 124, wrongAlgRefused)
	assert.Equal(t, 2, strict)
	assert.Equal(t, 6, skipped)
}

func TestRFC7515AppendixA(t *testing.T) {
	var f struct {
		A1 struct {
			JWK   map[string]any `json:"jwk"`
			Token string         `json:"token"`
		} `json:"A1_HS256"`
		A1Tampered struct {
			Token string `json:"token"`
		} `json:"A1_HS256_lastCharTampered"`
		A2 struct {
			JWK   map[string]any `json:"jwk_public"`
			Token string         `json:"token"`
		} `json:"A2_RS256"`
		Derived map[string]struct {
			Token string `json:"token"`
		} `json:"derived_negative_cases_generated_here"`
	}
	loadJSON(t, "rfc7515/rfc7515_appendixA_jws.json", &f)
	before := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC) // exp is 2011-03-22

	hs := verifierFromJWK(t, f.A1.JWK, before)
	assert.NoError(t, signatureLayer(hs, f.A1.Token))
	_, err := hs.Verify(f.A1.Token)
	assert.ErrorIs(t, err, ErrWrongClaims, "A.1 passes signature and exp in 2010, has no sub")
	hsNow := verifierFromJWK(t, f.A1.JWK, t0)
	_, err = hsNow.Verify(f.A1.Token)
	assert.ErrorIs(t, err, ErrExpired, "A.1 is expired today")
	_, err = hs.Verify(f.A1Tampered.Token)
	assert.ErrorIs(t, err, ErrBadSignature)

	rs := verifierFromJWK(t, f.A2.JWK, before)
	assert.NoError(t, signatureLayer(rs, f.A2.Token))
	_, err = rs.Verify(f.A2.Token)
	assert.ErrorIs(t, err, ErrWrongClaims, "A.2 passes signature and exp in 2010, has no sub/iat")
	rsNow := verifierFromJWK(t, f.A2.JWK, t0)
	_, err = rsNow.Verify(f.A2.Token)
	assert.ErrorIs(t, err, ErrExpired, "A.2 is expired today")

	require.Len(t, f.Derived, 2)
	for name, c := range f.Derived {
		_, err := rs.Verify(c.Token)
		assert.ErrorIs(t, err, ErrBadSignature, name)
		assert.ErrorIs(t, signatureLayer(rs, c.Token), ErrBadSignature, name)
	}
}

func TestGolangJWTParserVectors(t *testing.T) {
	var f struct {
		Static []struct {
			Name  string `json:"name"`
			Token string `json:"token"`
		} `json:"static_rs256_tokens"`
		Padding []struct {
			Name        string `json:"name"`
			Token       string `json:"token"`
			Alg         string `json:"alg"`
			ExpectValid bool   `json:"expectValid"`
		} `json:"padding_and_strict_decoding_cases"`
	}
	loadJSON(t, "golang-jwt/parser_test_tokens.json", &f)
	v, err := NewVerifier(Knock(), readTestdata(t, "golang-jwt/sample_key.pub"), WithClock(fixedClock(t0)))
	require.NoError(t, err)

	want := map[string]error{
		"invalid JWT":        ErrMalformed,
		"invalid JSON claim": ErrBadSignature, // the payload is decoded only under a good signature
		"bearer in JWT":      ErrMalformed,
		"basic":              ErrWrongClaims, // signature good; {"foo":"bar"} lacks exp/sub
		"basic invalid":      ErrBadSignature,
	}
	for _, c := range f.Static {
		_, err := v.Verify(c.Token)
		assert.ErrorIs(t, err, want[c.Name], c.Name)
	}
	n := 0
	for _, c := range f.Padding {
		if c.Alg != "RS256" || c.Token == "" {
			continue
		}
		n++
		// This Verifier never allows padding and always decodes strictly:
		// only unpadded, canonical tokens reach the claims check.
		padded := strings.Contains(c.Token, "=")
		tweaked := strings.Contains(c.Name, "tweaked") && !strings.Contains(c.Name, "non-tweaked")
		_, err := v.Verify(c.Token)
		t.Logf("%s: padded=%v tweaked=%v -> %v", c.Name, padded, tweaked, err)
		if !padded && !tweaked {
			assert.ErrorIs(t, err, ErrWrongClaims, c.Name)
			assert.NoError(t, signatureLayer(v, c.Token), c.Name)
		} else {
			assert.ErrorIs(t, err, ErrMalformed, c.Name)
		}
	}
	assert.Equal(t, 6, n)
}
