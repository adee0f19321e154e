package diagnose

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
)

// Every vector, as is, is valid for its preset, over the exact message the
// vendor's snippet signed, and Run reports nothing but valid matches.
func TestRunVectorsValid(t *testing.T) {
	files := loadVectors(t)
	for _, name := range sortedNames(files) {
		f := files[name]
		for _, v := range f.Vectors {
			rep, err := Run(inputOf(v, v.Signature), []byte(v.Secret))
			require.NoError(t, err)
			m, ok := findMatch(rep, f.Preset)
			if assert.True(t, ok, "%s/%s", name, v.Name) {
				assert.True(t, m.Valid, "%s/%s: %+v", name, v.Name, m)
				assert.Equal(t, v.Message, m.SignedText, "%s/%s", name, v.Name)
				assert.Equal(t, "none", m.Mistake)
				assert.Empty(t, m.Mistakes)
				assert.Contains(t, m.Explanation, "the signature is valid for scheme "+f.Preset)
			}
			for _, m := range rep.Matches {
				assert.True(t, m.Valid, "%s/%s: a valid signature stops the search: %+v", name, v.Name, m)
			}
		}
	}
}

// A valid verdict is the core's: each scheme Run says the signature is valid
// for accepts it in Signer.VerifyCredential, and the message the engine
// composes has the MAC the core's SignCredential gives.
func TestValidAgreesWithCore(t *testing.T) {
	files := loadVectors(t)
	for _, name := range sortedNames(files) {
		for _, v := range files[name].Vectors {
			rep, err := Run(inputOf(v, v.Signature), []byte(v.Secret))
			require.NoError(t, err)
			for _, m := range rep.Matches {
				s := coreSigner(t, m.Scheme, []byte(v.Secret))
				err := s.VerifyCredential(usersig.Credential{UserID: v.UserID, Email: v.Email, Expires: v.Expires, Signature: v.Signature})
				if !errors.Is(err, usersig.ErrExpired) {
					assert.NoError(t, err, "%s/%s under %s", name, v.Name, m.Scheme)
				}
			}
		}
	}
}

func TestComposeIsTheCoreMessage(t *testing.T) {
	files := loadVectors(t)
	for _, name := range sortedNames(files) {
		for _, v := range files[name].Vectors {
			msg, err := newMessage(inputOf(v, ""))
			require.NoError(t, err)
			for _, tg := range presetTargets() {
				if tg.rule == usersig.UserIDTimestamp {
					continue // its message ends in the signature's own time: TestRunTimestamped
				}
				key, ok := tg.form.key([]byte(v.Secret))
				if !ok {
					continue // a text secret under a scheme that hex-decodes its secret
				}
				cred, err := coreSigner(t, tg.sc.Name, []byte(v.Secret)).SignCredential(usersig.Credential{UserID: v.UserID, Email: v.Email, Expires: v.Expires})
				text, ok := compose(tg.rule, msg)
				if err != nil {
					assert.False(t, ok, "%s/%s under %s", name, v.Name, tg.sc.Name)
					continue
				}
				require.True(t, ok, "%s/%s under %s", name, v.Name, tg.sc.Name)
				h := hmac.New(sha256.New, key)
				h.Write([]byte(text))
				assert.Equal(t, cred.Signature, canonical(h.Sum(nil), tg.sc.Encoding), "%s/%s under %s", name, v.Name, tg.sc.Name)
			}
		}
	}
}

// A vector signed under another secret is explained by nothing.
func TestRunNoMatch(t *testing.T) {
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "ascii-id")
	rep, err := Run(inputOf(v, v.Signature), []byte(v.Secret+"-other"))
	require.NoError(t, err)
	assert.NotNil(t, rep.Matches)
	assert.Empty(t, rep.Matches)
	assert.Contains(t, rep.Explanation, "different secret")
	assert.Contains(t, rep.Explanation, "API key")
	assert.Contains(t, rep.Explanation, "32-byte HMAC-SHA256 in hex")

	rep, err = Run(inputOf(v, strings.Repeat("ab", 20)), []byte(v.Secret))
	require.NoError(t, err)
	assert.Contains(t, rep.Explanation, "SHA-1")

	rep, err = Run(inputOf(v, strings.Repeat("a", 10000)), []byte(v.Secret))
	require.NoError(t, err)
	assert.Empty(t, rep.Matches)
	assert.Contains(t, rep.Explanation, "longer than any form")
}

func TestRunInputErrors(t *testing.T) {
	_, err := Run(Input{Signature: "abc"}, []byte("secret"))
	assert.ErrorIs(t, err, usersig.ErrMissingIdentity)
	_, err = Run(Input{UserID: "u", Expires: "2026-13-01", Signature: "abc"}, []byte("secret"))
	assert.ErrorIs(t, err, usersig.ErrInvalidExpiry)
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

// No report, on any path, contains the secret.
func TestReportHasNoSecret(t *testing.T) {
	const secret = "Zq7-distinctive-SECRET-value-9f3b2c1d8e7a6b5c4d3e2f1a0b9c8d7e"
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte("u-1"))
	mac := h.Sum(nil)
	for _, sig := range []string{
		hex.EncodeToString(mac), strings.ToUpper(hex.EncodeToString(mac)), base64.StdEncoding.EncodeToString(mac),
		"%%%", strings.Repeat("a", 64), secret, " " + secret + " ",
	} {
		for _, in := range []Input{{UserID: "u-1", Signature: sig}, {UserID: "u-1", Email: " U@Example.com", Expires: "2030-01-01T00:00:00.000Z", Signature: sig}} {
			rep, err := Run(in, []byte(secret))
			require.NoError(t, err)
			rep.Notes = append(rep.Notes, "x") // the text form too
			b, err := json.Marshal(rep)
			require.NoError(t, err)
			var text strings.Builder
			rep.WriteText(&text)
			for _, out := range []string{string(b), text.String()} {
				if sig != secret && sig != " "+secret+" " {
					assert.NotContains(t, out, secret[3:24], sig)
				}
			}
		}
	}
}

func TestWriteTextValid(t *testing.T) {
	ka := knownAnswerIntercom
	rep, err := Run(Input{UserID: "Message", Signature: ka}, []byte("secret"))
	require.NoError(t, err)
	var b strings.Builder
	rep.WriteText(&b)
	assert.True(t, strings.HasPrefix(b.String(), "The signature is valid for scheme intercom (also "), b.String())
	assert.NotContains(t, b.String(), "mistake")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 2, "one paragraph and the encoding note: %q", b.String())
	assert.Equal(t, "Note: Written as base64, the same HMAC is valid for engagespot, proficient, helpshift, helpshift-full-privacy, productfruits, magicbell: if the signature is meant for one of those, it is in the wrong encoding (add --scheme NAME to check one).", lines[1])
}

// Intercom's published sample: HMAC-SHA256("secret", "Message") in hex.
const knownAnswerIntercom = "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"

func TestExpiryLeftOutIsNotAForm(t *testing.T) {
	// Schemes that do not sign the expiry get no expiry rows.
	msg, err := newMessage(Input{UserID: "u", Expires: "2030-01-01T00:00:00Z"})
	require.NoError(t, err)
	for _, tg := range presetTargets() {
		signs := !tg.sc.SignedFields(msg.identity()).ExpiresAt.IsZero()
		for _, r := range newSearch(nil, msg, "").messagesFor(tg) {
			if strings.HasPrefix(messageMistakes[r.row].name, "expiry") {
				assert.True(t, signs, "%s: %s", tg.sc.Name, messageMistakes[r.row].name)
			}
		}
	}
}

// With a scheme asked about, every vector is valid for its own preset, and
// for every other preset the answer is one of the three forms; the search
// under the asked scheme agrees with explainUnder.
func TestRunAsked(t *testing.T) {
	files := loadVectors(t)
	for _, name := range sortedNames(files) {
		f := files[name]
		v := f.Vectors[0]
		rep, err := Run(Input{UserID: v.UserID, Email: v.Email, Expires: v.Expires, Signature: v.Signature, Scheme: strings.ToUpper(f.Preset)}, []byte(v.Secret))
		require.NoError(t, err)
		require.NotNil(t, rep.Asked, name)
		assert.Equal(t, f.Preset, rep.Asked.Scheme)
		assert.True(t, rep.Asked.Valid, "%s: %+v", name, rep.Asked)
		assert.True(t, rep.Asked.Explained)
		assert.Equal(t, v.Message, rep.Asked.SignedText, name)
		assert.True(t, strings.HasPrefix(rep.Asked.Explanation, "Valid for scheme "+f.Preset+": "), rep.Asked.Explanation)

		// Every other preset, with one search as Run makes it (Run itself
		// for each would search every preset again each time).
		in := inputOf(v, v.Signature)
		msg, err := newMessage(in)
		require.NoError(t, err)
		s := newSearch([]byte(v.Secret), msg, in.Signature)
		for _, tg := range presetTargets() {
			a := s.verdict(tg, in, []byte(v.Secret))
			m, explained := explainUnder(t, in, []byte(v.Secret), tg)
			assert.Equal(t, explained, a.Explained, "%s under %s", name, tg.sc.Name)
			switch {
			case a.Valid:
				assert.True(t, strings.HasPrefix(a.Explanation, "Valid for scheme "+tg.sc.Name+": "), a.Explanation)
			case a.Explained:
				assert.Equal(t, m.Mistakes, a.Mistakes, "%s under %s", name, tg.sc.Name)
				assert.True(t, strings.HasPrefix(a.Explanation, "Not valid for scheme "+tg.sc.Name+", because of "), a.Explanation)
			default:
				assert.Empty(t, a.Mistakes)
				assert.True(t, strings.HasPrefix(a.Explanation, "Not valid for scheme "+tg.sc.Name+", and no common mistake explains it: "), a.Explanation)
			}
		}
	}
	_, err := Run(Input{UserID: "u", Signature: "x", Scheme: "nope"}, []byte("secret"))
	assert.ErrorIs(t, err, ErrUnknownScheme)
	assert.NotContains(t, err.Error(), "nope")

	long, err := Run(Input{UserID: "u", Signature: strings.Repeat("a", maxSignature+1), Scheme: "intercom"}, []byte("secret"))
	require.NoError(t, err)
	require.NotNil(t, long.Asked)
	assert.False(t, long.Asked.Explained)
	assert.Contains(t, long.Asked.Explanation, "far longer than any form")
}

// The asked scheme's answer never shows the secret either.
func TestAskedHasNoSecret(t *testing.T) {
	const secret = "Zq7-distinctive-SECRET-value-9f3b2c1d8e7a6b5c4d3e2f1a0b9c8d7e"
	for _, s := range []string{secret, secret + "\n", " " + secret} {
		for _, sc := range []string{"intercom", "engagespot", "pylon", "productfruits"} {
			for _, sig := range []string{strings.Repeat("a", 64), strings.Repeat("A", 30), "%%%", secret} {
				rep, err := Run(Input{UserID: "u-1", Expires: "2030-01-01T00:00:00.000Z", Signature: sig, Scheme: sc}, []byte(s))
				require.NoError(t, err)
				b, err := json.Marshal(rep)
				require.NoError(t, err)
				var text strings.Builder
				rep.WriteText(&text)
				for _, out := range []string{string(b), text.String()} {
					if sig != secret {
						assert.NotContains(t, out, secret[3:24], "%s %q", sc, sig)
					}
				}
			}
		}
	}
}
