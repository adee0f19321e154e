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

// typo returns ` "typed" (did you mean "name"?)`, with prefix before both
// ("--" for flags), when typed is a near miss of one of names (nearest): a
// typo, worth repeating. Anything else a user typed where a name belongs is not
// repeated, in case it is a secret pasted in the wrong place: "--hunter2pass"
// is reported as an unknown flag, without its text.
func typo(typed string, names []string, prefix string) string {
	if name := nearest(typed, names); name != "" {
		return fmt.Sprintf(" %q (did you mean %q?)", prefix+typed, prefix+name)
	}
	return ""
}

// nearest is the name within two edits of typed (ASCII case ignored) and
// nearer than half its length, else the first name typed begins (at least
// three characters), or "". Ties go to the earlier name.
func nearest(typed string, names []string) string {
	typed = strings.ToLower(typed)
	best, bestDist := "", 3
	for _, name := range names {
		d := editDistance(typed, strings.ToLower(name))
		if d < bestDist && 2*d < len(name) {
			best, bestDist = name, d
		}
	}
	if best != "" || len(typed) < 3 {
		return best
	}
	for _, name := range names { // a name cut short: --user for --user-id
		if strings.HasPrefix(strings.ToLower(name), typed) {
			return name
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent bytes. The
// inputs are bounded by the caller's names (a flag's text may be long, but
// then it is far from every name and the answer does not matter beyond 2).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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
		writeFlags(e.stdout, fs)
		return exitOK, false
	}
	if err != nil {
		return e.usageError(fs.Name(), flagErrorText(err, fs)), false
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

// writeFlags prints fs's flags as PrintDefaults does, but spelled --flag,
// as the usage texts and the README write them (the flag package accepts
// both).
func writeFlags(w io.Writer, fs *flag.FlagSet) {
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	io.WriteString(w, flagLine.ReplaceAllString(b.String(), "  --"))
}

// flagLine is the start of PrintDefaults' line naming a flag.
var flagLine = regexp.MustCompile(`(?m)^  -`)

// flagErrorText rewrites the flag package's errors so they never repeat a
// value or an unknown flag's text (either could be a secret put in the
// wrong place) unless it is a near miss of a real flag, and explains the
// flag this program deliberately lacks.
func flagErrorText(err error, fs *flag.FlagSet) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimPrefix(name, "-")
		if name == "secret" {
			return "there is no --secret flag: a secret on the command line shows in process lists and shell history; set " + secretEnv + " or use --secret-file PATH"
		}
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if hint := typo(name, names, "--"); hint != "" {
			return "unknown flag" + hint
		}
		return "unknown flag (not repeated here, in case it is a secret typed in the wrong place)"
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		return "invalid value for flag --" + m[1]
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag needs an argument: --" + name // a flag this program defines
	}
	return "invalid flag syntax" // never repeat what was typed
}

// invalidValue matches the flag package's "invalid value" errors, whose
// quoted value is dropped.
var invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value ".*" for (?:flag )?-([A-Za-z0-9-]+)`)

// usageError prints one line for a usage error and returns exitUsage.
func (e *env) usageError(who, msg string) int {
	fmt.Fprintf(e.stderr, "%s: %s (see '%s --help')\n", who, msg, who)
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
