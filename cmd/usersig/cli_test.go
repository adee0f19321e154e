package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
)

func TestHelp(t *testing.T) {
	r := cli(t, "", "help")
	assert.Equal(t, exitOK, r.code)
	assert.Empty(t, r.stderr)
	for _, c := range commands() {
		assert.Contains(t, r.stdout, c.name)
	}
	assert.Contains(t, r.stdout, "USERSIG_SECRET")
	for _, args := range [][]string{{"-h"}, {"--help"}} {
		r2 := cli(t, "", args...)
		assert.Equal(t, exitOK, r2.code)
		assert.Equal(t, r.stdout, r2.stdout)
	}
	for _, c := range commands() {
		for _, args := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}} {
			r := cli(t, "", args...)
			assert.Equal(t, exitOK, r.code, args)
			assert.Empty(t, r.stderr, args)
			assert.True(t, strings.HasPrefix(r.stdout, "usage: usersig "+c.name), "%v: %q", args, r.stdout)
			assert.Contains(t, r.stdout, "flags:")
		}
	}
}

func TestUsageErrors(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	for _, tc := range []struct {
		name   string
		secret string
		args   []string
		want   string
	}{
		{"unknown command", secret, []string{"frobnicate"}, `unknown command; commands: sign, verify, diagnose, schemes, secret`},
		{"mistyped command", secret, []string{"sing"}, `unknown command "sing" (did you mean "sign"?); commands: sign,`},
		{"help unknown", secret, []string{"help", "frobnicate"}, "unknown command"},
		{"unknown scheme", secret, []string{"sign", "--scheme", "intercomm", "--user-id", "u"}, `unknown scheme "intercomm" (did you mean "intercom"?); schemes: ` + schemeNames()},
		{"far scheme", secret, []string{"sign", "--scheme", "zzzzzz", "--user-id", "u"}, `unknown scheme; schemes: ` + schemeNames()},
		{"no scheme", secret, []string{"sign", "--user-id", "u"}, "--scheme is required"},
		{"no secret", "", []string{"sign", "--scheme", "intercom", "--user-id", "u"}, "no secret: set USERSIG_SECRET or use --secret-file"},
		{"unparsable expiry", secret, []string{"sign", "--scheme", "productfruits", "--user-id", "u", "--expires", "2026-11-22 10:00"}, "--expires: invalid expiry"},
		{"unknown flag", secret, []string{"sign", "--scheme", "intercom", "--userid", "u"}, `unknown flag "--userid" (did you mean "--user-id"?)`},
		{"unknown flag, maybe a secret", secret, []string{"sign", "--scheme", "intercom", "--hunter2pass", "u"}, "unknown flag (not repeated here"},
		{"single dash", secret, []string{"sign", "--scheme", "intercom", "-usr-id", "u"}, `unknown flag "--usr-id" (did you mean "--user-id"?)`},
		{"secret flag", secret, []string{"sign", "--secret", "hunter2", "--scheme", "intercom"}, "there is no --secret flag"},
		{"flag needs value", secret, []string{"sign", "--scheme"}, "flag needs an argument"},
		{"bad bool", secret, []string{"sign", "--json=maybe"}, "invalid value for flag --json"},
		{"positional", secret, []string{"sign", "--scheme", "intercom", "--user-id", "u", "extra"}, "unexpected argument"},
		{"missing file", "", []string{"sign", "--scheme", "intercom", "--user-id", "u", "--secret-file", "/nonexistent/secret"}, "cannot read the file given to --secret-file: no such file or directory"},
		{"empty secret file path", secret, []string{"sign", "--scheme", "intercom", "--user-id", "u", "--secret-file", ""}, "--secret-file needs a PATH"},
		{"schemes positional", secret, []string{"schemes", "x"}, "unexpected argument"},
		{"secret bad prefix", secret, []string{"secret", "--prefix", "a b"}, "--prefix"},
	} {
		r := cli(t, tc.secret, tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		assert.Empty(t, r.stdout, tc.name)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.name)
		assert.NotContains(t, r.stderr, "frobnicate", tc.name)
		assert.NotContains(t, r.stderr, "hunter2", tc.name)
		assert.NotContains(t, r.stderr, "zzzzzz", tc.name)
	}
}

func TestSecretFile(t *testing.T) {
	ka := knownAnswers[1] // engagespot, key "secret"
	args := []string{"sign", "--scheme", ka.scheme, "--user-id", ka.userID}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		valid         bool
	}{
		{"bare", "secret", true},
		{"newline", "secret\n", true},
		{"crlf", "secret\r\n", true},
		{"two newlines: one stripped", "secret\n\n", false},
		{"trailing space kept", "secret \n", false},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
		require.NoError(t, os.WriteFile(p, []byte(tc.content), 0o600))
		r := cli(t, "", append(args, "--secret-file", p)...)
		require.Equal(t, exitOK, r.code, tc.name)
		assert.Equal(t, tc.valid, r.stdout == ka.signature+"\n", tc.name)

		r = invocation{args: append(args, "--secret-file", "-"), stdin: tc.content}.run(t)
		require.Equal(t, exitOK, r.code, tc.name)
		assert.Equal(t, tc.valid, r.stdout == ka.signature+"\n", tc.name+" (stdin)")
	}
	// The file wins over the environment.
	p := filepath.Join(dir, "bare")
	r := cli(t, "another-secret-entirely", append(args, "--secret-file", p)...)
	assert.Equal(t, ka.signature+"\n", r.stdout)

	for _, content := range []string{"", "\n", "\r\n"} {
		empty := filepath.Join(dir, "empty")
		require.NoError(t, os.WriteFile(empty, []byte(content), 0o600))
		r = cli(t, "", append(args, "--secret-file", empty)...)
		assert.Equal(t, exitUsage, r.code, "%q", content)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, "the file given to --secret-file is empty", "%q", content)

		r = invocation{args: append(args, "--secret-file", "-"), stdin: content}.run(t)
		assert.Equal(t, exitUsage, r.code, "%q (stdin)", content)
		assert.Contains(t, r.stderr, "empty", "%q (stdin)", content)
	}

	// Unreadable paths: the cause, never the path (it may be a pasted secret).
	for _, p := range []string{dir, filepath.Join(dir, "Zq7-not-a-file")} {
		r = cli(t, "", append(args, "--secret-file", p)...)
		assert.Equal(t, exitUsage, r.code, p)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, "cannot read the file given to --secret-file: ", p)
		assert.NotContains(t, r.stderr, dir, p)
	}
}

// A secret file holding "secret\n" or "secret\r\n" (echo, an editor, a
// mounted Kubernetes secret) signs as the bare secret, for every command
// that reads one.
func TestSecretFileNewlineEverywhere(t *testing.T) {
	ka := knownAnswers[0] // intercom, "Message", key "secret"
	dir := t.TempDir()
	for _, content := range []string{"secret\n", "secret\r\n"} {
		p := filepath.Join(dir, "s")
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		r := cli(t, "", "sign", "--scheme", ka.scheme, "--user-id", ka.userID, "--secret-file", p)
		assert.Equal(t, ka.signature+"\n", r.stdout, "%q", content)
		r = cli(t, "", "verify", "--scheme", ka.scheme, "--user-id", ka.userID, "--signature", ka.signature, "--secret-file", p)
		assert.Equal(t, exitOK, r.code, "%q: %s", content, r.stderr)
		r = cli(t, "", "diagnose", "--user-id", ka.userID, "--signature", ka.signature, "--secret-file", p)
		assert.Equal(t, exitOK, r.code, "%q", content)
		assert.True(t, strings.HasPrefix(r.stdout, "The signature is valid for scheme intercom"), "%q: %s", content, r.stdout)
	}
}

// usersig alone prints its usage, as an error.
func TestNoCommand(t *testing.T) {
	r := cli(t, "", []string{}...)
	assert.Equal(t, exitUsage, r.code)
	assert.Empty(t, r.stdout)
	help := cli(t, "", "help")
	assert.Equal(t, help.stdout, r.stderr)
	assert.Contains(t, r.stderr, "usage: usersig COMMAND")
}

// Scheme names are matched in any case; an unknown one lists the names.
func TestSchemeAnyCase(t *testing.T) {
	ka := knownAnswers[4] // helpshift
	for _, name := range []string{"helpshift", "Helpshift", "HELPSHIFT"} {
		r := cli(t, "secret", join([]string{"sign", "--scheme", name}, identityArgs(ka.vector()))...)
		require.Equal(t, exitOK, r.code, "%s: %s", name, r.stderr)
		assert.Equal(t, ka.signature+"\n", r.stdout, name)
		r = cli(t, "secret", join([]string{"verify", "--scheme", name, "--signature", ka.signature}, identityArgs(ka.vector()))...)
		assert.Equal(t, exitOK, r.code, name)
		r = cli(t, "secret", join([]string{"sign", "--json", "--scheme", name}, identityArgs(ka.vector()))...)
		assert.Contains(t, r.stdout, `"scheme":"helpshift"`, name)
	}
	r := cli(t, "secret", "sign", "--scheme", "Helpshiftt", "--user-id", "u")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown scheme "Helpshiftt" (did you mean "helpshift"?); schemes: engagespot`)
}

// A flag given twice is a usage error for every command: the flag package
// would silently use the last.
func TestRepeatedFlag(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	for _, args := range [][]string{
		{"sign", "--scheme", "intercom", "--user-id", "a", "--user-id", "b"},
		{"sign", "--scheme", "intercom", "--scheme", "crisp", "--user-id", "a"},
		{"sign", "--scheme", "intercom", "--user-id", "a", "--json", "--json"},
		{"sign", "--scheme", "intercom", "--user-id", "a", "--secret-file", "-", "--secret-file", "-"},
		{"verify", "--scheme", "intercom", "--signature", "x", "--user-id", "a", "-user-id=b"},
		{"diagnose", "--signature", "x", "--email", "a@b", "--email", "c@d"},
		{"schemes", "--json", "--json=false"},
		{"secret", "--prefix", "a", "--prefix", "b"},
		{"token", "--profile", "knock", "--profile", "braze", "--user-id", "u", "--key-file", "k"},
		{"keygen", "--out", "a", "--out", "b"},
	} {
		r := cli(t, secret, args...)
		assert.Equal(t, exitUsage, r.code, args)
		assert.Empty(t, r.stdout, args)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, "is given more than once", args)
	}
	// Once each is fine, and help still shows each flag's type and default.
	r := cli(t, secret, "sign", "--scheme", "intercom", "--user-id", "a", "--json")
	assert.Equal(t, exitOK, r.code, r.stderr)
	r = cli(t, "", "token", "-h")
	assert.Contains(t, r.stdout, "  --ttl duration\n")
	assert.Contains(t, r.stdout, "(default 1h0m0s)")
	r = cli(t, "", "sign", "-h")
	assert.Contains(t, r.stdout, "  --user-id string\n")
	assert.Contains(t, r.stdout, "  --json\n")
}

func TestSchemes(t *testing.T) {
	r := cli(t, "", "schemes")
	require.Equal(t, exitOK, r.code)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, len(usersig.Schemes())+1)
	assert.Regexp(t, `^NAME +MESSAGE +ENCODING +SECRET +TRANSPORT$`, lines[0])
	for i, sc := range usersig.Schemes() {
		assert.True(t, strings.HasPrefix(lines[i+1], sc.Name+" "), lines[i+1])
		assert.Contains(t, lines[i+1], sc.Describe())
		assert.Contains(t, lines[i+1], " "+sc.Encoding.String()+" ")
		assert.Contains(t, lines[i+1], " "+sc.SecretEncoding.String()+" ")
		assert.Contains(t, lines[i+1], sc.Transport)
	}

	r = cli(t, "", "schemes", "--json")
	require.Equal(t, exitOK, r.code)
	var out []schemeOutput
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	require.Len(t, out, len(usersig.Schemes()))
	assert.Equal(t, "engagespot", out[0].Name)
	for _, o := range out {
		want := "as given"
		if o.Name == "pylon" {
			want = "hex"
		}
		assert.Equal(t, want, o.Secret, o.Name)
	}
}

func TestSecretCommand(t *testing.T) {
	seen := map[string]bool{}
	for _, prefix := range []string{"", "hsec_"} {
		for i := 0; i < 3; i++ {
			args := []string{"secret"}
			if prefix != "" {
				args = append(args, "--prefix", prefix)
			}
			r := cli(t, "", args...)
			require.Equal(t, exitOK, r.code)
			assert.Empty(t, r.stderr)
			assert.Regexp(t, regexp.MustCompile(`^`+prefix+`[A-Za-z0-9_-]{43}\n$`), r.stdout)
			assert.False(t, seen[r.stdout], "repeated secret")
			seen[r.stdout] = true
		}
	}
}

// No output of any command, on any path, contains the secret.
func TestSecretNeverPrinted(t *testing.T) {
	const secret = "Zq7-distinctive-SECRET-value-9f3b2c1d8e7a6b5c4d3e2f1a0b9c8d7e"
	const short = "Kx9shortP"
	files := loadVectors(t)
	v := vectorOf(t, files, "intercom", "ascii-id")
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(secretFile, []byte(secret+"\n"), 0o600))

	// A valid signature under the distinctive secret, for the success paths.
	good := cli(t, secret, "sign", "--scheme", "intercom", "--user-id", "u-1")
	require.Equal(t, exitOK, good.code)
	sig := strings.TrimSpace(good.stdout)
	b64 := cli(t, secret, "sign", "--scheme", "productfruits", "--user-id", "u-1", "--expires", "2030-01-01T00:00:00.000Z", "--json")
	require.Equal(t, exitOK, b64.code)

	id := []string{"--user-id", "u-1", "--email", "U@Example.com"}
	invocations := [][]string{
		{"help"}, {"-h"}, {}, {"bogus"},
		{"sign", "-h"}, {"verify", "-h"}, {"diagnose", "-h"}, {"schemes"}, {"secret"},
		{"sign", "--scheme", "intercom", "--user-id", "u-1"},
		{"sign", "--scheme", "intercom", "--user-id", "u-1", "--json"},
		{"sign", "--scheme", "productfruits", "--user-id", "u-1", "--expires", "2030-01-01T00:00:00.0000000Z"},
		{"sign", "--scheme", "crisp", "--user-id", "u-1"},
		{"sign", "--scheme", "nope", "--user-id", "u-1"},
		{"sign", "--scheme", "intercom", "--user-id", "u-1", "--expires", "soon"},
		{"sign", "--scheme", "intercom", "--user-id", "u-1", "--bogus"},
		{"verify", "--scheme", "intercom", "--signature", sig, "--user-id", "u-1"},
		{"verify", "--scheme", "intercom", "--signature", sig, "--user-id", "u-1", "--json"},
		{"verify", "--scheme", "intercom", "--signature", tamper(sig), "--user-id", "u-1"},
		{"verify", "--scheme", "intercom", "--signature", strings.ToUpper(sig), "--user-id", "u-1", "--json"},
		{"verify", "--scheme", "intercom", "--signature", sig, "--user-id", "u-1", "--expires", "2019-01-01T00:00:00Z"},
		{"verify", "--scheme", "intercom", "--user-id", "u-1"},
		{"diagnose", "--signature", sig, "--user-id", "u-1"},
		{"diagnose", "--signature", strings.ToUpper(sig), "--user-id", "u-1", "--json"},
		{"diagnose", "--signature", v.Signature, "--user-id", v.UserID},
		{"diagnose", "--signature", v.Signature, "--user-id", v.UserID, "--json"},
		join([]string{"diagnose", "--signature", sig}, id),
		{"diagnose", "--signature", "%%%", "--user-id", "u-1"},
		{"diagnose", "--scheme", "intercom", "--signature", sig, "--user-id", "u-1"},
		{"diagnose", "--scheme", "intercom", "--signature", tamper(sig), "--user-id", "u-1", "--json"},
		{"diagnose", "--scheme", "pylon", "--signature", sig, "--email", "u@example.com"},
		{"diagnose", "--scheme", "engagespot", "--signature", sig[:20], "--user-id", "u-1"},
	}
	check := func(name string, r result) {
		t.Helper()
		all := r.stdout + r.stderr
		assert.NotContains(t, all, secret, name)
		assert.NotContains(t, all, secret[3:24], name)
		assert.NotContains(t, all, short, name)
	}
	for _, args := range invocations {
		name := strings.Join(args, " ")
		check(name+" (env)", cli(t, secret, args...))
		check(name+" (file)", cli(t, "", append(append([]string{}, args...), "--secret-file", secretFile)...))
		check(name+" (stdin)", invocation{args: append(append([]string{}, args...), "--secret-file", "-"), stdin: secret}.run(t))
		check(name+" (short)", cli(t, short, args...))
	}
	// A secret typed where it does not belong is not echoed either.
	for _, args := range [][]string{
		{secret},
		{"sign", "--secret", secret},
		{"sign", "--secret=" + secret},
		{"sign", "--scheme", "intercom", "--user-id", "u", secret},
		{"sign", "--scheme", secret},
		{"diagnose", "--scheme", secret, "--signature", "x", "--user-id", "u"},
		{"sign", "--" + secret},
		{"sign", "--" + strings.ToLower(secret[:12])},
		{"help", secret},
		{"sign", "--json=" + secret},
		{"sign", "---secret=" + secret},
		{"sign", "-=" + secret},
		{"sign", "--scheme", "intercom", "--user-id", "u", "--secret-file", secret},
		{"token", "--profile", "knock", "--user-id", "u", "--key-file", secret},
	} {
		r := cli(t, "", args...)
		assert.Equal(t, exitUsage, r.code, args)
		check("misplaced", r)
	}
}

// Help spells every flag --flag, as the usage texts and the README do.
func TestHelpSpellsDoubleDash(t *testing.T) {
	for _, c := range commands() {
		r := cli(t, "", c.name, "-h")
		require.Equal(t, exitOK, r.code, c.name)
		_, flags, ok := strings.Cut(r.stdout, "\nflags:\n")
		require.True(t, ok, c.name)
		assert.Regexp(t, `(?m)^  --[a-z]`, flags, c.name)
		assert.NotRegexp(t, `(?m)^  -[a-z]`, flags, "%s: a flag spelled -flag:\n%s", c.name, flags)
	}
}

// A secret that begins or ends with whitespace is used as given, with a
// warning on stderr, by every command that reads one, from every source.
func TestSecretWhitespaceWarning(t *testing.T) {
	ka := knownAnswers[0] // intercom, "Message", key "secret"
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "hs256")
	require.NoError(t, os.WriteFile(keyFile, []byte("0123456789abcdef0123456789abcdef \n"), 0o600))
	commands := map[string][]string{
		"sign":     {"sign", "--scheme", ka.scheme, "--user-id", ka.userID},
		"verify":   {"verify", "--scheme", ka.scheme, "--user-id", ka.userID, "--signature", ka.signature},
		"diagnose": {"diagnose", "--user-id", ka.userID, "--signature", ka.signature},
	}
	for _, tc := range []struct {
		name, secret, file, want string
	}{
		{"env newline", "secret\n", "", "ends with a line break"},
		{"env crlf", "secret\r\n", "", "ends with a line break"},
		{"env space", "secret ", "", "ends with whitespace"},
		{"env leading tab", "\tsecret", "", "begins with whitespace"},
		{"file with two newlines", "", "secret\n\n", "ends with a line break"},
		{"file with a space", "", "secret \n", "ends with whitespace"},
	} {
		for cmd, args := range commands {
			inv := invocation{args: args, secret: tc.secret}
			if tc.file != "" {
				p := filepath.Join(dir, "secret")
				require.NoError(t, os.WriteFile(p, []byte(tc.file), 0o600))
				inv.args = append(append([]string{}, args...), "--secret-file", p)
			}
			r := inv.run(t)
			assert.Contains(t, r.stderr, "usersig: warning: the secret "+tc.want, "%s: %s", cmd, tc.name)
			assert.NotContains(t, r.stderr, "secret\n\n", "%s: %s", cmd, tc.name)
			if cmd == "verify" {
				assert.Equal(t, exitInvalid, r.code, "%s: the secret is used as given, so the sample does not verify", tc.name)
			}
		}
	}
	// A clean secret gets no such warning; a file's one newline is not one.
	for _, inv := range []invocation{
		{args: commands["sign"], secret: "secret"},
		{args: append(append([]string{}, commands["sign"]...), "--secret-file", "-"), stdin: "secret\n"},
	} {
		r := inv.run(t)
		assert.Equal(t, exitOK, r.code)
		assert.NotContains(t, r.stderr, "whitespace")
		assert.NotContains(t, r.stderr, "line break")
	}
	// token, for the profiles keyed with a shared secret.
	r := cli(t, "", "token", "--profile", "intercom", "--user-id", "u", "--key-file", keyFile)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "usersig: warning: the secret ends with whitespace")
}

// Exit codes follow the table of the command's README: 0 success, 1 not
// valid or not explained (or an I/O failure), 2 a usage error, keygen over
// an existing key included.
func TestExitCodeTable(t *testing.T) {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	table := string(b)
	table = table[strings.Index(table, "## Exit codes"):]
	for _, row := range []string{"| 0 |", "| 1 |", "| 2 |", "keygen"} {
		assert.Contains(t, table, row)
	}
	ka := knownAnswers[0]
	dir := t.TempDir()
	require.Equal(t, exitOK, cli(t, "", "keygen", "--out", dir, "--alg", "ES256").code)
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"sign", []string{"sign", "--scheme", ka.scheme, "--user-id", ka.userID}, exitOK},
		{"verify valid", []string{"verify", "--scheme", ka.scheme, "--user-id", ka.userID, "--signature", ka.signature}, exitOK},
		{"verify invalid", []string{"verify", "--scheme", ka.scheme, "--user-id", "other", "--signature", ka.signature}, exitInvalid},
		{"verify malformed", []string{"verify", "--scheme", ka.scheme, "--user-id", ka.userID, "--signature", "0x" + ka.signature}, exitInvalid},
		{"diagnose explained", []string{"diagnose", "--user-id", ka.userID, "--signature", strings.ToUpper(ka.signature)}, exitOK},
		{"diagnose unexplained", []string{"diagnose", "--user-id", "other", "--signature", ka.signature}, exitInvalid},
		{"keygen over a key", []string{"keygen", "--out", dir}, exitUsage},
		{"unknown flag", []string{"schemes", "--bogus"}, exitUsage},
		{"diagnose unknown scheme", []string{"diagnose", "--scheme", "nope", "--user-id", "u", "--signature", ka.signature}, exitUsage},
	} {
		assert.Equal(t, tc.want, cli(t, "secret", tc.args...).code, tc.name)
	}
}

// The README's console transcripts are what the command prints: each
// "$ USERSIG_SECRET=secret go run ./cmd/usersig ARGS" runs, and its output
// (stderr first, as a terminal shows these) is the lines that follow.
func TestReadmeTranscripts(t *testing.T) {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?ms)^```console\n(.*?)^```$").FindAllStringSubmatch(string(b), -1)
	require.NotEmpty(t, blocks)
	const prompt = "$ USERSIG_SECRET=secret go run ./cmd/usersig "
	ran := 0
	for _, blk := range blocks {
		for _, part := range strings.Split(blk[1], "$ ")[1:] {
			cmd, want, _ := strings.Cut("$ "+part, "\n")
			require.True(t, strings.HasPrefix(cmd, prompt), "a transcript this test cannot run: %s", cmd)
			r := cli(t, "secret", shellWords(t, strings.TrimPrefix(cmd, prompt))...)
			assert.Equal(t, want, r.stderr+r.stdout, cmd)
			ran++
		}
	}
	assert.GreaterOrEqual(t, ran, 5)
}

// nearest names a real name only for a near miss: a typo within two edits
// (a swap counts as one), a different case, or a name cut short.
func TestNearest(t *testing.T) {
	flags := []string{"scheme", "signature", "user-id", "email", "expires", "secret-file", "json"}
	for typed, want := range map[string]string{
		"userid": "user-id", "usre-id": "user-id", "USER-ID": "user-id", "user": "user-id",
		"sig": "signature", "jsn": "json", "emial": "email", "secretfile": "secret-file",
		"js": "", "x": "", "hunter2pass": "", "correcthorsebattery": "", "": "",
		strings.Repeat("user-id", 20): "",
	} {
		assert.Equal(t, want, nearest(typed, flags), "%q", typed)
	}
	assert.Equal(t, 1, editDistance("ab", "ba"))
	assert.Equal(t, 3, editDistance("abc", ""))
	assert.Equal(t, 0, editDistance("same", "same"))
}
