package sighttp

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
)

// The four scenarios of the issue that asked for this cache's rebuild, each
// in a testing/synctest bubble: time is virtual, so the database latency,
// the waits for the load budget and the load timeouts take no wall-clock
// time, and nothing here is a wall-clock assertion. The cache runs with its
// defaults but for WithCacheClock(time.Now), which only keeps otter's
// periodic clean-up goroutine out of the bubble.

// dbLatency is what one tenant lookup costs the fake database.
const dbLatency = 2 * time.Millisecond

// tenants returns a database of n tenants, pk_0 … pk_{n-1}, each with its
// own secret, answering after dbLatency.
func tenants(n int) *tenantDB {
	db := &tenantDB{secrets: make(map[string]string, n), latency: dbLatency}
	for i := range n {
		db.secrets[tenantKey(i)] = tenantSecret(i, 1)
	}
	return db
}

func tenantKey(i int) string { return fmt.Sprintf("pk_%d", i) }

func tenantSecret(i, version int) string {
	return fmt.Sprintf("hsec_tenant_%06d_v%d_0123456789abcdef", i, version)
}

// cacheAPI is api over a cache the test holds.
func cacheAPI(c *SignerCache) (http.Handler, func() []string) {
	logger, reasons := adaptertest.Reasons()
	mw := Middleware(nil, WithTenantLookup(apiKeyHeader, c), WithLogger(logger))
	return mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := IdentityFromContext(r.Context())
		_, _ = w.Write([]byte(id.UserID))
	})), reasons
}

// concurrently runs f(0) … f(n-1) at once and returns their answers.
func concurrently(n int, f func(i int) int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i] = f(i) })
	}
	wg.Wait()
	return out
}

func count(codes []int, code int) (n int) {
	for _, c := range codes {
		if c == code {
			n++
		}
	}
	return n
}

// Scenario 1: a deploy or restart meets 300 active tenants at once. Before
// the rebuild, 197 of 300 were refused: the first 100 loads spent the load
// rate and the rest were refused without waiting. Loads that find a tenant
// are not budgeted now.
func TestCachedLookupScenarioColdStartOf300Tenants(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 300
		db := tenants(n)
		cache := NewSignerCache(db.load, WithCacheClock(time.Now))
		h, reasons := cacheAPI(cache)

		codes := concurrently(n, func(i int) int {
			return status(h, signedRequest(tenantKey(i), tenantSecret(i, 1), "alice"))
		})
		assert.Equal(t, n, count(codes, http.StatusOK), "0 refusals")
		assert.Empty(t, reasons())
		st := cache.Stats()
		assert.Equal(t, uint64(n), st.Loads)
		assert.Zero(t, st.RateLimited)
		assert.Equal(t, n, st.KnownKeys)
	})
}

// Scenario 2: one tenant's secret is revoked and pushed with Invalidate;
// then every tenant sends a request. Before the rebuild the only push was
// dropping the whole cache, and 199 of 300 were refused.
func TestCachedLookupScenarioInvalidateOneThen300Requests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, rotated = 300, 7
		db := tenants(n)
		cache := NewSignerCache(db.load, WithCacheClock(time.Now))
		h, reasons := cacheAPI(cache)
		warm := concurrently(n, func(i int) int {
			return status(h, signedRequest(tenantKey(i), tenantSecret(i, 1), "alice"))
		})
		require.Equal(t, n, count(warm, http.StatusOK))

		db.set(tenantKey(rotated), tenantSecret(rotated, 2))
		cache.Invalidate(tenantKey(rotated))
		codes := concurrently(n, func(i int) int {
			version := 1
			if i == rotated {
				version = 2
			}
			return status(h, signedRequest(tenantKey(i), tenantSecret(i, version), "alice"))
		})
		assert.Equal(t, n, count(codes, http.StatusOK), "0 refusals, the rotated tenant on its new secret")
		assert.Equal(t, http.StatusUnauthorized, status(h, signedRequest(tenantKey(rotated), tenantSecret(rotated, 1), "alice")),
			"the revoked secret stops at once")
		assert.Equal(t, []string{ReasonInvalid}, reasons())
		assert.Equal(t, uint64(n+1), cache.Stats().Loads, "one reload, for the invalidated key")
	})
}

// Scenario 3: a real tenant not yet cached tries once every half second
// during a flood of 10,000 random API keys per second. Before the rebuild
// it was refused 20 times out of 20. Now a tenant the cache never saw is
// refused at most once (its first ask meets the spent budget; its retry
// takes the second lane, which one-off junk keys never reach), and one the
// cache knew (loaded before, then invalidated) never.
func TestCachedLookupScenarioRealTenantDuringAFlood(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := tenants(2) // pk_0 is known before the flood, pk_1 is not
		cache := NewSignerCache(db.load, WithCacheClock(time.Now))
		h, reasons := cacheAPI(cache)
		require.Equal(t, http.StatusOK, status(h, signedRequest(tenantKey(0), tenantSecret(0, 1), "alice")))
		baseLoads := db.loads.Load()

		ctx, stopFlood := context.WithCancel(context.Background())
		var junk sync.WaitGroup
		var junkSent atomic.Int64
		go func() {
			for i := 0; ctx.Err() == nil; i++ {
				junk.Go(func() { _, _ = cache.Signer(ctx, fmt.Sprintf("pk_junk_%d", i)) })
				junkSent.Add(1)
				time.Sleep(100 * time.Microsecond) // 10,000 per second
			}
		}()

		const tries = 20
		var newCodes, knownCodes []int
		start := time.Now()
		for range tries {
			time.Sleep(500 * time.Millisecond)
			newCodes = append(newCodes, status(h, signedRequest(tenantKey(1), tenantSecret(1, 1), "bob")))
			cache.Invalidate(tenantKey(0)) // known, but not cached
			knownCodes = append(knownCodes, status(h, signedRequest(tenantKey(0), tenantSecret(0, 1), "alice")))
		}
		elapsed := time.Since(start)
		stopFlood()
		junk.Wait()
		time.Sleep(defaultCacheLoadWait + time.Second) // the flights the flood left end; time stops when this function returns

		t.Logf("%d junk keys over %v: %d loads; the new tenant served %d of %d tries, the known one %d of %d",
			junkSent.Load(), elapsed, db.loads.Load()-baseLoads, count(newCodes, http.StatusOK), tries, count(knownCodes, http.StatusOK), tries)
		assert.GreaterOrEqual(t, count(newCodes, http.StatusOK), tries-1, "refused at most on its first ask")
		assert.Equal(t, tries, count(knownCodes, http.StatusOK), "a known tenant is never refused")
		for _, r := range reasons() {
			assert.Equal(t, ReasonRateLimited, r, "the only refusal is the budget's, and it says so")
		}
		seconds := elapsed.Seconds()
		// The rate over the flood and the drain of the waits it left, its
		// burst, the tenants' loads, and the loads under way at the onset.
		maxLoads := float64(defaultCacheLoadRate)*(seconds+defaultCacheLoadWait.Seconds()+1) + 2*tries + 50
		assert.LessOrEqual(t, float64(db.loads.Load()-baseLoads), maxLoads, "the flood costs the database the load rate")
		assert.Greater(t, cache.Stats().RateLimited, uint64(junkSent.Load()/2), "most junk is refused without a load")
	})
}

// Scenario 4: 100,000 tenants accessed at random, 1,000 requests a second,
// with the defaults (10,000 entries, 100 budgeted loads a second). Before
// the rebuild 99.7% of requests were refused, for good. The working set
// does not fit the cache, so most requests cost a load, but none is
// refused: a load that finds a tenant is not budgeted, and a tenant loaded
// once reloads outside the budget after its eviction.
func TestCachedLookupScenario100kTenantsAtRandom(t *testing.T) {
	const n, perSecond = 100_000, 1000
	seconds := 30
	if testing.Short() {
		seconds = 5
	}
	synctest.Test(t, func(t *testing.T) {
		signer, err := usersig.New(usersig.Proficient(), []byte(tenantSecret(0, 1)))
		require.NoError(t, err)
		var loads atomic.Int64
		load := func(ctx context.Context, key string) (*usersig.Signer, error) {
			loads.Add(1)
			time.Sleep(dbLatency)
			var i int
			if _, err := fmt.Sscanf(key, "pk_%d", &i); err != nil || i < 0 || i >= n {
				return nil, nil
			}
			return signer, nil // one Signer for all: the cache does not look inside
		}
		cache := NewSignerCache(load, WithCacheClock(time.Now))
		rng := rand.New(rand.NewPCG(1, 2))
		var refused, served atomic.Int64
		var wg sync.WaitGroup
		for range seconds * perSecond {
			key := tenantKey(rng.IntN(n))
			wg.Go(func() {
				if s, err := cache.Signer(context.Background(), key); err != nil || s == nil {
					refused.Add(1)
				} else {
					served.Add(1)
				}
			})
			time.Sleep(time.Second / perSecond)
		}
		wg.Wait()
		st := cache.Stats()
		total := refused.Load() + served.Load()
		t.Logf("100k tenants at random, %d requests over %ds with the defaults: %d refused (%.2f%%), %d loads, hit ratio %.1f%%, %d entries, %d known keys",
			total, seconds, refused.Load(), 100*float64(refused.Load())/float64(total), loads.Load(),
			100*float64(st.Hits)/float64(st.Hits+st.Misses), st.Entries, st.KnownKeys)
		assert.Zero(t, refused.Load(), "no tenant is refused")
		assert.Zero(t, st.RateLimited)
	})
}

// A tenant whose reload fails for a transient reason (the database is
// down) is served its last good Signer, retried once per miss TTL, until
// the stale-if-error window ends; then it is refused as a failed load.
func TestSignerCacheServesStaleIfError(t *testing.T) {
	clock := newFakeClock()
	db := &tenantDB{secrets: map[string]string{"pk_one": secretV1}, fail: map[string]error{}}
	c := NewSignerCache(db.load, WithCacheClock(clock.Now), WithCacheTTL(time.Minute), WithCacheStaleIfError(time.Minute), WithCacheMissTTL(5*time.Second))
	good, err := c.Signer(context.Background(), "pk_one")
	require.NoError(t, err)

	dbDown := fmt.Errorf("dial tcp: connection refused")
	db.mu.Lock()
	db.fail["pk_one"] = dbDown
	db.mu.Unlock()
	clock.Advance(time.Minute) // the TTL ends
	for range 10 {
		s, err := c.Signer(context.Background(), "pk_one")
		require.NoError(t, err, "served stale rather than refused")
		assert.Same(t, good, s)
	}
	assert.Equal(t, int64(2), db.loads.Load(), "one failed reload, then none until the miss TTL")
	clock.Advance(5 * time.Second)
	_, err = c.Signer(context.Background(), "pk_one")
	require.NoError(t, err)
	assert.Equal(t, int64(3), db.loads.Load(), "retried once per miss TTL")
	st := c.Stats()
	assert.Equal(t, uint64(11), st.StaleServed)
	assert.Equal(t, uint64(2), st.LoadErrors)

	clock.Advance(55 * time.Second) // TTL + stale-if-error have passed
	_, err = c.Signer(context.Background(), "pk_one")
	assert.ErrorIs(t, err, ErrLoadFailed)
	assert.ErrorIs(t, err, dbDown)
	assert.Equal(t, ReasonError, Reason(err))
}

// Stale-if-error never outlives a tenant the loader says is gone, nor an
// Invalidate: a revocation pushed during an outage holds.
func TestSignerCacheStaleEndsWithUnknownOrInvalidate(t *testing.T) {
	for _, end := range []string{"unknown", "invalidate"} {
		t.Run(end, func(t *testing.T) {
			clock := newFakeClock()
			db := &tenantDB{secrets: map[string]string{"pk_one": secretV1}, fail: map[string]error{}}
			c := NewSignerCache(db.load, WithCacheClock(clock.Now), WithCacheTTL(time.Minute))
			_, err := c.Signer(context.Background(), "pk_one")
			require.NoError(t, err)
			db.mu.Lock()
			if end == "unknown" {
				db.fail["pk_one"] = fmt.Errorf("tenant deleted: %w", ErrUnknownSigner)
				clock.Advance(time.Minute)
			} else {
				db.fail["pk_one"] = fmt.Errorf("connection refused")
				c.Invalidate("pk_one")
			}
			db.mu.Unlock()
			s, err := c.Signer(context.Background(), "pk_one")
			assert.Nil(t, s)
			assert.Error(t, err)
			assert.Zero(t, c.Stats().StaleServed)
		})
	}
}

// A load under way when Invalidate is called may return the secret just
// revoked: it is not stored, and a request after Invalidate does not join it.
func TestSignerCacheInvalidateDuringALoad(t *testing.T) {
	old, fresh := newCacheTestSigner(t), newCacheTestSigner(t)
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	c := NewSignerCache(func(ctx context.Context, key string) (*usersig.Signer, error) {
		if calls.Add(1) == 1 {
			close(started)
			<-release
			return old, nil
		}
		return fresh, nil
	})
	first := make(chan *usersig.Signer)
	go func() {
		s, _ := c.Signer(context.Background(), "pk_one")
		first <- s
	}()
	<-started
	c.Invalidate("pk_one")
	s, err := c.Signer(context.Background(), "pk_one")
	require.NoError(t, err)
	assert.Same(t, fresh, s, "a fresh load, not the one under way")
	close(release)
	assert.Same(t, old, <-first, "the request that asked before Invalidate gets its load")
	s, err = c.Signer(context.Background(), "pk_one")
	require.NoError(t, err)
	assert.Same(t, fresh, s, "the older load was not stored")
	assert.Equal(t, int32(2), calls.Load())
}

// A loader that ignores its context holds no request past the load
// timeout; its goroutine stays until it returns (Stats counts it), its late
// answer is dropped, and the key loads afresh after the miss TTL.
func TestSignerCacheHungLoaderIsAbandoned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var calls atomic.Int32
		tenant := newCacheTestSigner(t)
		c := NewSignerCache(func(context.Context, string) (*usersig.Signer, error) {
			if calls.Add(1) == 1 {
				<-release // ignores its context
				return nil, fmt.Errorf("late")
			}
			return tenant, nil
		}, WithCacheClock(time.Now), WithCacheLoadTimeout(3*time.Second))

		start := time.Now()
		_, err := c.Signer(context.Background(), "pk_one")
		assert.Equal(t, 3*time.Second, time.Since(start), "held for the load timeout, not for ever")
		assert.ErrorIs(t, err, ErrLoadTimeout)
		assert.ErrorIs(t, err, ErrLoadFailed)
		assert.Equal(t, ReasonLoadTimeout, Reason(err))
		st := c.Stats()
		assert.Equal(t, int64(1), st.LoadsRunning, "the abandoned loader's goroutine")
		assert.Equal(t, uint64(1), st.LoadTimeouts)

		time.Sleep(defaultCacheMissTTL)
		s, err := c.Signer(context.Background(), "pk_one")
		require.NoError(t, err, "a fresh load after the abandoned one")
		assert.Same(t, tenant, s)

		close(release)
		synctest.Wait()
		assert.Zero(t, c.Stats().LoadsRunning)
		s, err = c.Signer(context.Background(), "pk_one")
		require.NoError(t, err)
		assert.Same(t, tenant, s, "the late answer was dropped")
	})
}

// A request waits for a token rather than being refused, bounded by its
// own context as well as by WithCacheLoadWait.
func TestSignerCacheWaitsForTheBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := tenants(1)
		c := NewSignerCache(db.load, WithCacheClock(time.Now), WithCacheLoadRate(1), WithCacheLoadWait(1500*time.Millisecond))
		_, err := c.Signer(context.Background(), "pk_junk_1") // spends the one token, after its load
		require.ErrorIs(t, err, ErrUnknownSigner)

		start := time.Now()
		s, err := c.Signer(context.Background(), tenantKey(0))
		require.NoError(t, err, "waited for the token")
		assert.NotNil(t, s)
		waited := time.Since(start)
		assert.True(t, waited >= time.Second-dbLatency && waited <= time.Second+dbLatency, "the token's wait and the load: %v", waited)

		_, _ = c.Signer(context.Background(), "pk_junk_2") // the next token, after a wait
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err = c.Signer(ctx, "pk_junk_3")
		assert.ErrorIs(t, err, context.DeadlineExceeded, "the request's own deadline ends its wait")

		_, err = c.Signer(context.Background(), "pk_junk_4")
		assert.ErrorIs(t, err, ErrRateLimited, "past the load wait: refused")
		assert.Equal(t, ReasonRateLimited, Reason(err))
		time.Sleep(2 * time.Second) // pk_junk_3's load, which went on without its request
	})
}

// Behind the middleware, a load past its timeout is logged "load-timeout",
// apart from a failing loader's "error" and an unknown key's
// "unknown-signer".
func TestCachedLookupLogsLoadTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		load := func(ctx context.Context, key string) (*usersig.Signer, error) {
			if key == "pk_slow" {
				<-release // ignores its context
			}
			return nil, nil
		}
		logger, reasons := adaptertest.Reasons()
		h := Middleware(nil, WithSignerLookup(CachedLookup(apiKeyHeader, load, WithCacheClock(time.Now), WithCacheLoadTimeout(time.Second))),
			WithLogger(logger))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("the handler ran") }))
		assert.Equal(t, http.StatusUnauthorized, status(h, signedRequest("pk_slow", secretV1, "alice")))
		assert.Equal(t, http.StatusUnauthorized, status(h, signedRequest("pk_nobody", secretV1, "alice")))
		assert.Equal(t, []string{ReasonLoadTimeout, ReasonUnknownSigner}, reasons())
		close(release)
	})
}

// A burst of junk keys all sent at one instant cannot pass before the first
// of them is charged: the loads not yet paid for run at most the rate at
// once, so the burst costs the loader about two seconds' worth of the rate
// (the unpaid burst, then the tokens the waits reach), not one load a key.
func TestSignerCacheBurstOfJunkKeysIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const burst = 5000
		db := tenants(0)
		cache := NewSignerCache(db.load, WithCacheClock(time.Now))
		codes := concurrently(burst, func(i int) int {
			_, err := cache.Signer(context.Background(), fmt.Sprintf("pk_junk_%d", i))
			if errors.Is(err, ErrRateLimited) {
				return http.StatusTooManyRequests
			}
			return http.StatusUnauthorized
		})
		t.Logf("%d junk keys at once: %d loads, %d refused by the budget", burst, db.loads.Load(), count(codes, http.StatusTooManyRequests))
		assert.LessOrEqual(t, db.loads.Load(), int64(3*defaultCacheLoadRate))
		assert.Equal(t, burst-int(db.loads.Load()), count(codes, http.StatusTooManyRequests), "every other key refused")
	})
}

// A loader that calls runtime.Goexit (t.FailNow in a test loader does)
// fails its load like a panic, and holds nobody.
func TestSignerCacheLoaderGoexitFailsItsLoad(t *testing.T) {
	c := NewSignerCache(func(context.Context, string) (*usersig.Signer, error) {
		runtime.Goexit()
		return nil, nil
	})
	_, err := c.Signer(context.Background(), "pk_one")
	assert.ErrorIs(t, err, ErrLoadFailed)
	assert.NotErrorIs(t, err, ErrLoadTimeout)
	assert.Equal(t, ReasonError, Reason(err))
}
