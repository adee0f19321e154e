package usersig

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const pylonHex = "8f1c2a7e9b3d4c5a6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5"

func TestSecretHexDecodes(t *testing.T) {
	id := Identity{Email: "jane@example.com"}
	lower := newSigner(t, Pylon(), pylonHex)
	upper := newSigner(t, Pylon(), strings.ToUpper(pylonHex))
	sig, err := lower.Sign(id)
	require.NoError(t, err)
	assert.NoError(t, upper.Verify(id, sig), "either case of hex is the same key, as for Buffer.from and bytes.fromhex")

	asGiven := Pylon()
	asGiven.SecretEncoding = SecretAsGiven
	wrong, err := newSigner(t, asGiven, pylonHex).Sign(id)
	require.NoError(t, err)
	assert.NotEqual(t, sig, wrong, "keying with the hex text itself is the mistake the form prevents")

	rotated := newSigner(t, Pylon(), strings.Repeat("ab", 32), WithPreviousSecrets([]byte(pylonHex)))
	assert.NoError(t, rotated.Verify(id, sig), "previous secrets are decoded too")
}

func TestSecretHexRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		secret string
		want   error
	}{
		"odd length":            {pylonHex[1:], ErrMalformedSecret},
		"not hex":               {"zz" + pylonHex[2:], ErrMalformedSecret},
		"0x prefix":             {"0x" + pylonHex, ErrMalformedSecret},
		"space":                 {pylonHex[:32] + " " + pylonHex[32:63], ErrMalformedSecret},
		"15 bytes once decoded": {pylonHex[:30], ErrWeakSecret},
		"empty":                 {"", ErrEmptySecret},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := New(Pylon(), []byte(tc.secret))
			require.ErrorIs(t, err, tc.want)
			if tc.secret != "" {
				assert.NotContains(t, err.Error(), tc.secret)
			}
			_, err = New(Pylon(), []byte(pylonHex), WithPreviousSecrets([]byte(tc.secret)))
			assert.ErrorIs(t, err, tc.want, "a previous secret is held to the same rule")
			assert.ErrorContains(t, err, "previous secret 1")
		})
	}
	_, err := New(Pylon(), []byte(pylonHex[:30]), WithShortSecretsAllowed())
	assert.NoError(t, err, "WithShortSecretsAllowed applies to the decoded length")
	_, err = New(Pylon(), []byte(pylonHex[:31]), WithShortSecretsAllowed())
	assert.ErrorIs(t, err, ErrMalformedSecret, "but never to malformed hex")
}

func TestSecretFormValidated(t *testing.T) {
	sc := Pylon()
	sc.SecretEncoding = SecretHex + 1
	_, err := New(sc, []byte(pylonHex))
	assert.ErrorIs(t, err, ErrInvalidScheme)
	assert.Equal(t, "as given", SecretAsGiven.String())
	assert.Equal(t, "hex", SecretHex.String())
	assert.Equal(t, "SecretForm(2)", (SecretHex + 1).String())
	for _, p := range Schemes() {
		if p.Name != "pylon" {
			assert.Equal(t, SecretAsGiven, p.SecretEncoding, "%s keys with its secret as given", p.Name)
		}
	}
}

// Check refuses what a file, a shell or a copy-paste leaves around a
// secret, and for SecretHex what New refuses, never showing the secret.
func TestSecretFormCheck(t *testing.T) {
	const text = "hsec_0123456789abcdef"
	for _, tc := range []struct {
		form   SecretForm
		secret string
		want   error  // nil: accepted
		where  string // the words of the refusal
	}{
		{SecretAsGiven, text, nil, ""},
		{SecretAsGiven, "a b\tc", nil, ""}, // inner whitespace is the vendor's business
		{SecretAsGiven, text + "\n", ErrMalformedSecret, "ends with a line break"},
		{SecretAsGiven, text + "\r\n", ErrMalformedSecret, "ends with a line break"},
		{SecretAsGiven, text + "\r", ErrMalformedSecret, "ends with a line break"},
		{SecretAsGiven, text + " ", ErrMalformedSecret, "ends with whitespace"},
		{SecretAsGiven, text + "\t", ErrMalformedSecret, "ends with whitespace"},
		{SecretAsGiven, text + "\u00a0", ErrMalformedSecret, "ends with whitespace"}, // a web page's &nbsp;
		{SecretAsGiven, " " + text, ErrMalformedSecret, "begins with whitespace"},
		{SecretAsGiven, "", ErrEmptySecret, ""},
		{SecretHex, pylonHex, nil, ""},
		{SecretHex, pylonHex + "\n", ErrMalformedSecret, "ends with a line break"},
		{SecretHex, pylonHex[1:], ErrMalformedSecret, "odd number"},
		{SecretHex, "0x" + pylonHex, ErrMalformedSecret, "other than 0-9"},
	} {
		err := tc.form.Check([]byte(tc.secret))
		if tc.want == nil {
			assert.NoError(t, err, "%q", tc.secret)
			continue
		}
		require.ErrorIs(t, err, tc.want, "%q", tc.secret)
		assert.Contains(t, err.Error(), tc.where, "%q", tc.secret)
		if tc.secret != "" {
			assert.NotContains(t, err.Error(), strings.TrimSpace(tc.secret), "the error shows the secret")
		}
	}

	// What Check refuses, New signs with, silently: the reason Check exists.
	s := newSigner(t, Engagespot(), text+"\n")
	withNewline, err := s.Sign(Identity{UserID: "u"})
	require.NoError(t, err)
	clean, err := newSigner(t, Engagespot(), text).Sign(Identity{UserID: "u"})
	require.NoError(t, err)
	assert.NotEqual(t, clean, withNewline)
}
