package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
)

// diagnoseJSON runs diagnose --json and decodes the report.
func diagnoseJSON(t *testing.T, secret string, ident []string, sig string) (int, diagReport) {
	t.Helper()
	r := cli(t, secret, join([]string{"diagnose", "--json", "--signature", sig}, ident)...)
	var rep diagReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	return r.code, rep
}

// findMatch returns the report's match for scheme.
func findMatch(rep diagReport, scheme string) (diagMatch, bool) {
	for _, m := range rep.Matches {
		if m.Scheme == scheme {
			return m, true
		}
	}
	return diagMatch{}, false
}

// assertDiagnosis runs diagnose (JSON and text) and checks that scheme is
// explained by exactly the mistakes given (none: valid).
func assertDiagnosis(t *testing.T, secret string, ident []string, sig, scheme string, mistakes ...string) {
	t.Helper()
	code, rep := diagnoseJSON(t, secret, ident, sig)
	require.Equal(t, exitOK, code, "no explanation for %s %v", scheme, mistakes)
	m, ok := findMatch(rep, scheme)
	require.True(t, ok, "scheme %s not among %+v", scheme, rep.Matches)
	if len(mistakes) == 0 {
		assert.True(t, m.Valid)
		assert.Equal(t, "none", m.Mistake)
		assert.Empty(t, m.Mistakes)
		assert.Contains(t, m.Explanation, "the signature is valid for scheme "+scheme)
	} else {
		assert.False(t, m.Valid)
		assert.Equal(t, mistakes, m.Mistakes, "scheme %s", scheme)
		assert.Equal(t, strings.Join(mistakes, ", "), m.Mistake)
		assert.NotEmpty(t, m.Explanation)
	}

	// The text report names the scheme and the mistake too.
	r := cli(t, secret, join([]string{"diagnose", "--signature", sig}, ident)...)
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, scheme)
	if len(mistakes) == 0 {
		assert.Contains(t, r.stdout, "The signature is valid for scheme ")
	}
	for _, mk := range mistakes {
		assert.Contains(t, r.stdout, mk)
	}
}

func TestDiagnoseKnownAnswers(t *testing.T) {
	for _, ka := range knownAnswers {
		assertDiagnosis(t, "secret", identityArgs(ka.vector()), ka.signature, ka.scheme)
	}
	// Upper-case hex of Intercom's published sample.
	assertDiagnosis(t, "secret", []string{"--user-id", "Message"}, strings.ToUpper(knownAnswers[0].signature), "intercom", "upper-case hex")
	// A hex scheme's own mistake ranks before "upper-case hex instead of base64".
	_, rep := diagnoseJSON(t, "secret", []string{"--user-id", "Message"}, strings.ToUpper(knownAnswers[0].signature))
	require.NotEmpty(t, rep.Matches)
	assert.Equal(t, "intercom", rep.Matches[0].Scheme)
}

// Every vector, as is, is "valid for scheme <preset>".
func TestDiagnoseVectorsExact(t *testing.T) {
	files := loadVectors(t)
	for _, name := range sortedNames(files) {
		f := files[name]
		for _, v := range f.Vectors {
			code, rep := diagnoseJSON(t, v.Secret, identityArgs(v), v.Signature)
			require.Equal(t, exitOK, code, "%s/%s", name, v.Name)
			m, ok := findMatch(rep, f.Preset)
			if assert.True(t, ok, "%s/%s", name, v.Name) {
				assert.True(t, m.Valid, "%s/%s: %+v", name, v.Name, m)
				assert.Equal(t, v.Message, m.SignedText, "%s/%s", name, v.Name)
			}
			assert.True(t, rep.Matches[0].Valid, "%s/%s: best match first", name, v.Name)
		}
	}
}

// Each mistake is built from a vector by applying it.
func TestDiagnoseMistakes(t *testing.T) {
	files := loadVectors(t)
	intercom := vectorOf(t, files, "intercom", "ascii-id")
	engage := vectorOf(t, files, "engagespot", "uuid-id") // base64 with '+'
	require.Contains(t, engage.Signature, "+")
	crisp := vectorOf(t, files, "crisp", "email-only") // jane@example.com
	require.Equal(t, strings.ToLower(crisp.Email), crisp.Email)
	crispBoth := vectorOf(t, files, "crisp", "both-basic")
	intercomBoth := vectorOf(t, files, "intercom", "both-basic")
	helpshift := vectorOf(t, files, "helpshift", "both-basic")
	intercomMAC := mustHex(t, intercom.Signature)
	engageMAC := mustB64(t, engage.Signature)

	cases := []struct {
		name     string
		v        vector
		ident    []string // nil: the vector's own
		sig      string
		scheme   string
		mistakes []string
	}{
		{"exact hex", intercom, nil, intercom.Signature, "intercom", nil},
		{"upper-case hex", intercom, nil, strings.ToUpper(intercom.Signature), "intercom", []string{"upper-case hex"}},
		{"hex as base64", intercom, nil, base64.StdEncoding.EncodeToString(intercomMAC), "intercom", []string{"base64 instead of hex"}},
		{"hex as base64url", intercom, nil, base64.RawURLEncoding.EncodeToString(intercomMAC), "intercom", []string{"base64url instead of hex"}},
		{"base64 as hex", engage, nil, hex.EncodeToString(engageMAC), "engagespot", []string{"hex instead of base64"}},
		{"base64 as upper-case hex", engage, nil, strings.ToUpper(hex.EncodeToString(engageMAC)), "engagespot", []string{"upper-case hex instead of base64"}},
		{"base64 as base64url", engage, nil, base64.RawURLEncoding.EncodeToString(engageMAC), "engagespot", []string{"base64url instead of base64"}},
		{"missing padding", engage, nil, strings.TrimRight(engage.Signature, "="), "engagespot", []string{"missing '=' padding"}},
		{"plus as space", engage, nil, strings.ReplaceAll(engage.Signature, "+", " "), "engagespot", []string{"'+' turned into a space"}},
		{"base64 of hex", engage, nil, base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(engageMAC))), "engagespot", []string{"base64 of the hex digest"}},
		{"BitConverter", intercom, nil, bitConverter(intercomMAC), "intercom", []string{"hex with hyphens"}},
		{"trailing newline", intercom, nil, intercom.Signature + "\n", "intercom", []string{"surrounding whitespace"}},
		{"quoted", engage, nil, `"` + engage.Signature + `"`, "engagespot", []string{"surrounding quotes"}},
		{"0x", intercom, nil, "0x" + intercom.Signature, "intercom", []string{"0x prefix"}},
		{"percent-encoded", engage, nil, strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(engage.Signature), "engagespot", []string{"URL-encoded"}},

		// The email the hash was computed over was lower-cased and/or trimmed.
		{"email lower-cased", crisp, []string{"--email", "Jane@Example.COM"}, crisp.Signature, "crisp", []string{"email lower-cased"}},
		{"email upper-cased given", crisp, []string{"--email", strings.ToUpper(crisp.Email)}, crisp.Signature, "crisp", []string{"email lower-cased"}},
		{"email trimmed", crisp, []string{"--email", "  " + crisp.Email + "\n"}, crisp.Signature, "crisp", []string{"email trimmed"}},
		{"email trimmed and lower-cased", crisp, []string{"--email", " Jane@Example.com "}, crisp.Signature, "crisp", []string{"email lower-cased and trimmed"}},
		{"email case and hex case", crisp, []string{"--email", "JANE@example.com"}, strings.ToUpper(crisp.Signature), "crisp", []string{"email lower-cased", "upper-case hex"}},

		// Identifiers swapped or combined.
		{"swapped (email scheme)", crispBoth, []string{"--user-id", crispBoth.Email, "--email", crispBoth.UserID}, crispBoth.Signature, "crisp", []string{"user id and email swapped"}},
		{"swapped (id-else-email scheme)", intercomBoth, []string{"--user-id", intercomBoth.Email, "--email", intercomBoth.UserID}, intercomBoth.Signature, "intercom", []string{"user id and email swapped"}},
		{"id+email for an id scheme", helpshift, nil, helpshift.Signature, "engagespot", []string{"user id + email"}},
		{"email+id for an id scheme", helpshift, []string{"--user-id", helpshift.Email, "--email", helpshift.UserID}, helpshift.Signature, "engagespot", []string{"email + user id"}},
		{"helpshift swapped", helpshift, []string{"--user-id", helpshift.Email, "--email", helpshift.UserID}, helpshift.Signature, "helpshift", []string{"user id and email swapped"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ident := tc.ident
			if ident == nil {
				ident = identityArgs(tc.v)
			}
			assertDiagnosis(t, tc.v.Secret, ident, tc.sig, tc.scheme, tc.mistakes...)
		})
	}
}

func bitConverter(mac []byte) string {
	var parts []string
	for _, b := range mac {
		parts = append(parts, strings.ToUpper(hex.EncodeToString([]byte{b})))
	}
	return strings.Join(parts, "-")
}

// JavaScript vs .NET expiry text, from the productfruits and
// productfruits-dotnet vectors: the signature was made over one text and
// the other is given.
func TestDiagnoseExpiryForms(t *testing.T) {
	files := loadVectors(t)
	checked := 0
	for _, dn := range files["productfruits-dotnet"].Vectors {
		if dn.Expires == "" {
			continue
		}
		at, err := usersig.ParseExpiry(dn.Expires)
		require.NoError(t, err)
		if at.UTC().Format("2006-01-02T15:04:05.0000000Z") != dn.Expires || at.Nanosecond()%int(time.Millisecond) != 0 {
			continue // sub-millisecond ticks: no JavaScript text has them
		}
		js := vectorOf(t, files, "productfruits", dn.Name)
		// Signed over .NET's text, JavaScript's given.
		withJS := dn
		withJS.Expires = js.Expires
		assertDiagnosis(t, dn.Secret, identityArgs(withJS), dn.Signature, "productfruits", "expiry in .NET form")
		// Signed over JavaScript's text, .NET's given.
		withDotnet := js
		withDotnet.Expires = dn.Expires
		assertDiagnosis(t, js.Secret, identityArgs(withDotnet), js.Signature, "productfruits", "expiry in JavaScript form")
		checked++
	}
	require.NotZero(t, checked)

	// Signed without an expiry, one given.
	noExp := vectorOf(t, files, "productfruits", "ka-productfruits-testuser-no-expiry")
	withExp := noExp
	withExp.Expires = "2030-01-01T00:00:00.000Z"
	assertDiagnosis(t, noExp.Secret, identityArgs(withExp), noExp.Signature, "productfruits", "expiry left out")
}

// A vector signed under another secret is explained by nothing: exit 1 and
// the usual causes.
func TestDiagnoseNoMatch(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "ascii-id")
	code, rep := diagnoseJSON(t, v.Secret+"-other", identityArgs(v), v.Signature)
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, rep.Matches)
	assert.Contains(t, rep.Explanation, "different secret")
	assert.Contains(t, rep.Explanation, "API key")
	assert.Contains(t, rep.Explanation, "32-byte HMAC-SHA256 in hex")

	r := cli(t, v.Secret+"-other", join([]string{"diagnose", "--signature", v.Signature}, identityArgs(v))...)
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stdout, "No scheme and no common mistake explains this signature")

	// A SHA-1 length signature says so.
	code, rep = diagnoseJSON(t, v.Secret, identityArgs(v), strings.Repeat("ab", 20))
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, rep.Explanation, "SHA-1")

	// A huge input is refused cheaply.
	code, rep = diagnoseJSON(t, v.Secret, identityArgs(v), strings.Repeat("a", 10000))
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, rep.Explanation, "longer than any form")
}

// Mistakes outside the list, built with the standard library.
func TestDiagnoseSecretMistakes(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "digits-id") // secret looks like base64
	raw, err := base64.StdEncoding.DecodeString(v.Secret)
	require.NoError(t, err)
	h := hmac.New(sha256.New, raw)
	h.Write([]byte(v.Message))
	assertDiagnosis(t, v.Secret, identityArgs(v), hex.EncodeToString(h.Sum(nil)), "intercom", "secret base64-decoded")

	h = hmac.New(sha256.New, []byte(v.Secret+"\n"))
	h.Write([]byte(v.Message))
	assertDiagnosis(t, v.Secret, identityArgs(v), hex.EncodeToString(h.Sum(nil)), "intercom", "secret with a trailing newline")

	num := vectorOf(t, files, "novu", "digits-id")
	h = hmac.New(sha256.New, []byte(num.Secret))
	h.Write([]byte(num.UserID + ".0"))
	assertDiagnosis(t, num.Secret, identityArgs(num), hex.EncodeToString(h.Sum(nil)), "novu", "number formatted differently")
}

func TestDiagnoseExpiredNote(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "productfruits", "ascii-id+expiry-whole-second")
	at, err := usersig.ParseExpiry(v.Expires)
	require.NoError(t, err)
	r := invocation{args: join([]string{"diagnose", "--signature", v.Signature}, identityArgs(v)), secret: v.Secret, now: at.Add(time.Minute)}.run(t)
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "The signature is valid for scheme productfruits")
	assert.Contains(t, r.stdout, "has passed")
}

func TestDiagnoseUsage(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	for _, tc := range []struct {
		name   string
		secret string
		args   []string
		want   string
	}{
		{"no signature", secret, []string{"diagnose", "--user-id", "u"}, "--signature is required"},
		{"no identity", secret, []string{"diagnose", "--signature", "abc"}, "--user-id"},
		{"no secret", "", []string{"diagnose", "--signature", "abc", "--user-id", "u"}, "no secret"},
		{"bad expiry", secret, []string{"diagnose", "--signature", "abc", "--user-id", "u", "--expires", "2026-13-01"}, "--expires"},
	} {
		r := cli(t, tc.secret, tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.name)
	}
}

// The tables have unique names and every row has an explanation.
func TestMistakeTables(t *testing.T) {
	seen := map[string]bool{}
	check := func(name, expl string, first bool) {
		if first {
			assert.Empty(t, name)
			return
		}
		assert.NotEmpty(t, name)
		assert.NotEmpty(t, expl, name)
		assert.False(t, seen[name], "duplicate %q", name)
		assert.NotContains(t, name, ",", "names are joined with commas")
		seen[name] = true
	}
	for i, m := range keyMistakes {
		check(m.name, m.explanation, i == 0)
	}
	for i, m := range messageMistakes {
		check(m.name, m.explanation, i == 0)
	}
	for i, m := range textMistakes {
		check(m.name, m.explanation, i == 0)
	}
	for _, m := range transportMistakes {
		check(m.name, m.explanation, false)
	}
}
