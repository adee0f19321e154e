package main

import (
	"flag"
	"strings"
	"time"

	"github.com/usersig/usersig"
)

// A form says which of the shared flags a command takes: sign, verify and
// diagnose all read an identity, the secret and --json.
type form struct {
	name, usage string
	scheme      bool   // takes --scheme NAME, required
	anyScheme   bool   // takes --scheme NAME, optional (diagnose)
	signature   string // --signature's help text; "" for no such flag. Required when present.
	emptySigOK  bool   // an empty --signature is a text to check, not a missing one
	identity    bool   // refuse neither --user-id nor --email up front
	jsonHelp    string
}

// A request is a parsed command line of a form and what the shared
// preamble made of it.
type request struct {
	fs         *flag.FlagSet
	schemeName string
	signature  string
	id         identityFlags
	src        secretSource
	asJSON     bool

	sc        usersig.Scheme  // zero without --scheme
	expiresAt time.Time       // zero without --expires
	secret    []byte          // never printed
	signer    *usersig.Signer // nil without --scheme
}

// prepare is the preamble of sign, verify and diagnose: parse the flags,
// look up the scheme, check the signature and identity flags, parse the
// expiry, load the secret and build the signer. When it returns false the
// command is over, with the code returned (help printed, or a usage error).
func (e *env) prepare(f form, args []string) (*request, int, bool) {
	r := &request{fs: newFlagSet(f.name)}
	r.define(f)
	if code, ok := e.parse(r.fs, f.usage, args); !ok {
		return nil, code, false
	}
	if msg := r.check(f); msg != "" {
		return nil, e.usageError(r.fs.Name(), msg), false
	}
	secret, msg := r.src.load(e)
	if msg != "" {
		return nil, e.usageError(r.fs.Name(), msg), false
	}
	r.secret = secret
	if f.scheme {
		signer, err := e.newSigner(r.sc, secret)
		if err != nil {
			return nil, e.usageError(r.fs.Name(), strings.TrimPrefix(err.Error(), "usersig: ")), false
		}
		r.signer = signer
	}
	return r, 0, true
}

func (r *request) define(f form) {
	switch {
	case f.scheme:
		r.fs.StringVar(&r.schemeName, "scheme", "", "the preset `NAME` (see 'usersig schemes')")
	case f.anyScheme:
		r.fs.StringVar(&r.schemeName, "scheme", "", "the preset `NAME` the signature is meant for (default: any)")
	}
	if f.signature != "" {
		r.fs.StringVar(&r.signature, "signature", "", f.signature)
	}
	r.id.register(r.fs)
	r.src.register(r.fs)
	r.fs.BoolVar(&r.asJSON, "json", false, f.jsonHelp)
}

// check validates the flags, before the secret is read, and returns the
// usage error's message or "".
func (r *request) check(f form) string {
	if f.scheme || f.anyScheme && flagSet(r.fs, "scheme") {
		sc, msg := lookupScheme(r.schemeName)
		if msg != "" {
			return msg
		}
		r.sc = sc
	}
	if f.signature != "" && (!flagSet(r.fs, "signature") || !f.emptySigOK && r.signature == "") {
		return "--signature is required"
	}
	if f.identity && r.id.userID == "" && r.id.email == "" {
		return "give --user-id and/or --email: the identity the signature should vouch for"
	}
	at, err := r.id.expiry()
	if err != nil {
		return "--expires: " + expiryErrorText(err)
	}
	r.expiresAt = at
	return ""
}

// credential is the identity as given, with the expiry as its exact text.
func (r *request) credential() usersig.Credential {
	return usersig.Credential{UserID: r.id.userID, Email: r.id.email, Expires: r.id.expires, Signature: r.signature}
}

// newSigner is usersig.New for the CLI: short secrets allowed (the warning
// was printed when the secret was loaded) and the injected clock.
func (e *env) newSigner(sc usersig.Scheme, secret []byte) (*usersig.Signer, error) {
	return usersig.New(sc, secret, usersig.WithShortSecretsAllowed(), usersig.WithClock(e.now))
}

// lookupScheme finds a preset by name, in any case, or says which names
// exist.
func lookupScheme(name string) (usersig.Scheme, string) {
	if name == "" {
		return usersig.Scheme{}, "--scheme is required; schemes: " + schemeNames()
	}
	sc, ok := usersig.LookupScheme(name)
	if !ok {
		return usersig.Scheme{}, "unknown scheme" + typo(name, schemeNameList(), "") + "; schemes: " + schemeNames()
	}
	return sc, ""
}

func schemeNames() string { return strings.Join(schemeNameList(), ", ") }

func schemeNameList() []string {
	var names []string
	for _, sc := range usersig.Schemes() {
		names = append(names, sc.Name)
	}
	return names
}

// expiryErrorText is an expiry error without the library's prefix.
func expiryErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "usersig: ")
	if msg == "invalid expiry" {
		return "the expiry cannot be signed (outside what a JavaScript Date holds)"
	}
	return msg
}

// missingText says which flags a scheme needs, for an identity it cannot
// sign: the flags each of which alone gives Scheme.SignedFields something
// to cover.
func missingText(sc usersig.Scheme) string {
	byID := !isZero(sc.SignedFields(usersig.Identity{UserID: "u"}))
	byEmail := !isZero(sc.SignedFields(usersig.Identity{Email: "u@example.com"}))
	need := "give --user-id or --email"
	switch {
	case byID && !byEmail:
		need = "give --user-id"
	case byEmail && !byID:
		need = "give --email"
	}
	return "scheme " + sc.Name + " signs the " + sc.Describe() + ": " + need
}

// ignoredFields names the identity flags given that the scheme's signature
// does not cover (Scheme.SignedFields), so sign can warn that they are not
// protected.
func ignoredFields(sc usersig.Scheme, f identityFlags, expiresAt time.Time) []string {
	signed := sc.SignedFields(f.given(expiresAt))
	var out []string
	if f.email != "" && signed.Email == "" {
		out = append(out, "--email")
	}
	if f.expires != "" && signed.ExpiresAt.IsZero() {
		out = append(out, "--expires")
	}
	if f.userID != "" && signed.UserID == "" {
		out = append(out, "--user-id")
	}
	return out // in name order
}

func isZero(id usersig.Identity) bool {
	return id.UserID == "" && id.Email == "" && id.ExpiresAt.IsZero()
}
