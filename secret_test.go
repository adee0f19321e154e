package usersig

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadSecretFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	for _, tc := range []struct{ name, content, want string }{
		{"plain", "hsec_0123456789abcdef", "hsec_0123456789abcdef"},
		{"echo", "hsec_0123456789abcdef\n", "hsec_0123456789abcdef"},
		{"crlf", "hsec_0123456789abcdef\r\n", "hsec_0123456789abcdef"},
		{"one newline only", "hsec_0123456789abcdef\n\n", "hsec_0123456789abcdef\n"},
		{"other whitespace kept", " hsec_0123456789abcdef\t", " hsec_0123456789abcdef\t"},
		{"lone cr kept", "hsec_0123456789abcdef\r", "hsec_0123456789abcdef\r"},
	} {
		got, err := ReadSecretFile(write(tc.name, tc.content))
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, string(got), tc.name)
	}

	for _, content := range []string{"", "\n", "\r\n"} {
		_, err := ReadSecretFile(write("empty", content))
		assert.ErrorIs(t, err, ErrSecretFile)
		assert.ErrorIs(t, err, ErrEmptySecret)
	}

	_, err := ReadSecretFile(write("big", strings.Repeat("k", 64<<10+1)))
	assert.ErrorIs(t, err, ErrSecretFile)

	// A path pasted where the secret belongs must not come back in the error.
	secretPath := filepath.Join(dir, "hsec_TOPSECRETVALUE")
	_, err = ReadSecretFile(secretPath)
	assert.ErrorIs(t, err, ErrSecretFile)
	assert.True(t, errors.Is(err, fs.ErrNotExist))
	assert.NotContains(t, err.Error(), "TOPSECRET")

	// The secret a file gives signs like the bytes themselves.
	fromFile, err := ReadSecretFile(write("echo2", "0123456789abcdef0123\n"))
	require.NoError(t, err)
	s1, err := New(Intercom(), fromFile)
	require.NoError(t, err)
	s2, err := New(Intercom(), []byte("0123456789abcdef0123"))
	require.NoError(t, err)
	a, _ := s1.Sign(Identity{UserID: "u"})
	b, _ := s2.Sign(Identity{UserID: "u"})
	assert.Equal(t, b, a)
}
