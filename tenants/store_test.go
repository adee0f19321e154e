package tenants

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/usertoken"
)

// testClock is a settable clock shared by a test's stores.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *testClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *testClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func testKEK(t testing.TB, seed byte) *LocalKEK {
	k, err := NewLocalKEK(bytes.Repeat([]byte{seed}, 32))
	require.NoError(t, err)
	return k
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// backend opens stores on one fresh database.
type backend struct {
	name string
	open func(t testing.TB, opts Options) *Store
}

func sqliteBackend(t testing.TB) backend {
	path := filepath.Join(t.TempDir(), "tenants.db")
	return backend{name: "sqlite", open: func(t testing.TB, opts Options) *Store {
		if opts.Logger == nil {
			opts.Logger = quietLogger()
		}
		if opts.PollInterval == 0 {
			opts.PollInterval = 20 * time.Millisecond
		}
		s, err := Open(context.Background(), path, opts)
		require.NoError(t, err)
		require.NoError(t, s.Migrate(context.Background()))
		t.Cleanup(func() { s.Close() })
		return s
	}}
}

// forEachBackend runs f against SQLite, and against PostgreSQL when
// USERSIG_TEST_POSTGRES names one (see postgresDSN).
func forEachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteBackend(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, postgresBackend(t)) })
}

func sign(t testing.TB, scheme string, secret []byte, id usersig.Identity, opts ...usersig.Option) string {
	sc, ok := usersig.LookupScheme(scheme)
	require.True(t, ok)
	s, err := usersig.New(sc, secret, opts...)
	require.NoError(t, err)
	sig, err := s.Sign(id)
	require.NoError(t, err)
	return sig
}

func verifies(t testing.TB, st *Store, key string, secret []byte) bool {
	t.Helper()
	signer, err := st.Signer(context.Background(), key)
	if err != nil {
		return false
	}
	id := usersig.Identity{UserID: "alice", Email: "alice@example.com"}
	return signer.Verify(id, sign(t, signer.Scheme().Name, secret, id, usersig.WithShortSecretsAllowed())) == nil
}

func TestAddStartVerify(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newTestClock()
		st := b.open(t, Options{KEK: testKEK(t, 1), Clock: clock.Now})
		secret, err := st.Add(ctx, Tenant{Key: "acme", Scheme: "intercom"})
		require.NoError(t, err)
		assert.Len(t, secret, 43)
		hexSecret, err := st.Add(ctx, Tenant{Key: "pylon-co", Scheme: "pylon"})
		require.NoError(t, err)
		assert.Len(t, hexSecret, 64)
		require.NoError(t, st.Import(ctx, Tenant{Key: "legacy", Scheme: "helpshift", AllowShortSecrets: true}, []byte("secret")))

		require.NoError(t, st.Start(ctx))
		assert.True(t, verifies(t, st, "acme", secret))
		assert.True(t, verifies(t, st, "pylon-co", hexSecret))
		assert.True(t, verifies(t, st, "legacy", []byte("secret")))
		assert.False(t, verifies(t, st, "acme", hexSecret))

		_, err = st.Signer(ctx, "nobody")
		assert.ErrorIs(t, err, ErrUnknownTenant)
		assert.ErrorIs(t, err, sighttp.ErrUnknownSigner)

		h := st.Health()
		assert.Equal(t, 3, h.Tenants)
		assert.False(t, h.Stale)
		id, ok := st.SecretID("acme", 0)
		assert.True(t, ok)
		assert.Equal(t, 1, id)
	})
}

func TestWriteErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		st := b.open(t, Options{KEK: testKEK(t, 1)})
		_, err := st.Add(ctx, Tenant{Key: "acme", Scheme: "intercom"})
		require.NoError(t, err)
		_, err = st.Add(ctx, Tenant{Key: "acme", Scheme: "intercom"})
		assert.ErrorIs(t, err, ErrDuplicateTenant)
		_, err = st.Add(ctx, Tenant{Key: "b", Scheme: "no-such-vendor"})
		assert.ErrorIs(t, err, ErrUnknownScheme)
		_, err = st.Add(ctx, Tenant{Key: "", Scheme: "intercom"})
		assert.ErrorIs(t, err, ErrInvalidTenant)
		_, err = st.Add(ctx, Tenant{Key: "x\n", Scheme: "intercom"})
		assert.ErrorIs(t, err, ErrInvalidTenant)
		assert.ErrorIs(t, st.Import(ctx, Tenant{Key: "c", Scheme: "intercom"}, nil), usersig.ErrEmptySecret)
		assert.ErrorIs(t, st.Import(ctx, Tenant{Key: "c", Scheme: "intercom"}, []byte("short")), usersig.ErrWeakSecret)
		assert.ErrorIs(t, st.Import(ctx, Tenant{Key: "c", Scheme: "intercom", ExpiryRequired: true}, bytes.Repeat([]byte("k"), 32)), usersig.ErrInvalidOption)
		_, err = st.Rotate(ctx, "nobody", time.Hour)
		assert.ErrorIs(t, err, ErrNoSuchTenant)
		_, err = st.Rotate(ctx, "acme", -time.Second)
		assert.ErrorIs(t, err, ErrInvalidTenant)
		assert.ErrorIs(t, st.Revoke(ctx, "acme", 9), ErrNoSuchSecret)
		assert.ErrorIs(t, st.Revoke(ctx, "nobody", 1), ErrNoSuchTenant)

		noKEK := b.open(t, Options{})
		_, err = noKEK.Add(ctx, Tenant{Key: "d", Scheme: "intercom"})
		assert.ErrorIs(t, err, ErrNoKEK)
		list, err := noKEK.List(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "acme", list[0].Key)
	})
}

func TestRotateAndRevoke(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newTestClock()
		st := b.open(t, Options{KEK: testKEK(t, 1), Clock: clock.Now})
		s1, err := st.Add(ctx, Tenant{Key: "acme", Scheme: "engagespot"})
		require.NoError(t, err)
		require.NoError(t, st.Start(ctx))

		s2, err := st.Rotate(ctx, "acme", time.Hour)
		require.NoError(t, err)
		require.NoError(t, st.Sync(ctx))
		assert.True(t, verifies(t, st, "acme", s1), "old secret verifies during the overlap")
		assert.True(t, verifies(t, st, "acme", s2))

		// Which secret verified, by id.
		signer, err := st.Signer(ctx, "acme")
		require.NoError(t, err)
		id := usersig.Identity{UserID: "bob"}
		_, idx, err := signer.AuthenticateSecret(usersig.Credential{UserID: "bob", Signature: sign(t, "engagespot", s1, id)})
		require.NoError(t, err)
		secretID, ok := st.SecretID("acme", idx)
		assert.True(t, ok)
		assert.Equal(t, 1, secretID)
		_, idx, err = signer.AuthenticateSecret(usersig.Credential{UserID: "bob", Signature: sign(t, "engagespot", s2, id)})
		require.NoError(t, err)
		secretID, _ = st.SecretID("acme", idx)
		assert.Equal(t, 2, secretID)

		// The same through Authenticate, counted.
		_, v, err := st.Authenticate(ctx, "acme", usersig.Credential{UserID: "bob", Signature: sign(t, "engagespot", s1, id)})
		require.NoError(t, err)
		assert.Equal(t, Verified{SecretID: 1, Current: false}, v)
		_, v, err = st.Authenticate(ctx, "acme", usersig.Credential{UserID: "bob", Signature: sign(t, "engagespot", s2, id)})
		require.NoError(t, err)
		assert.Equal(t, Verified{SecretID: 2, Current: true}, v)
		_, _, err = st.Authenticate(ctx, "nobody", usersig.Credential{UserID: "bob", Signature: sign(t, "engagespot", s2, id)})
		assert.ErrorIs(t, err, ErrUnknownTenant)
		_, _, err = st.Authenticate(ctx, "acme", usersig.Credential{UserID: "eve", Signature: sign(t, "engagespot", s2, id)})
		assert.ErrorIs(t, err, usersig.ErrInvalidSignature)
		h := st.Health()
		assert.Equal(t, uint64(1), h.VerifiedCurrent)
		assert.Equal(t, uint64(1), h.VerifiedPrevious)

		// The overlap ends by itself, with no write and no sync.
		clock.Advance(time.Hour)
		assert.False(t, verifies(t, st, "acme", s1))
		assert.True(t, verifies(t, st, "acme", s2))

		// Revoke a previous secret inside its overlap: it stops at once.
		s3, err := st.Rotate(ctx, "acme", 24*time.Hour)
		require.NoError(t, err)
		require.NoError(t, st.Sync(ctx))
		assert.True(t, verifies(t, st, "acme", s2))
		require.NoError(t, st.Revoke(ctx, "acme", 2))
		require.NoError(t, st.Sync(ctx))
		assert.False(t, verifies(t, st, "acme", s2))
		assert.True(t, verifies(t, st, "acme", s3))
		require.NoError(t, st.Revoke(ctx, "acme", 2), "revoking twice changes nothing")

		// Revoking the current secret refuses the tenant until a rotation.
		require.NoError(t, st.Revoke(ctx, "acme", 3))
		require.NoError(t, st.Sync(ctx))
		_, err = st.Signer(ctx, "acme")
		assert.ErrorIs(t, err, ErrTenantUnavailable)
		assert.ErrorIs(t, err, sighttp.ErrUnknownSigner)
		s4, err := st.Rotate(ctx, "acme", 0)
		require.NoError(t, err)
		require.NoError(t, st.Sync(ctx))
		assert.True(t, verifies(t, st, "acme", s4))
		assert.False(t, verifies(t, st, "acme", s3))

		list, err := st.List(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		require.Len(t, list[0].Secrets, 4)
		assert.Equal(t, 4, list[0].Secrets[0].ID)
		assert.True(t, list[0].Secrets[0].NotAfter.IsZero())
	})
}

func TestSealedAtRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.db")
	st, err := Open(ctx, path, Options{KEK: testKEK(t, 1), Logger: quietLogger()})
	require.NoError(t, err)
	require.NoError(t, st.Migrate(ctx))
	var secrets [][]byte
	for _, k := range []string{"a", "b", "c"} {
		s, err := st.Add(ctx, Tenant{Key: k, Scheme: "intercom"})
		require.NoError(t, err)
		secrets = append(secrets, s)
	}
	require.NoError(t, st.Close())
	// A dump of the database (the file and its WAL) holds no secret.
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, s := range secrets {
			assert.False(t, bytes.Contains(b, s), "secret in %s", f)
		}
	}
}

func TestTamperedRowRefusesOnlyThatTenant(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		var logs bytes.Buffer
		st := b.open(t, Options{KEK: testKEK(t, 1), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		sa, err := st.Add(ctx, Tenant{Key: "a", Scheme: "intercom"})
		require.NoError(t, err)
		sb, err := st.Add(ctx, Tenant{Key: "b", Scheme: "intercom"})
		require.NoError(t, err)
		// Copy a's sealed secret onto b: the associated data (tenant key,
		// secret id) no longer matches, so it must not open as b's.
		_, err = st.db.ExecContext(ctx, `UPDATE usersig_secrets SET sealed = (SELECT sealed FROM usersig_secrets WHERE tenant_key = 'a') WHERE tenant_key = 'b'`)
		require.NoError(t, err)
		require.NoError(t, st.Start(ctx))
		assert.True(t, verifies(t, st, "a", sa))
		_, err = st.Signer(ctx, "b")
		assert.ErrorIs(t, err, ErrTenantUnavailable)
		assert.False(t, verifies(t, st, "b", sa))
		assert.Contains(t, logs.String(), "tenant=b")
		assert.NotContains(t, logs.String(), string(sa))
		assert.NotContains(t, logs.String(), string(sb))
		assert.Equal(t, 1, st.Health().Refused)
	})
}

func TestWrongKEK(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		w := b.open(t, Options{KEK: testKEK(t, 1)})
		_, err := w.Add(ctx, Tenant{Key: "a", Scheme: "intercom"})
		require.NoError(t, err)
		r := b.open(t, Options{KEK: testKEK(t, 2)})
		require.NoError(t, r.Start(ctx))
		_, err = r.Signer(ctx, "a")
		assert.ErrorIs(t, err, ErrTenantUnavailable)
	})
}

func TestKEKSize(t *testing.T) {
	_, err := NewLocalKEK(make([]byte, 16))
	assert.ErrorIs(t, err, ErrKEKSize)
	_, err = ParseLocalKEK("c2hvcnQ=")
	assert.ErrorIs(t, err, ErrKEKSize)
	k, err := ParseLocalKEK("  " + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n")
	require.NoError(t, err)
	assert.NotContains(t, k.String(), "0001020304")
	t.Setenv("TEST_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	k2, err := LocalKEKFromEnv("TEST_KEK")
	require.NoError(t, err)
	assert.Equal(t, k.ID(), k2.ID())
	_, err = LocalKEKFromEnv("TEST_KEK_UNSET")
	assert.ErrorIs(t, err, ErrNoKEK)
}

func TestRewrapWithoutDowntime(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		oldK, newK := testKEK(t, 1), testKEK(t, 2)
		w := b.open(t, Options{KEK: oldK})
		secrets := map[string][]byte{}
		for _, k := range []string{"a", "b", "c"} {
			s, err := w.Add(ctx, Tenant{Key: k, Scheme: "intercom"})
			require.NoError(t, err)
			secrets[k] = s
		}
		hsKey := bytes.Repeat([]byte("z"), 32)
		require.NoError(t, w.AddTokenTenant(ctx, "jwt", TokenKey{Profile: "intercom", Key: hsKey}))
		// A replica deployed with both KEKs serves throughout.
		both := b.open(t, Options{KEK: oldK, OldKEKs: []KEK{newK}})
		require.NoError(t, both.Start(ctx))
		rw := b.open(t, Options{KEK: newK, OldKEKs: []KEK{oldK}})
		n, err := rw.Rewrap(ctx)
		require.NoError(t, err)
		assert.Equal(t, 4, n)
		require.NoError(t, both.Sync(ctx))
		onlyNew := b.open(t, Options{KEK: newK})
		require.NoError(t, onlyNew.Start(ctx))
		for k, s := range secrets {
			assert.True(t, verifies(t, both, k, s))
			assert.True(t, verifies(t, onlyNew, k, s))
		}
		tok := token(t, usertoken.Intercom(), hsKey, "u", time.Now)
		assert.True(t, tokenVerifies(onlyNew, "jwt", tok))
		var keys int
		require.NoError(t, rw.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM usersig_data_keys`).Scan(&keys))
		assert.Equal(t, 1, keys, "the old data key is gone")
	})
}

func TestFeedReachesOtherStores(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		w := b.open(t, Options{KEK: testKEK(t, 1)})
		r := b.open(t, Options{KEK: testKEK(t, 1)})
		require.NoError(t, r.Start(ctx))
		s, err := w.Add(ctx, Tenant{Key: "new", Scheme: "intercom"})
		require.NoError(t, err)
		require.Eventually(t, func() bool { return verifies(t, r, "new", s) }, 10*time.Second, 5*time.Millisecond)
		require.NoError(t, w.Revoke(ctx, "new", 1))
		require.Eventually(t, func() bool { return !verifies(t, r, "new", s) }, 10*time.Second, 5*time.Millisecond)
	})
}

func TestHealthStale(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock()
	st := sqliteBackend(t).open(t, Options{KEK: testKEK(t, 1), Clock: clock.Now, PollInterval: time.Hour})
	assert.True(t, st.Health().Stale, "not started")
	require.NoError(t, st.Start(ctx))
	assert.False(t, st.Health().Stale)
	clock.Advance(4 * time.Hour)
	assert.True(t, st.Health().Stale)
}

func TestUnknownKeyNeverQueries(t *testing.T) {
	ctx := context.Background()
	st := sqliteBackend(t).open(t, Options{KEK: testKEK(t, 1), PollInterval: time.Hour})
	s, err := st.Add(ctx, Tenant{Key: "a", Scheme: "intercom"})
	require.NoError(t, err)
	require.NoError(t, st.Start(ctx))
	// With the database closed under it, the replica answers both ways
	// from memory: lookups have no path to the database.
	require.NoError(t, st.closeDBs())
	assert.True(t, verifies(t, st, "a", s))
	_, err = st.Signer(ctx, "junk")
	assert.ErrorIs(t, err, ErrUnknownTenant)
	assert.Error(t, st.Sync(ctx))
	assert.NotNil(t, st.Health().Err)
	assert.True(t, verifies(t, st, "a", s), "serves the last state")
}

func TestOpenUnreachable(t *testing.T) {
	_, err := Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", Options{})
	assert.ErrorIs(t, err, ErrUnreachable)
	// A DSN's password never shows in the error (pgx redacts it).
	for _, dsn := range []string{"postgres://u:supersecret@127.0.0.1:1/x?sslmode=bogus", "host=127.0.0.1 port=1 password=supersecret sslmode=bogus"} {
		_, err = Open(context.Background(), dsn, Options{})
		assert.ErrorIs(t, err, ErrUnreachable)
		assert.NotContains(t, err.Error(), "supersecret")
	}
	_, err = Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "t.db"), Options{})
	assert.ErrorIs(t, err, ErrUnreachable)
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "empty.db"), Options{KEK: testKEK(t, 1), Logger: quietLogger()})
	require.NoError(t, err)
	defer st.Close()
	assert.ErrorIs(t, st.Start(context.Background()), ErrNoSchema)
	_, err = st.List(context.Background())
	assert.ErrorIs(t, err, ErrNoSchema)
	assert.False(t, errors.Is(err, ErrUnreachable))
}

func TestSchemaScript(t *testing.T) {
	pg := Schema(true)
	assert.Contains(t, pg, "CREATE TRIGGER usersig_tenants_notify")
	assert.Contains(t, pg, "nextval('usersig_version')")
	lite := Schema(false)
	assert.Contains(t, lite, "sealed       BLOB NOT NULL")
	assert.NotContains(t, lite, "BYTEA")
	assert.NotContains(t, lite, "TRIGGER")
}
