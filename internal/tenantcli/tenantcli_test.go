package tenantcli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/tenants"
)

const kekText = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Now: time.Now, Getenv: func(k string) string {
		if k == "USERSIG_KEK" {
			return kekText
		}
		return ""
	}}
	code := Run(context.Background(), args, env)
	return result{code, out.String(), errOut.String()}
}

func TestConsole(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	require.Equal(t, 0, run(t, "init", "--db", db).code)
	add := run(t, "add", "--db", db, "acme", "--scheme", "intercom")
	require.Equal(t, 0, add.code, add.stderr)
	secret := strings.TrimSpace(add.stdout)
	assert.Len(t, secret, 43)
	assert.NotContains(t, add.stderr, secret)

	rot := run(t, "rotate", "--db", db, "--overlap", "1h", "acme")
	require.Equal(t, 0, rot.code, rot.stderr)
	secret2 := strings.TrimSpace(rot.stdout)
	assert.NotEqual(t, secret, secret2)

	ls := run(t, "list", "--db", db)
	require.Equal(t, 0, ls.code, ls.stderr)
	assert.Contains(t, ls.stdout, "2: current")
	assert.Contains(t, ls.stdout, "1: until")
	assert.NotContains(t, ls.stdout, secret)
	assert.NotContains(t, ls.stdout, secret2)

	require.Equal(t, 0, run(t, "revoke", "--db", db, "acme", "1").code)
	js := run(t, "list", "--db", db, "--json")
	require.Equal(t, 0, js.code)
	var parsed []map[string]any
	require.NoError(t, json.Unmarshal([]byte(js.stdout), &parsed))
	assert.Equal(t, "acme", parsed[0]["key"])

	// The store the console wrote serves the printed secret.
	kek, err := tenants.ParseLocalKEK(kekText)
	require.NoError(t, err)
	st, err := tenants.Open(context.Background(), db, tenants.Options{KEK: kek})
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Start(context.Background()))
	signer, err := st.Signer(context.Background(), "acme")
	require.NoError(t, err)
	sig, err := usersig.New(usersig.Intercom(), []byte(secret2))
	require.NoError(t, err)
	h, err := sig.Sign(usersig.Identity{UserID: "u1"})
	require.NoError(t, err)
	assert.NoError(t, signer.Verify(usersig.Identity{UserID: "u1"}, h))

	rw := run(t, "rewrap", "--db", db)
	assert.Equal(t, 0, rw.code, rw.stderr)
}

func TestConsoleErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	require.Equal(t, 0, run(t, "init", "--db", db).code)
	assert.Equal(t, 2, run(t).code)
	assert.Equal(t, 2, run(t, "frobnicate", "--db", db).code)
	assert.Equal(t, 2, run(t, "list").code, "no --db")
	assert.Equal(t, 2, run(t, "add", "--db", db, "k", "--scheme", "nope").code)
	assert.Equal(t, 2, run(t, "revoke", "--db", db, "k", "x").code)
	require.Equal(t, 0, run(t, "add", "--db", db, "k", "--scheme", "intercom").code)
	dup := run(t, "add", "--db", db, "k", "--scheme", "intercom")
	assert.Equal(t, 1, dup.code)
	assert.Contains(t, dup.stderr, "already exists")
	assert.Equal(t, 1, run(t, "rotate", "--db", db, "nobody").code)
	assert.Equal(t, 1, run(t, "list", "--db", "postgres://u@127.0.0.1:1/x?connect_timeout=1").code)
}

// KEK rotation from the console: rewrap under a new KEK file, the old one
// given with --old-kek-file; afterwards the new KEK alone serves.
func TestConsoleKEKRotation(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	require.Equal(t, 0, run(t, "init", "--db", db).code)
	add := run(t, "add", "--db", db, "acme", "--scheme", "crisp")
	require.Equal(t, 0, add.code, add.stderr)
	oldFile, newFile := filepath.Join(dir, "old.kek"), filepath.Join(dir, "new.kek")
	require.NoError(t, os.WriteFile(oldFile, []byte(kekText+"\n"), 0o600))
	require.NoError(t, os.WriteFile(newFile, []byte(strings.Repeat("ab", 32)), 0o600))

	bad := run(t, "rewrap", "--db", db, "--kek-file", newFile)
	assert.Equal(t, 1, bad.code, "without the old KEK the rows do not open")
	rw := run(t, "rewrap", "--db", db, "--kek-file", newFile, "--old-kek-file", oldFile)
	require.Equal(t, 0, rw.code, rw.stderr)
	assert.Contains(t, rw.stderr, "1 secrets re-sealed")

	kek, err := tenants.LocalKEKFromFile(newFile)
	require.NoError(t, err)
	st, err := tenants.Open(context.Background(), db, tenants.Options{KEK: kek})
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Start(context.Background()))
	_, err = st.Signer(context.Background(), "acme")
	assert.NoError(t, err)

	short := filepath.Join(dir, "short.kek")
	require.NoError(t, os.WriteFile(short, []byte("c2hvcnQ="), 0o600))
	r := run(t, "rotate", "--db", db, "--kek-file", short, "acme")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "32 bytes")
}

func TestConsoleInitSQL(t *testing.T) {
	r := run(t, "init", "--sql", "--db", "postgres://u@127.0.0.1:1/x")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "CREATE TRIGGER usersig_tenants_notify")
	r = run(t, "init", "--sql", "--db", "t.db")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "BLOB")
}
