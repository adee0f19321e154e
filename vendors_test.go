package usersig

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig/internal/vendorvectors"
)

type (
	vendorFile   = vendorvectors.File
	vendorVector = vendorvectors.Vector
)

// vendorNow is before every expiry in the vectors.
var vendorNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func vectorIdentity(t testing.TB, v vendorVector) Identity {
	id := Identity{UserID: v.UserID, Email: v.Email}
	if v.ExpiresAt != "" {
		at, err := time.Parse(time.RFC3339Nano, v.ExpiresAt)
		require.NoError(t, err)
		id.ExpiresAt = at
	}
	return id
}

func vectorSigner(t testing.TB, v vendorVector, sc Scheme, now time.Time) *Signer {
	t.Helper()
	opts := []Option{WithClock(func() time.Time { return now })}
	if v.KnownAnswer {
		opts = append(opts, WithShortSecretsAllowed()) // the vendors' samples key with "secret"
	}
	return newSigner(t, sc, v.Secret, opts...)
}

// loadVendorFiles reads the vectors the vendors' own code and samples wrote
// (internal/interop/vendors: Node, Python, Java, Ruby, PHP, C# under Mono),
// never Go.
func loadVendorFiles(t testing.TB) map[string]vendorFile {
	files, err := vendorvectors.Load("testdata/vendors")
	require.NoError(t, err)
	return files
}

func TestVendorVectors(t *testing.T) {
	files := loadVendorFiles(t)
	covered := map[string]bool{}
	for name, f := range files {
		sc, ok := LookupScheme(f.Preset)
		require.True(t, ok, "%s names unknown preset %q", name, f.Preset)
		require.NotEmpty(t, f.Vectors, name)
		covered[sc.Name] = true
		t.Run(name, func(t *testing.T) {
			assert.NotContains(t, f.Generator, "go ", "vectors come from the vendor's language, never Go")
			for _, v := range f.Vectors {
				checkVendorVector(t, sc, v)
				checkSampleDefect(t, sc, f, v)
			}
			for _, rs := range f.RefusedSecrets {
				checkRefusedSecret(t, sc, rs)
			}
			for _, v := range f.Refused {
				_, err := vectorSigner(t, v, sc, vendorNow).Sign(vectorIdentity(t, v))
				assert.ErrorIs(t, err, ErrMissingIdentity, v.Name)
			}
		})
	}
	for _, f := range loadTimestampedFiles(t) {
		covered[f.Preset] = true // checked by TestTimestampedVendorVectors
	}
	for _, sc := range Schemes() {
		assert.True(t, covered[sc.Name], "no vendor vectors for %s", sc.Name)
	}
}

// provenBy names, for each preset whose vendor's own code or documented
// sample is not JavaScript, the languages testdata/vendors must hold it in,
// as <preset>-<lang>.json: the README's "proven by" column.
var provenBy = map[string][]string{
	"helpshift":              {"python", "java"},
	"helpshift-full-privacy": {"python", "java"},
	"productfruits":          {"dotnet"},
	"intercom":               {"ruby"},
	"crisp":                  {"php"},
	"helpscout":              {"ruby", "php"},
	"front":                  {"ruby", "php"},
	"chatwoot":               {"ruby"},
	"magicbell":              {"ruby"},
	"gleap":                  {"ruby", "php"},
	"tawkto-visitor":         {"php"},
	"talkjs":                 {"php"},
}

func TestVendorVectorsNative(t *testing.T) {
	files := loadVendorFiles(t)
	for preset, langs := range provenBy {
		for _, lang := range langs {
			f, ok := files[preset+"-"+lang]
			if assert.True(t, ok, "no %s-%s.json: the vendor's own code is not run", preset, lang) {
				assert.Equal(t, preset, f.Preset)
				assert.NotEmpty(t, f.Generator)
			}
		}
	}
}

// checkSampleDefect checks that where a vendor's sample differs from the
// vendor's server behaviour, it differs in exactly the way the file says,
// and that usersig gives the server behaviour (checkVendorVector).
func checkSampleDefect(t *testing.T, sc Scheme, f vendorFile, v vendorVector) {
	if v.SampleDefect == "" {
		assert.Empty(t, v.SampleSignature, "%s: a sample output with no defect named", v.Name)
		return
	}
	assert.NotEmpty(t, f.SampleDefects[v.SampleDefect], "%s: defect %q is not explained in the file", v.Name, v.SampleDefect)
	cred := Credential{UserID: v.UserID, Email: v.Email, Expires: v.Expires}
	switch v.SampleDefect {
	case "ascii-secret": // .NET's Encoding.ASCII: '?' for each non-ASCII character of the key
		mangled := v
		mangled.Secret = asciiQuestionMarks(t, v.Secret)
		require.NotEqual(t, v.Secret, mangled.Secret, v.Name)
		got, err := vectorSigner(t, mangled, sc, vendorNow).SignCredential(cred)
		require.NoError(t, err, v.Name)
		assert.Equal(t, v.SampleSignature, got.Signature, "%s: the sample's output is the key with '?' substituted", v.Name)
	case "empty-user-id": // intercom-rails: a present but empty user_id gives no user_hash
		assert.Empty(t, v.SampleSignature, v.Name)
		assert.Empty(t, v.UserID, v.Name)
		assert.Equal(t, v.Email, v.Message, "%s: usersig signs the email", v.Name)
	case "esc-js": // WordPress esc_js: a backslash before each single quote
		assert.Equal(t, strings.ReplaceAll(v.Message, "'", `\'`), v.SampleMessage, v.Name)
		cred.Email = v.SampleMessage
		got, err := vectorSigner(t, v, sc, vendorNow).SignCredential(cred)
		require.NoError(t, err, v.Name)
		assert.Equal(t, v.SampleSignature, got.Signature, "%s: the plugin signed the escaped text", v.Name)
	case "upper-hex": // TalkJS's PHP sample: strtoupper, which TalkJS accepts
		assert.Equal(t, strings.ToUpper(v.Signature), v.SampleSignature, v.Name)
		cred.Signature = v.SampleSignature
		assert.ErrorIs(t, vectorSigner(t, v, sc, vendorNow).VerifyCredential(cred), ErrMalformedSignature,
			"%s: the preset is strict lower-case hex", v.Name)
	default:
		t.Errorf("%s: unknown sampleDefect %q", v.Name, v.SampleDefect)
	}
}

// asciiQuestionMarks is .NET's Encoding.ASCII.GetString(GetBytes(s)) for
// text within the Basic Multilingual Plane: '?' for every non-ASCII
// character. Outside it .NET replaces per UTF-16 unit, which no vector uses.
func asciiQuestionMarks(t *testing.T, s string) string {
	var b strings.Builder
	for _, r := range s {
		require.LessOrEqual(t, r, rune(0xFFFF), "no vector has a secret outside the BMP")
		if r > 0x7F {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func checkRefusedSecret(t *testing.T, sc Scheme, rs vendorvectors.RefusedSecret) {
	_, err := New(sc, []byte(rs.Secret))
	switch rs.Refusal {
	case "malformed":
		assert.ErrorIs(t, err, ErrMalformedSecret, rs.Name)
	case "weak":
		assert.ErrorIs(t, err, ErrWeakSecret, rs.Name)
	default:
		t.Errorf("%s: unknown refusal %q", rs.Name, rs.Refusal)
	}
	if err != nil {
		assert.NotContains(t, err.Error(), rs.Secret, "%s: the error shows the secret", rs.Name)
	}
}

func checkVendorVector(t *testing.T, sc Scheme, v vendorVector) {
	s := vectorSigner(t, v, sc, vendorNow)
	id := vectorIdentity(t, v)
	cred := Credential{UserID: v.UserID, Email: v.Email, Expires: v.Expires, Signature: v.Signature}

	// The vendor's front end sends back the exact text it was given.
	assert.NoError(t, s.VerifyCredential(cred), v.Name)
	unsigned := cred
	unsigned.Signature = ""
	signed, err := s.SignCredential(unsigned)
	require.NoError(t, err, v.Name)
	assert.Equal(t, v.Signature, signed.Signature, "%s: signed over the exact expiry text", v.Name)
	assert.NoError(t, s.VerifyCredential(signed), "%s: what SignCredential hands out verifies", v.Name)

	// Where the text is JavaScript's toJSON, this package signs it itself.
	if js, _ := FormatExpiry(id.ExpiresAt); v.Expires == "" || v.Expires == js {
		msg, err := sc.Composer.AppendMessage(nil, id)
		require.NoError(t, err, v.Name)
		assert.Equal(t, v.Message, string(msg), v.Name)
		got, err := s.Sign(id)
		require.NoError(t, err, v.Name)
		assert.Equal(t, v.Signature, got, v.Name)
		assert.NoError(t, s.Verify(id, v.Signature), v.Name)
		issued, err := s.Issue(id)
		require.NoError(t, err, v.Name)
		if sc.Composer == UserIDExpiry { // the fields signed, and the exact text
			assert.Equal(t, Credential{UserID: v.UserID, Expires: v.Expires, Signature: v.Signature}, issued, v.Name)
		}
	}

	tampered := cred
	tampered.Signature = flipChar(v.Signature)
	assert.Error(t, s.VerifyCredential(tampered), "%s: one character changed", v.Name)
	other := cred
	other.UserID, other.Email = other.UserID+"x", other.Email+"x"
	assert.ErrorIs(t, s.VerifyCredential(other), ErrInvalidSignature, "%s: another identity", v.Name)
	if !id.ExpiresAt.IsZero() {
		late := vectorSigner(t, v, sc, id.ExpiresAt)
		assert.ErrorIs(t, late.VerifyCredential(cred), ErrExpired, "%s: expiry passed", v.Name)
		assert.ErrorIs(t, late.Verify(id, v.Signature), ErrExpired, v.Name)
		reworded := cred
		reworded.Expires = id.ExpiresAt.Add(time.Hour).UTC().Format(time.RFC3339Nano)
		assert.ErrorIs(t, s.VerifyCredential(reworded), ErrInvalidSignature, "%s: expiry moved", v.Name)
	}
}

// flipChar changes one character of a signature to another of the same
// alphabet, so the result stays well-formed except at the trailing-bit
// position.
func flipChar(sig string) string {
	b := []byte(sig)
	i := len(b) / 2
	if b[i] == 'a' {
		b[i] = 'b'
	} else {
		b[i] = 'a'
	}
	return string(b)
}

func TestSchemes(t *testing.T) {
	want := []string{"engagespot", "proficient", "helpshift", "helpshift-full-privacy", "productfruits", "intercom",
		"crisp", "helpscout", "front", "tawkto", "novu", "magicbell", "courier", "chatwoot", "gleap", "canny", "plain", "featurebase",
		"tawkto-visitor", "pylon", "talkjs", "chameleon"}
	var names []string
	for _, sc := range Schemes() {
		names = append(names, sc.Name)
		assert.NoError(t, sc.validate(), sc.Name)
		assert.NotEmpty(t, sc.Source, sc.Name)
		assert.NotEmpty(t, sc.Transport, sc.Name)
		got, ok := LookupScheme(sc.Name)
		assert.True(t, ok)
		assert.Equal(t, sc.Name, got.Name)
	}
	assert.Equal(t, want, names)
	got, ok := LookupScheme("Intercom")
	assert.True(t, ok, "names match without regard to case, as usertoken.ProfileByName does")
	assert.Equal(t, "intercom", got.Name)
	_, ok = LookupScheme("intercom ")
	assert.False(t, ok, "no trimming")

	// A caller changing its copy changes nobody else's preset.
	list := Schemes()
	list[0].Encoding = Hex
	list[0].Headers.Signature = "X-Evil"
	again, _ := LookupScheme("engagespot")
	assert.Equal(t, Base64, again.Encoding)
	assert.Equal(t, "X-ENGAGESPOT-USER-SIGNATURE", again.Headers.Signature)
}
