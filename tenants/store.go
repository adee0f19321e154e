package tenants

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver, pure Go
)

// Options configure a Store. The zero value is the default for every field.
type Options struct {
	// KEK wraps new data keys and unwraps those it wrapped. Required for
	// every operation that seals or opens a secret (Start, Add, Import,
	// Rotate, Rewrap); List, Revoke and Migrate do without.
	KEK KEK
	// OldKEKs unwrap data keys wrapped by earlier KEKs, during a KEK
	// rotation (see Rewrap). They never wrap.
	OldKEKs []KEK
	// Clock is the time source for not_after instants and for every
	// Signer the replica builds. Default: time.Now.
	Clock func() time.Time
	// Logger receives a line when the database becomes unreachable or
	// reachable again and when a tenant's row cannot be served (with its
	// key, never a secret). Default: slog.Default().
	Logger *slog.Logger
	// PollInterval is how often the replica asks the database for changes
	// on its own: on SQLite this is the change feed (default 200ms); on
	// PostgreSQL, where NOTIFY wakes it, a heartbeat that also proves the
	// database reachable (default 5s).
	PollInterval time.Duration
	// StaleAfter is how long since the last successful sync Health reports
	// the replica stale. Default: 3 × PollInterval, at least 1s.
	StaleAfter time.Duration
}

// A Store is the tenant table of one database (PostgreSQL or SQLite) and,
// once started, an in-memory replica of it: a ready *usersig.Signer per
// tenant, kept current from the database's change feed. Writes (Add,
// Rotate, Revoke, Rewrap) go to the database and reach every Store on it,
// this one included, through that feed.
//
// A Store is safe for concurrent use. Lookups (Signer, SecretID) never
// block and never query.
type Store struct {
	db       *sql.DB
	rdb      *sql.DB // the replica's reads: db on PostgreSQL; on SQLite a handle whose transactions do not take the write lock
	dsn      string
	postgres bool
	opts     Options
	now      func() time.Time
	log      *slog.Logger

	// replica state
	tenants  atomic.Pointer[map[string]slot]
	health   atomic.Pointer[Health]
	keyMu    sync.Mutex
	dataKeys map[string]*dataKey // opened data keys by id; keyMu
	writeDK  *dataKey            // the data key new secrets are sealed under; keyMu
	version  int64               // last version applied; sync goroutine
	wake     chan struct{}
	stop     context.CancelFunc
	wg       sync.WaitGroup
	started  atomic.Bool
	listened atomic.Bool

	verifiedCurrent, verifiedPrevious atomic.Uint64
	mu                                sync.Mutex // serializes catch-ups (Start, the sync loop, Sync)
	// tokenDeadlines: the next not_after of a previous token key, by
	// tenant; mu.
	tokenDeadlines map[string]time.Time
	// retry: the version of each tenant refused because a data key could
	// not be asked for, read again on every sync until it opens; mu.
	retry        map[string]int64
	retryAt      time.Time     // when to read them again; mu
	retryBackoff time.Duration // mu
}

// Open connects to the database dsn names and checks that it answers: a
// PostgreSQL URL (postgres:// or postgresql://) or keyword/value DSN
// (containing "host=" or "dbname="), otherwise a SQLite file path (created
// if missing). A database that cannot be reached is ErrUnreachable. Open
// does not create the schema (Migrate does) and does not load tenants
// (Start does).
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{dsn: dsn, opts: opts, now: opts.Clock, log: opts.Logger, wake: make(chan struct{}, 1), dataKeys: map[string]*dataKey{}, tokenDeadlines: map[string]time.Time{}, retry: map[string]int64{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if IsPostgres(dsn) {
		s.postgres = true
		if s.opts.PollInterval <= 0 {
			s.opts.PollInterval = 5 * time.Second
		}
		s.db, err = sql.Open("pgx", dsn)
	} else {
		if dsn == "" {
			return nil, fmt.Errorf("%w: empty database path", ErrUnreachable)
		}
		if s.opts.PollInterval <= 0 {
			s.opts.PollInterval = 200 * time.Millisecond
		}
		s.db, err = sql.Open("sqlite", sqliteDSN(dsn, "immediate"))
		if err == nil {
			s.rdb, err = sql.Open("sqlite", sqliteDSN(dsn, "deferred"))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	if s.rdb == nil {
		s.rdb = s.db
	}
	if s.opts.StaleAfter <= 0 {
		s.opts.StaleAfter = max(3*s.opts.PollInterval, time.Second)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	s.health.Store(&Health{})
	return s, nil
}

// IsPostgres reports whether Open takes dsn for PostgreSQL (else a SQLite
// path).
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") ||
		strings.Contains(dsn, "host=") || strings.Contains(dsn, "dbname=")
}

// sqliteDSN adds the pragmas the store relies on: a busy timeout instead of
// immediate SQLITE_BUSY, WAL so readers do not block the writer, foreign
// keys, and (txlock "immediate") write transactions that take the write
// lock when they begin, so two writers never deadlock upgrading a read lock.
func sqliteDSN(path, txlock string) string {
	if !strings.HasPrefix(path, "file:") {
		path = "file:" + path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=" + txlock
}

// Migrate creates the schema if it is missing (usersig tenants init). It
// is idempotent and safe to run from several instances at once.
func (s *Store) Migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := postgresSchema()
	if !s.postgres {
		stmts = sqliteSchema()
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("tenants: migrate: %w", err)
		}
	}
	return tx.Commit()
}

// Close stops the replica's feed and closes the database connections.
// Signers already handed out keep working.
func (s *Store) Close() error {
	if s.stop != nil {
		s.stop()
	}
	s.wg.Wait()
	return s.closeDBs()
}

func (s *Store) closeDBs() error {
	if s.rdb != nil && s.rdb != s.db {
		s.rdb.Close()
	}
	return s.db.Close()
}

// Postgres reports whether the Store is on PostgreSQL (else SQLite).
func (s *Store) Postgres() bool { return s.postgres }

// keks returns the KEK that wraps and those that only unwrap.
func (s *Store) kekByID(id string) KEK {
	if s.opts.KEK != nil && s.opts.KEK.ID() == id {
		return s.opts.KEK
	}
	for _, k := range s.opts.OldKEKs {
		if k != nil && k.ID() == id {
			return k
		}
	}
	return nil
}

// schemaMissing turns "no such table" into ErrNoSchema.
func schemaMissing(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "no such table") || strings.Contains(msg, "42P01") || strings.Contains(msg, "does not exist") && strings.Contains(msg, "usersig_") {
		return fmt.Errorf("%w: %v", ErrNoSchema, err)
	}
	return err
}
