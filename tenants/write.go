package tenants

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/usersig/usersig"
)

// A Tenant is one tenant's configuration: the columns of usersig_tenants
// other than its secrets.
type Tenant struct {
	// Key is the tenant's public key, the value a request names it by
	// (an API-key header). 1 to 256 bytes, no control characters.
	Key string
	// Scheme is a usersig preset name (usersig.LookupScheme): the scheme
	// and, for a hex-keyed scheme such as Pylon, how the secret is keyed.
	Scheme string
	// AllowShortSecrets admits a legacy secret shorter than
	// usersig.MinSecretLen (usersig.WithShortSecretsAllowed).
	AllowShortSecrets bool
	// ExpiryRequired is usersig.WithExpiryRequired.
	ExpiryRequired bool
	// Leeway is usersig.WithLeeway.
	Leeway time.Duration
}

// MaxKeyLen bounds a tenant key.
const MaxKeyLen = 256

// secretLen is the size of a generated secret: 256 bits.
const secretLen = 32

func (t Tenant) check() (usersig.Scheme, error) {
	if t.Key == "" || len(t.Key) > MaxKeyLen {
		return usersig.Scheme{}, fmt.Errorf("%w: key must be 1 to %d bytes", ErrInvalidTenant, MaxKeyLen)
	}
	for i := 0; i < len(t.Key); i++ {
		if c := t.Key[i]; c < ' ' || c == 0x7f {
			return usersig.Scheme{}, fmt.Errorf("%w: key has a control character", ErrInvalidTenant)
		}
	}
	if t.Leeway < 0 {
		return usersig.Scheme{}, fmt.Errorf("%w: negative leeway", ErrInvalidTenant)
	}
	sc, ok := usersig.LookupScheme(t.Scheme)
	if !ok {
		return usersig.Scheme{}, fmt.Errorf("%w: %q", ErrUnknownScheme, t.Scheme)
	}
	return sc, nil
}

func (t Tenant) options() []usersig.Option {
	var opts []usersig.Option
	if t.AllowShortSecrets {
		opts = append(opts, usersig.WithShortSecretsAllowed())
	}
	if t.ExpiryRequired {
		opts = append(opts, usersig.WithExpiryRequired())
	}
	if t.Leeway > 0 {
		opts = append(opts, usersig.WithLeeway(t.Leeway))
	}
	return opts
}

// NewSecret returns a new secret for scheme: 32 bytes from crypto/rand, as
// the scheme's users are handed secrets: 64 hex digits for a hex-keyed
// scheme (usersig.SecretHex), else 43 characters of unpadded base64url.
// The text is the secret, used as given.
func NewSecret(scheme usersig.Scheme) ([]byte, error) {
	var b [secretLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	if scheme.SecretEncoding == usersig.SecretHex {
		return hex.AppendEncode(nil, b[:]), nil
	}
	return base64.RawURLEncoding.AppendEncode(nil, b[:]), nil
}

// Add creates tenant t with a new random secret (NewSecret), which it
// returns: the only time the secret is shown. A key that exists is
// ErrDuplicateTenant, an unknown scheme ErrUnknownScheme.
func (s *Store) Add(ctx context.Context, t Tenant) ([]byte, error) {
	sc, err := t.check()
	if err != nil {
		return nil, err
	}
	secret, err := NewSecret(sc)
	if err != nil {
		return nil, err
	}
	if err := s.insert(ctx, t, sc, secret); err != nil {
		return nil, err
	}
	return secret, nil
}

// Import creates tenant t with a secret it already has (a vendor-issued
// one). The secret must suit the scheme and options as usersig.New
// requires: an empty one is usersig.ErrEmptySecret, a short one without
// AllowShortSecrets usersig.ErrWeakSecret.
func (s *Store) Import(ctx context.Context, t Tenant, secret []byte) error {
	sc, err := t.check()
	if err != nil {
		return err
	}
	return s.insert(ctx, t, sc, secret)
}

func (s *Store) insert(ctx context.Context, t Tenant, sc usersig.Scheme, secret []byte) error {
	if _, err := usersig.New(sc, secret, t.options()...); err != nil {
		return fmt.Errorf("tenants: tenant %q: %w", t.Key, err)
	}
	dk, err := s.writeKey(ctx)
	if err != nil {
		return err
	}
	sealed, err := dk.seal(kindSecret, t.Key, 1, secret)
	if err != nil {
		return err
	}
	now := s.now().UnixMilli()
	return s.write(ctx, func(tx *sql.Tx, version int64) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM usersig_tenants WHERE tenant_key = $1`, t.Key).Scan(&one)
		if err == nil {
			return fmt.Errorf("%w: %q", ErrDuplicateTenant, t.Key)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO usersig_tenants
			(tenant_key, scheme, allow_short_secrets, expiry_required, leeway_ms, created_ms, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.Key, sc.Name, t.AllowShortSecrets, t.ExpiryRequired, t.Leeway.Milliseconds(), now, version); err != nil {
			if s.exists(ctx, t.Key) {
				return fmt.Errorf("%w: %q", ErrDuplicateTenant, t.Key)
			}
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO usersig_secrets
			(tenant_key, secret_id, data_key_id, sealed, created_ms) VALUES ($1, 1, $2, $3, $4)`,
			t.Key, dk.id, sealed, now)
		return err
	})
}

func (s *Store) exists(ctx context.Context, key string) bool {
	var one int
	return s.db.QueryRowContext(ctx, `SELECT 1 FROM usersig_tenants WHERE tenant_key = $1`, key).Scan(&one) == nil
}

// Rotate gives tenant key a new random current secret, which it returns
// (the only time it is shown), and makes the current one a previous secret
// that keeps verifying until now + overlap, on the Store's clock, and stops
// by itself at that instant with no further write. Overlap 0 stops it at
// once. Earlier previous secrets keep their own deadlines.
func (s *Store) Rotate(ctx context.Context, key string, overlap time.Duration) ([]byte, error) {
	if overlap < 0 {
		return nil, fmt.Errorf("%w: negative overlap", ErrInvalidTenant)
	}
	var schemeName string
	if err := s.db.QueryRowContext(ctx, `SELECT scheme FROM usersig_tenants WHERE tenant_key = $1`, key).Scan(&schemeName); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%w: %q", ErrNoSuchTenant, key)
		}
		return nil, schemaMissing(err)
	}
	sc, ok := usersig.LookupScheme(schemeName)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownScheme, schemeName)
	}
	secret, err := NewSecret(sc)
	if err != nil {
		return nil, err
	}
	dk, err := s.writeKey(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.write(ctx, func(tx *sql.Tx, version int64) error {
		// Touching the tenant row first takes its lock (and, on
		// PostgreSQL, the version lock), so concurrent rotations of one
		// tenant take turns.
		if err := touch(ctx, tx, key, version); err != nil {
			return err
		}
		var id int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(secret_id), 0) + 1 FROM usersig_secrets WHERE tenant_key = $1`, key).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE usersig_secrets SET not_after_ms = $1 WHERE tenant_key = $2 AND not_after_ms IS NULL`,
			now.Add(overlap).UnixMilli(), key); err != nil {
			return err
		}
		sealed, err := dk.seal(kindSecret, key, id, secret)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO usersig_secrets
			(tenant_key, secret_id, data_key_id, sealed, created_ms) VALUES ($1, $2, $3, $4, $5)`,
			key, id, dk.id, sealed, now.UnixMilli())
		return err
	})
	if err != nil {
		return nil, err
	}
	return secret, nil
}

// Revoke stops tenant key's secret secretID at once (its not_after
// becomes now). Revoking the current secret leaves the tenant with no live
// one: it is refused (ErrTenantUnavailable) until the next Rotate. Revoking
// a secret already stopped changes nothing. An unknown id is
// ErrNoSuchSecret.
func (s *Store) Revoke(ctx context.Context, key string, secretID int) error {
	now := s.now().UnixMilli()
	return s.write(ctx, func(tx *sql.Tx, version int64) error {
		if err := touch(ctx, tx, key, version); err != nil {
			return err
		}
		var notAfter sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT not_after_ms FROM usersig_secrets WHERE tenant_key = $1 AND secret_id = $2`, key, secretID).Scan(&notAfter)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: tenant %q has no secret %d", ErrNoSuchSecret, key, secretID)
		}
		if err != nil {
			return err
		}
		if notAfter.Valid && notAfter.Int64 <= now {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE usersig_secrets SET not_after_ms = $1 WHERE tenant_key = $2 AND secret_id = $3`, now, key, secretID)
		return err
	})
}

// touch renews a tenant row's version, which is what tells every replica
// to reload the tenant.
func touch(ctx context.Context, tx *sql.Tx, key string, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE usersig_tenants SET version = $1 WHERE tenant_key = $2`, version, key)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("%w: %q", ErrNoSuchTenant, key)
	}
	return nil
}

// write runs fn in a transaction with the version the rows it writes must
// carry: on SQLite the next value of the counter row (SQLite runs one
// writer at a time, so versions commit in order); on PostgreSQL a
// placeholder the trigger replaces with the sequence's next value.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx, version int64) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version int64
	if !s.postgres {
		if err := tx.QueryRowContext(ctx, `UPDATE usersig_version SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&version); err != nil {
			return schemaMissing(err)
		}
	}
	if err := fn(tx, version); err != nil {
		return schemaMissing(err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.poke()
	return nil
}

// SecretInfo describes one secret, never its value.
type SecretInfo struct {
	ID       int
	Created  time.Time
	NotAfter time.Time // zero for the current secret
}

// TenantInfo is a tenant as List shows it.
type TenantInfo struct {
	Tenant
	Version int64
	Secrets []SecretInfo // newest first
	// TokenProfile is the usertoken profile of a JWT tenant, "" for none;
	// TokenKeys its keys, newest first (ids of RotateTokenKey).
	TokenProfile string
	TokenKeys    []SecretInfo
}

// List returns every tenant with its secrets' ids and deadlines, ordered by
// key. It never opens a secret, so it needs no KEK.
func (s *Store) List(ctx context.Context) ([]TenantInfo, error) {
	tokenKeys, err := s.listTokenKeys(ctx)
	if err != nil {
		return nil, schemaMissing(err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT t.tenant_key, t.scheme, t.allow_short_secrets, t.expiry_required, t.leeway_ms, t.version,
		COALESCE(t.token_profile, ''), s.secret_id, s.created_ms, s.not_after_ms
		FROM usersig_tenants t LEFT JOIN usersig_secrets s ON s.tenant_key = t.tenant_key
		ORDER BY t.tenant_key, s.secret_id DESC`)
	if err != nil {
		return nil, schemaMissing(err)
	}
	defer rows.Close()
	var out []TenantInfo
	for rows.Next() {
		var t TenantInfo
		var leeway int64
		var id, created, notAfter sql.NullInt64
		if err := rows.Scan(&t.Key, &t.Scheme, &t.AllowShortSecrets, &t.ExpiryRequired, &leeway, &t.Version, &t.TokenProfile, &id, &created, &notAfter); err != nil {
			return nil, err
		}
		t.Leeway = time.Duration(leeway) * time.Millisecond
		if n := len(out); n == 0 || out[n-1].Key != t.Key {
			t.TokenKeys = tokenKeys[t.Key]
			out = append(out, t)
		}
		if id.Valid {
			si := SecretInfo{ID: int(id.Int64), Created: time.UnixMilli(created.Int64)}
			if notAfter.Valid {
				si.NotAfter = time.UnixMilli(notAfter.Int64)
			}
			last := &out[len(out)-1]
			last.Secrets = append(last.Secrets, si)
		}
	}
	return out, rows.Err()
}
