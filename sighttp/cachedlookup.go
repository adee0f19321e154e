package sighttp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"sync"
	"time"

	"github.com/usersig/usersig"
)

// The cache's defaults; see the options for the reasons.
const (
	defaultCacheTTL      = 5 * time.Minute
	defaultCacheMissTTL  = 5 * time.Second
	defaultCacheSize     = 10000
	defaultCacheLoadRate = 100
	// cacheLoadTimeout bounds one load. The load runs detached from the
	// request that started it, since other requests wait for it too.
	cacheLoadTimeout = 10 * time.Second
	// evictSample is how many entries a full cache looks at to pick one to
	// evict: the expired or soonest-expiring of them.
	evictSample = 8
)

// The cache's own refusals; the middleware logs both as reason "error".
var (
	// errLoadLimited: the load rate was spent, so the loader was not asked.
	errLoadLimited = errors.New("sighttp: signer loads over their rate limit")
	// errLoadTimeout: the loader did not return within cacheLoadTimeout,
	// even though its context ended; its late answer is not cached.
	errLoadTimeout = errors.New("sighttp: signer load timed out")
	// errLoadPanicked: the loader panicked. Its panic value is not kept:
	// it may hold what the loader had in hand, such as a database DSN.
	errLoadPanicked = errors.New("sighttp: signer load panicked")
)

// A CacheOption configures NewSignerCache and CachedLookup. A nil option, or
// a value out of range, makes the constructor panic.
type CacheOption func(*cacheConfig)

type cacheConfig struct {
	ttl, missTTL time.Duration
	size         int
	rate         int
	now          func() time.Time
	loadTimeout  time.Duration // cacheLoadTimeout; shorter in tests
}

// WithCacheTTL sets how long a loaded Signer is used before it is loaded
// again, which is how long a rotated or revoked secret keeps working after
// the database changed (up to twice that while the load rate is spent, see
// WithCacheLoadRate). Default: 5 minutes. It must be positive.
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
// client retrying a bad key costs one load. Default: 5 seconds. It must be
// positive.
func WithCacheMissTTL(d time.Duration) CacheOption {
	return func(c *cacheConfig) {
		if d <= 0 {
			panic("sighttp: WithCacheMissTTL needs a positive duration")
		}
		c.missTTL = d
	}
}

// WithCacheSize bounds the Signers kept, and separately the misses kept;
// past it an entry is evicted (an expired one, else one of the soonest to
// expire). Default: 10,000. It must be positive.
func WithCacheSize(n int) CacheOption {
	return func(c *cacheConfig) {
		if n <= 0 {
			panic("sighttp: WithCacheSize needs a positive size")
		}
		c.size = n
	}
}

// WithCacheLoadRate bounds the loader's calls per second (with a burst of
// as many), so that a flood of random API keys, each one a miss no cache
// can answer, costs the database at most that. Past it a request whose key
// is not cached is refused without a load, except that a Signer whose TTL
// ran out less than one more TTL ago is used rather than refused, so a
// flood of junk keys cannot lock out known tenants — and cannot keep a
// revoked secret working past twice the TTL either. Default: 100 per
// second. It must be positive.
func WithCacheLoadRate(perSecond int) CacheOption {
	return func(c *cacheConfig) {
		if perSecond <= 0 {
			panic("sighttp: WithCacheLoadRate needs a positive rate")
		}
		c.rate = perSecond
	}
}

// WithCacheClock sets the clock the TTLs and the load rate are measured
// with. Default: time.Now. For tests.
func WithCacheClock(now func() time.Time) CacheOption {
	return func(c *cacheConfig) {
		if now == nil {
			panic("sighttp: WithCacheClock(nil)")
		}
		c.now = now
	}
}

// A SignerCache keeps the Signers a loader finds by key — tenant secrets in
// a database, rotated without a restart — for a bounded time and number,
// collapses concurrent loads of one key into one call, remembers misses
// briefly and bounds the loads per second. It is safe for concurrent use.
// CachedLookup puts one behind an API key header; use Signer directly for
// other transports (contrib/fibersig's LookupByHeader takes it).
type SignerCache struct {
	load func(ctx context.Context, key string) (*usersig.Signer, error)
	cfg  cacheConfig

	mu      sync.Mutex
	hits    map[string]cacheEntry
	misses  map[string]cacheEntry
	flights map[string]*flight
	tokens  float64
	refill  time.Time
}

type cacheEntry struct {
	signer  *usersig.Signer // nil for a miss
	err     error           // a miss's error
	expires time.Time
}

// flight is one load under way, which every request for its key waits for.
type flight struct {
	done   chan struct{}
	signer *usersig.Signer
	err    error
}

// NewSignerCache returns a cache over load, which returns the Signer for a
// key; (nil, nil) or an error wrapping ErrUnknownSigner for a key it does
// not know; any other error when it could not tell. load is called with a
// context that carries the first waiting request's values but not its
// cancellation, bounded to 10 seconds. It panics on a nil load or option.
func NewSignerCache(load func(ctx context.Context, key string) (*usersig.Signer, error), opts ...CacheOption) *SignerCache {
	if load == nil {
		panic("sighttp: NewSignerCache with a nil load")
	}
	cfg := cacheConfig{ttl: defaultCacheTTL, missTTL: defaultCacheMissTTL, size: defaultCacheSize, rate: defaultCacheLoadRate, now: time.Now, loadTimeout: cacheLoadTimeout}
	for _, opt := range opts {
		if opt == nil {
			panic("sighttp: nil CacheOption")
		}
		opt(&cfg)
	}
	return &SignerCache{
		load: load, cfg: cfg,
		hits: make(map[string]cacheEntry), misses: make(map[string]cacheEntry),
		flights: make(map[string]*flight),
		tokens:  float64(cfg.rate), refill: cfg.now(),
	}
}

// Signer returns the Signer for key: from the cache while its TTL lasts,
// else from one call of the loader shared with every concurrent request for
// key. A key the loader does not know gets an error wrapping
// ErrUnknownSigner; a failed load, or one refused by the load rate, another
// error, which the middleware answers 401 and logs as reason "error" (the
// loader's own text is in the error, for a WithErrorHandler of yours, and
// is never logged by this package). An empty key is unknown without a load.
// If ctx ends first, Signer returns its error; the load goes on for the
// others.
func (c *SignerCache) Signer(ctx context.Context, key string) (*usersig.Signer, error) {
	if key == "" {
		return nil, ErrUnknownSigner
	}
	c.mu.Lock()
	now := c.cfg.now()
	hit, isHit := c.hits[key]
	if isHit && now.Before(hit.expires) {
		c.mu.Unlock()
		return hit.signer, nil
	}
	if miss, ok := c.misses[key]; ok && now.Before(miss.expires) {
		c.mu.Unlock()
		return nil, miss.err
	}
	f, running := c.flights[key]
	if !running {
		if !c.takeToken(now) {
			c.mu.Unlock()
			if isHit && now.Before(hit.expires.Add(c.cfg.ttl)) {
				return hit.signer, nil // stale by less than a TTL, rather than refused
			}
			return nil, errLoadLimited
		}
		f = &flight{done: make(chan struct{})}
		c.flights[key] = f
	}
	c.mu.Unlock()

	if !running {
		go c.run(context.WithoutCancel(ctx), key, f)
	}
	// A loader that ignores its context must not hold its waiters (or the
	// key) for ever: past the load timeout the flight is abandoned, so the
	// next request loads afresh and the late answer is dropped.
	timeout := time.NewTimer(c.cfg.loadTimeout)
	defer timeout.Stop()
	select {
	case <-f.done:
		return f.signer, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timeout.C:
		c.abandon(key, f)
		return nil, errLoadTimeout
	}
}

// abandon forgets f as the load under way for key, if it still is.
func (c *SignerCache) abandon(key string, f *flight) {
	c.mu.Lock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	c.mu.Unlock()
}

// run performs one load and publishes it to the flight's waiters and the
// cache. A panicking loader fails the flight instead of leaving its
// waiters hanging.
func (c *SignerCache) run(ctx context.Context, key string, f *flight) {
	defer func() {
		if p := recover(); p != nil {
			c.finish(key, f, nil, errLoadPanicked)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, c.cfg.loadTimeout)
	defer cancel()
	s, err := c.load(ctx, key)
	c.finish(key, f, s, err)
}

func (c *SignerCache) finish(key string, f *flight, s *usersig.Signer, err error) {
	switch {
	case err == nil && s == nil:
		err = ErrUnknownSigner
	case err != nil && !errors.Is(err, ErrUnknownSigner):
		s, err = nil, fmt.Errorf("sighttp: loading the signer failed: %w", err)
	case err != nil:
		s = nil
	}
	c.mu.Lock()
	if c.flights[key] == f { // else abandoned as timed out: its answer is stale
		now := c.cfg.now()
		if err == nil {
			put(c.hits, c.cfg.size, now, key, cacheEntry{signer: s, expires: now.Add(c.cfg.ttl)})
			delete(c.misses, key)
		} else {
			put(c.misses, c.cfg.size, now, key, cacheEntry{err: err, expires: now.Add(c.cfg.missTTL)})
			delete(c.hits, key)
		}
		delete(c.flights, key)
	}
	c.mu.Unlock()
	f.signer, f.err = s, err
	close(f.done)
}

// takeToken spends one load from the token bucket, refilled at the load
// rate up to one second's worth. c.mu must be held.
func (c *SignerCache) takeToken(now time.Time) bool {
	if elapsed := now.Sub(c.refill); elapsed > 0 {
		c.tokens += elapsed.Seconds() * float64(c.cfg.rate)
		c.tokens = min(c.tokens, float64(c.cfg.rate))
	}
	c.refill = now
	if c.tokens < 1 {
		return false
	}
	c.tokens--
	return true
}

// put stores e under key in m, first evicting one entry if m is full: an
// expired one, else the soonest to expire of a few sampled.
func put(m map[string]cacheEntry, size int, now time.Time, key string, e cacheEntry) {
	if _, ok := m[key]; !ok && len(m) >= size {
		var victim string
		var soonest time.Time
		n := 0
		for k, v := range m {
			if n == 0 || v.expires.Before(soonest) {
				victim, soonest = k, v.expires
			}
			if n++; n == evictSample || !now.Before(v.expires) {
				break
			}
		}
		delete(m, victim)
	}
	m[key] = e
}

// CachedLookup returns a lookup for WithSignerLookup that picks the Signer
// by the value of one request header, such as a vendor's publishable API
// key, through a SignerCache over load (see NewSignerCache and the
// options). A request without the header is unknown (ErrUnknownSigner);
// one with it twice or longer than 1 KiB gets a *FieldError, as
// ReadCredential would; a load that fails is never a pass, only a 401. It
// panics on an empty header name, a nil load or a nil option.
//
// Behind the middleware's WithLogger, an unknown key is logged as reason
// "unknown-signer" and a failed or rate-limited load as "error".
func CachedLookup(header string, load func(ctx context.Context, key string) (*usersig.Signer, error), opts ...CacheOption) func(*http.Request) (*usersig.Signer, error) {
	if header == "" {
		panic("sighttp: CachedLookup with an empty header name")
	}
	key := textproto.CanonicalMIMEHeaderKey(header)
	cache := NewSignerCache(load, opts...)
	return func(r *http.Request) (*usersig.Signer, error) {
		v, err := readOne(func(name string) []string { return r.Header[name] }, key)
		if err != nil {
			return nil, err
		}
		return cache.Signer(r.Context(), v)
	}
}
