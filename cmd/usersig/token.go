package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/usersig/usersig/usertoken"
)

// tokenCommands are the JWT user-token commands, built on package usertoken.
func tokenCommands() []command {
	return []command{
		{"token", "print a JWT user token (secure modes)", runToken},
		{"keygen", "write a new RSA-2048 key pair for RS256 profiles", runKeygen},
	}
}

const tokenUsage = `usage: usersig token --profile NAME --user-id ID [--api-key K] [--kid K] --key-file PATH [--ttl D]

Prints a signed JWT user token for the vendors' "secure modes" on one line:
RS256 profiles (engagespot, knock, braze) take an RSA private key PEM (or
base64 of one, Knock's format) in --key-file; HS256 profiles (intercom,
zendesk, drift) take the shared secret, at least 32 bytes, in --key-file.
One trailing \n or \r\n of the file is removed; "-" reads stdin. engagespot
needs --api-key, zendesk needs --kid. The token is a bearer credential for
that user until it expires: do not log it.

Exit codes: 0 printed; 2 usage error (unknown profile, missing or misplaced
--api-key/--kid, unreadable or unacceptable key, invalid user id).
`

func runToken(e *env, args []string) int {
	fs := newFlagSet("token")
	var profile, userID, apiKey, kid, keyFile string
	var ttl time.Duration
	fs.StringVar(&profile, "profile", "", "the profile `NAME`: "+strings.Join(usertoken.ProfileNames(), ", "))
	fs.StringVar(&userID, "user-id", "", "the user id the token is for")
	fs.StringVar(&apiKey, "api-key", "", "Engagespot's public API key (engagespot only)")
	fs.StringVar(&kid, "kid", "", "the signing key's id (zendesk only)")
	fs.StringVar(&keyFile, "key-file", "", "the signing key or shared secret: `PATH`, or - for stdin")
	fs.DurationVar(&ttl, "ttl", usertoken.DefaultTTL, "token lifetime, whole seconds, at most 168h")
	if code, ok := e.parse(fs, tokenUsage, args); !ok {
		return code
	}
	param, ok := usertoken.ProfileParam(profile)
	if profile == "" || !ok {
		what := "--profile is required"
		if profile != "" {
			what = "unknown profile" + quoteIfName(profile)
		}
		return e.usageError(fs.Name(), what+"; profiles: "+strings.Join(usertoken.ProfileNames(), ", "))
	}
	var value string
	switch param {
	case "apiKey":
		if kid != "" {
			return e.usageError(fs.Name(), "--kid applies to the zendesk profile only")
		}
		if apiKey == "" {
			return e.usageError(fs.Name(), "profile "+profile+" needs --api-key")
		}
		value = apiKey
	case "kid":
		if apiKey != "" {
			return e.usageError(fs.Name(), "--api-key applies to the engagespot profile only")
		}
		if kid == "" {
			return e.usageError(fs.Name(), "profile "+profile+" needs --kid")
		}
		value = kid
	default:
		if apiKey != "" || kid != "" {
			return e.usageError(fs.Name(), "profile "+profile+" takes neither --api-key nor --kid")
		}
	}
	if userID == "" {
		return e.usageError(fs.Name(), "--user-id is required")
	}
	if keyFile == "" {
		return e.usageError(fs.Name(), "--key-file is required (the key is never a flag value)")
	}
	p, err := usertoken.ProfileByName(profile, value)
	if err != nil {
		return e.usageError(fs.Name(), err.Error())
	}
	key, msg := e.readKeyFile(keyFile, "--key-file")
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	issuer, err := usertoken.NewIssuer(p, key, usertoken.WithClock(e.now), usertoken.WithTTL(ttl))
	if err != nil {
		return e.usageError(fs.Name(), err.Error())
	}
	tok, err := issuer.Token(userID)
	if err != nil {
		if errors.Is(err, usertoken.ErrInvalidUserID) {
			return e.usageError(fs.Name(), err.Error())
		}
		fmt.Fprintf(e.stderr, "%s: %v\n", fs.Name(), err)
		return exitInvalid
	}
	fmt.Fprintln(e.stdout, tok)
	return exitOK
}

const keygenUsage = `usage: usersig keygen --out DIR

Writes a new RSA-2048 key pair for the RS256 profiles (engagespot, knock,
braze): DIR/private.pem (PKCS#8, mode 0600: give it to 'usersig token
--key-file') and DIR/public.pem (PKIX: upload it to the vendor's console).
DIR is created (mode 0700) if missing; existing files are never
overwritten. Prints the two paths.

Exit codes: 0 written; 1 cannot write; 2 usage error.
`

func runKeygen(e *env, args []string) int {
	fs := newFlagSet("keygen")
	var out string
	fs.StringVar(&out, "out", "", "the `DIR` to write private.pem and public.pem into")
	if code, ok := e.parse(fs, keygenUsage, args); !ok {
		return code
	}
	if out == "" {
		return e.usageError(fs.Name(), "--out is required")
	}
	privPath, pubPath := filepath.Join(out, "private.pem"), filepath.Join(out, "public.pem")
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			fmt.Fprintf(e.stderr, "%s: %s exists: keygen never overwrites a key\n", fs.Name(), p)
			return exitInvalid
		}
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), pathErrorText(err))
		return exitInvalid
	}
	priv, pub, err := usertoken.GenerateRSAKeyPair()
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
