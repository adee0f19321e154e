package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

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

// signOutput is sign --json's object.
type signOutput struct {
	Scheme   string `json:"scheme"`
	Encoding string `json:"encoding"`
	usersig.Credential
}

func runSign(e *env, args []string) int {
	fs := newFlagSet("sign")
	var (
		scheme string
		id     identityFlags
		src    secretSource
		asJSON bool
	)
	fs.StringVar(&scheme, "scheme", "", "the preset `NAME` (see 'usersig schemes')")
	id.register(fs)
	src.register(fs)
	fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of lines")
	if code, ok := e.parse(fs, signUsage, args); !ok {
		return code
	}
	sc, msg := lookupScheme(scheme)
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	expiresAt, err := id.expiry()
	if err != nil {
		return e.usageError(fs.Name(), "--expires: "+expiryErrorText(err))
	}
	secret, msg := src.load(e)
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	cred, err := signCredential(e, sc, secret, id, expiresAt)
	switch {
	case errors.Is(err, usersig.ErrMissingIdentity):
		return e.usageError(fs.Name(), fmt.Sprintf("scheme %s signs the %s: %s", sc.Name, sc.Describe(), missingFlags(sc)))
	case errors.Is(err, usersig.ErrInvalidExpiry):
		return e.usageError(fs.Name(), "--expires: "+expiryErrorText(err))
	case err != nil:
		fmt.Fprintf(e.stderr, "%s: %v\n", fs.Name(), err)
		return exitInvalid
	}
	if ignored := ignoredFields(sc, id); len(ignored) > 0 {
		fmt.Fprintf(e.stderr, "usersig: note: scheme %s signs the %s: %s not part of the signature\n", sc.Name, sc.Describe(), strings.Join(ignored, ", ")+pluralIs(len(ignored)))
	}
	if !expiresAt.IsZero() && !e.now().Before(expiresAt) {
		fmt.Fprintln(e.stderr, "usersig: warning: --expires is not in the future: verification will refuse this identity as expired")
	}
	if asJSON {
		out := signOutput{Scheme: sc.Name, Encoding: sc.Encoding.String(), Credential: cred}
		return e.writeJSON(out)
	}
	fmt.Fprintln(e.stdout, cred.Signature)
	if cred.Expires != "" {
		fmt.Fprintln(e.stdout, cred.Expires)
	}
	return exitOK
}

// signCredential signs id under sc. For a UserIDExpiry scheme (Product
// Fruits) the expiry text is signed exactly as given, as the vendor's server
// verifies the text the front end sends back: JavaScript's toJSON form, or
// any other RFC 3339 text (.NET's seven digits, an offset).
func signCredential(e *env, sc usersig.Scheme, secret []byte, id identityFlags, expiresAt time.Time) (usersig.Credential, error) {
	signer, err := e.newSigner(sc, secret)
	if err != nil {
		return usersig.Credential{}, err
	}
	ident := usersig.Identity{UserID: id.userID, Email: id.email, ExpiresAt: expiresAt}
	if sc.Composer != usersig.UserIDExpiry || id.expires == "" {
		return signer.Issue(ident)
	}
	return signer.SignCredential(usersig.Credential{UserID: id.userID, Email: id.email, Expires: id.expires})
}

// missingFlags says which flags a scheme needs.
func missingFlags(sc usersig.Scheme) string {
	switch sc.Composer {
	case usersig.UserID, usersig.UserIDExpiry:
		return "give --user-id"
	case usersig.Email:
		return "give --email"
	}
	return "give --user-id or --email"
}

func pluralIs(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

// expiryErrorText is an expiry error without the library's prefix.
func expiryErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "usersig: ")
	if msg == "invalid expiry" {
		return "the expiry cannot be signed (outside what a JavaScript Date holds)"
	}
	return msg
}

func (e *env) writeJSON(v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "usersig: %v\n", err)
		return exitInvalid
	}
	return exitOK
}
