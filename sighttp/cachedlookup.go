package sighttp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"
	"golang.org/x/sync/singleflight"

	"github.com/usersig/usersig"
)

// The cache's defaults; see the options for the reasons.
const (
	defaultCacheTTL          = 5 * time.Minute
	defaultCacheMissTTL      = 5 * time.Second
	defaultCacheSize         = 10000
	defaultCacheLoadRate     = 100
	defaultCacheLoadWait     = time.Second
	defaultCacheLoadTimeout  = 10 * time.Second
	defaultCacheStaleIfError = 5 * time.Minute
)

// A CacheOption configures NewSignerCache and CachedLookup. A nil option, or
// a value out of range, makes the constructor panic.
type CacheOption func(*cacheConfig)

type cacheConfig struct {
	ttl, missTTL, staleIfError time.Duration
	size                       int
	rate                       int
	loadWait, loadTimeout      time.Duration
	now                        func() time.Time
	clockSet                   bool
}

// WithCacheTTL sets how long a loaded Signer is used before it is loaded
// again, which is how long a rotated or revoked secret keeps working after
// the database changed unless you call Invalidate. Default: 5 minutes. It
// must be positive.
func WithCacheTTL(d time.Duration) CacheOption {
	return func(c *cacheConfig) {
		if d <= 0 {
			panic("sighttp: WithCacheTTL needs a positive duration")
		}
		c.ttl = d
	}
}

// WithCacheMissTTL sets how long a key the loader did not know, or failed
// to load, is answered from the cache without asking the loader again:
// short, so a tenant created a moment ago soon works, long enough that one
// client retrying a bad key costs one load. It is also how often a tenant
// served stale (see WithCacheStaleIfError) is tried again. Default: 5
// seconds. It must be positive.
func WithCacheMissTTL(d time.Duration) CacheOption {
	return func(c *cacheConfig) {
		if d <= 0 {
			panic("sighttp: WithCacheMissTTL needs a positive duration")
		}
		c.missTTL = d
	}
}

// WithCacheSize bounds the Signers kept, and separately the unknown keys
// kept; past it the entry least likely to be used again goes (W-TinyLFU).
// Size it to your working set, the tenants seen within one TTL: a working
// set that does not fit is served all the same, since a tenant loaded once
// reloads outside the load budget, but every request beyond the size costs
// a load. Default: 10,000. It must be positive.
func WithCacheSize(n int) CacheOption {
	return func(c *cacheConfig) {
		if n <= 0 {
			panic("sighttp: WithCacheSize needs a positive size")
		}
		c.size = n
	}
}

// WithCacheLoadRate bounds the loads per second that find no Signer (an
// unknown key or a failure), with a burst of as many: what a flood of
// random API keys costs the loader. A load that finds a tenant costs
// nothing, and a tenant loaded once (still cached, expired, evicted or
// invalidated) reloads outside the budget, so a working set larger than
// WithCacheSize is never refused. Loads of never-seen keys run at most that
// many at once before they are charged, so a burst of junk keys sent at
// one instant cannot pass before the first are charged, and a cold start
// of N tenants at once takes about N/rate times the loader's latency (it
// is refused only past WithCacheLoadWait). Once loads that found nothing
// have spent the budget, a key never seen waits for a token; a key refused
// then draws on a second budget of the same rate when it is asked again,
// so a real tenant is served during a flood of one-off junk keys. The
// loader sees about twice the rate of unknown keys at most. Default: 100
// per second. It must be positive.
func WithCacheLoadRate(perSecond int) CacheOption {
	return func(c *cacheConfig) {
		if perSecond <= 0 {
			panic("sighttp: WithCacheLoadRate needs a positive rate")
		}
		c.rate = perSecond
	}
}

// WithCacheLoadWait bounds how long a load of a never-seen key waits for
// the load budget (WithCacheLoadRate: a token, or its turn among the loads
// at once), before its requests are refused with ErrRateLimited; each request also stops waiting
// when its context ends. Default: 1 second. Zero refuses at once. It must
// not be negative.
func WithCacheLoadWait(d time.Duration) CacheOption {
	return func(c *cacheConfig) {
		if d < 0 {
			panic("sighttp: WithCacheLoadWait needs a duration ≥ 0")
		}
		c.loadWait = d
	}
}

// WithCacheLoadTimeout bounds one call of the loader. Its context ends
// then, and its requests get ErrLoadTimeout. A loader that ignores its
// context keeps its goroutine until it returns (CacheStats.LoadsRunning
// counts it), but holds no request and no key: its late answer is dropped,
// and the key loads afresh. Default: 10 seconds. It must be positive.
func WithCacheLoadTimeout(d time.Duration) CacheOption {
	return func(c *cacheConfig) {
		if d <= 0 {
			panic("sighttp: WithCacheLoadTimeout needs a positive duration")
		}
		c.loadTimeout = d
	}
}

// WithCacheStaleIfError sets how long past its TTL a tenant's last good
// Signer is still used while its reloads fail with a transient error (any
// error but an unknown key: a database outage, a timeout), retried once per
// WithCacheMissTTL; a loader that answers "unknown key" ends it at once, as
// does Invalidate. It is how long a secret revoked during an outage may keep
// working. Default: 5 minutes. Zero turns it off.
func WithCacheStaleIfError(d time.Duration) CacheOption {
	return func(c *cacheConfig) {
		if d < 0 {
			panic("sighttp: WithCacheStaleIfError needs a duration ≥ 0")
		}
		c.staleIfError = d
	}
}

// WithCacheClock sets the clock the TTLs and the load budget are measured
// with. Default: time.Now. For tests; the waits for the load budget and the
// load timeout use timers, which a testing/synctest bubble makes virtual.
func WithCacheClock(now func() time.Time) CacheOption {
	return func(c *cacheConfig) {
		if now == nil {
			panic("sighttp: WithCacheClock(nil)")
		}
		c.now, c.clockSet = now, true
	}
}

// A SignerCache keeps the Signers a loader finds by key — tenant secrets in
// a database, rotated without a restart — for a bounded time and number. It
// collapses concurrent loads of one key into one call, remembers unknown
// keys briefly, bounds the loads of keys it has never seen (the junk-key
// flood) while tenants it knows reload freely, keeps serving a tenant
// through a transient loader failure for a bounded time, and takes pushed
// revocations (Invalidate). It is safe for concurrent use. CachedLookup puts
// one behind an API key header; use Signer directly for other transports
// (WithTenantLookup takes it, in every transport).
//
// It is built on github.com/maypok86/otter/v2 (the bounded store, W-TinyLFU
// eviction, expiry), golang.org/x/sync/singleflight (one load per key) and
// golang.org/x/time/rate (the load budget). For many tenants and instances,
// a store that holds every tenant in memory and answers an unknown key
// without a query beats any read-through cache.
type SignerCache struct {
	load func(ctx context.Context, key string) (*usersig.Signer, error)
	cfg  cacheConfig
	// Each store drops an entry at its expires, checked on every read, so
	// a hit reads no clock of its own.
	signers  *otter.Cache[string, *cacheEntry] // until the TTL (or the next retry of a stale one)
	unknown  *otter.Cache[string, *cacheEntry] // unknown keys and failed loads, until the miss TTL
	lastGood *otter.Cache[string, *cacheEntry] // until TTL + stale-if-error: the stand-ins
	flights  singleflight.Group
	budget   *loadBudget

	// storing orders a load's store after the Invalidates before it: a
	// load sees whether epoch moved since it began, and stores only if not.
	storing sync.Mutex
	epoch   uint64

	requests                                     *stats.Counter // hits and misses, striped
	loads, loadErrors, timeouts, limited, stales atomic.Uint64
	running                                      atomic.Int64
}

// A cacheEntry is immutable once stored.
type cacheEntry struct {
	signer  *usersig.Signer // nil for an unknown key or a failed load
	err     error           // why signer is nil
	expires int64           // when its store drops it, in the cache clock's UnixNano
	stale   bool            // a Signer kept through a failed reload
}

// CacheStats counts what a SignerCache did since it was made, for a metrics
// gauge or a log line. The counts are read one by one, so a snapshot taken
// under load may be a little inconsistent.
type CacheStats struct {
	// Hits: requests answered from the cache without a load, a Signer
	// (stale ones included) or a remembered unknown key.
	Hits uint64
	// Misses: requests that needed a load: each then joined one, or was
	// refused (RateLimited).
	Misses uint64
	// Loads: calls of the loader.
	Loads uint64
	// LoadErrors: loads that failed (an error other than an unknown key, a
	// panic or a timeout); LoadTimeouts counts the timeouts among them.
	LoadErrors, LoadTimeouts uint64
	// RateLimited: requests refused with ErrRateLimited.
	RateLimited uint64
	// StaleServed: requests served a last good Signer because its reload
	// failed (see WithCacheStaleIfError).
	StaleServed uint64
	// LoadsRunning: loader calls under way, with those past their timeout
	// that ignored their context and have not returned yet.
	LoadsRunning int64
	// Entries: Signers held; UnknownEntries: unknown keys and failed loads
	// remembered; KnownKeys: keys that loaded well, kept (as 64-bit hashes)
	// after their Signer left, so that they reload outside the budget.
	Entries, UnknownEntries, KnownKeys int
}

// Errors of loading, which the middleware logs as reason "error".
var errLoaderPanicked = fmt.Errorf("%w: the loader panicked", ErrLoadFailed)

// NewSignerCache returns a cache over load, which returns the Signer for a
// key; (nil, nil) or an error wrapping ErrUnknownSigner for a key it does
// not know; any other error when it could not tell. load is called with a
// context that carries the first waiting request's values but not its
// cancellation, bounded by WithCacheLoadTimeout. It panics on a nil load or
// option.
func NewSignerCache(load func(ctx context.Context, key string) (*usersig.Signer, error), opts ...CacheOption) *SignerCache {
	if load == nil {
		panic("sighttp: NewSignerCache with a nil load")
	}
	cfg := cacheConfig{
		ttl: defaultCacheTTL, missTTL: defaultCacheMissTTL, staleIfError: defaultCacheStaleIfError,
		size: defaultCacheSize, rate: defaultCacheLoadRate,
		loadWait: defaultCacheLoadWait, loadTimeout: defaultCacheLoadTimeout, now: time.Now,
	}
	for _, opt := range opts {
		if opt == nil {
			panic("sighttp: nil CacheOption")
		}
		opt(&cfg)
	}
	c := &SignerCache{
		load: load, cfg: cfg,
		budget:   newLoadBudget(cfg.rate, cfg.loadWait, cfg.now),
		requests: stats.NewCounter(),
	}
	var clock otter.Clock = cacheClock(cfg.now)
	if !cfg.clockSet {
		// Reading the precise time is a large part of a hit; a clock
		// read 10 times a second costs a load of a variable, and moves
		// an expiry by at most 100 ms.
		clock = otter.NewCoarseClock(coarseClockResolution)
	}
	c.signers, c.unknown, c.lastGood = c.newStore(clock), c.newStore(clock), c.newStore(clock)
	return c
}

// coarseClockResolution is how often the default clock of the stores reads
// the time: the most by which an entry outlives or falls short of its TTL.
const coarseClockResolution = 100 * time.Millisecond

// newStore makes an otter cache whose entries leave it at their expires.
func (c *SignerCache) newStore(clock otter.Clock) *otter.Cache[string, *cacheEntry] {
	opts := &otter.Options[string, *cacheEntry]{
		MaximumSize: c.cfg.size,
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, *cacheEntry]) time.Duration {
			return time.Duration(e.Value.expires - c.cfg.now().UnixNano())
		}),
		Clock: clock,
	}
	return otter.Must(opts)
}

// cacheClock is WithCacheClock's clock for otter, without ticks: the
// periodic clean-up of an idle cache is left to the next write.
type cacheClock func() time.Time

func (c cacheClock) NowNano() int64                    { return c().UnixNano() }
func (cacheClock) Tick(time.Duration) <-chan time.Time { return nil }

// Signer returns the Signer for key: from the cache until its TTL, else from
// one call of the loader shared with every concurrent request for key. A
// key the loader does not know gets an error wrapping ErrUnknownSigner. A
// key never seen that the load budget cannot take in time gets
// ErrRateLimited; a load past its timeout, ErrLoadTimeout; any other failed
// load, an error wrapping ErrLoadFailed and the loader's error (whose text
// is for a WithErrorHandler of yours: the middleware never logs it). A
// tenant whose reload fails is served its last good Signer instead, within
// WithCacheStaleIfError. An empty key, or one longer than any request field
// may be (1 KiB), is unknown without a load and is not remembered. If ctx
// ends first, Signer returns its error; the load goes on for the others.
func (c *SignerCache) Signer(ctx context.Context, key string) (*usersig.Signer, error) {
	if key == "" || len(key) > maxFieldLen {
		// A caller of its own (another transport) may pass the client's
		// text unbounded: each such key would sit in the unknown store.
		return nil, ErrUnknownSigner
	}
	if e, ok := c.signers.GetIfPresent(key); ok {
		c.requests.RecordHits(1)
		if e.stale {
			c.stales.Add(1)
		}
		return e.signer, nil
	}
	if e, ok := c.unknown.GetIfPresent(key); ok {
		c.requests.RecordHits(1)
		return nil, e.err
	}
	c.requests.RecordMisses(1)
	return c.loadShared(ctx, key)
}

// Invalidate drops what the cache holds for key, so the next request loads
// it afresh: push a rotation or a revocation with it. The key stays known,
// so its reload does not wait for the load budget, but its old Signer is
// gone for good: a failing reload does not bring it back. A load under way
// when Invalidate is called is not stored, and no request made after
// Invalidate returns joins it.
func (c *SignerCache) Invalidate(key string) {
	c.storing.Lock()
	defer c.storing.Unlock()
	c.epoch++
	c.flights.Forget(key)
	c.signers.Invalidate(key)
	c.unknown.Invalidate(key)
	c.lastGood.Invalidate(key)
}

// Stats returns the cache's counts (see CacheStats).
func (c *SignerCache) Stats() CacheStats {
	r := c.requests.Snapshot()
	return CacheStats{
		Hits: r.Hits, Misses: r.Misses,
		Loads: c.loads.Load(), LoadErrors: c.loadErrors.Load(), LoadTimeouts: c.timeouts.Load(),
		RateLimited: c.limited.Load(), StaleServed: c.stales.Load(), LoadsRunning: c.running.Load(),
		Entries: c.signers.EstimatedSize(), UnknownEntries: c.unknown.EstimatedSize(), KnownKeys: c.budget.size(),
	}
}

// A flightResult is what one load tells every request that waited for it.
type flightResult struct {
	signer *usersig.Signer
	err    error
	stale  bool
}

// loadShared waits, as long as ctx lets it, for the one load of key under
// way, starting it if there is none. The load runs detached from ctx, since
// other requests wait for it too, and always ends: the budget's wait and
// the load timeout bound it.
func (c *SignerCache) loadShared(ctx context.Context, key string) (*usersig.Signer, error) {
	detached := context.WithoutCancel(ctx)
	c.storing.Lock()
	epoch := c.epoch
	c.storing.Unlock()
	ch := c.flights.DoChan(key, func() (any, error) { return c.fill(detached, key, epoch), nil })
	select {
	case res := <-ch:
		r := res.Val.(flightResult)
		switch {
		case r.stale:
			c.stales.Add(1)
		case errors.Is(r.err, ErrRateLimited):
			c.limited.Add(1)
		}
		return r.signer, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fill loads key (once the budget lets it) and stores the answer, unless
// Invalidate was called since epoch was read.
func (c *SignerCache) fill(ctx context.Context, key string, epoch uint64) flightResult {
	// A request that missed just before the last load of key stored its
	// answer starts this flight just after: it needs no load.
	if e, ok := c.signers.GetIfPresent(key); ok {
		return flightResult{signer: e.signer, stale: e.stale}
	}
	if e, ok := c.unknown.GetIfPresent(key); ok {
		return flightResult{err: e.err}
	}
	h := c.budget.hash(key)
	t, err := c.budget.admit(h)
	if err != nil {
		return flightResult{err: err}
	}
	s, err := c.loadBounded(ctx, key)
	c.budget.settle(t, err == nil && s != nil)
	res, store := c.outcome(key, h, s, err)
	c.storing.Lock()
	if c.epoch == epoch {
		store()
	}
	c.storing.Unlock()
	return res
}

// outcome turns a load's answer into what its requests get and what the
// cache keeps: a Signer until the TTL (and as a stand-in until TTL +
// stale-if-error); an unknown key until the miss TTL, with the key no
// longer known; a failure, the last good Signer if there is one, retried
// after the miss TTL, else the failure until the miss TTL.
func (c *SignerCache) outcome(key string, h uint64, s *usersig.Signer, err error) (flightResult, func()) {
	now := c.cfg.now().UnixNano()
	switch {
	case err == nil && s != nil:
		return flightResult{signer: s}, func() {
			c.budget.loaded(h, true)
			c.signers.Set(key, &cacheEntry{signer: s, expires: now + int64(c.cfg.ttl)})
			if c.cfg.staleIfError > 0 {
				c.lastGood.Set(key, &cacheEntry{signer: s, expires: now + int64(c.cfg.ttl+c.cfg.staleIfError)})
			}
			c.unknown.Invalidate(key)
		}
	case err == nil || errors.Is(err, ErrUnknownSigner):
		if err == nil {
			err = ErrUnknownSigner
		}
		return flightResult{err: err}, func() {
			c.budget.loaded(h, false)
			c.unknown.Set(key, &cacheEntry{err: err, expires: now + int64(c.cfg.missTTL)})
			c.signers.Invalidate(key)
			c.lastGood.Invalidate(key)
		}
	}
	c.loadErrors.Add(1)
	if old, ok := c.lastGood.GetIfPresent(key); ok {
		retry := min(now+int64(c.cfg.missTTL), old.expires)
		return flightResult{signer: old.signer, stale: true}, func() {
			c.signers.Set(key, &cacheEntry{signer: old.signer, expires: retry, stale: true})
		}
	}
	return flightResult{err: err}, func() {
		c.unknown.Set(key, &cacheEntry{err: err, expires: now + int64(c.cfg.missTTL)})
	}
}

// loadBounded calls the loader in a goroutine of its own and waits for it
// until the load timeout: a loader that ignores its context then holds
// nobody. Its answer is wrapped: a panic (whose value may hold what the
// loader had in hand, such as a DSN, so it is dropped) and an error other
// than an unknown key both wrap ErrLoadFailed.
func (c *SignerCache) loadBounded(ctx context.Context, key string) (*usersig.Signer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.loadTimeout)
	defer cancel()
	type answer struct {
		s   *usersig.Signer
		err error
	}
	done := make(chan answer, 1) // the late answer of an abandoned load is dropped here
	c.loads.Add(1)
	c.running.Add(1)
	go func() {
		defer c.running.Add(-1)
		returned := false
		defer func() {
			if !returned { // a panic, or runtime.Goexit
				_ = recover()
				done <- answer{err: errLoaderPanicked}
			}
		}()
		s, err := c.load(ctx, key)
		returned = true
		done <- answer{s, err}
	}()
	select {
	case a := <-done:
		switch {
		case a.err == nil, errors.Is(a.err, ErrUnknownSigner), errors.Is(a.err, ErrLoadFailed):
			return a.s, a.err
		}
		return nil, fmt.Errorf("%w: %w", ErrLoadFailed, a.err)
	case <-ctx.Done():
		c.timeouts.Add(1)
		return nil, fmt.Errorf("%w: %w", ErrLoadFailed, ErrLoadTimeout)
	}
}

// CachedLookup returns a lookup for WithSignerLookup that picks the Signer
// by the value of one request header, such as a vendor's publishable API
// key, through a SignerCache over load (see NewSignerCache and the
// options). A request without the header is unknown (ErrUnknownSigner);
// one with it twice or longer than 1 KiB gets a *FieldError, as
// ReadCredential would; a load that fails is never a pass, only a 401. It
// panics on an empty header name, a nil load or a nil option. To call
// Invalidate or Stats, make the cache with NewSignerCache and pass it to
// WithTenantLookup, which also serves every transport and reports the
// tenant in each Decision.
//
// Behind the middleware's WithLogger, an unknown key is logged as reason
// "unknown-signer", a refusal of the load budget as "rate-limited", a load
// past its timeout as "load-timeout" and any other failed load as "error".
func CachedLookup(header string, load func(ctx context.Context, key string) (*usersig.Signer, error), opts ...CacheOption) func(*http.Request) (*usersig.Signer, error) {
	if header == "" {
		panic("sighttp: CachedLookup with an empty header name")
	}
	cache := NewSignerCache(load, opts...)
	key := textproto.CanonicalMIMEHeaderKey(header)
	return func(r *http.Request) (*usersig.Signer, error) {
		v, err := readOne(func(name string) []string { return r.Header[name] }, key)
		if err != nil {
			return nil, err
		}
		return cache.Signer(r.Context(), v)
	}
}
