package usersig

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"unicode"
	"unicode/utf8"
)

// MinSecretLen is the shortest secret New accepts without
// WithShortSecretsAllowed: 16 bytes, 128 bits if they are random. For a
// scheme whose vendor hands out hex (SecretHex) it counts the decoded bytes.
const MinSecretLen = 16

// maxSecretFileLen bounds what ReadSecret reads: no real secret comes close,
// and a larger input is a wrong path, not a key.
const maxSecretFileLen = 64 << 10

func checkSecret(secret []byte, allowShort bool) error {
	switch {
	case len(secret) == 0:
		return errEmptySecret
	case len(secret) < MinSecretLen && !allowShort:
		return fmt.Errorf("%w: %d bytes, want at least %d (or WithShortSecretsAllowed)", errWeakSecret, len(secret), MinSecretLen)
	}
	return nil
}

// ReadSecretFile returns the secret stored in the file at path: its bytes
// less exactly one trailing "\n" or "\r\n", which is what echo, editors and
// mounted Kubernetes secrets add and what no vendor signs with. Everything
// else, other whitespace included, is part of the secret, since a vendor
// uses its secret's bytes as given.
//
// Errors wrap ErrSecretFile and, where it applies, the cause: the fs error
// (errors.Is(err, fs.ErrNotExist) works) or ErrEmptySecret for a file that
// is empty once the newline is removed. A file over 64 KiB is refused
// unread. The error text never contains the path or the file's content: a
// path typed in the wrong place may be the secret itself.
func ReadSecretFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, secretFileError("cannot open the file", pathCause(err))
	}
	defer f.Close()
	return ReadSecret(f)
}

// ReadSecret is ReadSecretFile for a reader, such as standard input: at most
// 64 KiB, less one trailing "\n" or "\r\n", refusing an empty result.
func ReadSecret(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSecretFileLen+1))
	if err != nil {
		return nil, secretFileError("cannot read it", pathCause(err))
	}
	if len(b) > maxSecretFileLen {
		return nil, secretFileError("it is larger than 64 KiB, which is not a secret", nil)
	}
	if t, ok := bytes.CutSuffix(b, []byte("\r\n")); ok {
		b = t
	} else {
		b, _ = bytes.CutSuffix(b, []byte("\n"))
	}
	if len(b) == 0 {
		clear(b[:cap(b)])
		return nil, secretFileError("it is empty (once one trailing newline is removed)", errEmptySecret)
	}
	return b, nil
}

// pathCause drops the path from an fs error, keeping what errors.Is needs.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// A SecretForm says how a vendor hands out its secret, and so how New turns
// the text a dashboard shows into the HMAC key. Almost every vendor keys with
// the secret's bytes exactly as given, even when they look like hex or
// base64; a few document a decoding step, and skipping it (or adding one)
// yields signatures the vendor refuses.
type SecretForm uint8

const (
	// SecretAsGiven (the zero value): the key is the secret's bytes as
	// given, never decoded.
	SecretAsGiven SecretForm = iota
	// SecretHex: the secret is hex text, in either case, and the key is the
	// bytes it decodes to, as Pylon's docs say ("the secret is a hex string
	// and must be decoded"). An odd-length or non-hex secret is refused with
	// ErrMalformedSecret rather than truncated, as Node's Buffer.from(s,
	// "hex") would silently do; MinSecretLen applies to the decoded bytes.
	SecretHex
)

func (f SecretForm) valid() bool { return f <= SecretHex }

// String returns "as given" or "hex", as the CLI and diagnose print it.
func (f SecretForm) String() string {
	switch f {
	case SecretAsGiven:
		return "as given"
	case SecretHex:
		return "hex"
	}
	return fmt.Sprintf("SecretForm(%d)", uint8(f))
}

// Check reports whether secret is plausibly a secret handed out in form f.
// Run it on a secret read from an environment variable, a file or a config
// store before giving it to New, which keys with the bytes exactly as given:
//
//   - a secret that begins or ends with whitespace (a newline left by a file
//     with two of them or by $(cat ...) of a CRLF file, a space or tab from a
//     copy-paste, a non-breaking space from a web page) is refused with
//     ErrMalformedSecret: no vendor hands one out, and New would sign with
//     it, so every signature is wrong while every call returns a nil error;
//   - for SecretHex, a secret that is not even-length hex is refused with
//     ErrMalformedSecret, as New refuses it;
//   - an empty secret is ErrEmptySecret.
//
// It returns nil otherwise; it does not judge length or randomness (New
// refuses a short secret). The error says which rule and where, never the
// secret. New does not call Check, since a secret is the vendor's bytes as
// given; 'usersig' warns about the same cases on every command.
func (f SecretForm) Check(secret []byte) error {
	if len(secret) == 0 {
		return errEmptySecret
	}
	if where := surroundingSpace(secret); where != "" {
		return fmt.Errorf("%w: the secret %s, which no vendor's secret does and which would be signed with: remove it (ReadSecretFile removes one trailing newline)", errMalformedSecret, where)
	}
	if f == SecretHex {
		key := make([]byte, hex.DecodedLen(len(secret)))
		defer clear(key)
		if _, err := hex.Decode(key, secret); err != nil {
			return hexSecretError(len(secret), err)
		}
	}
	return nil
}

// surroundingSpace says where secret has whitespace at either end, in
// words, or returns "".
func surroundingSpace(secret []byte) string {
	last, _ := utf8.DecodeLastRune(secret)
	first, _ := utf8.DecodeRune(secret)
	switch {
	case last == '\n' || last == '\r':
		return "ends with a line break"
	case unicode.IsSpace(last):
		return "ends with whitespace"
	case unicode.IsSpace(first):
		return "begins with whitespace"
	}
	return ""
}

// keySecret replaces *secret, New's own copy, by the HMAC key it stands
// for in form f, and checks the key's length. The hex text is cleared once
// decoded, so only the key stays in memory.
func keySecret(f SecretForm, secret *[]byte, allowShort bool) error {
	if f == SecretHex && len(*secret) > 0 {
		text := *secret
		key := make([]byte, hex.DecodedLen(len(text)))
		if _, err := hex.Decode(key, text); err != nil {
			clear(key)
			return hexSecretError(len(text), err)
		}
		clear(text)
		*secret = key
	}
	return checkSecret(*secret, allowShort)
}

// hexSecretError words a hex decoding failure without the secret or the
// offending byte: only which rule failed, and where.
func hexSecretError(n int, err error) error {
	if errors.Is(err, hex.ErrLength) {
		return fmt.Errorf("%w: the vendor hands out hex and this secret has an odd number of characters (%d), so it is cut short or not hex", errMalformedSecret, n)
	}
	return fmt.Errorf("%w: the vendor hands out hex and this secret has a character other than 0-9, a-f, A-F (is it the hex text, with no spaces, quotes or 0x?)", errMalformedSecret)
}
