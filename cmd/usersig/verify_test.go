package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
)

func verifyArgs(preset string, v vector, sig string) []string {
	return join([]string{"verify", "--scheme", preset, "--signature", sig}, identityArgs(v))
}

func TestVerifyKnownAnswers(t *testing.T) {
	for _, ka := range knownAnswers {
		r := cli(t, "secret", verifyArgs(ka.scheme, ka.vector(), ka.signature)...)
		assert.Equal(t, exitOK, r.code, "%s: %s", ka.scheme, r.stderr)
		assert.Equal(t, "valid\n", r.stdout)
	}
}

// tamper changes the first character to another of the same alphabet, so
// the text stays well-formed but is another MAC.
func tamper(sig string) string {
	c := byte('a')
	if sig[0] == 'a' {
		c = 'b'
	}
	return string(c) + sig[1:]
}

func TestVerifyVectors(t *testing.T) {
	files := loadVectors(t)
	for _, name := range sortedNames(files) {
		f := files[name]
		for _, v := range f.Vectors {
			r := cli(t, v.Secret, verifyArgs(f.Preset, v, v.Signature)...)
			assert.Equal(t, exitOK, r.code, "%s/%s: %s", name, v.Name, r.stderr)
			assert.Equal(t, "valid\n", r.stdout, "%s/%s", name, v.Name)

			r = cli(t, v.Secret, verifyArgs(f.Preset, v, tamper(v.Signature))...)
			assert.Equal(t, exitInvalid, r.code, "%s/%s", name, v.Name)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, "invalid signature")
			assert.Contains(t, r.stderr, "usersig diagnose")

			other := v.Secret + "x"
			if sc, _ := usersig.LookupScheme(f.Preset); sc.SecretEncoding == usersig.SecretHex {
				other = v.Secret + "01" // still hex, so a wrong key, not a refused one (not "00": HMAC pads short keys with zero bytes, so key‖00 is the same key)
			}
			r = cli(t, other, verifyArgs(f.Preset, v, v.Signature)...)
			assert.Equal(t, exitInvalid, r.code, "%s/%s: another secret", name, v.Name)
		}
	}
}

// The reason printed for a malformed signature is the library's
// SignatureFormatError reason for that text.
func TestVerifyMalformed(t *testing.T) {
	files := loadVectors(t)
	b64 := vectorOf(t, files, "engagespot", "uuid-id") // has '+' in its signature
	require.Contains(t, b64.Signature, "+")
	hexv := vectorOf(t, files, "intercom", "ascii-id")
	cases := []struct {
		name, preset string
		v            vector
		sig          string
	}{
		{"missing padding", "engagespot", b64, strings.TrimRight(b64.Signature, "=")},
		{"plus as space", "engagespot", b64, strings.ReplaceAll(b64.Signature, "+", " ")},
		{"base64url", "engagespot", b64, base64.RawURLEncoding.EncodeToString(mustB64(t, b64.Signature))},
		{"hex for base64", "engagespot", b64, hex.EncodeToString(mustB64(t, b64.Signature))},
		{"upper-case hex", "intercom", hexv, strings.ToUpper(hexv.Signature)},
		{"base64 for hex", "intercom", hexv, base64.StdEncoding.EncodeToString(mustHex(t, hexv.Signature))},
		{"truncated", "intercom", hexv, hexv.Signature[:40]},
		{"empty", "intercom", hexv, ""},
		{"trailing newline", "intercom", hexv, hexv.Signature + "\n"},
	}
	for _, tc := range cases {
		sc, ok := usersig.LookupScheme(tc.preset)
		require.True(t, ok)
		s, err := usersig.New(sc, []byte(tc.v.Secret))
		require.NoError(t, err)
		var fe *usersig.SignatureFormatError
		require.True(t, errors.As(s.Verify(usersig.Identity{UserID: tc.v.UserID, Email: tc.v.Email}, tc.sig), &fe), tc.name)

		r := cli(t, tc.v.Secret, verifyArgs(tc.preset, tc.v, tc.sig)...)
		assert.Equal(t, exitInvalid, r.code, tc.name)
		assert.Empty(t, r.stdout, tc.name)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, "malformed signature", tc.name)
		assert.Contains(t, r.stderr, fe.Reason, tc.name)
		textReason := strings.TrimSuffix(strings.TrimPrefix(r.stderr, "usersig verify: "), "\n")

		r = cli(t, tc.v.Secret, append(verifyArgs(tc.preset, tc.v, tc.sig), "--json")...)
		assert.Equal(t, exitInvalid, r.code, tc.name)
		var out verifyOutput
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), tc.name)
		assert.Equal(t, verifyOutput{Valid: false, Result: "malformed", Reason: textReason}, out)
	}
}

func mustB64(t *testing.T, s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func mustHex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestVerifyExpired(t *testing.T) {
	files := loadVectors(t)
	for _, file := range []string{"productfruits", "productfruits-dotnet"} {
		v := vectorOf(t, files, file, "ascii-id+expiry-whole-second")
		at, err := usersig.ParseExpiry(v.Expires)
		require.NoError(t, err)
		args := verifyArgs("productfruits", v, v.Signature)

		r := invocation{args: args, secret: v.Secret, now: at.Add(-time.Second)}.run(t)
		assert.Equal(t, exitOK, r.code, r.stderr)

		for _, now := range []time.Time{at, at.Add(time.Hour)} {
			r = invocation{args: args, secret: v.Secret, now: now}.run(t)
			assert.Equal(t, exitInvalid, r.code, file)
			assert.Empty(t, r.stdout)
			oneLine(t, r.stderr)
			assert.Contains(t, r.stderr, "expired")
		}
		r = invocation{args: append(args, "--json"), secret: v.Secret, now: at}.run(t)
		assert.Equal(t, exitInvalid, r.code)
		assert.Contains(t, r.stdout, `"result":"expired"`)
	}
}

// With --expires the MAC is checked over the exact text given: the .NET
// vector verifies with its seven digits and not with JavaScript's three.
func TestVerifyExactExpiryText(t *testing.T) {
	files := loadVectors(t)
	dotnet := vectorOf(t, files, "productfruits-dotnet", "ascii-id+expiry-whole-second")
	js := vectorOf(t, files, "productfruits", "ascii-id+expiry-whole-second")
	require.NotEqual(t, dotnet.Expires, js.Expires)

	r := cli(t, dotnet.Secret, verifyArgs("productfruits", dotnet, dotnet.Signature)...)
	assert.Equal(t, exitOK, r.code, r.stderr)

	swapped := dotnet
	swapped.Expires = js.Expires
	r = cli(t, dotnet.Secret, verifyArgs("productfruits", swapped, dotnet.Signature)...)
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stderr, "invalid signature")
}

func TestVerifyUsage(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	sig := strings.Repeat("a", 64)
	for _, tc := range []struct {
		name   string
		secret string
		args   []string
		want   string
	}{
		{"no signature", secret, []string{"verify", "--scheme", "intercom", "--user-id", "u"}, "--signature is required"},
		{"no scheme", secret, []string{"verify", "--signature", sig, "--user-id", "u"}, "--scheme is required"},
		{"unknown scheme", secret, []string{"verify", "--scheme", "nope", "--signature", sig, "--user-id", "u"}, `unknown scheme; schemes: engagespot, proficient`},
		{"no secret", "", []string{"verify", "--scheme", "intercom", "--signature", sig, "--user-id", "u"}, "no secret"},
		{"bad expiry", secret, []string{"verify", "--scheme", "productfruits", "--signature", sig, "--user-id", "u", "--expires", "tomorrow"}, "--expires"},
		{"no identity", secret, []string{"verify", "--scheme", "crisp", "--signature", sig, "--user-id", "u"}, "give --email"},
		{"unknown flag", secret, []string{"verify", "--scheme", "intercom", "--signature", sig, "--user", "u"}, `unknown flag "--user" (did you mean "--user-id"?)`},
		{"positional", secret, []string{"verify", "--scheme", "intercom", "--signature", sig, "u"}, "unexpected argument"},
	} {
		r := cli(t, tc.secret, tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		assert.Empty(t, r.stdout, tc.name)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.name)
	}
}

func TestVerifyJSONValid(t *testing.T) {
	ka := knownAnswers[0]
	r := cli(t, "secret", append(verifyArgs(ka.scheme, ka.vector(), ka.signature), "--json")...)
	require.Equal(t, exitOK, r.code)
	assert.JSONEq(t, `{"valid":true,"result":"valid"}`, r.stdout)
}

// shellWords splits a command line as a POSIX shell (with bash's $'...')
// would, for the quoting shellQuote writes: bare words, \x, '...', and
// $'...' with \\, \' and \xHH.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		case c == '\\':
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			require.GreaterOrEqual(t, end, 0, "unclosed quote in %q", line)
			cur.WriteString(line[i+1 : i+1+end])
			i, inWord = i+1+end, true
		case c == '$' && i+1 < len(line) && line[i+1] == '\'':
			for i += 2; line[i] != '\''; i++ {
				if line[i] != '\\' {
					cur.WriteByte(line[i])
					continue
				}
				i++
				if line[i] == 'x' {
					b, err := hex.DecodeString(line[i+1 : i+3])
					require.NoError(t, err)
					cur.Write(b)
					i += 2
				} else {
					cur.WriteByte(line[i])
				}
			}
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// verify's hint is a command that works: pasted as printed, with the same
// secret, it runs diagnose for the scheme, and diagnose explains the
// signature.
func TestVerifyHintRuns(t *testing.T) {
	ka := knownAnswers[0] // intercom, "Message", key "secret"
	mac, err := hex.DecodeString(ka.signature)
	require.NoError(t, err)
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "my secret's file")
	require.NoError(t, os.WriteFile(secretFile, []byte("secret\n"), 0o600))
	b64 := base64.StdEncoding.EncodeToString(mac)

	for _, tc := range []struct {
		name   string
		inv    invocation
		result string // verify's result
		answer string // diagnose's first line
	}{
		{"invalid: the user id's case", invocation{secret: "secret", args: []string{"verify", "--scheme", "intercom", "--user-id", "message", "--signature", ka.signature}},
			"invalid", "Not valid for scheme intercom, because of 1 mistake: user id in another case."},
		{"malformed: base64 for a hex scheme", invocation{secret: "secret", args: []string{"verify", "--scheme", "intercom", "--user-id", "Message", "--signature", b64}},
			"malformed", "Not valid for scheme intercom, because of 1 mistake: base64 instead of hex."},
		{"malformed: a newline, a secret file with a quote in its path", invocation{args: []string{"verify", "--scheme", "Intercom", "--user-id", "Message", "--signature", ka.signature + "\n", "--secret-file", secretFile}},
			"malformed", "Not valid for scheme intercom, because of 1 mistake: surrounding whitespace."},
		{"invalid: another MAC, secret on stdin, quotes in the id", invocation{stdin: "secret", args: []string{"verify", "--scheme", "intercom", "--user-id", `it's "me"`, "--signature", tamper(ka.signature), "--secret-file", "-"}},
			"invalid", "Not valid for scheme intercom, and no common mistake explains it:"},
	} {
		r := tc.inv.run(t)
		require.Equal(t, exitInvalid, r.code, tc.name)
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		for _, l := range lines[:len(lines)-1] {
			assert.True(t, strings.HasPrefix(l, "usersig: warning: "), "%s: %q", tc.name, l)
		}
		_, cmd, ok := strings.Cut(lines[len(lines)-1], "; to find out why, run: ")
		require.True(t, ok, "%s: %s", tc.name, r.stderr)
		assert.Contains(t, r.stderr, "verify: "+tc.result+" signature", tc.name)
		words := shellWords(t, cmd)
		require.Equal(t, []string{"usersig", "diagnose", "--scheme", "intercom"}, words[:4], tc.name)

		d := invocation{args: words[1:], secret: tc.inv.secret, stdin: tc.inv.stdin}.run(t)
		assert.NotEqual(t, exitUsage, d.code, "%s: the hint is not a valid command: %s", tc.name, d.stderr)
		assert.True(t, strings.HasPrefix(d.stdout, tc.answer+"\n"), "%s: %s", tc.name, d.stdout)

		// The JSON form carries the same hint.
		j := invocation{args: append(append([]string{}, tc.inv.args...), "--json"), secret: tc.inv.secret, stdin: tc.inv.stdin}.run(t)
		var out verifyOutput
		require.NoError(t, json.Unmarshal([]byte(j.stdout), &out), tc.name)
		assert.Contains(t, out.Reason, "; to find out why, run: "+cmd, tc.name)
	}
}
