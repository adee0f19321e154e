package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/usersig/usersig"
)

const verifyUsage = `usage: usersig verify --scheme NAME --signature SIG [--user-id ID] [--email EMAIL] [--expires TEXT] [--json]

Checks that SIG is the scheme's signature of the identity under the secret.
With --expires, the signature is checked over the exact expiry text given
(for productfruits, JavaScript's 2026-11-22T10:00:00.000Z and .NET's
2026-11-22T10:00:00.0000000Z are different texts and different signatures),
and an expiry at or before the current time is refused.

Prints "valid" on stdout and exits 0, or prints the reason on stderr and
exits 1: a malformed signature (which rule of the scheme's encoding it
breaks), an invalid one (well-formed, but not the MAC of this identity under
this secret: run 'usersig diagnose' with the same flags), or an expired
identity. With --json, prints {"valid","result","reason"} on stdout instead.

Exit codes: 0 valid; 1 malformed, invalid or expired; 2 usage error.
`

// verifyOutput is verify --json's object.
type verifyOutput struct {
	Valid  bool   `json:"valid"`
	Result string `json:"result"` // valid, malformed, invalid, expired
	Reason string `json:"reason,omitempty"`
}

func runVerify(e *env, args []string) int {
	fs := newFlagSet("verify")
	var (
		scheme, signature string
		id                identityFlags
		src               secretSource
		asJSON            bool
	)
	fs.StringVar(&scheme, "scheme", "", "the preset `NAME` (see 'usersig schemes')")
	fs.StringVar(&signature, "signature", "", "the signature text `SIG` to check, exactly as received")
	id.register(fs)
	src.register(fs)
	fs.BoolVar(&asJSON, "json", false, "print one JSON object on stdout instead of text")
	if code, ok := e.parse(fs, verifyUsage, args); !ok {
		return code
	}
	sc, msg := lookupScheme(scheme)
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	if !flagSet(fs, "signature") {
		return e.usageError(fs.Name(), "--signature is required")
	}
	if _, err := id.expiry(); err != nil {
		return e.usageError(fs.Name(), "--expires: "+expiryErrorText(err))
	}
	secret, msg := src.load(e)
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	signer, err := e.newSigner(sc, secret)
	if err != nil {
		return e.usageError(fs.Name(), err.Error())
	}
	err = signer.VerifyCredential(usersig.Credential{UserID: id.userID, Email: id.email, Expires: id.expires, Signature: signature})
	var out verifyOutput
	var fe *usersig.SignatureFormatError
	switch {
	case err == nil:
		out = verifyOutput{Valid: true, Result: "valid"}
	case errors.As(err, &fe):
		out = verifyOutput{Result: "malformed", Reason: fmt.Sprintf("malformed signature: scheme %s wants %s (%d characters), and this text %s", sc.Name, fe.Encoding, fe.Encoding.EncodedLen(), fe.Reason)}
	case errors.Is(err, usersig.ErrInvalidSignature):
		out = verifyOutput{Result: "invalid", Reason: fmt.Sprintf("invalid signature: well-formed, but not the %s signature (%s, as %s) of this identity under this secret; run 'usersig diagnose' with the same flags to find out why", sc.Name, sc.Describe(), sc.Encoding)}
	case errors.Is(err, usersig.ErrExpired):
		out = verifyOutput{Result: "expired", Reason: fmt.Sprintf("expired: the identity expired at %s (now %s)", id.expires, e.now().UTC().Format("2006-01-02T15:04:05Z"))}
	case errors.Is(err, usersig.ErrMissingIdentity):
		return e.usageError(fs.Name(), fmt.Sprintf("scheme %s signs the %s: %s", sc.Name, sc.Describe(), missingFlags(sc)))
	case errors.Is(err, usersig.ErrInvalidExpiry):
		return e.usageError(fs.Name(), "--expires: "+expiryErrorText(err))
	default:
		fmt.Fprintf(e.stderr, "%s: %v\n", fs.Name(), err)
		return exitInvalid
	}
	code := exitOK
	if !out.Valid {
		code = exitInvalid
	}
	if asJSON {
		if c := e.writeJSON(out); c != exitOK {
			return c
		}
		return code
	}
	if out.Valid {
		fmt.Fprintln(e.stdout, "valid")
	} else {
		fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), out.Reason)
	}
	return code
}

// flagSet reports whether the flag was given, even as "".
func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}
