package main

import (
	"fmt"
	"time"

	"github.com/usersig/usersig/internal/diagnose"
)

const diagnoseUsage = `usage: usersig diagnose --signature SIG [--scheme NAME] [--user-id ID] [--email EMAIL] [--expires TEXT] [--json]

Explains a signature that does not verify. With --scheme, it first answers
for that scheme, in one of three forms:
  Valid for scheme NAME: ...
  Not valid for scheme NAME, because of N mistakes: ... (and how to fix each)
  Not valid for scheme NAME, and no common mistake explains it: what the
    secret, the text (encoding, case, length: a truncated text is called
    truncated) and the MAC show
and then lists the other schemes the signature fits. Without --scheme it
tries every preset, and for each the usual mistakes, one table each (see
below), and says in plain words which scheme and which mistake explain the
signature. When the signature is valid for a scheme as given, it says "the
signature is valid for scheme X" and tries no mistakes, noting the schemes
the same HMAC would be valid for in another encoding.

Mistakes tried, alone and combined (at most one of each kind):
  the text:     hex vs base64 vs base64url, upper-case hex, missing '='
                padding, '+' turned into a space, base64 of the hex digest,
                hex without leading zeros or with hyphens, truncated,
                surrounding whitespace or quotes, a 0x prefix, URL-encoding
  the message:  the email lower-cased by the backend, or by the client (the
                backend signed capitals), and/or trimmed; the user id in
                another case, or trimmed; user id and email swapped or
                combined (id+email, email+id); an integer id written as
                123.0; the expiry text in .NET's form (7 digits) vs
                JavaScript's (3), or left out
  the secret:   base64- or hex-decoded, trimmed, or with a newline added

The report goes to stdout, most likely explanation first; with --json it is
{"asked":{"scheme","vendor","valid","explained","mistakes","explanation",
"signedText"},"matches":[{"scheme","vendor","mistake","mistakes",
"explanation","signedText","valid"}],"notes":[...],"explanation":"..."}
("asked" only with --scheme).

Exit codes: 0 explained (by a scheme, with or without a mistake); 1 nothing
explains it (see the report: a different secret, or a truncated text); 2
usage error.
`

var diagnoseForm = form{
	name:      "diagnose",
	usage:     diagnoseUsage,
	signature: "the signature text `SIG` that does not verify, exactly as sent",
	anyScheme: true,
	identity:  true,
	jsonHelp:  "print one JSON object instead of text",
}

func runDiagnose(e *env, args []string) int {
	r, code, ok := e.prepare(diagnoseForm, args)
	if !ok {
		return code
	}
	in := diagnose.Input{UserID: r.id.userID, Email: r.id.email, Expires: r.id.expires, Signature: r.signature, Scheme: r.sc.Name}
	report, err := diagnose.Run(in, r.secret)
	if err != nil { // prepare checked the identity and the expiry
		fmt.Fprintf(e.stderr, "%s: %v\n", r.fs.Name(), err)
		return exitInvalid
	}
	if !r.expiresAt.IsZero() && !e.now().Before(r.expiresAt) {
		report.Notes = append(report.Notes, fmt.Sprintf("The expiry %s has passed (now %s): even a valid signature is refused as expired.", r.id.expires, e.now().UTC().Format(time.RFC3339)))
	}
	code = exitOK
	if len(report.Matches) == 0 && (report.Asked == nil || !report.Asked.Explained) {
		code = exitInvalid
	}
	if r.asJSON {
		if c := e.writeJSON(report); c != exitOK {
			return c
		}
		return code
	}
	report.WriteText(e.stdout)
	return code
}
