package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/usersig/usersig"
)

const signUsage = `usage: usersig sign --scheme NAME [--user-id ID] [--email EMAIL] [--expires TEXT] [--json]

Prints the scheme's signature of the identity alone on the first line. When
an expiry is given, the second line is the expiry text to send with the
signature: for productfruits it is exactly the text signed (give it as
Product Fruits' JavaScript sample writes it, 2026-11-22T10:00:00.000Z; a
.NET ToString("o") text is signed as given too), which the front end must
pass back unchanged as user.hmac.expiration. With --json, prints one JSON
object: {"scheme","encoding","userId","email","expires","signature"}.

Notes on stderr say which given fields the scheme does not sign. The secret
comes from $USERSIG_SECRET or --secret-file.

Exit codes: 0 signed; 2 usage error (unknown scheme, no secret, unreadable
expiry, an identity the scheme cannot sign).
`

var signForm = form{
	name:     "sign",
	usage:    signUsage,
	scheme:   true,
	jsonHelp: "print one JSON object instead of lines",
}

// signOutput is sign --json's object.
type signOutput struct {
	Scheme   string `json:"scheme"`
	Encoding string `json:"encoding"`
	usersig.Credential
}

func runSign(e *env, args []string) int {
	r, code, ok := e.prepare(signForm, args)
	if !ok {
		return code
	}
	// The expiry text is signed exactly as given: for Product Fruits the
	// vendor's server verifies the text the front end sends back, whether
	// JavaScript's toJSON form or .NET's seven digits.
	cred, err := r.signer.SignCredential(r.credential())
	switch {
	case errors.Is(err, usersig.ErrMissingIdentity):
		return e.usageError(r.fs.Name(), missingText(r.sc))
	case errors.Is(err, usersig.ErrInvalidExpiry):
		return e.usageError(r.fs.Name(), "--expires: "+expiryErrorText(err))
	case err != nil:
		fmt.Fprintf(e.stderr, "%s: %v\n", r.fs.Name(), err)
		return exitInvalid
	}
	e.signNotes(r)
	if r.asJSON {
		return e.writeJSON(signOutput{Scheme: r.sc.Name, Encoding: r.sc.Encoding.String(), Credential: cred})
	}
	fmt.Fprintln(e.stdout, cred.Signature)
	if cred.Expires != "" {
		fmt.Fprintln(e.stdout, cred.Expires)
	}
	return exitOK
}

// signNotes warns on stderr about given fields the signature does not cover
// and an expiry already past.
func (e *env) signNotes(r *request) {
	if ignored := ignoredFields(r.sc, r.id, r.expiresAt); len(ignored) > 0 {
		fmt.Fprintf(e.stderr, "usersig: note: scheme %s signs the %s: %s not part of the signature\n", r.sc.Name, r.sc.Describe(), strings.Join(ignored, ", ")+pluralIs(len(ignored)))
	}
	if !r.expiresAt.IsZero() && !e.now().Before(r.expiresAt) {
		fmt.Fprintln(e.stderr, "usersig: warning: --expires is not in the future: verification will refuse this identity as expired")
	}
}

func pluralIs(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}
