// Command usersig mints, checks and explains user identity signatures: the
// HMAC-SHA256 of a user id or email (and, for Product Fruits, an expiry)
// that chat and inbox widgets demand, for the presets of package usersig.
//
// Usage:
//
//	usersig sign     --scheme NAME [--user-id ID] [--email EMAIL] [--expires TEXT] [--json]
//	usersig verify   --scheme NAME --signature SIG [--user-id ID] [--email EMAIL] [--expires TEXT] [--json]
//	usersig diagnose --signature SIG [--scheme NAME] [--user-id ID] [--email EMAIL] [--expires TEXT] [--json]
//	usersig schemes  [--json]
//	usersig secret   [--prefix PREFIX]
//	usersig token    --profile NAME --user-id ID [--api-key K] [--kid K] --key-file PATH [--ttl D]
//	usersig keygen   --out DIR [--alg RS256|ES256]
//	usersig help [COMMAND]
//
// Flags may be written -flag or --flag (help writes --flag), with the value
// after a space or an '='. Every input is a flag; a stray argument is a
// usage error, and so is a flag given twice (the flag package would
// silently use the last). Scheme names are matched without regard to case
// ("Helpshift" is helpshift). An unknown command, flag, scheme or profile
// is repeated in the error only when it is a near miss of a real name
// (within two edits, or cut short), with the name meant; anything else may
// be a secret typed in the wrong place and is not repeated. usersig with no
// command prints this usage on stderr and exits 2.
//
// # The secret
//
// sign, verify and diagnose read the secret from the environment variable
// USERSIG_SECRET, used exactly as set, or from --secret-file PATH ("-" for
// stdin), which wins when both are given. A file is read by
// usersig.ReadSecretFile: exactly one trailing "\n" or "\r\n" is removed
// (what echo, editors and mounted Kubernetes secrets add), any other
// whitespace is part of the secret, and a file empty after that is a usage
// error. The secret is used as its bytes, never
// base64- or hex-decoded. It is never accepted as a flag value (it would show
// in process lists and shell history), never printed, and never part of an
// error. A secret shorter than 16 bytes is accepted, for the vendors'
// known-answer samples keyed with "secret", with a one-line warning on
// stderr; so is one that begins or ends with whitespace or a line break (a
// file with two newlines, a pasted space), with a warning in every command
// that reads a secret (usersig.SecretForm.Check).
//
// # sign
//
// Prints the signature alone on the first line. When --expires is given, a
// second line holds the expiry text to send with it: for productfruits the
// exact text signed, which the front end must pass back unchanged as
// user.hmac.expiration. The text is signed as given: JavaScript's form
// (2026-11-22T10:00:00.000Z, what Product Fruits' Node sample signs) or any
// other RFC 3339 text, such as .NET's 2026-11-22T10:00:00.0000000Z. With
// --json it prints one object: {"scheme", "encoding", "userId", "email",
// "expires", "signature"}. Notes on stderr name given fields the scheme does
// not sign, and warn when the expiry is already past.
//
// # verify
//
// Prints "valid" and exits 0, or prints the reason on stderr and exits 1: a
// malformed signature (the rule of the scheme's encoding it breaks, from
// usersig.SignatureFormatError), an invalid one, or an expired identity. With
// --expires the MAC is checked over the exact text given and the expiry
// against the clock. With --json it prints {"valid", "result", "reason"}.
// The reason of a malformed or invalid signature ends with the diagnose
// command to run for it, shell-quoted: "to find out why, run: usersig
// diagnose --scheme NAME ...".
//
// # diagnose
//
// With --scheme NAME it first answers for that scheme, in one of three
// forms: "Valid for scheme NAME: ...", "Not valid for scheme NAME, because
// of N mistakes: ..." with how to fix each, or "Not valid for scheme NAME,
// and no common mistake explains it: ..." with what the secret (surrounding
// whitespace, a vendor's hex form), the text (encoding, case, length: a
// truncated text is called truncated) and the MAC show; then the other
// schemes that fit no worse, under "Other schemes:".
//
// Without --scheme it needs none. When the signature is valid for a preset
// it says so ("valid for scheme X"), tries no mistakes, and notes the
// schemes the same HMAC is valid for in another encoding (an Intercom
// user's hash in base64: Intercom wants hex). Otherwise it tries every
// preset with the usual mistakes, from four tables of (name, explanation,
// transform) in package internal/diagnose: the key (secret base64- or
// hex-decoded, trimmed, with a newline), the message (email lower-cased by
// the backend or by the client, and/or trimmed, user id in another case or
// trimmed, user id and email swapped or combined either way, 123 vs 123.0,
// the expiry in .NET's or JavaScript's form or left out), the text
// (upper-case hex, hex vs base64 vs base64url, missing padding, '+' turned
// into a space, base64 of the hex digest, hex without zero padding or with
// hyphens, truncated) and the transport (whitespace, quotes, 0x,
// URL-encoding). Per scheme it reports the explanation with the
// fewest mistakes, at most one of each kind; it prints the explanations
// needing the fewest mistakes and those needing one more, most likely first,
// and exits 0, or says nothing explains the signature and what that usually
// means (another secret, or a text cut short) and exits 1. The report goes
// to stdout; --json gives {"asked": {"scheme", "vendor", "valid",
// "explained", "mistakes", "explanation", "signedText"}, "matches":
// [{"scheme", "vendor", "mistake", "mistakes", "explanation", "signedText",
// "valid"}], "notes", "explanation"}, "asked" with --scheme only.
//
// # Exit codes
//
//	0  success; verify: valid; diagnose: explained
//	1  verify: malformed, invalid or expired; diagnose: nothing explains it; I/O failure
//	2  usage error: unknown command or flag, unknown scheme or profile (the names
//	   are listed), no secret, unparsable expiry, an identity the scheme cannot
//	   sign, keygen --out a directory that already holds a key
//
// Usage errors are one line on stderr. "usersig help" and "usersig COMMAND --help"
// print usage to stdout and exit 0.
package main
