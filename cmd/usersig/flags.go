package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/usersig/usersig"
)

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
	fs.Usage = func() {}
	return fs
}

// parse parses args into fs. On -h it prints usage and the flags to stdout
// and returns exitOK, false; on an error it prints one line to stderr and
// returns exitUsage, false. Positional arguments are refused: every input
// is a flag. So is a flag given twice, whichever command defines it.
func (e *env) parse(fs *flag.FlagSet, usage string, args []string) (int, bool) {
	restore := refuseRepeats(fs)
	err := fs.Parse(args)
	if name := restore(); name != "" {
		return e.usageError(fs.Name(), "--"+name+" is given more than once; give each flag once"), false
	}
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

// errRepeated stops Parse at a flag's second use.
var errRepeated = errors.New("flag given more than once")

// onceValue is a flag.Value that refuses a second Set. The flag package
// lets the last use win, which would sign or check a value other than the
// one the user read first on a long command line.
type onceValue struct {
	flag.Value
	name     string
	set      bool
	repeated *string // the first repeated flag's name, set on refusal
}

func (v *onceValue) Set(s string) error {
	if v.set {
		*v.repeated = v.name
		return errRepeated
	}
	v.set = true
	return v.Value.Set(s)
}

// IsBoolFlag keeps a wrapped bool flag usable without a value.
func (v *onceValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// refuseRepeats wraps every flag of fs in a onceValue for Parse. The func
// it returns puts the original values back (so help prints each flag's type
// and default as usual) and names the repeated flag, or returns "".
func refuseRepeats(fs *flag.FlagSet) func() string {
	var repeated string
	var flags []*flag.Flag
	var values []flag.Value
	fs.VisitAll(func(f *flag.Flag) {
		flags, values = append(flags, f), append(values, f.Value)
		f.Value = &onceValue{Value: f.Value, name: f.Name, repeated: &repeated}
	})
	return func() string {
		for i, f := range flags {
			f.Value = values[i]
		}
		return repeated
	}
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

// given is the identity the flags name, with the expiry parsed.
func (f *identityFlags) given(expiresAt time.Time) usersig.Identity {
	return usersig.Identity{UserID: f.userID, Email: f.email, ExpiresAt: expiresAt}
}
