package main

import (
	"errors"
	"fmt"
	"strings"

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
this secret), or an expired identity. For a malformed or invalid signature
the message ends with the exact 'usersig diagnose --scheme NAME ...' command
to run to find out why. With --json, prints {"valid","result","reason"} on stdout instead.

Exit codes: 0 valid; 1 malformed, invalid or expired; 2 usage error.
`

var verifyForm = form{
	name:       "verify",
	usage:      verifyUsage,
	scheme:     true,
	signature:  "the signature text `SIG` to check, exactly as received",
	emptySigOK: true,
	jsonHelp:   "print one JSON object on stdout instead of text",
}

// verifyOutput is verify --json's object.
type verifyOutput struct {
	Valid  bool   `json:"valid"`
	Result string `json:"result"` // valid, malformed, invalid, expired
	Reason string `json:"reason,omitempty"`
}

func runVerify(e *env, args []string) int {
	r, code, ok := e.prepare(verifyForm, args)
	if !ok {
		return code
	}
	out, code, ok := e.verdict(r, r.signer.VerifyCredential(r.credential()))
	if !ok {
		return code
	}
	if r.asJSON {
		if c := e.writeJSON(out); c != exitOK {
			return c
		}
		return code
	}
	if out.Valid {
		fmt.Fprintln(e.stdout, "valid")
	} else {
		fmt.Fprintf(e.stderr, "%s: %s\n", r.fs.Name(), out.Reason)
	}
	return code
}

// verdict turns VerifyCredential's error into verify's output and exit
// code; false when it is a usage or I/O error, already printed.
func (e *env) verdict(r *request, err error) (verifyOutput, int, bool) {
	sc := r.sc
	var fe *usersig.SignatureFormatError
	switch {
	case err == nil:
		return verifyOutput{Valid: true, Result: "valid"}, exitOK, true
	case errors.As(err, &fe):
		return verifyOutput{Result: "malformed", Reason: fmt.Sprintf("malformed signature: scheme %s wants %s, and this text %s; to find out why, run: %s", sc.Name, wantedText(sc, fe.Encoding), fe.Reason, diagnoseCommand(r))}, exitInvalid, true
	case errors.Is(err, usersig.ErrInvalidSignature):
		return verifyOutput{Result: "invalid", Reason: fmt.Sprintf("invalid signature: well-formed, but not the %s signature (%s, as %s) of this identity under this secret; to find out why, run: %s", sc.Name, sc.Describe(), sc.Encoding, diagnoseCommand(r))}, exitInvalid, true
	case errors.Is(err, usersig.ErrExpired) && r.id.expires == "":
		return verifyOutput{Result: "expired", Reason: fmt.Sprintf("expired: the time in the signature is older than the scheme's freshness window (now %s)", e.now().UTC().Format("2006-01-02T15:04:05Z"))}, exitInvalid, true
	case errors.Is(err, usersig.ErrIssuedInFuture):
		return verifyOutput{Result: "expired", Reason: fmt.Sprintf("not yet valid: the time in the signature is after now (%s) beyond the leeway; the signer's clock is ahead", e.now().UTC().Format("2006-01-02T15:04:05Z"))}, exitInvalid, true
	case errors.Is(err, usersig.ErrExpired):
		return verifyOutput{Result: "expired", Reason: fmt.Sprintf("expired: the identity expired at %s (now %s)", r.id.expires, e.now().UTC().Format("2006-01-02T15:04:05Z"))}, exitInvalid, true
	case errors.Is(err, usersig.ErrMissingIdentity):
		return verifyOutput{}, e.usageError(r.fs.Name(), missingText(sc)), false
	case errors.Is(err, usersig.ErrInvalidExpiry):
		return verifyOutput{}, e.usageError(r.fs.Name(), "--expires: "+expiryErrorText(err)), false
	}
	fmt.Fprintf(e.stderr, "%s: %v\n", r.fs.Name(), err)
	return verifyOutput{}, exitInvalid, false
}

// wantedText describes the signature text sc wants: its MAC text, and for
// a timestamped scheme (Chameleon) the "-" and Unix seconds after it.
func wantedText(sc usersig.Scheme, enc usersig.Encoding) string {
	if sc.Composer == usersig.UserIDTimestamp {
		return fmt.Sprintf("%s (%d characters), \"-\" and the Unix time in seconds", enc, enc.EncodedLen())
	}
	return fmt.Sprintf("%s (%d characters)", enc, enc.EncodedLen())
}

// diagnoseCommand is the diagnose command line for the same scheme,
// identity, signature and secret file as r, quoted for a POSIX shell, so
// verify's hint is a command to paste, not an instruction to rebuild one.
// A secret from $USERSIG_SECRET needs no flag; one from a file is named by
// its path (which opened, so it is a path, not a secret typed in its
// place); "-" means stdin again.
func diagnoseCommand(r *request) string {
	args := []string{"usersig", "diagnose", "--scheme", r.sc.Name}
	for _, f := range []struct{ flag, value string }{
		{"--user-id", r.id.userID}, {"--email", r.id.email}, {"--expires", r.id.expires},
	} {
		if f.value != "" {
			args = append(args, f.flag, shellQuote(f.value))
		}
	}
	args = append(args, "--signature", shellQuote(r.signature))
	if r.src.set {
		args = append(args, "--secret-file", shellQuote(r.src.path))
	}
	return strings.Join(args, " ")
}

// shellQuote quotes s for a POSIX shell: as is when it holds only
// characters no shell treats specially, else in single quotes, with a
// control character (a newline, say) written as $'\n' so the command stays
// on one line (bash, zsh and ksh read $'...').
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
