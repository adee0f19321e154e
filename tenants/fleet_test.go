package tenants

// The fleet figures of the README's "Many tenants" section. The heavy ones
// run only with USERSIG_TENANTS_LOAD=1 (and those on PostgreSQL need
// USERSIG_TEST_POSTGRES; bash .ci/postgres provides both):
//
//	USERSIG_TENANTS_LOAD=1 bash .ci/postgres go test -count=1 -run '^TestFleet' -v ./tenants/

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

func needLoad(t *testing.T) {
	if os.Getenv("USERSIG_TENANTS_LOAD") != "1" {
		t.Skip("a load test: set USERSIG_TENANTS_LOAD=1 to run it")
	}
}

// middleware is the use the package documents: the API key header picks the
// tenant (until sighttp.WithTenantLookup takes a Store directly).
func middleware(st *Store) http.Handler {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return sighttp.Middleware(nil, sighttp.WithSignerLookup(func(r *http.Request) (*usersig.Signer, error) {
		return st.Signer(r.Context(), r.Header.Get("X-Engagespot-Api-Key"))
	}), sighttp.WithExtractor(sighttp.FromHeaders(usersig.Headers{UserID: "X-Engagespot-User-Id", Signature: "X-Engagespot-User-Signature"})))(ok)
}

func signedRequest(t testing.TB, key string, secret []byte, user string) *http.Request {
	r := httptest.NewRequest("GET", "/api", nil)
	r.Header.Set("X-Engagespot-Api-Key", key)
	r.Header.Set("X-Engagespot-User-Id", user)
	r.Header.Set("X-Engagespot-User-Signature", sign(t, "engagespot", secret, usersig.Identity{UserID: user}))
	return r
}

// TestColdStart: 300 active tenants, a fresh instance, every tenant's first
// request at once: no legitimate request is refused, since Start returns
// only once the snapshot is in memory.
func TestColdStart(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		w := b.open(t, Options{KEK: testKEK(t, 1)})
		secrets := addTenants(t, w, 300)
		st := b.open(t, Options{KEK: testKEK(t, 1)})
		require.NoError(t, st.Start(ctx))
		h := middleware(st)
		var wg sync.WaitGroup
		var mu sync.Mutex
		refused := 0
		for key, secret := range secrets {
			wg.Go(func() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, signedRequest(t, key, secret, "u-"+key))
				if rec.Code != http.StatusNoContent {
					mu.Lock()
					refused++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		t.Logf("fleet cold start (%s): 300 tenants, %d of 300 first requests refused", b.name, refused)
		assert.Zero(t, refused)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, signedRequest(t, "junk", []byte("0123456789abcdef0123"), "u"))
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
	})
}

func addTenants(t testing.TB, st *Store, n int) map[string][]byte {
	out := make(map[string][]byte, n)
	for i := range n {
		key := fmt.Sprintf("tenant-%05d", i)
		s, err := st.Add(context.Background(), Tenant{Key: key, Scheme: "engagespot"})
		require.NoError(t, err)
		out[key] = s
	}
	return out
}

// TestFleetPropagation: three Stores with their own connections on one
// PostgreSQL; 200 changes (a new tenant, whose secret must verify; a
// rotation, whose new secret must verify; the revocation of the secret that
// rotation retired, which must stop verifying), each timed from the write call until all three
// answer the new way. Halfway, every LISTEN connection is killed with
// pg_terminate_backend; at the end every replica must hold exactly the
// database's state.
func TestFleetPropagation(t *testing.T) {
	needLoad(t)
	b := postgresBackend(t)
	ctx := context.Background()
	w := b.open(t, Options{KEK: testKEK(t, 1)})
	secrets := addTenants(t, w, 300)
	var fleet []*Store
	for range 3 {
		st := b.open(t, Options{KEK: testKEK(t, 1)})
		require.NoError(t, st.Start(ctx))
		fleet = append(fleet, st)
	}
	require.Eventually(t, func() bool {
		for _, st := range fleet {
			if !st.Health().Listening {
				return false
			}
		}
		return true
	}, 10*time.Second, time.Millisecond)

	var lat []time.Duration
	var prev struct {
		key    string
		secret []byte
		id     int
	}
	killed := 0
	for i := range 200 {
		if i == 100 {
			killed = killListeners(t, w.db)
		}
		start := time.Now()
		var done func(*Store) bool
		switch i % 3 {
		case 0: // a new tenant
			key := fmt.Sprintf("new-%03d", i)
			s, err := w.Add(ctx, Tenant{Key: key, Scheme: "engagespot"})
			require.NoError(t, err)
			done = func(st *Store) bool { return verifies(t, st, key, s) }
		case 1: // a rotation
			key := fmt.Sprintf("tenant-%05d", i)
			old := secrets[key]
			s, err := w.Rotate(ctx, key, time.Hour)
			require.NoError(t, err)
			prev.key, prev.secret, prev.id = key, old, 1
			done = func(st *Store) bool { return verifies(t, st, key, s) }
		case 2: // revoke the previous secret of the last rotation
			require.NoError(t, w.Revoke(ctx, prev.key, prev.id))
			done = func(st *Store) bool { return !verifies(t, st, prev.key, prev.secret) }
		}
		for _, st := range fleet {
			for !done(st) {
				if time.Since(start) > 30*time.Second {
					t.Fatalf("change %d never reached an instance", i)
				}
				time.Sleep(100 * time.Microsecond)
			}
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	t.Logf("fleet propagation: 3 instances, 200 changes: p50 %v, p99 %v, max %v; %d LISTEN connections killed at change 100",
		p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond), killed)
	assert.LessOrEqual(t, p99, time.Second)
	assert.Equal(t, 3, killed)

	// No change lost: every replica holds the database's last version
	// and each tenant's current secret id.
	var maxVersion int64
	require.NoError(t, w.db.QueryRowContext(ctx, `SELECT MAX(version) FROM usersig_tenants`).Scan(&maxVersion))
	list, err := w.List(ctx)
	require.NoError(t, err)
	for _, st := range fleet {
		require.NoError(t, st.Sync(ctx))
		assert.Equal(t, maxVersion, st.Health().Version)
		assert.Equal(t, len(list), st.Health().Tenants)
		for _, ti := range list {
			id, ok := st.SecretID(ti.Key, 0)
			assert.True(t, ok)
			assert.Equal(t, ti.Secrets[0].ID, id, ti.Key)
		}
	}
}

func killListeners(t testing.TB, db *sql.DB) int {
	var n int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+notifyChannel+`') k`).Scan(&n))
	return n
}

// TestFleetFlood: 10,000 random keys a second for 2 s against a started
// replica cost the database no query: PostgreSQL's own transaction count
// for the database does not move.
func TestFleetFlood(t *testing.T) {
	needLoad(t)
	b := postgresBackend(t)
	ctx := context.Background()
	w := b.open(t, Options{KEK: testKEK(t, 1)})
	secrets := addTenants(t, w, 300)
	st := b.open(t, Options{KEK: testKEK(t, 1), PollInterval: time.Hour})
	require.NoError(t, st.Start(ctx))
	probe, err := sql.Open("pgx", os.Getenv("USERSIG_TEST_POSTGRES"))
	require.NoError(t, err)
	defer probe.Close()
	var name string
	require.NoError(t, st.db.QueryRow(`SELECT current_database()`).Scan(&name))
	count := func() int64 {
		time.Sleep(1500 * time.Millisecond) // backends flush their statistics at most once a second
		var n int64
		require.NoError(t, probe.QueryRow(`SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1`, name).Scan(&n))
		return n
	}
	before := count()
	h := middleware(st)
	var junk [8]byte
	refusedJunk, okReal := 0, 0
	tick := time.NewTicker(time.Millisecond)
	for i := range 2000 { // 2 s of 10 random keys a millisecond, and a real tenant now and then
		<-tick.C
		for range 10 {
			rand.Read(junk[:])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, signedRequest(t, hex.EncodeToString(junk[:]), []byte("0123456789abcdef0123"), "u"))
			if rec.Code == http.StatusUnauthorized {
				refusedJunk++
			}
		}
		if i%100 == 0 {
			key := fmt.Sprintf("tenant-%05d", i/10)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, signedRequest(t, key, secrets[key], "u"))
			if rec.Code == http.StatusNoContent {
				okReal++
			}
		}
	}
	tick.Stop()
	after := count()
	t.Logf("fleet flood: 20000 random keys over 2 s: %d refused 401, %d of 20 real tenants served, %d database transactions", refusedJunk, okReal, after-before)
	assert.Equal(t, 20000, refusedJunk)
	assert.Equal(t, 20, okReal)
	assert.Zero(t, after-before)
	// The probe sees queries when there are some: one sync moves it.
	require.NoError(t, st.Sync(ctx))
	assert.Greater(t, count(), after, "the transaction count does not move: the probe measures nothing")
}

// TestFleetSnapshot100k: 100,000 tenants with one secret each load into a
// fresh instance with one snapshot query; the time and the heap it holds.
func TestFleetSnapshot100k(t *testing.T) {
	needLoad(t)
	for _, b := range []func(testing.TB) backend{sqliteBackend, postgresBackend} {
		bk := b(t)
		t.Run(bk.name, func(t *testing.T) {
			ctx := context.Background()
			w := bk.open(t, Options{KEK: testKEK(t, 1)})
			bulkTenants(t, w, 100_000)
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			st := bk.open(t, Options{KEK: testKEK(t, 1), PollInterval: time.Hour})
			cpu0 := processCPU()
			start := time.Now()
			require.NoError(t, st.Start(ctx))
			took, cpu := time.Since(start), processCPU()-cpu0
			runtime.GC()
			runtime.ReadMemStats(&m1)
			perTenant := float64(m1.HeapAlloc-m0.HeapAlloc) / 100_000
			t.Logf("fleet snapshot (%s): 100000 tenants loaded in %v (%v of this process's CPU), %.0f bytes of heap per tenant",
				bk.name, took.Round(time.Millisecond), cpu.Round(time.Millisecond), perTenant)
			assert.Equal(t, 100_000, st.Health().Tenants)
			// The CPU the load cost, not the wall clock, which a shared
			// machine stretches at will.
			assert.LessOrEqual(t, cpu, 5*time.Second)
			assert.LessOrEqual(t, perTenant, 1024.0)

			// One change among 100k: the copy-on-write map is copied whole.
			_, err := w.Rotate(ctx, "bulk-000042", 0)
			require.NoError(t, err)
			start = time.Now()
			require.NoError(t, st.Sync(ctx))
			t.Logf("fleet snapshot (%s): one rotation applied to the 100000-tenant replica in %v", bk.name, time.Since(start).Round(10*time.Microsecond))
			runtime.KeepAlive(st)
		})
	}
}

// bulkTenants writes n tenants with one sealed secret each, in large
// transactions: the rows Add would write, faster.
func bulkTenants(t testing.TB, st *Store, n int) {
	ctx := context.Background()
	dk, err := st.writeKey(ctx)
	require.NoError(t, err)
	sc, _ := usersig.LookupScheme("engagespot")
	const batch = 1000
	for lo := 0; lo < n; lo += batch {
		require.NoError(t, st.write(ctx, func(tx *sql.Tx, version int64) error {
			for i := lo; i < min(lo+batch, n); i++ {
				key := fmt.Sprintf("bulk-%06d", i)
				secret, err := NewSecret(sc)
				if err != nil {
					return err
				}
				sealed, err := dk.seal(kindSecret, key, 1, secret)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO usersig_tenants (tenant_key, scheme, created_ms, version) VALUES ($1, 'engagespot', 0, $2)`, key, version); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO usersig_secrets (tenant_key, secret_id, data_key_id, sealed, created_ms) VALUES ($1, 1, $2, $3, 0)`, key, dk.id, sealed); err != nil {
					return err
				}
			}
			return nil
		}))
	}
}
