package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/usersig/usersig/usertoken"
)

// tokenCommands are the JWT user-token commands, built on package usertoken.
func tokenCommands() []command {
	return []command{
		{"token", "print a JWT user token (secure modes)", runToken},
		{"keygen", "write a new key pair for RS256 or ES256 profiles", runKeygen},
	}
}

const tokenUsage = `usage: usersig token --profile NAME --user-id ID --key-file PATH [--ttl D]
                    [--api-key K | --kid K | --app-id A | --tenant-id T]
                    [--email E] [--name N] [--image-url U] [--role R] [--company-id C]

Prints a signed JWT user token for the vendors' "secure modes" on one line.
--key-file holds the signing key: for the RS256 profiles (engagespot, knock,
braze) an RSA private key PEM (or base64 of one, Knock's format); for the
ES256 profiles (onesignal, suprsend) an EC P-256 private key PEM (or base64
of one, SuprSend's format); for the HS256 profiles (intercom, zendesk,
drift, streamchat, talkjs, magicbell, nolt, uservoice, usertour, userback)
the shared secret, at least 32 bytes (Usertour's is the whole "utv_..."
text). One trailing \n or \r\n of the file is removed; "-" reads stdin.

Profile parameters: engagespot and magicbell need --api-key, zendesk needs
--kid, talkjs and onesignal need --app-id; suprsend takes --tenant-id
(optional: the default tenant without it).

Per-user fields, for the SSO profiles that sign them: nolt needs --email and
--name and takes --image-url and --role (ADMIN or MODERATOR); uservoice needs
--email and takes --name (its display_name); usertour takes --company-id;
userback's --user-id is the user's email, and it takes --name and
--image-url (its avatar_url). A field flag given to a profile that does not
sign that field is a usage error.

The token is a bearer credential for that user until it expires: do not log
it.

Exit codes: 0 printed; 2 usage error (unknown profile, missing or misplaced
profile parameter, unreadable or unacceptable key, invalid user id).
`

// profileParamFlags maps usertoken's parameter names to the token flags;
// paramOrder is the order they are checked in (deterministic messages).
var (
	profileParamFlags = map[string]string{
		"apiKey":   "--api-key",
		"kid":      "--kid",
		"appId":    "--app-id",
		"tenantId": "--tenant-id",
	}
	paramOrder = []string{"apiKey", "kid", "appId", "tenantId"}

	// fieldFlags maps the fields of usertoken.Claims to the token flags,
	// in the order they are checked.
	fieldFlags = []struct{ field, flag, usage string }{
		{"Email", "email", "the user's email (nolt, uservoice)"},
		{"Name", "name", "the user's display name (nolt, uservoice, userback)"},
		{"ImageURL", "image-url", "the user's avatar URL (nolt, userback)"},
		{"Role", "role", "the user's Nolt role: ADMIN or MODERATOR (nolt)"},
		{"CompanyID", "company-id", "the user's company id (usertour)"},
	}
)

// profilesCarrying lists the profiles that sign the Claims field.
func profilesCarrying(field string) string {
	var names []string
	for _, n := range usertoken.ProfileNames() {
		param, _ := usertoken.ProfileParam(n)
		value := ""
		if param == "apiKey" || param == "kid" || param == "appId" {
			value = "x"
		}
		p, err := usertoken.ProfileByName(n, value)
		if err != nil {
			continue
		}
		if carried, _ := p.Fields(); slices.Contains(carried, field) {
			names = append(names, n)
		}
	}
	return strings.Join(names, " and ")
}

// claimsFrom builds the Claims for p from the field flags, refusing a
// field p does not sign and a missing one p requires.
func claimsFrom(p usertoken.Profile, userID string, fields map[string]*string) (usertoken.Claims, string) {
	carried, required := p.Fields()
	c := usertoken.Claims{UserID: userID}
	for _, f := range fieldFlags {
		val := *fields[f.field]
		switch {
		case val != "" && !slices.Contains(carried, f.field):
			return c, "--" + f.flag + " applies to " + profilesCarrying(f.field) + " only"
		case val == "" && slices.Contains(required, f.field):
			return c, "profile " + p.Name() + " needs --" + f.flag
		}
	}
	c.Email, c.Name, c.ImageURL = *fields["Email"], *fields["Name"], *fields["ImageURL"]
	c.Role, c.CompanyID = *fields["Role"], *fields["CompanyID"]
	return c, ""
}

// profilesTaking lists the profiles whose parameter is param.
func profilesTaking(param string) string {
	var names []string
	for _, n := range usertoken.ProfileNames() {
		if p, _ := usertoken.ProfileParam(n); p == param {
			names = append(names, n)
		}
	}
	return strings.Join(names, " and ")
}

func runToken(e *env, args []string) int {
	fs := newFlagSet("token")
	var profile, userID, keyFile string
	var ttl time.Duration
	values := map[string]*string{}
	for param := range profileParamFlags {
		values[param] = new(string)
	}
	fs.StringVar(&profile, "profile", "", "the profile `NAME`: "+strings.Join(usertoken.ProfileNames(), ", "))
	fs.StringVar(&userID, "user-id", "", "the user id the token is for")
	fs.StringVar(values["apiKey"], "api-key", "", "the vendor's public API key (engagespot, magicbell)")
	fs.StringVar(values["kid"], "kid", "", "the signing key's id (zendesk)")
	fs.StringVar(values["appId"], "app-id", "", "the vendor's app id (talkjs, onesignal)")
	fs.StringVar(values["tenantId"], "tenant-id", "", "the tenant the token is scoped to (suprsend; optional)")
	fields := map[string]*string{}
	for _, f := range fieldFlags {
		fields[f.field] = new(string)
		fs.StringVar(fields[f.field], f.flag, "", f.usage)
	}
	fs.StringVar(&keyFile, "key-file", "", "the signing key or shared secret: `PATH`, or - for stdin")
	fs.DurationVar(&ttl, "ttl", usertoken.DefaultTTL, "token lifetime, whole seconds, at most 168h")
	if code, ok := e.parse(fs, tokenUsage, args); !ok {
		return code
	}
	param, ok := usertoken.ProfileParam(profile)
	if profile == "" || !ok {
		what := "--profile is required"
		if profile != "" {
			what = "unknown profile" + typo(profile, usertoken.ProfileNames(), "")
		}
		return e.usageError(fs.Name(), what+"; profiles: "+strings.Join(usertoken.ProfileNames(), ", "))
	}
	for _, other := range paramOrder {
		if other != param && *values[other] != "" {
			if param == "" {
				return e.usageError(fs.Name(), "profile "+profile+" takes no "+profileParamFlags[other])
			}
			return e.usageError(fs.Name(), profileParamFlags[other]+" applies to "+profilesTaking(other)+" only")
		}
	}
	var value string
	if param != "" {
		value = *values[param]
	}
	if userID == "" {
		return e.usageError(fs.Name(), "--user-id is required")
	}
	if keyFile == "" {
		return e.usageError(fs.Name(), "--key-file is required (the key is never a flag value)")
	}
	p, err := usertoken.ProfileByName(profile, value)
	if err != nil {
		if param != "" && value == "" {
			return e.usageError(fs.Name(), "profile "+profile+" needs "+profileParamFlags[param])
		}
		return e.usageError(fs.Name(), err.Error())
	}
	claims, msg := claimsFrom(p, userID, fields)
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	key, msg := e.readKeyFile(keyFile, "--key-file")
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	if p.Algorithm() == "HS256" { // a shared secret, used as given; a PEM key is parsed
		e.warnSecretForm(key)
	}
	issuer, err := usertoken.NewIssuer(p, key, usertoken.WithClock(e.now), usertoken.WithTTL(ttl))
	if err != nil {
		return e.usageError(fs.Name(), err.Error())
	}
	tok, err := issuer.Issue(claims)
	if err != nil {
		if errors.Is(err, usertoken.ErrInvalidUserID) || errors.Is(err, usertoken.ErrInvalidClaims) {
			return e.usageError(fs.Name(), err.Error())
		}
		fmt.Fprintf(e.stderr, "%s: %v\n", fs.Name(), err)
		return exitInvalid
	}
	fmt.Fprintln(e.stdout, tok)
	return exitOK
}

const keygenUsage = `usage: usersig keygen --out DIR [--alg RS256|ES256]

Writes a new key pair: with --alg RS256 (the default) an RSA-2048 pair for
the RS256 profiles (engagespot, knock, braze), with --alg ES256 an EC P-256
pair for the ES256 profiles (onesignal, suprsend). DIR/private.pem (PKCS#8,
mode 0600: give it to 'usersig token --key-file') and DIR/public.pem (PKIX:
upload it to the vendor's console, or give it to a verifier). DIR is
created (mode 0700) if missing; existing files are never overwritten.
Prints the two paths.

Exit codes: 0 written; 1 cannot write; 2 usage error (including a DIR that
already holds private.pem or public.pem).
`

func runKeygen(e *env, args []string) int {
	fs := newFlagSet("keygen")
	var out, alg string
	fs.StringVar(&out, "out", "", "the `DIR` to write private.pem and public.pem into")
	fs.StringVar(&alg, "alg", "RS256", "the key type: `RS256` (RSA-2048) or ES256 (EC P-256)")
	if code, ok := e.parse(fs, keygenUsage, args); !ok {
		return code
	}
	if out == "" {
		return e.usageError(fs.Name(), "--out is required")
	}
	generate := map[string]func() ([]byte, []byte, error){
		"RS256": usertoken.GenerateRSAKeyPair,
		"ES256": usertoken.GenerateECKeyPair,
	}[strings.ToUpper(alg)]
	if generate == nil {
		return e.usageError(fs.Name(), "--alg must be RS256 or ES256")
	}
	privPath, pubPath := filepath.Join(out, "private.pem"), filepath.Join(out, "public.pem")
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			// A usage error: the command as typed can never succeed.
			return e.usageError(fs.Name(), p+" exists: keygen never overwrites a key; choose another --out")
		}
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), pathErrorText(err))
		return exitInvalid
	}
	priv, pub, err := generate()
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", fs.Name(), err)
		return exitInvalid
	}
	if err := writeNew(privPath, priv, 0o600); err != nil {
		fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), pathErrorText(err))
		return exitInvalid
	}
	if err := writeNew(pubPath, pub, 0o644); err != nil {
		os.Remove(privPath)
		fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), pathErrorText(err))
		return exitInvalid
	}
	fmt.Fprintln(e.stdout, privPath)
	fmt.Fprintln(e.stdout, pubPath)
	return exitOK
}

// writeNew creates path with mode perm (never replacing a file) and writes
// data to it; the mode is set at creation, so the key is never readable by
// others, whatever the umask.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
