package usertoken

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzVerify: Verify never panics, always answers with one of the
// package's sentinels on refusal, and accepts only tokens the Issuer itself
// produced for the returned id. RS256 (PKCS#1 v1.5) and HS256 are
// deterministic and the clock is fixed, so "produced by the Issuer" is
// checked exactly: an accepted token must equal Issuer.Token(id) byte for
// byte. ES256 signatures are randomized (and malleable: s and n-s both
// verify), so for OneSignal and SuprSend the header and payload must equal
// the Issuer's and only the signature may differ.
//
// Seeds: Issuer tokens and the Wycheproof, RFC 7515, golang-jwt and interop
// vectors under testdata/.
func FuzzVerify(f *testing.F) {
	k := loadKeys(f)
	type pair struct {
		iss *Issuer
		v   *Verifier
	}
	var pairs []pair
	// Keys used only here, so that vector tokens signed with the shared
	// test keys (which the Issuer did not produce) are refused too.
	fuzzSecret := []byte("fuzz-only-hs256-secret-0123456789abcdef")
	for _, p := range []Profile{
		Engagespot(testAPIKey), Intercom(), Zendesk("app_kid"),
		StreamChat(), TalkJS("tFuzz"), OneSignal("fuzz-app"), SuprSend("fuzz-tenant"),
		Nolt(), UserVoice(), Usertour(), Userback(),
	} {
		sk, vk := k.otherPriv, k.otherPub
		switch p.Algorithm() {
		case algHS256:
			// One secret per profile: Intercom's and Stream's claims
			// overlap, so a shared secret would make one's token the
			// other's (see TestCrossProfileTokens).
			sk = append(append([]byte(nil), fuzzSecret...), p.Name()...)
			vk = sk
		case algES256:
			sk, vk = k.otherP256Priv, k.otherP256Pub
		}
		iss, err := NewIssuer(p, sk, WithClock(fixedClock(t0)))
		require.NoError(f, err)
		v, err := NewVerifier(p, vk, WithClock(fixedClock(t0)))
		require.NoError(f, err)
		pairs = append(pairs, pair{iss, v})
		for _, id := range []string{"alice", "tenant:42", "Jörg"} {
			tok, err := iss.Issue(issuable(p, Claims{UserID: id, Email: "a@example.com", Name: "Ada", ImageURL: "https://example.com/a.png", Role: "ADMIN", CompanyID: "7"}))
			require.NoError(f, err)
			f.Add(tok)
			parts := strings.Split(tok, ".")
			f.Add(parts[0] + "." + parts[1] + ".")
			f.Add(tok + "=")
		}
	}
	for _, s := range seedTokens(f) {
		f.Add(s)
	}
	f.Add("")
	f.Add("..")
	f.Add("eyJhbGciOiJub25lIn0.e30.")

	f.Fuzz(func(t *testing.T, token string) {
		for _, pr := range pairs {
			c, err := pr.v.VerifyClaims(token)
			id := c.UserID
			if err != nil {
				if c != (Claims{}) || !isSentinel(err) {
					t.Fatalf("%s: refusal with claims %+v or foreign error %v", pr.v.profile.name, c, err)
				}
				if len(token) > 16 && strings.Contains(err.Error(), token) {
					t.Fatalf("error message contains the token")
				}
				continue
			}
			want, ierr := pr.iss.Issue(issuable(pr.v.profile, c))
			if pr.v.profile.alg == algES256 {
				want, token = signingInput(want), signingInput(token)
			}
			if ierr != nil || want != token {
				t.Fatalf("%s accepted a token the Issuer did not produce for %q", pr.v.profile.name, id)
			}
		}
	})
}

// signingInput is the header.payload part of a compact token.
func signingInput(tok string) string {
	if i := strings.LastIndexByte(tok, '.'); i >= 0 {
		return tok[:i]
	}
	return tok
}

// seedTokens collects every token string in the committed vectors.
func seedTokens(tb testing.TB) []string {
	tb.Helper()
	var out []string
	var jws wpJWSFile
	loadJSON(tb, "wycheproof/json_web_signature_test.json", &jws)
	for _, g := range jws.TestGroups {
		for _, tc := range g.Tests {
			out = append(out, tc.JWS)
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && (k == "token" || k == "jws") {
					out = append(out, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, name := range []string{
		"rfc7515/rfc7515_appendixA_jws.json",
		"golang-jwt/parser_test_tokens.json",
		"interop/node_signed.json",
		"interop/go_signed.json",
	} {
		var v any
		loadJSON(tb, name, &v)
		walk(v)
	}
	return out
}

// issuable keeps the fields of c that p carries, which is what an Issuer
// for p signs: the user id and p's own fields, no times.
func issuable(p Profile, c Claims) Claims {
	out := Claims{UserID: c.UserID}
	for _, f := range p.fields {
		out.setField(f.field, c.field(f.field))
	}
	return out
}
