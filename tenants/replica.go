package tenants

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/usersig/usersig"
)

// An entry is one tenant as the replica holds it: a ready Signer and the
// secret id of each of its secrets by index, or the reason it is refused.
type entry struct {
	signer *usersig.Signer
	ids    []int       // ids[i]: the secret id of the Signer's secret i
	err    error       // non-nil: the tenant is refused with it
	token  *tokenState // nil: the tenant has no token keys
	// retry: refused only because a data key could not be asked for (the
	// database or the KMS did not answer), so the replica reads the tenant
	// again on the next sync though its row did not change; version is the
	// row's, cause the failure, for the log.
	retry   bool
	version int64
	cause   error
}

// A slot is a tenant in the replica's map: the Signer itself when it can
// verify, so a lookup that succeeds reads no other memory, else its entry.
type slot struct {
	signer *usersig.Signer
	e      *entry
}

func slotOf(e *entry) slot {
	if e.err != nil {
		return slot{e: e}
	}
	return slot{signer: e.signer, e: e}
}

// Health is the replica's state, for a health endpoint or a metrics gauge.
type Health struct {
	// Started: Start has loaded a snapshot.
	Started bool
	// Tenants is how many tenants the replica holds, Refused how many of
	// them it refuses because their rows do not open or they have no live
	// secret (each logged with its key).
	Tenants, Refused int
	// Version is the last change applied.
	Version int64
	// LastSync is when the database last answered a sync.
	LastSync time.Time
	// Listening: on PostgreSQL, the LISTEN connection is up (on SQLite,
	// always false: the feed is polling).
	Listening bool
	// Stale: the last successful sync is older than Options.StaleAfter;
	// the replica is serving the last state it had.
	Stale bool
	// Err is the last sync's error, nil once a sync succeeds.
	Err error
	// VerifiedCurrent and VerifiedPrevious count the credentials
	// Authenticate accepted under a current and a previous secret.
	VerifiedCurrent, VerifiedPrevious uint64
}

// Health returns the replica's state. It does not query the database.
func (s *Store) Health() Health {
	h := *s.health.Load()
	h.Listening = s.listened.Load()
	h.VerifiedCurrent, h.VerifiedPrevious = s.verifiedCurrent.Load(), s.verifiedPrevious.Load()
	h.Stale = !h.Started || s.now().Sub(h.LastSync) > s.opts.StaleAfter
	return h
}

// Signer returns the Signer of the tenant whose key is key, from memory: it
// never queries and never blocks, so a flood of unknown keys costs the
// database nothing. An unknown key is ErrUnknownTenant, a tenant that
// cannot verify ErrTenantUnavailable; both wrap sighttp.ErrUnknownSigner.
// ctx is unused; it makes Store a sighttp signer source.
func (s *Store) Signer(_ context.Context, key string) (*usersig.Signer, error) {
	m := s.tenants.Load()
	if m == nil {
		return nil, ErrNotStarted
	}
	if len(key) > MaxKeyLen {
		return nil, ErrUnknownTenant // no tenant has it; do not hash a hostile giant
	}
	sl, ok := (*m)[key]
	if !ok {
		return nil, ErrUnknownTenant
	}
	if sl.signer == nil {
		return nil, sl.e.err
	}
	return sl.signer, nil
}

// SecretID maps the index usersig.Signer.AuthenticateSecret (or
// sighttp.Decision.Secret) reports for tenant key to the secret's id in the
// store, for a log attribute or a counter that says when every client has
// moved to a new secret. ok is false for an unknown tenant or index. If the
// tenant changed between the verification and this call the answer is for
// its new secrets; the ids are labels, never secrets.
func (s *Store) SecretID(key string, index int) (id int, ok bool) {
	m := s.tenants.Load()
	if m == nil {
		return 0, false
	}
	e := (*m)[key].e
	if e == nil || index < 0 || index >= len(e.ids) {
		return 0, false
	}
	return e.ids[index], true
}

// Verified says which of a tenant's secrets verified a credential: its id
// in the store and whether it is the current one. A previous secret still
// verifying means a rotation cannot end yet.
type Verified struct {
	SecretID int
	Current  bool
}

// Authenticate looks up tenant key's Signer and authenticates cr with it
// (usersig.Signer.AuthenticateSecret), reporting which secret verified and
// counting it in Health (VerifiedCurrent, VerifiedPrevious): the one call
// for a transport other than sighttp. Errors are Signer's and
// AuthenticateSecret's.
func (s *Store) Authenticate(_ context.Context, key string, cr usersig.Credential) (usersig.Identity, Verified, error) {
	m := s.tenants.Load()
	if m == nil {
		return usersig.Identity{}, Verified{}, ErrNotStarted
	}
	if len(key) > MaxKeyLen {
		return usersig.Identity{}, Verified{}, ErrUnknownTenant
	}
	sl, ok := (*m)[key]
	if !ok {
		return usersig.Identity{}, Verified{}, ErrUnknownTenant
	}
	e := sl.e
	if e.err != nil {
		return usersig.Identity{}, Verified{}, e.err
	}
	id, i, err := e.signer.AuthenticateSecret(cr)
	if err != nil {
		return usersig.Identity{}, Verified{}, err
	}
	if i == 0 {
		s.verifiedCurrent.Add(1)
	} else {
		s.verifiedPrevious.Add(1)
	}
	return id, Verified{SecretID: e.ids[i], Current: i == 0}, nil
}

// Start loads every tenant with one snapshot query and starts following the
// change feed (LISTEN/NOTIFY on PostgreSQL, polling on SQLite) until Close.
// It needs Options.KEK. A snapshot that fails is returned; later failures
// leave the replica serving its last state (see Health).
func (s *Store) Start(ctx context.Context) error {
	if s.opts.KEK == nil && len(s.opts.OldKEKs) == 0 {
		return ErrNoKEK
	}
	if !s.started.CompareAndSwap(false, true) {
		return errStartedTwice
	}
	if err := s.catchUp(ctx); err != nil {
		s.started.Store(false)
		return err
	}
	runCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.wg.Add(1)
	go s.syncLoop(runCtx)
	if s.postgres {
		s.wg.Add(1)
		go s.listen(runCtx)
	}
	return nil
}

// Sync applies every change committed so far, now, instead of waiting for
// the feed. Tests and tools use it; a service need not.
func (s *Store) Sync(ctx context.Context) error {
	err := s.catchUp(ctx)
	s.poke() // the sync loop re-reads the token-key deadlines
	return err
}

// poke asks the sync loop for a catch-up (a write by this Store, or a
// notification).
func (s *Store) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Store) syncLoop(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.PollInterval)
	defer t.Stop()
	expiry := time.NewTimer(time.Hour)
	defer expiry.Stop()
	for {
		expiry.Reset(s.untilTokenDeadline())
		select {
		case <-ctx.Done():
			return
		case <-expiry.C:
			s.expireTokenKeys()
			continue
		case <-t.C:
		case <-s.wake:
		}
		qctx, cancel := context.WithTimeout(ctx, max(s.opts.StaleAfter, 5*time.Second))
		s.catchUp(qctx)
		cancel()
	}
}

// untilTokenDeadline is how long until the earliest previous token key
// stops (an hour when none is pending). HMAC secrets need no such timer:
// a Signer stops a retiring secret by itself.
func (s *Store) untilTokenDeadline() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := time.Hour
	now := s.now()
	for _, t := range s.tokenDeadlines {
		d = min(d, t.Sub(now))
	}
	return max(d, 0)
}

// expireTokenKeys rebuilds the Verifier of every tenant one of whose
// previous token keys has reached its not_after, from the keys it holds,
// with no query.
func (s *Store) expireTokenKeys() {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.tenants.Load()
	if old == nil {
		return
	}
	now := s.now()
	next := map[string]*entry{}
	for key, t := range s.tokenDeadlines {
		if t.After(now) {
			continue
		}
		e := *(*old)[key].e
		e.token = s.verifierFor(key, e.token, now.UnixMilli())
		next[key] = &e
		if e.token.deadline.IsZero() {
			delete(s.tokenDeadlines, key)
		} else {
			s.tokenDeadlines[key] = e.token.deadline
		}
	}
	if len(next) == 0 {
		return
	}
	m := maps.Clone(*old)
	for key, e := range next {
		m[key] = slotOf(e)
	}
	s.tenants.Store(&m)
}

// catchUp applies every tenant row whose version is above the last one
// applied, in version order, as one new map. On failure the map is kept.
func (s *Store) catchUp(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	since, now := s.version, s.now()
	if len(s.retry) > 0 && !now.Before(s.retryAt) {
		// Read them again, and what changed since: at worst the snapshot,
		// so the retries back off, from 1s to a minute.
		for _, v := range s.retry {
			since = min(since, v-1)
		}
		s.retryBackoff = min(max(2*s.retryBackoff, time.Second), time.Minute)
		s.retryAt = now.Add(s.retryBackoff)
	}
	changed, version, err := s.readChanges(ctx, since)
	version = max(version, s.version)
	h := *s.health.Load()
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		return err // stopped (Close) or the caller gave up: not an outage (a timeout is)
	}
	if err != nil {
		if h.Err == nil {
			s.log.Warn("tenants: database unreachable; serving the last state", "last_sync", h.LastSync, "tenants", h.Tenants, "err", err)
		}
		h.Err = err
		s.health.Store(&h)
		return err
	}
	if h.Err != nil {
		s.log.Info("tenants: database reachable again", "tenants", h.Tenants)
	}
	old := s.tenants.Load()
	var next map[string]slot
	if old == nil {
		next = make(map[string]slot, len(changed))
	} else if len(changed) > 0 {
		next = make(map[string]slot, len(*old)+len(changed))
		maps.Copy(next, *old)
	}
	if next != nil {
		for key, e := range changed {
			next[key] = slotOf(e)
		}
	}
	retrying := len(s.retry)
	var cause error
	for key, e := range changed {
		if e.retry {
			s.retry[key] = e.version
			cause = e.cause
		} else {
			delete(s.retry, key)
		}
		if e.token != nil && !e.token.deadline.IsZero() {
			s.tokenDeadlines[key] = e.token.deadline
		} else {
			delete(s.tokenDeadlines, key)
		}
	}
	if next != nil {
		s.tenants.Store(&next)
		h.Tenants, h.Refused = len(next), 0
		for _, sl := range next {
			if sl.signer == nil {
				h.Refused++
			}
		}
	}
	switch {
	case retrying == 0 && len(s.retry) > 0:
		s.log.Warn("tenants: tenants refused until their data keys can be opened; retrying on every sync", "tenants", len(s.retry), "err", cause)
	case retrying > 0 && len(s.retry) == 0:
		s.retryBackoff, s.retryAt = 0, time.Time{}
		s.log.Info("tenants: every tenant waiting for its data key is served")
	}
	s.version = version
	h.Started, h.Version, h.LastSync, h.Err = true, version, s.now(), nil
	s.health.Store(&h)
	return nil
}

// A secretRow is one row of the snapshot or catch-up query.
type secretRow struct {
	id       int
	dataKey  string
	sealed   []byte
	notAfter sql.NullInt64
}

// readChanges reads, in one query, every tenant whose version is above
// since, with its secrets, and builds their entries.
func (s *Store) readChanges(ctx context.Context, since int64) (map[string]*entry, int64, error) {
	// One transaction, so the data keys read on demand belong to the
	// same snapshot as the rows (SQLite transactions are snapshots anyway).
	var txo *sql.TxOptions
	if s.postgres {
		txo = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	tx, err := s.rdb.BeginTx(ctx, txo)
	if err != nil {
		return nil, since, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT t.tenant_key, t.scheme, t.allow_short_secrets, t.expiry_required, t.leeway_ms, t.version,
		t.token_profile, t.token_param, s.secret_id, s.data_key_id, s.sealed, s.not_after_ms
		FROM usersig_tenants t LEFT JOIN usersig_secrets s ON s.tenant_key = t.tenant_key
		WHERE t.version > $1
		ORDER BY t.version, t.tenant_key, s.secret_id DESC`, since)
	if err != nil {
		return nil, since, schemaMissing(err)
	}
	type tenantRows struct {
		t                   Tenant
		version             int64
		tokenProfile, param sql.NullString
		secrets             []secretRow
	}
	var all []*tenantRows
	version := since
	for rows.Next() {
		var t Tenant
		var leeway, v int64
		var r secretRow
		var id sql.NullInt64
		var dk, profile, param sql.NullString
		if err := rows.Scan(&t.Key, &t.Scheme, &t.AllowShortSecrets, &t.ExpiryRequired, &leeway, &v, &profile, &param, &id, &dk, &r.sealed, &r.notAfter); err != nil {
			rows.Close()
			return nil, since, err
		}
		version = max(version, v)
		t.Leeway = time.Duration(leeway) * time.Millisecond
		if n := len(all); n == 0 || all[n-1].t.Key != t.Key {
			all = append(all, &tenantRows{t: t, version: v, tokenProfile: profile, param: param})
		}
		if id.Valid {
			r.id, r.dataKey = int(id.Int64), dk.String
			last := all[len(all)-1]
			last.secrets = append(last.secrets, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, since, err
	}
	tokenRows, err := readTokenRows(ctx, tx, since)
	if err != nil {
		return nil, since, err
	}
	out := make(map[string]*entry, len(all))
	keys := &keyOpener{s: s, ctx: ctx, q: tx, failed: map[string]error{}}
	for _, tr := range all {
		e := &entry{err: fmt.Errorf("%w: no HMAC scheme", ErrTenantUnavailable)}
		if tr.t.Scheme != "" {
			e = s.build(keys, tr.t, tr.secrets)
		}
		if tr.tokenProfile.Valid {
			e.token = s.buildToken(keys, tr.t.Key, tr.tokenProfile.String, tr.param.String, tokenRows[tr.t.Key])
			if e.token.retry {
				e.retry, e.cause = true, e.token.cause
			}
		}
		e.version = tr.version
		out[tr.t.Key] = e
	}
	return out, version, tx.Commit()
}

func readTokenRows(ctx context.Context, tx *sql.Tx, since int64) (map[string][]tokenRow, error) {
	rows, err := tx.QueryContext(ctx, tokenRowsQuery, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]tokenRow{}
	for rows.Next() {
		var tenant string
		var r tokenRow
		if err := rows.Scan(&tenant, &r.id, &r.kid, &r.dataKey, &r.sealed, &r.notAfter); err != nil {
			return nil, err
		}
		out[tenant] = append(out[tenant], r)
	}
	return out, rows.Err()
}

// build makes a tenant's entry: the current secret (the newest with no
// not_after) and every previous one still live, as retiring secrets that
// stop by themselves at their not_after. A secret that does not open
// refuses the whole tenant, logged with its key and secret id.
func (s *Store) build(keys *keyOpener, t Tenant, secrets []secretRow) *entry {
	refuse := func(reason string, err error) *entry {
		s.log.Error("tenants: tenant refused: "+reason, "tenant", t.Key, "err", err)
		return &entry{err: fmt.Errorf("%w: %s", ErrTenantUnavailable, reason)}
	}
	sc, ok := usersig.LookupScheme(t.Scheme)
	if !ok {
		return refuse("unknown scheme", fmt.Errorf("%w: %q", ErrUnknownScheme, t.Scheme))
	}
	now := s.now().UnixMilli()
	var current []byte
	var opts []usersig.Option
	ids := []int{0}
	defer func() {
		clear(current)
	}()
	for _, r := range secrets {
		isCurrent := !r.notAfter.Valid && current == nil
		if !isCurrent && r.notAfter.Valid && r.notAfter.Int64 <= now {
			continue // stopped: revoked, or its overlap has ended
		}
		dk, err := keys.open(r.dataKey)
		if err != nil && !lasting(err) {
			// Logged once for all such tenants by catchUp, which retries.
			return &entry{err: fmt.Errorf("%w: data key of secret %d cannot be opened yet", ErrTenantUnavailable, r.id), retry: true, cause: err}
		}
		if err != nil {
			return refuse(fmt.Sprintf("data key of secret %d does not open", r.id), err)
		}
		secret, err := dk.open(kindSecret, t.Key, r.id, r.sealed)
		if err != nil {
			return refuse(fmt.Sprintf("secret %d does not open", r.id), err)
		}
		switch {
		case isCurrent:
			current, ids[0] = secret, r.id
		case r.notAfter.Valid:
			opts = append(opts, usersig.WithRetiringSecret(secret, time.UnixMilli(r.notAfter.Int64)))
			ids = append(ids, r.id)
		default:
			opts = append(opts, usersig.WithPreviousSecrets(secret))
			ids = append(ids, r.id)
		}
	}
	if current == nil {
		return refuse("no live secret", nil)
	}
	opts = append(opts, usersig.WithClock(s.now))
	opts = append(opts, t.options()...)
	signer, err := usersig.New(sc, current, opts...)
	if err != nil {
		return refuse("its secret or options are refused", err)
	}
	return &entry{signer: signer, ids: ids}
}
