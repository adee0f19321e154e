package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/usersig/usersig"
)

// Exit codes. Scripts depend on them.
const (
	exitOK      = 0 // success; verify: valid; diagnose: explained
	exitInvalid = 1 // verify: invalid, malformed or expired; diagnose: unexplained; I/O failure
	exitUsage   = 2 // usage error: bad flag or command, unknown scheme, no secret, unreadable expiry
)

// secretEnv is the environment variable the secret is read from.
const secretEnv = "USERSIG_SECRET"

// maxSecretFile bounds what --secret-file reads: no real secret comes close.
const maxSecretFile = 64 << 10

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv, time.Now))
}

// env is what a command may touch: stdio, the environment and the clock.
// Tests inject all of them.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time
}

// A command is one subcommand: its name, a one-line summary for the help
// text, and its entry point, which returns the exit code.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) int
}

// commands lists the subcommands in the order help shows them. token and
// keygen come from token.go.
func commands() []command {
	return append([]command{
		{"sign", "print the signature of an identity", runSign},
		{"verify", "check a signature (exit 0 valid, 1 not)", runVerify},
		{"diagnose", "explain why a signature does not verify", runDiagnose},
		{"schemes", "list the preset schemes", runSchemes},
		{"secret", "print a new random secret", runSecret},
	}, tokenCommands()...)
}

// run is main without the process: it parses args, runs the command and
// returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, now func() time.Time) int {
	if now == nil {
		now = time.Now
	}
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: now}
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usersig: no command (run 'usersig help')")
		return exitUsage
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		return runHelp(e, args[1:])
	default:
		for _, c := range commands() {
			if c.name == name {
				return c.run(e, args[1:])
			}
		}
		fmt.Fprintf(stderr, "usersig: unknown command%s; commands: %s (run 'usersig help')\n", quoteIfName(name), commandNames())
		return exitUsage
	}
}

func commandNames() string {
	cmds := commands()
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

const mainUsage = `usersig mints, checks and explains user identity signatures: the
HMAC-SHA256 of a user id or email that chat and inbox widgets demand.

usage: usersig COMMAND [flags]

commands:
%s
The secret comes from $USERSIG_SECRET or --secret-file PATH ("-" for
stdin); it is never a flag value and never printed. Exit codes: 0 success
or valid, 1 invalid or unexplained, 2 usage error.

Run 'usersig COMMAND -h' for a command's flags.
`

func runHelp(e *env, args []string) int {
	if len(args) > 0 {
		for _, c := range commands() {
			if c.name == args[0] {
				return c.run(e, []string{"-h"})
			}
		}
		fmt.Fprintf(e.stderr, "usersig help: unknown command%s; commands: %s\n", quoteIfName(args[0]), commandNames())
		return exitUsage
	}
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(e.stdout, mainUsage, b.String())
	return exitOK
}

// nameLike matches the words this program echoes back in errors: short,
// lower-case, like every command, scheme and flag name here. Anything else a
// user typed where a name belongs is not repeated, in case it was a secret
// pasted in the wrong place (random secrets are long or mixed-case).
var nameLike = regexp.MustCompile(`^[a-z][a-z0-9-]{0,23}$`)

func quoteIfName(s string) string {
	if nameLike.MatchString(s) {
		return fmt.Sprintf(" %q", s)
	}
	return ""
}

// newFlagSet returns a FlagSet that reports nothing itself: parse does.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("usersig "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args into fs. On -h it prints usage and the flags to stdout
// and returns exitOK, false; on an error it prints one line to stderr and
// returns exitUsage, false. Positional arguments are refused: every input
// is a flag.
func (e *env) parse(fs *flag.FlagSet, usage string, args []string) (int, bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, usage)
		fmt.Fprintln(e.stdout, "\nflags:")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return exitOK, false
	}
	if err != nil {
		return e.usageError(fs.Name(), flagErrorText(err)), false
	}
	if fs.NArg() > 0 {
		// Not echoed: a stray argument may be a secret typed in the wrong place.
		return e.usageError(fs.Name(), fmt.Sprintf("unexpected argument(s) after the flags (%d); every input is a flag", fs.NArg())), false
	}
	return 0, true
}

// flagErrorText rewrites the flag package's errors so they never repeat a
// value (which could be a secret put in the wrong place) and explains the
// flag this program deliberately lacks.
func flagErrorText(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		if name == "secret" || name == "-secret" {
			return "there is no --secret flag: a secret on the command line shows in process lists and shell history; set " + secretEnv + " or use --secret-file PATH"
		}
		if !nameLike.MatchString(name) {
			return "unknown flag"
		}
		return "unknown flag -" + name
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		return "invalid value for flag -" + m[1]
	}
	if strings.HasPrefix(msg, "flag needs an argument: -") {
		return msg // names a flag this program defines
	}
	return "invalid flag syntax" // never repeat what was typed
}

// invalidValue matches the flag package's "invalid value" errors, whose
// quoted value is dropped.
var invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value ".*" for (?:flag )?-([A-Za-z0-9-]+)`)

// usageError prints one line for a usage error and returns exitUsage.
func (e *env) usageError(who, msg string) int {
	fmt.Fprintf(e.stderr, "%s: %s (see '%s -h')\n", who, msg, who)
	return exitUsage
}

// identityFlags are the flags every signing command takes.
type identityFlags struct {
	userID, email, expires string
}

func (f *identityFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.userID, "user-id", "", "the user id, exactly as the front end sends it")
	fs.StringVar(&f.email, "email", "", "the email, exactly as the front end sends it")
	fs.StringVar(&f.expires, "expires", "", "expiry as RFC 3339 text, e.g. 2026-11-22T10:00:00.000Z")
}

// expiry parses --expires; the zero time when it is empty.
func (f *identityFlags) expiry() (time.Time, error) {
	if f.expires == "" {
		return time.Time{}, nil
	}
	return usersig.ParseExpiry(f.expires)
}

// lookupScheme finds a preset by name or says which names exist.
func lookupScheme(name string) (usersig.Scheme, string) {
	if name == "" {
		return usersig.Scheme{}, "--scheme is required; schemes: " + schemeNames()
	}
	sc, ok := usersig.LookupScheme(name)
	if !ok {
		return usersig.Scheme{}, "unknown scheme" + quoteIfName(name) + "; schemes: " + schemeNames()
	}
	return sc, ""
}

func schemeNames() string {
	var names []string
	for _, sc := range usersig.Schemes() {
		names = append(names, sc.Name)
	}
	return strings.Join(names, ", ")
}

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
// else $USERSIG_SECRET. From a file exactly one trailing "\n" or "\r\n" is
// removed (what echo and editors add); everything else, including other
// whitespace, is part of the secret. The environment variable is used as is.
// On failure it returns a message for a usage error that never contains the
// secret. A secret shorter than usersig.MinSecretLen is accepted with a
// one-line warning on stderr.
func (s *secretSource) load(e *env) ([]byte, string) {
	var secret []byte
	if s.set && s.path == "" {
		return nil, "--secret-file needs a PATH (\"-\" for stdin)"
	}
	if s.set {
		b, msg := e.readKeyFile(s.path, "--secret-file")
		if msg != "" {
			return nil, msg
		}
		secret = b
	} else {
		v := e.getenv(secretEnv)
		if v == "" {
			return nil, "no secret: set " + secretEnv + " or use --secret-file PATH (never a flag value)"
		}
		secret = []byte(v)
	}
	if len(secret) < usersig.MinSecretLen {
		fmt.Fprintf(e.stderr, "usersig: warning: the secret is shorter than %d bytes: fine for vendors' known-answer samples, too weak for production\n", usersig.MinSecretLen)
	}
	return secret, ""
}

// readKeyFile reads a secret or key from path ("-" for stdin), at most 64
// KiB, and removes exactly one trailing "\n" or "\r\n". Its messages name
// the flag and the path, never the content.
func (e *env) readKeyFile(path, flagName string) ([]byte, string) {
	var r io.Reader
	if path == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, "cannot read the file given to " + flagName + ": " + causeText(err)
		}
		defer f.Close()
		r = f
	}
	if r == nil {
		return nil, "cannot read " + flagName + " from stdin"
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSecretFile+1))
	if err != nil {
		return nil, "cannot read the file given to " + flagName + ": " + causeText(err)
	}
	if len(b) > maxSecretFile {
		return nil, flagName + " is larger than 64 KiB: that is not a secret or a key"
	}
	b, ok := bytesCutSuffix(b, "\r\n")
	if !ok {
		b, _ = bytesCutSuffix(b, "\n")
	}
	if len(b) == 0 {
		return nil, "the file given to " + flagName + " is empty"
	}
	return b, ""
}

func bytesCutSuffix(b []byte, suffix string) ([]byte, bool) {
	if len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix {
		return b[:len(b)-len(suffix)], true
	}
	return b, false
}

// causeText is the cause of a file error without the path: the path given to
// --secret-file or --key-file may be the secret itself, pasted in the wrong
// place.
func causeText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return "read failed"
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

// newSigner is usersig.New for the CLI: short secrets allowed (the warning
// was printed when the secret was loaded) and the injected clock.
func (e *env) newSigner(sc usersig.Scheme, secret []byte) (*usersig.Signer, error) {
	return usersig.New(sc, secret, usersig.WithShortSecretsAllowed(), usersig.WithClock(e.now))
}

// ignoredFields names the identity flags the scheme does not sign for id,
// so sign can warn that they are not protected.
func ignoredFields(sc usersig.Scheme, f identityFlags) []string {
	r, ok := sc.Composer.(usersig.MessageRule)
	if !ok {
		return nil
	}
	var out []string
	switch r {
	case usersig.UserID, usersig.UserIDExpiry:
		if f.email != "" {
			out = append(out, "--email")
		}
	case usersig.Email:
		if f.userID != "" {
			out = append(out, "--user-id")
		}
	case usersig.UserIDOrEmail:
		if f.userID != "" && f.email != "" {
			out = append(out, "--email")
		}
	}
	if f.expires != "" && r != usersig.UserIDExpiry && r != usersig.Framed {
		out = append(out, "--expires")
	}
	sort.Strings(out)
	return out
}
