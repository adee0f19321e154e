package sighttp

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// tenantDB stands for a table of tenant secrets: it counts its loads and
// can be changed (rotated) under the cache.
type tenantDB struct {
	mu      sync.Mutex
	secrets map[string]string
	fail    map[string]error
	loads   atomic.Int64
	gate    chan struct{} // if set, every load waits for it
	latency time.Duration // if set, every load takes this long (virtual in a synctest bubble)
}

func (db *tenantDB) set(key, secret string) {
	db.mu.Lock()
	db.secrets[key] = secret
	db.mu.Unlock()
}

func (db *tenantDB) load(ctx context.Context, key string) (*usersig.Signer, error) {
	db.loads.Add(1)
	if db.latency > 0 {
		time.Sleep(db.latency)
	}
	if db.gate != nil {
		select {
		case <-db.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	db.mu.Lock()
	secret, ok := db.secrets[key]
	err := db.fail[key]
	db.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	return usersig.New(usersig.Proficient(), []byte(secret))
}

// proficientSig is Proficient's hash, computed without usersig.
func proficientSig(secret, user string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(user))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

const (
	apiKeyHeader = "X-PROFICIENT-API-KEY"
	secretV1     = "hsec_tenant_one_secret_v1_0123456789"
	secretV2     = "hsec_tenant_one_secret_v2_9876543210"
)

// api is the middleware behind CachedLookup over db, in front of a handler
// that answers 200 with the verified user.
func api(db *tenantDB, opts ...CacheOption) (http.Handler, func() []string) {
	logger, reasons := adaptertest.Reasons()
	mw := Middleware(nil, WithSignerLookup(CachedLookup(apiKeyHeader, db.load, opts...)), WithLogger(logger))
	return mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := IdentityFromContext(r.Context())
		_, _ = w.Write([]byte(id.UserID))
	})), reasons
}

func signedRequest(key, secret, user string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/api", nil)
	if key != "" {
		r.Header.Set(apiKeyHeader, key)
	}
	r.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", user)
	r.Header.Set("X-PROFICIENT-USER-HMAC", proficientSig(secret, user))
	return r
}

func status(h http.Handler, r *http.Request) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestCachedLookupCollapsesConcurrentLoads(t *testing.T) {
	const n = 200
	db := &tenantDB{secrets: map[string]string{"pk_one": secretV1}, gate: make(chan struct{})}
	h, _ := api(db)

	var wg sync.WaitGroup
	codes := make([]int, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i] = status(h, signedRequest("pk_one", secretV1, fmt.Sprintf("user%d", i)))
		}()
	}
	close(start)
	// Hold the one load until it has begun; every request then either
	// waits for it or, arriving late, finds its result cached.
	require.Eventually(t, func() bool { return db.loads.Load() >= 1 }, 10*time.Second, time.Millisecond)
	close(db.gate)
	wg.Wait()

	assert.Equal(t, int64(1), db.loads.Load(), "one load for one key")
	for i, c := range codes {
		assert.Equal(t, http.StatusOK, c, "request %d", i)
	}
}

func TestCachedLookupBoundsLoadsOfRandomKeys(t *testing.T) {
	const rate = 50
	clock := newFakeClock()
	db := &tenantDB{secrets: map[string]string{"pk_one": secretV1}}
	h, reasons := api(db, WithCacheClock(clock.Now), WithCacheLoadRate(rate), WithCacheLoadWait(0))

	// The real tenant is cached before the flood.
	require.Equal(t, http.StatusOK, status(h, signedRequest("pk_one", secretV1, "alice")))
	reasons()
	base := db.loads.Load()

	// 10,000 random keys over 10 seconds of the fake clock.
	perSecond := map[int64]int64{}
	start := clock.Now()
	for i := range 10000 {
		var b [16]byte
		_, _ = rand.Read(b[:])
		before := db.loads.Load()
		code := status(h, signedRequest("pk_"+hex.EncodeToString(b[:]), secretV1, "mallory"))
		require.Equal(t, http.StatusUnauthorized, code)
		perSecond[int64(clock.Now().Sub(start)/time.Second)] += db.loads.Load() - before
		if i%100 == 0 {
			// The real tenant is served from the cache throughout.
			require.Equal(t, http.StatusOK, status(h, signedRequest("pk_one", secretV1, "alice")))
		}
		clock.Advance(time.Millisecond)
	}
	loads := db.loads.Load() - base
	t.Logf("10,000 random keys over 10s: %d loads", loads)
	assert.LessOrEqual(t, loads, int64(rate*10+rate), "at most the rate, plus one burst")
	assert.GreaterOrEqual(t, loads, int64(rate*10), "the rate is used, not starved")
	for sec, n := range perSecond {
		assert.LessOrEqual(t, n, int64(2*rate), "second %d", sec)
	}
	logged := reasons()
	assert.Contains(t, logged, ReasonRateLimited, "the budget's refusals say so")
	for _, r := range logged {
		assert.Contains(t, []string{ReasonUnknownSigner, ReasonRateLimited}, r)
	}
}

func TestCachedLookupPicksUpARotatedSecretAfterTheTTL(t *testing.T) {
	clock := newFakeClock()
	db := &tenantDB{secrets: map[string]string{"pk_one": secretV1}}
	h, _ := api(db, WithCacheClock(clock.Now), WithCacheTTL(time.Minute))

	assert.Equal(t, http.StatusOK, status(h, signedRequest("pk_one", secretV1, "alice")))
	db.set("pk_one", secretV2)

	clock.Advance(59 * time.Second)
	assert.Equal(t, http.StatusOK, status(h, signedRequest("pk_one", secretV1, "alice")), "cached until the TTL")
	assert.Equal(t, http.StatusUnauthorized, status(h, signedRequest("pk_one", secretV2, "alice")))
	assert.Equal(t, int64(1), db.loads.Load())

	clock.Advance(time.Second)
	assert.Equal(t, http.StatusOK, status(h, signedRequest("pk_one", secretV2, "alice")), "the new secret after the TTL")
	assert.Equal(t, http.StatusUnauthorized, status(h, signedRequest("pk_one", secretV1, "alice")), "the old one no more")
	assert.Equal(t, int64(2), db.loads.Load())
}

func TestCachedLookupCachesMissesBriefly(t *testing.T) {
	clock := newFakeClock()
	db := &tenantDB{secrets: map[string]string{}}
	h, reasons := api(db, WithCacheClock(clock.Now), WithCacheMissTTL(5*time.Second))

	for range 10 {
		assert.Equal(t, http.StatusUnauthorized, status(h, signedRequest("pk_new", secretV1, "alice")))
	}
	assert.Equal(t, int64(1), db.loads.Load(), "one load for a repeated unknown key")

	db.set("pk_new", secretV1) // the tenant is created
	clock.Advance(5 * time.Second)
	assert.Equal(t, http.StatusOK, status(h, signedRequest("pk_new", secretV1, "alice")), "known once the miss expires")
	assert.Equal(t, int64(2), db.loads.Load())
	assert.Equal(t, slicesRepeat(ReasonUnknownSigner, 10), reasons())
}

func slicesRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestCachedLookupLoaderErrorsAre401(t *testing.T) {
	dbDown := errors.New("connection refused")
	db := &tenantDB{
		secrets: map[string]string{"pk_gone": secretV1},
		fail:    map[string]error{"pk_down": dbDown, "pk_gone": fmt.Errorf("tenant deleted: %w", ErrUnknownSigner)},
	}
	var seen []error
	lookup := CachedLookup(apiKeyHeader, db.load)
	logger, reasons := adaptertest.Reasons()
	h := Middleware(nil, WithSignerLookup(lookup), WithLogger(logger), WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		seen = append(seen, err)
		DefaultErrorHandler(w, r, err)
	}))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("the handler ran") }))

	for _, key := range []string{"pk_down", "pk_gone", "pk_unknown", ""} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, signedRequest(key, secretV1, "alice"))
		adaptertest.AssertRefused(t, w.Result())
	}
	assert.Equal(t, []string{ReasonError, ReasonUnknownSigner, ReasonUnknownSigner, ReasonUnknownSigner}, reasons())
	require.Len(t, seen, 4)
	assert.ErrorIs(t, seen[0], dbDown, "an error handler can tell a failing database")
	assert.ErrorIs(t, seen[0], ErrLoadFailed)
	assert.NotErrorIs(t, seen[0], ErrUnknownSigner)
	for _, err := range seen[1:] {
		assert.ErrorIs(t, err, ErrUnknownSigner)
	}

	r := signedRequest("pk_one", secretV1, "alice")
	r.Header.Add(apiKeyHeader, "pk_two")
	_, err := lookup(r)
	assert.ErrorIs(t, err, ErrMalformedCredential, "a key header sent twice")
}

func TestSignerCacheWaiterGivesUpWithItsContext(t *testing.T) {
	db := &tenantDB{secrets: map[string]string{"pk_one": secretV1}, gate: make(chan struct{})}
	c := NewSignerCache(db.load)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Signer(ctx, "pk_one")
	assert.ErrorIs(t, err, context.Canceled)

	// The load goes on, detached from the cancelled request, for the next one.
	close(db.gate)
	s, err := c.Signer(context.Background(), "pk_one")
	require.NoError(t, err)
	assert.NotNil(t, s)
	assert.Equal(t, int64(1), db.loads.Load())
}

func TestSignerCachePanickingLoaderFailsItsWaiters(t *testing.T) {
	c := NewSignerCache(func(context.Context, string) (*usersig.Signer, error) { panic("boom") })
	done := make(chan error, 1)
	go func() {
		_, err := c.Signer(context.Background(), "pk_one")
		done <- err
	}()
	select {
	case err := <-done:
		assert.Error(t, err)
		assert.NotErrorIs(t, err, ErrUnknownSigner)
	case <-time.After(10 * time.Second):
		t.Fatal("a waiter hung on a panicking loader")
	}
}

func TestSignerCacheIsBounded(t *testing.T) {
	clock := newFakeClock()
	db := &tenantDB{secrets: map[string]string{}}
	for i := range 100 {
		db.secrets[fmt.Sprintf("pk_%d", i)] = secretV1
	}
	c := NewSignerCache(db.load, WithCacheClock(clock.Now), WithCacheSize(10), WithCacheLoadRate(1000))
	for i := range 200 {
		_, err := c.Signer(context.Background(), fmt.Sprintf("pk_%d", i))
		if i < 100 {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, ErrUnknownSigner)
		}
		clock.Advance(time.Millisecond)
	}
	c.signers.CleanUp()
	c.unknown.CleanUp()
	st := c.Stats()
	assert.LessOrEqual(t, st.Entries, 10)
	assert.LessOrEqual(t, st.UnknownEntries, 10)
	assert.Equal(t, 100, st.KnownKeys, "kept as hashes after eviction, so they reload outside the budget")
	assert.Zero(t, st.LoadsRunning)
}

// A tenant whose TTL ran out reloads even while junk keys have spent the
// load budget: it is known, so its reload is not budgeted, and the reload
// picks up a rotation.
func TestSignerCacheKnownTenantReloadsOutsideTheBudget(t *testing.T) {
	clock := newFakeClock()
	db := &tenantDB{secrets: map[string]string{"pk_one": secretV1}}
	c := NewSignerCache(db.load, WithCacheClock(clock.Now), WithCacheLoadRate(1), WithCacheLoadWait(0), WithCacheTTL(time.Second))
	first, err := c.Signer(context.Background(), "pk_one")
	require.NoError(t, err)
	clock.Advance(1500 * time.Millisecond)
	for i := range 5 { // spend the budget, and more
		_, _ = c.Signer(context.Background(), fmt.Sprintf("pk_random_%d", i))
	}
	_, err = c.Signer(context.Background(), "pk_junk")
	require.ErrorIs(t, err, ErrRateLimited, "a never-seen key is refused while the budget is spent")

	db.set("pk_one", secretV2)
	s, err := c.Signer(context.Background(), "pk_one")
	require.NoError(t, err)
	assert.NotSame(t, first, s, "reloaded, not served stale")
	assert.Equal(t, int64(3), db.loads.Load(), "pk_one twice, and the one junk key the burst let through")
	assert.Equal(t, uint64(5), c.Stats().RateLimited)
}

func TestCacheConstructionPanics(t *testing.T) {
	load := func(context.Context, string) (*usersig.Signer, error) { return nil, nil }
	assert.Panics(t, func() { NewSignerCache(nil) })
	assert.Panics(t, func() { NewSignerCache(load, nil) })
	assert.Panics(t, func() { CachedLookup("", load) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheTTL(0)) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheMissTTL(-1)) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheSize(0)) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheLoadRate(0)) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheClock(nil)) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheLoadWait(-1)) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheLoadTimeout(0)) })
	assert.Panics(t, func() { NewSignerCache(load, WithCacheStaleIfError(-1)) })
}

// A service with many tenants keeps their secrets in a database; the cache
// asks it once per key per TTL, and the middleware refuses an unknown key.
func ExampleCachedLookup() {
	secrets := map[string]string{"pk_acme": "hsec_acme_secret_0123456789abcdef"} // your database
	load := func(ctx context.Context, apiKey string) (*usersig.Signer, error) {
		secret, ok := secrets[apiKey]
		if !ok {
			return nil, nil // unknown: refused, and remembered briefly
		}
		return usersig.New(usersig.Proficient(), []byte(secret))
	}
	verify := Middleware(nil, WithSignerLookup(CachedLookup("X-PROFICIENT-API-KEY", load, WithCacheTTL(time.Minute))))
	api := verify(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := IdentityFromContext(r.Context())
		fmt.Fprintln(w, "hello", id.UserID)
	}))

	for _, key := range []string{"pk_acme", "pk_nobody"} {
		r := httptest.NewRequest(http.MethodGet, "/api", nil)
		r.Header.Set("X-PROFICIENT-API-KEY", key)
		r.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", "alice")
		r.Header.Set("X-PROFICIENT-USER-HMAC", proficientSig(secrets["pk_acme"], "alice"))
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		fmt.Print(w.Code, " ", w.Body.String())
	}
	// Output:
	// 200 hello alice
	// 401 {"error":"unauthorized"}
}

// The hit path beside its floor: a plain map read (what SignersByHeader
// does), the same map behind a sync.RWMutex (the careful hand-written
// cache's read), and SignerCache.Signer (two otter reads at most and the
// clock), each over 1,000 tenants, on one goroutine and on all of them.
func BenchmarkSignerCacheHit(b *testing.B) {
	const n = 1000
	db := &tenantDB{secrets: map[string]string{}}
	keys := make([]string, n)
	for i := range n {
		keys[i] = fmt.Sprintf("pk_%d", i)
		db.secrets[keys[i]] = secretV1
	}
	plain := make(map[string]*usersig.Signer, n)
	cache := NewSignerCache(db.load)
	ctx := context.Background()
	for _, k := range keys {
		s, err := cache.Signer(ctx, k)
		if err != nil {
			b.Fatal(err)
		}
		plain[k] = s
	}
	var mu sync.RWMutex
	lookups := []struct {
		name string
		get  func(key string) *usersig.Signer
	}{
		{"map", func(key string) *usersig.Signer { return plain[key] }},
		{"map-rwmutex", func(key string) *usersig.Signer {
			mu.RLock()
			defer mu.RUnlock()
			return plain[key]
		}},
		{"signercache", func(key string) *usersig.Signer {
			s, _ := cache.Signer(ctx, key)
			return s
		}},
	}
	for _, l := range lookups {
		b.Run(l.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if l.get(keys[i%n]) == nil {
					b.Fatal("miss")
				}
				i++
			}
		})
		b.Run(l.name+"-parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := mrand.IntN(n)
				for pb.Next() {
					if l.get(keys[i%n]) == nil {
						panic("miss")
					}
					i++
				}
			})
		})
	}
}

// A panicking loader fails its waiters with an error that does not carry
// the panic value, which may hold what the loader had in hand.
func TestCacheLoaderPanicValueIsDropped(t *testing.T) {
	c := NewSignerCache(func(context.Context, string) (*usersig.Signer, error) {
		panic("postgres://admin:hunter2@db/tenants")
	})
	_, err := c.Signer(context.Background(), "pk_x")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
}

func newCacheTestSigner(t *testing.T) *usersig.Signer {
	t.Helper()
	s, err := usersig.New(usersig.Proficient(), []byte("hsec_tenant_0123456789abcdef"))
	require.NoError(t, err)
	return s
}

// A SignerCache used directly (WithTenantLookup bounds its keys, a transport
// of yours may not) neither loads nor remembers a key longer than any
// request field may be: thousands of such keys would otherwise sit in the
// unknown-key store, each as long as its sender liked.
func TestSignerCacheRefusesAnOversizedKeyWithoutALoad(t *testing.T) {
	db := &tenantDB{secrets: map[string]string{}}
	c := NewSignerCache(db.load)
	huge := string(make([]byte, maxFieldLen+1))
	_, err := c.Signer(context.Background(), huge)
	require.ErrorIs(t, err, ErrUnknownSigner)
	c.unknown.CleanUp()
	assert.Zero(t, db.loads.Load(), "no load for a key no tenant can have")
	assert.Zero(t, c.Stats().UnknownEntries, "an oversized key is not kept")
}
