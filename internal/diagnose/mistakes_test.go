package diagnose

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
)

// assertExplained checks that the search for scheme explains in.Signature
// by exactly the mistakes given (none: valid), and that Run agrees: it
// reports the same for scheme, or the signature is valid as is for another
// scheme, which Run then reports alone.
func assertExplained(t *testing.T, in Input, secret string, scheme string, mistakes ...string) {
	t.Helper()
	m, ok := explainUnder(t, in, []byte(secret), targetOf(t, scheme))
	require.True(t, ok, "no explanation for %s %v", scheme, mistakes)
	if len(mistakes) == 0 {
		assert.True(t, m.Valid)
		assert.Equal(t, "none", m.Mistake)
		assert.Empty(t, m.Mistakes)
	} else {
		assert.False(t, m.Valid)
		assert.Equal(t, mistakes, m.Mistakes, "scheme %s", scheme)
		assert.Equal(t, strings.Join(mistakes, ", "), m.Mistake)
		assert.Contains(t, m.Explanation, "scheme "+scheme+", "+m.Mistake)
	}
	rep, err := Run(in, []byte(secret))
	require.NoError(t, err)
	require.NotEmpty(t, rep.Matches)
	if got, ok := findMatch(rep, scheme); ok {
		assert.Equal(t, m.Mistake, got.Mistake, "Run under %s", scheme)
		return
	}
	assert.True(t, rep.Matches[0].Valid, "%s missing from Run's report, which is not a valid one: %+v", scheme, rep.Matches)
}

func bitConverterOf(mac []byte) string {
	var parts []string
	for _, b := range mac {
		parts = append(parts, strings.ToUpper(hex.EncodeToString([]byte{b})))
	}
	return strings.Join(parts, "-")
}

// Each mistake is built from a vendor vector by applying it with the
// standard library.
func TestMistakes(t *testing.T) {
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
	swapped := func(v vector) Input { return Input{UserID: v.Email, Email: v.UserID, Signature: v.Signature} }
	withEmail := func(v vector, email string) Input { return Input{Email: email, Signature: v.Signature} }

	cases := []struct {
		name     string
		in       Input
		secret   string
		scheme   string
		mistakes []string
	}{
		{"exact hex", inputOf(intercom, intercom.Signature), intercom.Secret, "intercom", nil},
		{"upper-case hex", inputOf(intercom, strings.ToUpper(intercom.Signature)), intercom.Secret, "intercom", []string{"upper-case hex"}},
		{"hex as base64", inputOf(intercom, base64.StdEncoding.EncodeToString(intercomMAC)), intercom.Secret, "intercom", []string{"base64 instead of hex"}},
		{"hex as base64url", inputOf(intercom, base64.RawURLEncoding.EncodeToString(intercomMAC)), intercom.Secret, "intercom", []string{"base64url instead of hex"}},
		{"base64 as hex", inputOf(engage, hex.EncodeToString(engageMAC)), engage.Secret, "engagespot", []string{"hex instead of base64"}},
		{"base64 as upper-case hex", inputOf(engage, strings.ToUpper(hex.EncodeToString(engageMAC))), engage.Secret, "engagespot", []string{"upper-case hex instead of base64"}},
		{"base64 as base64url", inputOf(engage, base64.RawURLEncoding.EncodeToString(engageMAC)), engage.Secret, "engagespot", []string{"base64url instead of base64"}},
		{"missing padding", inputOf(engage, strings.TrimRight(engage.Signature, "=")), engage.Secret, "engagespot", []string{"missing '=' padding"}},
		{"plus as space", inputOf(engage, strings.ReplaceAll(engage.Signature, "+", " ")), engage.Secret, "engagespot", []string{"'+' turned into a space"}},
		{"base64 of hex", inputOf(engage, base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(engageMAC)))), engage.Secret, "engagespot", []string{"base64 of the hex digest"}},
		{"BitConverter", inputOf(intercom, bitConverterOf(intercomMAC)), intercom.Secret, "intercom", []string{"hex with hyphens"}},
		{"trailing newline", inputOf(intercom, intercom.Signature+"\n"), intercom.Secret, "intercom", []string{"surrounding whitespace"}},
		{"quoted", inputOf(engage, `"`+engage.Signature+`"`), engage.Secret, "engagespot", []string{"surrounding quotes"}},
		{"0x", inputOf(intercom, "0x"+intercom.Signature), intercom.Secret, "intercom", []string{"0x prefix"}},
		{"percent-encoded", inputOf(engage, strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(engage.Signature)), engage.Secret, "engagespot", []string{"URL-encoded"}},

		{"email lower-cased", withEmail(crisp, "Jane@Example.COM"), crisp.Secret, "crisp", []string{"email lower-cased"}},
		{"email upper-cased given", withEmail(crisp, strings.ToUpper(crisp.Email)), crisp.Secret, "crisp", []string{"email lower-cased"}},
		{"email trimmed", withEmail(crisp, "  "+crisp.Email+"\n"), crisp.Secret, "crisp", []string{"email trimmed"}},
		{"email trimmed and lower-cased", withEmail(crisp, " Jane@Example.com "), crisp.Secret, "crisp", []string{"email lower-cased and trimmed"}},
		{"email case and hex case", Input{Email: "JANE@example.com", Signature: strings.ToUpper(crisp.Signature)}, crisp.Secret, "crisp", []string{"email lower-cased", "upper-case hex"}},

		{"swapped (email scheme)", swapped(crispBoth), crispBoth.Secret, "crisp", []string{"user id and email swapped"}},
		{"swapped (id-else-email scheme)", swapped(intercomBoth), intercomBoth.Secret, "intercom", []string{"user id and email swapped"}},
		{"id+email for an id scheme", inputOf(helpshift, helpshift.Signature), helpshift.Secret, "engagespot", []string{"user id + email"}},
		{"email+id for an id scheme", swapped(helpshift), helpshift.Secret, "engagespot", []string{"email + user id"}},
		{"helpshift swapped", swapped(helpshift), helpshift.Secret, "helpshift", []string{"user id and email swapped"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertExplained(t, tc.in, tc.secret, tc.scheme, tc.mistakes...)
		})
	}
}

// JavaScript vs .NET expiry text, from the productfruits and
// productfruits-dotnet vectors: signed over one text, the other given.
func TestExpiryForms(t *testing.T) {
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
		assertExplained(t, Input{UserID: dn.UserID, Expires: js.Expires, Signature: dn.Signature}, dn.Secret, "productfruits", "expiry in .NET form")
		assertExplained(t, Input{UserID: js.UserID, Expires: dn.Expires, Signature: js.Signature}, js.Secret, "productfruits", "expiry in JavaScript form")
		checked++
	}
	require.NotZero(t, checked)

	noExp := vectorOf(t, files, "productfruits", "ka-productfruits-testuser-no-expiry")
	assertExplained(t, Input{UserID: noExp.UserID, Expires: "2030-01-01T00:00:00.000Z", Signature: noExp.Signature}, noExp.Secret, "productfruits", "expiry left out")
}

func hmacHex(key []byte, msg string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return hex.EncodeToString(h.Sum(nil))
}

func TestKeyAndNumberMistakes(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "digits-id") // secret looks like base64
	raw, err := base64.StdEncoding.DecodeString(v.Secret)
	require.NoError(t, err)
	assertExplained(t, inputOf(v, hmacHex(raw, v.Message)), v.Secret, "intercom", "secret base64-decoded")
	assertExplained(t, inputOf(v, hmacHex([]byte(v.Secret+"\n"), v.Message)), v.Secret, "intercom", "secret with a trailing newline")
	assertExplained(t, inputOf(v, hmacHex([]byte(strings.TrimSpace(v.Secret)), v.Message)), " "+v.Secret+"\n", "intercom", "secret trimmed")

	hexSecret := "00112233445566778899aabbccddeeff"
	assertExplained(t, Input{UserID: "u-1", Signature: hmacHex(mustHex(t, hexSecret), "u-1")}, hexSecret, "intercom", "secret hex-decoded")

	num := vectorOf(t, files, "novu", "digits-id")
	assertExplained(t, inputOf(num, hmacHex([]byte(num.Secret), num.UserID+".0")), num.Secret, "novu", "number formatted differently")
}

// Pylon hex-decodes its secret: its target keys with the decoded bytes,
// and the reverse mistake — the hex text used as the key — comes from the
// same table.
func TestSecretNotHexDecoded(t *testing.T) {
	const hexSecret = "00112233445566778899AABBCCDDEEFF"
	const email = "user@example.com"
	tg := targetOf(t, "pylon")
	require.Equal(t, keyHexDecoded, tg.form)

	right := Input{Email: email, Signature: hmacHex(mustHex(t, hexSecret), email)}
	m, ok := explainUnder(t, right, []byte(hexSecret), tg)
	require.True(t, ok)
	assert.True(t, m.Valid)
	require.NoError(t, coreSigner(t, "pylon", []byte(hexSecret)).Verify(usersig.Identity{Email: email}, right.Signature),
		"diagnose's valid is the core's valid")

	asText := Input{Email: email, Signature: hmacHex([]byte(hexSecret), email)}
	m, ok = explainUnder(t, asText, []byte(hexSecret), tg)
	require.True(t, ok)
	assert.Equal(t, []string{"secret not hex-decoded"}, m.Mistakes)

	// Under a scheme that keys with the text, decoding is the mistake.
	m, ok = explainUnder(t, right, []byte(hexSecret), targetOf(t, "crisp"))
	require.True(t, ok)
	assert.Equal(t, []string{"secret hex-decoded"}, m.Mistakes)

	// A secret that is not hex gives such a scheme no key at all.
	_, ok = explainUnder(t, Input{Email: email, Signature: asText.Signature}, []byte("not hex at all!!"), tg)
	assert.False(t, ok)
}

// Letter case, in both directions, of the user id and the email; and a
// signature cut short. The vendor-computed vectors serve where a vendor's
// code signed the other case; the standard library applies the mistake
// elsewhere.
func TestCaseAndTruncation(t *testing.T) {
	files := loadVectors(t)
	uuid := vectorOf(t, files, "intercom", "uuid-id")        // lower-case UUID
	ascii := vectorOf(t, files, "engagespot", "ascii-id")    // user_8f3a2c
	upper := vectorOf(t, files, "crisp", "email-only-upper") // SUPPORT@EXAMPLE.ORG
	both := vectorOf(t, files, "crisp", "both-email-as-id")  // email Jane@Example.com
	crisp := vectorOf(t, files, "crisp", "email-only")       // jane@example.com
	intercom := vectorOf(t, files, "intercom", "ascii-id")
	engage := vectorOf(t, files, "engagespot", "uuid-id")
	require.Equal(t, "Jane@Example.com", both.Email)

	for _, tc := range []struct {
		name     string
		in       Input
		secret   string
		scheme   string
		mistakes []string
	}{
		// The backend signed the id in one case, the widget got another.
		{"id upper-cased on the way", Input{UserID: strings.ToUpper(uuid.UserID), Signature: uuid.Signature}, uuid.Secret, "intercom", []string{"user id in another case"}},
		{"id upper-cased, base64 scheme", Input{UserID: strings.ToUpper(ascii.UserID), Signature: ascii.Signature}, ascii.Secret, "engagespot", []string{"user id in another case"}},
		{"id lower-cased on the way", Input{UserID: uuid.UserID, Signature: hmacHex([]byte(uuid.Secret), strings.ToUpper(uuid.UserID))}, uuid.Secret, "intercom", []string{"user id in another case"}},

		// The email: the backend lower-cased it (given mixed case), or the
		// client did (given lower case).
		{"email lower-cased by the backend", Input{Email: "Jane@Example.COM", Signature: crisp.Signature}, crisp.Secret, "crisp", []string{"email lower-cased"}},
		{"email lower-cased by the client: upper", Input{Email: strings.ToLower(upper.Email), Signature: upper.Signature}, upper.Secret, "crisp", []string{"email lower-cased by the client"}},
		{"email lower-cased by the client: capitalised", Input{Email: strings.ToLower(both.Email), Signature: hmacHex([]byte(both.Secret), both.Email)}, both.Secret, "crisp", []string{"email lower-cased by the client"}},

		// Cut short, in hex and in base64.
		{"hex truncated", inputOf(intercom, intercom.Signature[:40]), intercom.Secret, "intercom", []string{"truncated"}},
		{"base64 truncated", inputOf(engage, engage.Signature[:32]), engage.Secret, "engagespot", []string{"truncated"}},
		{"truncated and upper-cased id", Input{UserID: strings.ToUpper(uuid.UserID), Signature: uuid.Signature[:16]}, uuid.Secret, "intercom", []string{"user id in another case", "truncated"}},
		// Lost '=' is the padding row, not "truncated".
		{"padding is not truncation", inputOf(engage, strings.TrimRight(engage.Signature, "=")), engage.Secret, "engagespot", []string{"missing '=' padding"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertExplained(t, tc.in, tc.secret, tc.scheme, tc.mistakes...)
		})
	}

	// A prefix too short to tell from chance is not called truncated.
	_, ok := explainUnder(t, inputOf(intercom, intercom.Signature[:minTruncated-1]), []byte(intercom.Secret), targetOf(t, "intercom"))
	assert.False(t, ok)
}

// A signature of the wrong length that nothing explains is called what its
// length says, not "usually a different secret".
func TestUnexplainedTruncated(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "ascii-id")
	for _, sig := range []string{v.Signature[:38], v.Signature[:48]} {
		rep, err := Run(inputOf(v, sig), []byte(v.Secret+"-other"))
		require.NoError(t, err)
		assert.Empty(t, rep.Matches)
		assert.Contains(t, rep.Explanation, "It is truncated: it decodes from hex to")
		assert.NotContains(t, rep.Explanation, "usually")
	}
	rep, err := Run(inputOf(v, v.Signature), []byte(v.Secret+"-other"))
	require.NoError(t, err)
	assert.Contains(t, rep.Explanation, "This usually means it was made with a different secret", "a full, well-formed HMAC does")
}
