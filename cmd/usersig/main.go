package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Exit codes. Scripts depend on them.
const (
	exitOK      = 0 // success; verify: valid; diagnose: explained
	exitInvalid = 1 // verify: invalid, malformed or expired; diagnose: unexplained; I/O failure
	exitUsage   = 2 // usage error: bad flag or command, unknown scheme, no secret, unreadable expiry
)

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
		{"tenants", "manage the tenant secret store: init|add|rotate|revoke|list|rewrap", runTenants},
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
		// As go and git do: the usage is the answer to no command, on
		// stderr since it is an error.
		writeMainUsage(stderr)
		return exitUsage
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		return runHelp(e, args[1:])
	default:
		if c, ok := lookupCommand(name); ok {
			return c.run(e, args[1:])
		}
		fmt.Fprintf(stderr, "usersig: unknown command%s; commands: %s (run 'usersig help')\n", typo(name, commandNameList(), ""), commandNames())
		return exitUsage
	}
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func commandNames() string { return strings.Join(commandNameList(), ", ") }

func commandNameList() []string {
	cmds := commands()
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	return names
}

const mainUsage = `usersig mints, checks and explains user identity signatures: the
HMAC-SHA256 of a user id or email that chat and inbox widgets demand.

usage: usersig COMMAND [flags]

commands:
%s
The secret comes from $USERSIG_SECRET or --secret-file PATH ("-" for
stdin); it is never a flag value and never printed. Exit codes: 0 success
or valid, 1 invalid or unexplained, 2 usage error.

Run 'usersig COMMAND --help' for a command's flags.
`

func writeMainUsage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, mainUsage, b.String())
}

func runHelp(e *env, args []string) int {
	if len(args) == 0 {
		writeMainUsage(e.stdout)
		return exitOK
	}
	if c, ok := lookupCommand(args[0]); ok {
		return c.run(e, []string{"-h"})
	}
	fmt.Fprintf(e.stderr, "usersig help: unknown command%s; commands: %s\n", typo(args[0], commandNameList(), ""), commandNames())
	return exitUsage
}

// writeJSON prints v as one line of JSON, '<' and '>' as they are.
func (e *env) writeJSON(v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "usersig: %v\n", err)
		return exitInvalid
	}
	return exitOK
}
