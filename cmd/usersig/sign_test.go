package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignKnownAnswers(t *testing.T) {
	for _, ka := range knownAnswers {
		r := cli(t, "secret", join([]string{"sign", "--scheme", ka.scheme}, identityArgs(ka.vector()))...)
		require.Equal(t, exitOK, r.code, r.stderr)
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		assert.Equal(t, ka.signature, lines[0], ka.scheme)
		if ka.expires != "" {
			require.Len(t, lines, 2)
			assert.Equal(t, ka.expires, lines[1])
		} else {
			assert.Len(t, lines, 1)
		}
		assert.Contains(t, r.stderr, "shorter than 16 bytes", "short-secret warning")
	}
}

// Every vector of every preset: the first line is the vector's signature
// and, for an expiry, the second is the exact text signed.
func TestSignVectors(t *testing.T) {
	files := loadVectors(t)
	n := 0
	for _, name := range sortedNames(files) {
		f := files[name]
		for _, v := range f.Vectors {
			r := cli(t, v.Secret, join([]string{"sign", "--scheme", f.Preset}, identityArgs(v))...)
			require.Equal(t, exitOK, r.code, "%s/%s: %s", name, v.Name, r.stderr)
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			assert.Equal(t, v.Signature, lines[0], "%s/%s", name, v.Name)
			if v.Expires != "" && f.Preset == "productfruits" {
				require.Len(t, lines, 2, "%s/%s", name, v.Name)
				assert.Equal(t, v.Expires, lines[1], "%s/%s", name, v.Name)
			}
			n++
		}
	}
	t.Logf("%d vectors in %d files", n, len(files))
}

func TestSignJSON(t *testing.T) {
	files := loadVectors(t)
	for _, tc := range []struct{ file, name string }{
		{"productfruits-dotnet", "ascii-id+expiry-whole-second"},
		{"productfruits", "ka-productfruits-testuser-expiry"},
		{"helpshift", "both-basic"},
		{"crisp", "email-only-mixed-case-plus"},
	} {
		v := vectorOf(t, files, tc.file, tc.name)
		preset := files[tc.file].Preset
		r := cli(t, v.Secret, join([]string{"sign", "--json", "--scheme", preset}, identityArgs(v))...)
		require.Equal(t, exitOK, r.code, r.stderr)
		oneLine(t, r.stdout)
		var got map[string]string
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		assert.Equal(t, preset, got["scheme"])
		assert.Equal(t, files[tc.file].Encoding, got["encoding"])
		assert.Equal(t, v.Signature, got["signature"])
		assert.Equal(t, v.UserID, got["userId"])
		assert.Equal(t, v.Email, got["email"])
		assert.Equal(t, v.Expires, got["expires"])
	}
}

// The vectors' refused identities (nothing the scheme signs) are usage
// errors with one line naming the flag to give.
func TestSignRefused(t *testing.T) {
	files := loadVectors(t)
	for _, name := range sortedNames(files) {
		f := files[name]
		for _, v := range f.Refused {
			r := cli(t, v.Secret, join([]string{"sign", "--scheme", f.Preset}, identityArgs(v))...)
			assert.Equal(t, exitUsage, r.code, "%s/%s", name, v.Name)
			assert.Empty(t, r.stdout)
			oneLine(t, r.stderr)
			assert.Contains(t, r.stderr, "give --", "%s/%s", name, v.Name)
		}
	}
}

func TestSignNotes(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	r := cli(t, secret, "sign", "--scheme", "intercom", "--user-id", "u1", "--email", "a@b.c")
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "--email is not part of the signature")

	r = cli(t, secret, "sign", "--scheme", "crisp", "--user-id", "u1", "--email", "a@b.c", "--expires", "2030-01-01T00:00:00Z")
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "--expires, --user-id are not part of the signature")

	r = cli(t, secret, "sign", "--scheme", "productfruits", "--user-id", "u1", "--expires", "2019-01-01T00:00:00.000Z")
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "not in the future")
}
