package tenants

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// writeKey returns the data key new secrets are sealed under: the newest
// one wrapped by Options.KEK, made and stored if there is none.
func (s *Store) writeKey(ctx context.Context) (*dataKey, error) {
	if s.opts.KEK == nil {
		return nil, ErrNoKEK
	}
	s.keyMu.Lock()
	dk := s.writeDK
	s.keyMu.Unlock()
	if dk != nil {
		// A Rewrap elsewhere may have deleted it; writes are rare, so ask.
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM usersig_data_keys WHERE id = $1`, dk.id).Scan(&one)
		if err == nil {
			return dk, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, schemaMissing(err)
		}
	}
	var id string
	var wrapped []byte
	err := s.db.QueryRowContext(ctx, `SELECT id, wrapped FROM usersig_data_keys WHERE kek_id = $1 ORDER BY created_ms DESC, id LIMIT 1`,
		s.opts.KEK.ID()).Scan(&id, &wrapped)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		dk, err = s.newDataKey(ctx)
	case err != nil:
		return nil, schemaMissing(err)
	default:
		dk, err = s.openDataKey(ctx, id, s.opts.KEK.ID(), wrapped)
	}
	if err != nil {
		return nil, err
	}
	s.keyMu.Lock()
	s.writeDK = dk
	s.keyMu.Unlock()
	return dk, nil
}

// newDataKey makes a data key, wraps it with Options.KEK and stores it.
func (s *Store) newDataKey(ctx context.Context) (*dataKey, error) {
	var key [32]byte
	var idb [8]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	if _, err := rand.Read(idb[:]); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(idb[:])
	wrapped, err := s.opts.KEK.Wrap(ctx, key[:])
	if err != nil {
		return nil, fmt.Errorf("tenants: wrapping a data key: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO usersig_data_keys (id, kek_id, wrapped, created_ms) VALUES ($1, $2, $3, $4)`,
		id, s.opts.KEK.ID(), wrapped, s.now().UnixMilli()); err != nil {
		return nil, schemaMissing(err)
	}
	dk, err := newDataKey(id, key[:])
	if err != nil {
		return nil, err
	}
	s.keyMu.Lock()
	s.dataKeys[id] = dk
	s.keyMu.Unlock()
	return dk, nil
}

// openDataKey unwraps a stored data key with the KEK kekID names.
func (s *Store) openDataKey(ctx context.Context, id, kekID string, wrapped []byte) (*dataKey, error) {
	s.keyMu.Lock()
	dk := s.dataKeys[id]
	s.keyMu.Unlock()
	if dk != nil {
		return dk, nil
	}
	kek := s.kekByID(kekID)
	if kek == nil {
		return nil, fmt.Errorf("%w: data key %s is wrapped by KEK %s", ErrNoKEK, id, kekID)
	}
	key, err := kek.Unwrap(ctx, wrapped)
	if err != nil {
		if errors.Is(err, ErrSealed) {
			return nil, fmt.Errorf("%w: data key %s under KEK %s: %v", ErrSealed, id, kekID, err)
		}
		// The KEK could not answer (a KMS outage, a timeout): not a
		// verdict on the data key, so the replica tries it again.
		return nil, fmt.Errorf("tenants: unwrapping data key %s under KEK %s: %w", id, kekID, err)
	}
	if dk, err = newDataKey(id, key); err != nil {
		return nil, err
	}
	s.keyMu.Lock()
	s.dataKeys[id] = dk
	s.keyMu.Unlock()
	return dk, nil
}

// dataKeyByID returns an opened data key, reading it from the database if
// this Store has not seen it.
func (s *Store) dataKeyByID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (*dataKey, error) {
	s.keyMu.Lock()
	dk := s.dataKeys[id]
	s.keyMu.Unlock()
	if dk != nil {
		return dk, nil
	}
	var kekID string
	var wrapped []byte
	if err := q.QueryRowContext(ctx, `SELECT kek_id, wrapped FROM usersig_data_keys WHERE id = $1`, id).Scan(&kekID, &wrapped); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%w: data key %s is missing", ErrSealed, id)
		}
		return nil, err
	}
	return s.openDataKey(ctx, id, kekID, wrapped)
}

// lasting says whether a data key's failure to open is a verdict (the
// wrong KEK, a missing or tampered row: ErrSealed, ErrNoKEK) rather than a
// failure to ask (the database or the KMS did not answer), which the
// replica retries.
func lasting(err error) bool {
	return errors.Is(err, ErrSealed) || errors.Is(err, ErrNoKEK)
}

// A keyOpener opens the data keys of one read of the replica, remembering
// those that failed, so a KEK that cannot answer is asked once per data key
// and read, not once per tenant.
type keyOpener struct {
	s   *Store
	ctx context.Context
	q   interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}
	failed map[string]error
}

func (o *keyOpener) open(id string) (*dataKey, error) {
	if err, ok := o.failed[id]; ok {
		return nil, err
	}
	dk, err := o.s.dataKeyByID(o.ctx, o.q, id)
	if err != nil {
		o.failed[id] = err
	}
	return dk, err
}

// Rewrap re-seals every secret under a new data key wrapped by
// Options.KEK, opening the old ones with Options.KEK or Options.OldKEKs,
// then deletes the data keys no secret uses any more. It works a batch of
// tenants per transaction, each a change every replica applies as it goes,
// so service never stops. To rotate a KEK: give every instance the new KEK
// in OldKEKs (or as KEK) beside the old one, run Rewrap with KEK the new
// and OldKEKs the old, then drop the old KEK everywhere. It returns how
// many secrets it re-sealed.
func (s *Store) Rewrap(ctx context.Context) (int, error) {
	if s.opts.KEK == nil {
		return 0, ErrNoKEK
	}
	dk, err := s.newDataKey(ctx)
	if err != nil {
		return 0, err
	}
	s.keyMu.Lock()
	s.writeDK = dk
	s.keyMu.Unlock()
	total := 0
	for _, tbl := range []sealedTable{{"usersig_secrets", "secret_id", kindSecret}, {"usersig_token_keys", "key_id", kindTokenKey}} {
		for {
			n, err := s.rewrapBatch(ctx, dk, tbl, 200)
			total += n
			if err != nil {
				return total, err
			}
			if n == 0 {
				break
			}
		}
	}
	_, err = s.db.ExecContext(ctx, `DELETE FROM usersig_data_keys WHERE id <> $1
		AND id NOT IN (SELECT DISTINCT data_key_id FROM usersig_secrets)
		AND id NOT IN (SELECT DISTINCT data_key_id FROM usersig_token_keys)`, dk.id)
	return total, err
}

// A sealedTable is a table of sealed values: HMAC secrets or token keys.
type sealedTable struct{ name, idColumn, kind string }

func (s *Store) rewrapBatch(ctx context.Context, dk *dataKey, tbl sealedTable, tenants int) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx, version int64) error {
		// The table and column names are constants of this package, never
		// input; every value is a parameter.
		rows, err := tx.QueryContext(ctx, `SELECT tenant_key, `+tbl.idColumn+`, data_key_id, sealed FROM `+tbl.name+`
			WHERE tenant_key IN (SELECT DISTINCT tenant_key FROM `+tbl.name+` WHERE data_key_id <> $1 ORDER BY tenant_key LIMIT $2)
			AND data_key_id <> $1`, dk.id, tenants)
		if err != nil {
			return err
		}
		type row struct {
			tenant string
			id     int
			dkID   string
			sealed []byte
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.tenant, &r.id, &r.dkID, &r.sealed); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		touched := map[string]bool{}
		for _, r := range batch {
			old, err := s.dataKeyByID(ctx, tx, r.dkID)
			if err != nil {
				return fmt.Errorf("tenant %q %s %d: %w", r.tenant, tbl.idColumn, r.id, err)
			}
			secret, err := old.open(tbl.kind, r.tenant, r.id, r.sealed)
			if err != nil {
				return fmt.Errorf("tenant %q %s %d: %w", r.tenant, tbl.idColumn, r.id, err)
			}
			resealed, err := dk.seal(tbl.kind, r.tenant, r.id, secret)
			clear(secret)
			if err != nil {
				return err
			}
			if !touched[r.tenant] {
				if err := touch(ctx, tx, r.tenant, version); err != nil {
					return err
				}
				touched[r.tenant] = true
			}
			if _, err := tx.ExecContext(ctx, `UPDATE `+tbl.name+` SET sealed = $1, data_key_id = $2 WHERE tenant_key = $3 AND `+tbl.idColumn+` = $4`,
				resealed, dk.id, r.tenant, r.id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
