package diagnose

import (
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/usersig/usersig"
)

// A keyForm is how a scheme turns the secret it is given into the HMAC key.
type keyForm uint8

const (
	// keyAsText keys the HMAC with the secret's bytes as given: every
	// preset today.
	keyAsText keyForm = iota
	// keyHexDecoded keys it with the bytes the secret's hex text decodes to.
	keyHexDecoded
)

// key is the HMAC key form makes of secret, or false when it cannot.
func (f keyForm) key(secret []byte) ([]byte, bool) {
	if f == keyHexDecoded {
		b, err := hex.DecodeString(string(secret))
		return b, err == nil && len(b) > 0
	}
	return secret, true
}

// keyFormOf says how sc keys its HMAC, from the scheme's own rule
// (Scheme.SecretEncoding): the key rows below cover both mistakes,
// decoding a secret used as text and using as text a secret meant to be
// decoded (Pylon).
func keyFormOf(sc usersig.Scheme) keyForm {
	if sc.SecretEncoding == usersig.SecretHex {
		return keyHexDecoded
	}
	return keyAsText
}

// A keyMistake is a way the key used to sign differs from the key the
// scheme makes of the secret given: key returns the key that was used, or
// false when the mistake does not apply to the secret or the scheme's form.
type keyMistake struct {
	name, explanation string
	key               func(secret []byte, form keyForm) ([]byte, bool)
}

// keyMistakes starts with "no mistake". Order breaks ties: earlier rows
// are the more common mistakes. To add a mistake, add a row.
var keyMistakes = []keyMistake{
	{"", "", func(s []byte, f keyForm) ([]byte, bool) { return f.key(s) }},
	{"secret base64-decoded", "The signature was made with the secret base64-decoded into bytes; vendors use the secret's text itself as the HMAC key, even when it looks like base64.",
		onlyFor(keyAsText, decodeSecret(base64Decode))},
	{"secret hex-decoded", "The signature was made with the secret hex-decoded into bytes; vendors use the secret's text itself as the HMAC key, even when it looks like hex.",
		onlyFor(keyAsText, decodeSecret(hex.DecodeString))},
	{"secret trimmed", "The signature was made with the secret without the surrounding whitespace the secret given has: remove the whitespace (a copy-paste or file artefact).",
		func(s []byte, f keyForm) ([]byte, bool) {
			t := []byte(strings.TrimSpace(string(s)))
			if len(t) == 0 || len(t) == len(s) {
				return nil, false
			}
			return f.key(t)
		}},
	{"secret with a trailing newline", "The signature was made with a newline after the secret (read from a file, or echo, without trimming): strip it where the signature is made.",
		func(s []byte, f keyForm) ([]byte, bool) { return f.key(append(append([]byte(nil), s...), '\n')) }},
	{"secret not hex-decoded", "The signature was made with the secret's hex text itself as the HMAC key, but this scheme hex-decodes the secret into bytes first: decode it (Node: Buffer.from(secret, 'hex'); Python: bytes.fromhex(secret)) before signing.",
		onlyFor(keyHexDecoded, func(s []byte) ([]byte, bool) { return s, true })},
}

// onlyFor applies used to schemes of the given key form only.
func onlyFor(form keyForm, used func([]byte) ([]byte, bool)) func([]byte, keyForm) ([]byte, bool) {
	return func(s []byte, f keyForm) ([]byte, bool) {
		if f != form {
			return nil, false
		}
		return used(s)
	}
}

// decodeSecret applies a decoder to secrets that look encoded (at least 16
// characters, so that short words are not taken for base64).
func decodeSecret(decode func(string) ([]byte, error)) func([]byte) ([]byte, bool) {
	return func(s []byte) ([]byte, bool) {
		if len(s) < 16 {
			return nil, false
		}
		b, err := decode(string(s))
		return b, err == nil && len(b) > 0
	}
}

func base64Decode(s string) ([]byte, error) {
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		var b []byte
		if b, err = enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, err
}
