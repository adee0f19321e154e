package tenants

// JWT tenants: per-tenant usertoken verification keys, rotated like HMAC
// secrets. Everything that names package usertoken is in this file.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/usersig/usersig/usertoken"
)

// A TokenKey is a key a tenant's user tokens (JWTs, package usertoken)
// verify under.
type TokenKey struct {
	// Profile is a usertoken profile name (usertoken.ProfileByName) and
	// Param its parameter (usertoken.ProfileParam): an API key, an app
	// id, or for Zendesk the key id of this key.
	Profile, Param string
	// KID is the JWS key id tokens under this key name ("" for none);
	// for Zendesk it is Param.
	KID string
	// Key is what usertoken.NewVerifier takes: a public key PEM for
	// RS256 and ES256 profiles (a private key PEM is refused here: the
	// store keeps verification keys only), the shared secret for HS256.
	Key []byte
}

// kidOf is the key id a key is selected by.
func (k TokenKey) kidOf() string {
	if p, _ := usertoken.ProfileParam(k.Profile); p == "kid" {
		return k.Param
	}
	return k.KID
}

func (k TokenKey) check() error {
	p, err := usertoken.ProfileByName(k.Profile, k.Param)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnknownScheme, err)
	}
	if strings.Contains(string(k.Key), "PRIVATE KEY") {
		return fmt.Errorf("%w: a token key must be a public key (or an HS256 secret), not a private key", ErrInvalidTenant)
	}
	var opts []usertoken.VerifierOption
	if k.KID != "" && k.kidOf() == k.KID {
		opts = append(opts, usertoken.WithKeyID(k.KID))
	}
	if _, err := usertoken.NewVerifier(p, k.Key, opts...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidTenant, err)
	}
	return nil
}

// AddTokenTenant creates a tenant that verifies user tokens only (its
// scheme is empty, so Signer refuses it with ErrTenantUnavailable), with k
// as its current token key (id 1).
func (s *Store) AddTokenTenant(ctx context.Context, key string, k TokenKey) error {
	if _, err := (Tenant{Key: key, Scheme: "intercom"}).check(); err != nil {
		return err
	}
	if err := k.check(); err != nil {
		return err
	}
	dk, err := s.writeKey(ctx)
	if err != nil {
		return err
	}
	sealed, err := dk.seal(kindTokenKey, key, 1, k.Key)
	if err != nil {
		return err
	}
	now := s.now().UnixMilli()
	return s.write(ctx, func(tx *sql.Tx, version int64) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO usersig_tenants (tenant_key, scheme, token_profile, token_param, created_ms, version)
			VALUES ($1, '', $2, $3, $4, $5)`, key, k.Profile, k.Param, now, version); err != nil {
			if s.exists(ctx, key) {
				return fmt.Errorf("%w: %q", ErrDuplicateTenant, key)
			}
			return err
		}
		return insertTokenKey(ctx, tx, key, 1, k, dk.id, sealed, now)
	})
}

func insertTokenKey(ctx context.Context, tx *sql.Tx, tenant string, id int, k TokenKey, dataKeyID string, sealed []byte, now int64) error {
	var kid sql.NullString
	if v := k.kidOf(); v != "" {
		kid = sql.NullString{String: v, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO usersig_token_keys (tenant_key, key_id, kid, data_key_id, sealed, created_ms)
		VALUES ($1, $2, $3, $4, $5, $6)`, tenant, id, kid, dataKeyID, sealed, now)
	return err
}

// RotateTokenKey makes k tenant's current token key (the first one, for a
// tenant that had none) and returns its id; the keys current until now
// keep verifying until now + overlap and then stop by themselves. A change
// of profile stops them at once instead (their tokens are another
// algorithm or format). A kid already used by a live key is refused.
func (s *Store) RotateTokenKey(ctx context.Context, tenant string, k TokenKey, overlap time.Duration) (int, error) {
	if overlap < 0 {
		return 0, fmt.Errorf("%w: negative overlap", ErrInvalidTenant)
	}
	if err := k.check(); err != nil {
		return 0, err
	}
	dk, err := s.writeKey(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	var id int
	err = s.write(ctx, func(tx *sql.Tx, version int64) error {
		if err := touch(ctx, tx, tenant, version); err != nil {
			return err
		}
		var profile sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT token_profile FROM usersig_tenants WHERE tenant_key = $1`, tenant).Scan(&profile); err != nil {
			return err
		}
		changed := !strings.EqualFold(profile.String, k.Profile)
		if kid := k.kidOf(); kid != "" && !changed {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM usersig_token_keys WHERE tenant_key = $1 AND kid = $2
				AND (not_after_ms IS NULL OR not_after_ms > $3)`, tenant, kid, now.UnixMilli()).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w: key id %q is in use", ErrInvalidTenant, kid)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE usersig_tenants SET token_profile = $1, token_param = $2, version = $3 WHERE tenant_key = $4`,
			k.Profile, k.Param, version, tenant); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(key_id), 0) + 1 FROM usersig_token_keys WHERE tenant_key = $1`, tenant).Scan(&id); err != nil {
			return err
		}
		retire := `UPDATE usersig_token_keys SET not_after_ms = $1 WHERE tenant_key = $2 AND not_after_ms IS NULL`
		until := now.Add(overlap).UnixMilli()
		if changed {
			retire = `UPDATE usersig_token_keys SET not_after_ms = $1 WHERE tenant_key = $2 AND (not_after_ms IS NULL OR not_after_ms > $1)`
			until = now.UnixMilli()
		}
		if _, err := tx.ExecContext(ctx, retire, until, tenant); err != nil {
			return err
		}
		sealed, err := dk.seal(kindTokenKey, tenant, id, k.Key)
		if err != nil {
			return err
		}
		return insertTokenKey(ctx, tx, tenant, id, k, dk.id, sealed, now.UnixMilli())
	})
	return id, err
}

// RevokeTokenKey stops tenant's token key keyID at once.
func (s *Store) RevokeTokenKey(ctx context.Context, tenant string, keyID int) error {
	now := s.now().UnixMilli()
	return s.write(ctx, func(tx *sql.Tx, version int64) error {
		if err := touch(ctx, tx, tenant, version); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE usersig_token_keys SET not_after_ms = $1 WHERE tenant_key = $2 AND key_id = $3
			AND (not_after_ms IS NULL OR not_after_ms > $1)`, now, tenant, keyID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n > 0 {
			return err
		}
		var one int
		switch err := tx.QueryRowContext(ctx, `SELECT 1 FROM usersig_token_keys WHERE tenant_key = $1 AND key_id = $2`, tenant, keyID).Scan(&one); {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("%w: tenant %q has no token key %d", ErrNoSuchSecret, tenant, keyID)
		case err != nil:
			return err
		}
		return nil
	})
}

// TokenVerifier returns the usertoken Verifier of the tenant whose key is
// key, from memory, as Signer does for HMAC: ErrUnknownTenant for an
// unknown key, ErrTenantUnavailable for a tenant without a live token key
// or whose keys do not open. Use it as usertoken's per-request verifier
// lookup.
func (s *Store) TokenVerifier(_ context.Context, key string) (*usertoken.Verifier, error) {
	m := s.tenants.Load()
	if m == nil {
		return nil, ErrNotStarted
	}
	if len(key) > MaxKeyLen {
		return nil, ErrUnknownTenant
	}
	sl, ok := (*m)[key]
	if !ok {
		return nil, ErrUnknownTenant
	}
	e := sl.e
	if e.token == nil {
		return nil, fmt.Errorf("%w: no token keys", ErrTenantUnavailable)
	}
	if e.token.err != nil {
		return nil, e.token.err
	}
	return e.token.verifier, nil
}

// tokenState is a tenant's token verification as the replica holds it.
type tokenState struct {
	profile  usertoken.Profile
	keys     []openedTokenKey // newest first
	verifier *usertoken.Verifier
	err      error
	deadline time.Time // the earliest not_after of a key the verifier holds; zero: none
	// retry, cause: as entry's (a data key that could not be asked for).
	retry bool
	cause error
}

type openedTokenKey struct {
	id       int
	kid      string
	key      []byte
	notAfter int64 // Unix ms; 0: current
}

type tokenRow struct {
	id       int
	kid      sql.NullString
	dataKey  string
	sealed   []byte
	notAfter sql.NullInt64
}

const tokenRowsQuery = `SELECT k.tenant_key, k.key_id, k.kid, k.data_key_id, k.sealed, k.not_after_ms
	FROM usersig_token_keys k JOIN usersig_tenants t ON t.tenant_key = k.tenant_key
	WHERE t.version > $1 AND t.token_profile IS NOT NULL
	ORDER BY k.tenant_key, k.key_id DESC`

// buildToken opens a tenant's token keys and makes its Verifier.
func (s *Store) buildToken(keys *keyOpener, tenant, profile, param string, rows []tokenRow) *tokenState {
	p, err := usertoken.ProfileByName(profile, param)
	if err != nil {
		return &tokenState{err: s.refuseToken(tenant, "unknown token profile", err)}
	}
	now := s.now().UnixMilli()
	ts := &tokenState{profile: p}
	for _, r := range rows {
		if r.notAfter.Valid && r.notAfter.Int64 <= now {
			continue
		}
		dk, err := keys.open(r.dataKey)
		if err != nil && !lasting(err) {
			return &tokenState{err: fmt.Errorf("%w: data key of token key %d cannot be opened yet", ErrTenantUnavailable, r.id), retry: true, cause: err}
		}
		if err == nil {
			var key []byte
			if key, err = dk.open(kindTokenKey, tenant, r.id, r.sealed); err == nil {
				ts.keys = append(ts.keys, openedTokenKey{id: r.id, kid: r.kid.String, key: key, notAfter: r.notAfter.Int64})
				continue
			}
		}
		return &tokenState{err: s.refuseToken(tenant, fmt.Sprintf("token key %d does not open", r.id), err)}
	}
	return s.verifierFor(tenant, ts, now)
}

// verifierFor builds ts's Verifier from its keys live at now: the newest
// key without a not_after is current, the others previous.
func (s *Store) verifierFor(tenant string, ts *tokenState, now int64) *tokenState {
	out := &tokenState{profile: ts.profile}
	var current *openedTokenKey
	var opts []usertoken.VerifierOption
	for i := range ts.keys {
		k := &ts.keys[i]
		switch {
		case k.notAfter != 0 && k.notAfter <= now:
			continue
		case k.notAfter == 0 && current == nil:
			current = k
		case k.kid != "":
			opts = append(opts, usertoken.WithPreviousKey(k.kid, k.key))
		default:
			opts = append(opts, usertoken.WithPreviousKeys(k.key))
		}
		out.keys = append(out.keys, *k)
		if k.notAfter != 0 && (out.deadline.IsZero() || k.notAfter < out.deadline.UnixMilli()) {
			out.deadline = time.UnixMilli(k.notAfter)
		}
	}
	if current == nil {
		out.err = s.refuseToken(tenant, "no live token key", nil)
		return out
	}
	if p, _ := usertoken.ProfileParam(ts.profile.Name()); current.kid != "" && p != "kid" {
		opts = append(opts, usertoken.WithKeyID(current.kid))
	}
	opts = append(opts, usertoken.WithClock(s.now))
	v, err := usertoken.NewVerifier(ts.profile, current.key, opts...)
	if err != nil {
		out.err = s.refuseToken(tenant, "token keys refused", err)
		return out
	}
	out.verifier = v
	return out
}

func (s *Store) refuseToken(tenant, reason string, err error) error {
	s.log.Error("tenants: token verification refused: "+reason, "tenant", tenant, "err", err)
	return fmt.Errorf("%w: %s", ErrTenantUnavailable, reason)
}

// listTokenKeys returns every tenant's token keys, newest first.
func (s *Store) listTokenKeys(ctx context.Context) (map[string][]SecretInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT tenant_key, key_id, created_ms, not_after_ms FROM usersig_token_keys ORDER BY tenant_key, key_id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]SecretInfo{}
	for rows.Next() {
		var tenant string
		var si SecretInfo
		var created int64
		var notAfter sql.NullInt64
		if err := rows.Scan(&tenant, &si.ID, &created, &notAfter); err != nil {
			return nil, err
		}
		si.Created = time.UnixMilli(created)
		if notAfter.Valid {
			si.NotAfter = time.UnixMilli(notAfter.Int64)
		}
		out[tenant] = append(out[tenant], si)
	}
	return out, rows.Err()
}
