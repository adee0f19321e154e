// Package tenantcli is the engine of `usersig tenants`: the console of the
// tenant store (package tenants), testable apart from the CLI's flags.
package tenantcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/tenants"
)

// Exit codes, as the rest of the CLI.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	kekEnvName  = "USERSIG_KEK"
	dbEnvName   = "USERSIG_TENANTS_DB"
	defaultOver = 24 * time.Hour
)

// Env is what the command may touch.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
}

// Usage is the command's help text.
const Usage = `usage: usersig tenants COMMAND --db DSN-or-path [flags] [args]

Manages the tenant secret store: a PostgreSQL DSN (postgres://...) or a
SQLite file path. --db may be left out when $USERSIG_TENANTS_DB is set.
Commands that seal or open secrets (add, rotate, rewrap) need the
key-encryption key: --kek-file PATH, or 32 bytes as base64 or hex in
$USERSIG_KEK. No command ever prints a stored secret; add and rotate print
the new secret once, alone on stdout.

  init   [--sql]                          create the schema (idempotent); --sql
                                          prints the script instead
  add    --scheme NAME [--allow-short] [--expiry-required] [--leeway D]
         [--secret-file PATH] KEY         add a tenant; prints its new secret
                                          (or stores the one in PATH)
  rotate [--overlap D] KEY                new current secret, printed; the old
                                          one verifies for D more (default 24h)
  revoke KEY SECRET-ID                    stop a secret now
  list   [--json]                         tenants and secret ids, no secrets
  rewrap [--old-kek-file PATH]...         re-seal every secret under the KEK
                                          (KEK rotation, without downtime)

flags:
  --db DSN-or-path      the store (or $USERSIG_TENANTS_DB)
  --kek-file PATH       the key-encryption key (or $USERSIG_KEK), for add,
                        rotate and rewrap

Exit codes: 0 done; 1 failed (a database, KEK or data error); 2 usage error.
`

type cmdFlags struct {
	db, kekFile, secretFile, scheme string
	oldKEKFiles                     multi
	allowShort, expiryRequired      bool
	jsonOut, printSQL               bool
	leeway, overlap                 time.Duration
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// Run runs `usersig tenants args...` and returns the exit code.
func Run(ctx context.Context, args []string, e Env) int {
	if len(args) == 0 {
		fmt.Fprint(e.Stderr, Usage)
		return exitUsage
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(e.Stdout, Usage)
		return exitOK
	}
	name := args[0]
	var f cmdFlags
	fs := flag.NewFlagSet("usersig tenants "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.db, "db", "", "PostgreSQL DSN or SQLite path")
	needKEK := false
	switch name {
	case "init":
		fs.BoolVar(&f.printSQL, "sql", false, "print the schema script for --db's database instead of running it")
	case "revoke":
	case "list":
		fs.BoolVar(&f.jsonOut, "json", false, "print JSON")
	case "add":
		needKEK = true
		fs.StringVar(&f.scheme, "scheme", "", "usersig preset scheme name")
		fs.BoolVar(&f.allowShort, "allow-short", false, "accept a secret shorter than 16 bytes")
		fs.BoolVar(&f.expiryRequired, "expiry-required", false, "require an expiry in every signature")
		fs.DurationVar(&f.leeway, "leeway", 0, "expiry leeway")
		fs.StringVar(&f.secretFile, "secret-file", "", "store this secret instead of a new one")
	case "rotate":
		needKEK = true
		fs.DurationVar(&f.overlap, "overlap", defaultOver, "how long the old secret keeps verifying")
	case "rewrap":
		needKEK = true
		fs.Var(&f.oldKEKFiles, "old-kek-file", "a previous KEK (repeatable)")
	default:
		fmt.Fprintf(e.Stderr, "usersig tenants: unknown command %q; commands: init add rotate revoke list rewrap\n", name)
		return exitUsage
	}
	if needKEK {
		fs.StringVar(&f.kekFile, "kek-file", "", "file holding the key-encryption key")
	}
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return usage(e, name, err.Error())
	}
	if f.db == "" {
		f.db = e.Getenv(dbEnvName)
	}
	if f.db == "" {
		return usage(e, name, "--db is required (or $"+dbEnvName+")")
	}
	want := map[string]int{"init": 0, "list": 0, "rewrap": 0, "add": 1, "rotate": 1, "revoke": 2}[name]
	if len(pos) != want {
		return usage(e, name, fmt.Sprintf("want %d argument(s), got %d", want, len(pos)))
	}
	if f.printSQL {
		fmt.Fprint(e.Stdout, tenants.Schema(tenants.IsPostgres(f.db)))
		return exitOK
	}
	opts := tenants.Options{Clock: e.Now, Logger: slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if needKEK {
		if opts.KEK, err = loadKEK(f.kekFile, e.Getenv); err != nil {
			return fail(e, name, err)
		}
		for _, p := range f.oldKEKFiles {
			k, err := tenants.LocalKEKFromFile(p)
			if err != nil {
				return fail(e, name, err)
			}
			opts.OldKEKs = append(opts.OldKEKs, k)
		}
	}
	st, err := tenants.Open(ctx, f.db, opts)
	if err != nil {
		return fail(e, name, err)
	}
	defer st.Close()
	switch name {
	case "init":
		err = st.Migrate(ctx)
		if err == nil {
			fmt.Fprintln(e.Stderr, "usersig tenants: schema ready")
		}
	case "add":
		err = add(ctx, st, f, pos[0], e)
	case "rotate":
		var secret []byte
		if secret, err = st.Rotate(ctx, pos[0], f.overlap); err == nil {
			fmt.Fprintf(e.Stderr, "usersig tenants: %s rotated; the previous secret verifies until %s; the new secret follows, shown once\n",
				pos[0], e.Now().Add(f.overlap).UTC().Format(time.RFC3339))
			fmt.Fprintf(e.Stdout, "%s\n", secret)
		}
	case "revoke":
		id, perr := strconv.Atoi(pos[1])
		if perr != nil || id <= 0 {
			return usage(e, name, "SECRET-ID must be a positive integer (see list)")
		}
		if err = st.Revoke(ctx, pos[0], id); err == nil {
			fmt.Fprintf(e.Stderr, "usersig tenants: %s secret %d revoked\n", pos[0], id)
		}
	case "list":
		err = list(ctx, st, f.jsonOut, e)
	case "rewrap":
		var n int
		n, err = st.Rewrap(ctx)
		fmt.Fprintf(e.Stderr, "usersig tenants: %d secrets re-sealed under KEK %s\n", n, opts.KEK.ID())
	}
	if err != nil {
		return fail(e, name, err)
	}
	return exitOK
}

func add(ctx context.Context, st *tenants.Store, f cmdFlags, key string, e Env) error {
	t := tenants.Tenant{Key: key, Scheme: f.scheme, AllowShortSecrets: f.allowShort, ExpiryRequired: f.expiryRequired, Leeway: f.leeway}
	if f.secretFile != "" {
		secret, err := usersig.ReadSecretFile(f.secretFile)
		if err != nil {
			return err
		}
		if err := st.Import(ctx, t, secret); err != nil {
			return err
		}
		fmt.Fprintf(e.Stderr, "usersig tenants: %s added with the secret from %s (secret id 1)\n", key, f.secretFile)
		return nil
	}
	secret, err := st.Add(ctx, t)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "usersig tenants: %s added (secret id 1); its secret follows, shown once\n", key)
	fmt.Fprintf(e.Stdout, "%s\n", secret)
	return nil
}

func list(ctx context.Context, st *tenants.Store, asJSON bool, e Env) error {
	ts, err := st.List(ctx)
	if err != nil {
		return err
	}
	now := e.Now()
	if asJSON {
		type secretJSON struct {
			ID       int        `json:"id"`
			Created  time.Time  `json:"created"`
			NotAfter *time.Time `json:"not_after,omitempty"`
			Live     bool       `json:"live"`
		}
		type tenantJSON struct {
			Key               string       `json:"key"`
			Scheme            string       `json:"scheme"`
			AllowShortSecrets bool         `json:"allow_short_secrets"`
			ExpiryRequired    bool         `json:"expiry_required"`
			Leeway            string       `json:"leeway"`
			Version           int64        `json:"version"`
			Secrets           []secretJSON `json:"secrets"`
			TokenProfile      string       `json:"token_profile,omitempty"`
			TokenKeys         []secretJSON `json:"token_keys,omitempty"`
		}
		toJSON := func(ss []tenants.SecretInfo) []secretJSON {
			out := []secretJSON{}
			for _, s := range ss {
				sj := secretJSON{ID: s.ID, Created: s.Created.UTC(), Live: s.NotAfter.IsZero() || s.NotAfter.After(now)}
				if !s.NotAfter.IsZero() {
					na := s.NotAfter.UTC()
					sj.NotAfter = &na
				}
				out = append(out, sj)
			}
			return out
		}
		out := []tenantJSON{}
		for _, t := range ts {
			tj := tenantJSON{t.Key, t.Scheme, t.AllowShortSecrets, t.ExpiryRequired, t.Leeway.String(), t.Version, toJSON(t.Secrets), t.TokenProfile, nil}
			if t.TokenProfile != "" {
				tj.TokenKeys = toJSON(t.TokenKeys)
			}
			out = append(out, tj)
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "KEY\tSCHEME\tSECRETS (id: state)\tOPTIONS\tTOKEN KEYS (profile, id: state)")
	states := func(ss []tenants.SecretInfo) string {
		var out []string
		for _, s := range ss {
			switch {
			case s.NotAfter.IsZero():
				out = append(out, fmt.Sprintf("%d: current", s.ID))
			case s.NotAfter.After(now):
				out = append(out, fmt.Sprintf("%d: until %s", s.ID, s.NotAfter.UTC().Format(time.RFC3339)))
			default:
				out = append(out, fmt.Sprintf("%d: stopped", s.ID))
			}
		}
		return strings.Join(out, ", ")
	}
	for _, t := range ts {
		scheme, tokens := t.Scheme, ""
		if scheme == "" {
			scheme = "-"
		}
		if t.TokenProfile != "" {
			tokens = t.TokenProfile + ", " + states(t.TokenKeys)
		}
		var o []string
		if t.AllowShortSecrets {
			o = append(o, "allow-short")
		}
		if t.ExpiryRequired {
			o = append(o, "expiry-required")
		}
		if t.Leeway > 0 {
			o = append(o, "leeway="+t.Leeway.String())
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Key, scheme, states(t.Secrets), strings.Join(o, " "), tokens)
	}
	return w.Flush()
}

func loadKEK(path string, getenv func(string) string) (tenants.KEK, error) {
	if path != "" {
		return tenants.LocalKEKFromFile(path)
	}
	if v := getenv(kekEnvName); v != "" {
		return tenants.ParseLocalKEK(v)
	}
	return nil, fmt.Errorf("%w: give --kek-file or set $%s", tenants.ErrNoKEK, kekEnvName)
}

// parseInterleaved parses flags that may come before or after the
// positional arguments, as `usersig tenants add --db x acme --scheme y`.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errors.New("see usersig tenants help")
			}
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func usage(e Env, name, msg string) int {
	fmt.Fprintf(e.Stderr, "usersig tenants %s: %s (run 'usersig tenants help')\n", name, msg)
	return exitUsage
}

func fail(e Env, name string, err error) int {
	fmt.Fprintf(e.Stderr, "usersig tenants %s: %v\n", name, err)
	if errors.Is(err, tenants.ErrUnknownScheme) || errors.Is(err, tenants.ErrInvalidTenant) {
		return exitUsage
	}
	return exitFailed
}
