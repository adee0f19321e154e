package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/diagnose"
)

// secretEnv is the environment variable the secret is read from.
const secretEnv = "USERSIG_SECRET"

// secretSource is the --secret-file flag.
type secretSource struct {
	path string
	set  bool // given, even if empty: an empty path is an error, not "use the env"
}

func (s *secretSource) register(fs *flag.FlagSet) {
	fs.Var(s, "secret-file", "read the secret from `PATH` (\"-\" for stdin) instead of $"+secretEnv+"; one trailing \\n or \\r\\n is removed")
}

// String and Set make secretSource a flag.Value.
func (s *secretSource) String() string { return "" }

func (s *secretSource) Set(path string) error {
	s.path, s.set = path, true
	return nil
}

// load returns the secret: the file's content if --secret-file was given,
// as usersig.ReadSecretFile reads it (less one trailing "\n" or "\r\n",
// what echo and mounted Kubernetes secrets add), else $USERSIG_SECRET as
// is. On failure it returns a message for a usage error that never
// contains the secret. A secret shorter than usersig.MinSecretLen is
// accepted with a one-line warning on stderr.
func (s *secretSource) load(e *env) ([]byte, string) {
	var secret []byte
	switch {
	case s.set && s.path == "":
		return nil, "--secret-file needs a PATH (\"-\" for stdin)"
	case s.set:
		b, msg := e.readKeyFile(s.path, "--secret-file")
		if msg != "" {
			return nil, msg
		}
		secret = b
	default:
		v := e.getenv(secretEnv)
		if v == "" {
			return nil, "no secret: set " + secretEnv + " or use --secret-file PATH (never a flag value)"
		}
		secret = []byte(v)
	}
	if len(secret) < usersig.MinSecretLen {
		fmt.Fprintf(e.stderr, "usersig: warning: the secret is shorter than %d bytes: fine for vendors' known-answer samples, too weak for production\n", usersig.MinSecretLen)
	}
	e.warnSecretForm(secret)
	return secret, ""
}

// warnSecretForm warns on stderr about a secret that begins or ends with
// whitespace (usersig.SecretForm.Check): a newline from a file with two of
// them or from $(...) of a CRLF file, a pasted space. It is used as given,
// as the vendor would use it, so the warning is all that tells the user
// every signature made with it differs from the backend's.
func (e *env) warnSecretForm(secret []byte) {
	if where := diagnose.SecretWhitespace(secret); where != "" {
		fmt.Fprintf(e.stderr, "usersig: warning: the secret %s: it is used as given, and no vendor's secret has that (a file or variable that kept a newline, a pasted space?)\n", where)
	}
}

// readKeyFile reads a secret or key from path ("-" for stdin) with
// usersig.ReadSecretFile or usersig.ReadSecret: at most 64 KiB, less one
// trailing "\n" or "\r\n", never empty. Its messages name the flag, never
// the path (which may be the secret, pasted in the wrong place) or the
// content.
func (e *env) readKeyFile(path, flagName string) ([]byte, string) {
	var b []byte
	var err error
	if path == "-" {
		if e.stdin == nil {
			return nil, "cannot read " + flagName + " from stdin"
		}
		b, err = usersig.ReadSecret(e.stdin)
	} else {
		b, err = usersig.ReadSecretFile(path)
	}
	if err != nil {
		return nil, secretFileText(err, flagName)
	}
	return b, ""
}

// secretFileText is the message for an error of usersig.ReadSecretFile,
// whose text holds neither the path nor the content.
func secretFileText(err error, flagName string) string {
	if errors.Is(err, usersig.ErrEmptySecret) {
		return "the file given to " + flagName + " is empty"
	}
	if cause := secretFileCause(err); cause != nil {
		return "cannot read the file given to " + flagName + ": " + cause.Error()
	}
	return "cannot use the file given to " + flagName + ": " + strings.TrimPrefix(err.Error(), "usersig: unusable secret file: ")
}

// secretFileCause is the cause an ErrSecretFile error wraps beside the
// sentinel (the fs error, already without its path), or nil.
func secretFileCause(err error) error {
	multi, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil
	}
	for _, c := range multi.Unwrap() {
		if c != usersig.ErrSecretFile {
			return c
		}
	}
	return nil
}

// pathErrorText is err without the Op, keeping the path and the cause, for
// paths that cannot hold a secret (keygen's --out).
func pathErrorText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}
