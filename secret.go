package usersig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MinSecretLen is the shortest secret New accepts without
// WithShortSecretsAllowed: 16 bytes, 128 bits if they are random.
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
