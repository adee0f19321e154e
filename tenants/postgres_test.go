package tenants

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// postgresDSN returns the PostgreSQL the tests may use: the DSN in
// USERSIG_TEST_POSTGRES (a role that may create databases). Without one the
// PostgreSQL tests skip, saying so, unless USERSIG_REQUIRE_POSTGRES=1, when
// they fail (.ci/postgres sets it).
func postgresDSN(t testing.TB) string {
	dsn := os.Getenv("USERSIG_TEST_POSTGRES")
	if dsn == "" {
		msg := "needs PostgreSQL: set USERSIG_TEST_POSTGRES to a DSN whose role may create databases (bash .ci/postgres starts one)"
		if os.Getenv("USERSIG_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg + "; USERSIG_REQUIRE_POSTGRES=1 forbids skipping")
		}
		t.Skip(msg)
	}
	return dsn
}

var dbSeq atomic.Int64

// freshPostgres creates a database of its own for one test and returns its
// DSN; it is dropped at the end.
func freshPostgres(t testing.TB) string {
	dsn := postgresDSN(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	name := fmt.Sprintf("usersig_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close(ctx)
	})
	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	u := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
	if cfg.Password != "" {
		u = fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Password, cfg.Host, cfg.Port, name)
	}
	if strings.HasPrefix(cfg.Host, "/") {
		u = fmt.Sprintf("postgres:///%s?host=%s&port=%d&user=%s", name, cfg.Host, cfg.Port, cfg.User)
	}
	return u
}

func postgresBackend(t testing.TB) backend {
	dsn := freshPostgres(t)
	return backend{name: "postgres", open: func(t testing.TB, opts Options) *Store {
		if opts.Logger == nil {
			opts.Logger = quietLogger()
		}
		s, err := Open(context.Background(), dsn, opts)
		require.NoError(t, err)
		require.NoError(t, s.Migrate(context.Background()))
		t.Cleanup(func() { s.Close() })
		return s
	}}
}
