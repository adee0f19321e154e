package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/diagnose"
)

// The mistake search itself is tested in internal/diagnose; these tests
// check the command around it: flags, output forms and exit codes.

// diagnoseJSON runs diagnose --json and decodes the report.
func diagnoseJSON(t *testing.T, secret string, ident []string, sig string) (int, diagnose.Report) {
	t.Helper()
	r := cli(t, secret, join([]string{"diagnose", "--json", "--signature", sig}, ident)...)
	var rep diagnose.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	return r.code, rep
}

// findMatch returns the report's match for scheme.
func findMatch(rep diagnose.Report, scheme string) (diagnose.Match, bool) {
	for _, m := range rep.Matches {
		if m.Scheme == scheme {
			return m, true
		}
	}
	return diagnose.Match{}, false
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

// The README's example: the backend signed the lower-cased email.
func TestDiagnoseTextReport(t *testing.T) {
	ka := knownAnswers[4] // helpshift, 42 + user@example.com
	r := cli(t, "secret", "diagnose", "--user-id", "42", "--email", "User@Example.com", "--signature", ka.signature)
	require.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "Scheme helpshift, with 1 mistake: email lower-cased.\n  The hash was computed over the lower-cased email"), r.stdout)
	assert.Contains(t, r.stdout, `The HMAC was computed over "42user@example.com".`)
}

// A valid signature is reported as valid, and no mistake is listed beside
// it, even where a mistake would fit another scheme.
func TestDiagnoseValidStops(t *testing.T) {
	ka := knownAnswers[0] // intercom, hex
	r := cli(t, "secret", "diagnose", "--user-id", ka.userID, "--signature", ka.signature)
	require.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "The signature is valid for scheme intercom"), r.stdout)
	assert.NotContains(t, r.stdout, "mistake")
	assert.Equal(t, 1, strings.Count(r.stdout, "\n")-strings.Count(r.stdout, "\nNote: "), "one paragraph and notes: %s", r.stdout)

	_, rep := diagnoseJSON(t, "secret", []string{"--user-id", ka.userID}, ka.signature)
	require.NotEmpty(t, rep.Matches)
	for _, m := range rep.Matches {
		assert.True(t, m.Valid, "%+v", m)
	}
}

// A vector signed under another secret is explained by nothing: exit 1 and
// the usual causes.
func TestDiagnoseNoMatch(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "ascii-id")
	code, rep := diagnoseJSON(t, v.Secret+"-other", identityArgs(v), v.Signature)
	assert.Equal(t, exitInvalid, code)
	assert.NotNil(t, rep.Matches)
	assert.Empty(t, rep.Matches)
	assert.Contains(t, rep.Explanation, "different secret")

	r := cli(t, v.Secret+"-other", join([]string{"diagnose", "--json", "--signature", v.Signature}, identityArgs(v))...)
	assert.Contains(t, r.stdout, `"matches":[]`)

	r = cli(t, v.Secret+"-other", join([]string{"diagnose", "--signature", v.Signature}, identityArgs(v))...)
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stdout, "No scheme and no common mistake explains this signature")
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
		{"empty signature", secret, []string{"diagnose", "--user-id", "u", "--signature", ""}, "--signature is required"},
		{"no identity", secret, []string{"diagnose", "--signature", "abc"}, "--user-id"},
		{"no secret", "", []string{"diagnose", "--signature", "abc", "--user-id", "u"}, "no secret"},
		{"bad expiry", secret, []string{"diagnose", "--signature", "abc", "--user-id", "u", "--expires", "2026-13-01"}, "--expires"},
		{"repeated", secret, []string{"diagnose", "--signature", "abc", "--signature", "abd", "--user-id", "u"}, "--signature is given more than once"},
	} {
		r := cli(t, tc.secret, tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.name)
	}
}

// diagnose --scheme answers "why not this scheme" first, in one of three
// forms, then lists the other schemes that fit no worse.
func TestDiagnoseScheme(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "ascii-id")
	mac, err := hex.DecodeString(v.Signature)
	require.NoError(t, err)
	b64 := base64.StdEncoding.EncodeToString(mac)
	ident := identityArgs(v)
	diag := func(secret string, args ...string) result {
		return cli(t, secret, join([]string{"diagnose"}, args, ident)...)
	}

	// An Intercom user's hash written as base64: Intercom wants hex.
	r := diag(v.Secret, "--scheme", "intercom", "--signature", b64)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "Not valid for scheme intercom, because of 1 mistake: base64 instead of hex.\n  The signature is the right HMAC written as base64, but this scheme expects lowercase hex"), r.stdout)
	assert.Contains(t, r.stdout, "\nOther schemes:\nThe signature is valid for scheme engagespot")
	// Without --scheme, the valid base64 schemes come first, and a note
	// says who wants the same HMAC as hex.
	r = diag(v.Secret, "--signature", b64)
	require.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "The signature is valid for scheme engagespot"), r.stdout)
	assert.Contains(t, r.stdout, "Note: Written as hex, the same HMAC is valid for intercom, ")

	// Valid.
	r = diag(v.Secret, "--scheme", "Intercom", "--signature", v.Signature)
	require.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "Valid for scheme intercom: the signature is the HMAC of \""+v.Message+"\" as hex.\n"), r.stdout)

	// Upper-case hex (the case), cut short (truncation).
	r = diag(v.Secret, "--scheme", "intercom", "--signature", strings.ToUpper(v.Signature))
	assert.True(t, strings.HasPrefix(r.stdout, "Not valid for scheme intercom, because of 1 mistake: upper-case hex.\n"), r.stdout)
	r = diag(v.Secret, "--scheme", "intercom", "--signature", v.Signature[:50])
	assert.True(t, strings.HasPrefix(r.stdout, "Not valid for scheme intercom, because of 1 mistake: truncated.\n"), r.stdout)
	assert.NotContains(t, r.stdout, "different secret")

	// Nothing explains it under the scheme: what the secret, the text and
	// the MAC show, in that order, and exit 1 when no other scheme fits.
	r = diag(v.Secret+"-other", "--scheme", "intercom", "--signature", v.Signature)
	assert.Equal(t, exitInvalid, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "Not valid for scheme intercom, and no common mistake explains it:\n  The text is in the scheme's form (hex, 64 characters), but it is not the HMAC"), r.stdout)
	assert.Contains(t, r.stdout, "different secret")
	r = diag(v.Secret+"-other\n", "--scheme", "intercom", "--signature", b64[:30])
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stdout, "  The secret given ends with a line break, which no vendor's secret does")
	assert.Contains(t, r.stdout, "The text is not in the scheme's form: intercom wants hex (64 characters), and this text contains non-hex characters: it looks like base64")
	assert.Contains(t, r.stdout, "It is truncated: it decodes from base64 to 22 bytes")
	assert.NotContains(t, r.stdout, "different secret", "a truncated text is not first of all another secret")
	r = cli(t, "not-hex-but-long-enough", "diagnose", "--scheme", "pylon", "--email", "jane@example.com", "--signature", v.Signature)
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stdout, "The secret given cannot be this scheme's: malformed secret: the vendor hands out hex")

	// JSON: the answer is "asked".
	r = diag(v.Secret, "--json", "--scheme", "intercom", "--signature", b64)
	var rep diagnose.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.NotNil(t, rep.Asked)
	assert.Equal(t, "intercom", rep.Asked.Scheme)
	assert.False(t, rep.Asked.Valid)
	assert.True(t, rep.Asked.Explained)
	assert.Equal(t, []string{"base64 instead of hex"}, rep.Asked.Mistakes)
	assert.Equal(t, v.Message, rep.Asked.SignedText)
	r = diag(v.Secret, "--json", "--signature", b64)
	assert.NotContains(t, r.stdout, `"asked"`)

	// Usage errors.
	for _, args := range [][]string{
		{"--scheme", "nope", "--signature", b64},
		{"--scheme", "", "--signature", b64},
	} {
		r := diag(v.Secret, args...)
		assert.Equal(t, exitUsage, r.code, args)
		oneLine(t, r.stderr)
	}
}
