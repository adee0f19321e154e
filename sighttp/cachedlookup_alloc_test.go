package sighttp_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// A hit allocates nothing, for a Signer and for a remembered unknown key.
func TestSignerCacheHitAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	s, err := usersig.New(usersig.Proficient(), []byte("hsec_tenant_0123456789abcdef"))
	require.NoError(t, err)
	c := sighttp.NewSignerCache(func(_ context.Context, key string) (*usersig.Signer, error) {
		if key == "pk_acme" {
			return s, nil
		}
		return nil, nil
	})
	ctx := context.Background()
	_, _ = c.Signer(ctx, "pk_acme")
	_, _ = c.Signer(ctx, "pk_nobody")
	assert.Zero(t, testing.AllocsPerRun(1000, func() { _, _ = c.Signer(ctx, "pk_acme") }))
	assert.Zero(t, testing.AllocsPerRun(1000, func() { _, _ = c.Signer(ctx, "pk_nobody") }))
}

// Hold the cache to push a rotation or a revocation with Invalidate, and to
// read its Stats for a metrics gauge.
func ExampleSignerCache() {
	secrets := map[string]string{"pk_acme": "hsec_acme_secret_v1_0123456789"} // your database
	load := func(ctx context.Context, apiKey string) (*usersig.Signer, error) {
		secret, ok := secrets[apiKey]
		if !ok {
			return nil, nil
		}
		return usersig.New(usersig.Proficient(), []byte(secret))
	}
	cache := sighttp.NewSignerCache(load)
	verify := sighttp.Middleware(nil, sighttp.WithTenantLookup("X-PROFICIENT-API-KEY", cache))
	api := verify(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	call := func(secret string) int {
		r := httptest.NewRequest(http.MethodGet, "/api", nil)
		r.Header.Set("X-PROFICIENT-API-KEY", "pk_acme")
		r.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", "alice")
		r.Header.Set("X-PROFICIENT-USER-HMAC", proficientHash(secret, "alice"))
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		return w.Code
	}

	fmt.Println(call("hsec_acme_secret_v1_0123456789"))
	secrets["pk_acme"] = "hsec_acme_secret_v2_9876543210" // rotated in the database
	cache.Invalidate("pk_acme")                           // and pushed: no wait for the TTL
	fmt.Println(call("hsec_acme_secret_v1_0123456789"), call("hsec_acme_secret_v2_9876543210"))
	st := cache.Stats()
	fmt.Printf("hits %d, misses %d, loads %d, entries %d\n", st.Hits, st.Misses, st.Loads, st.Entries)
	// Output:
	// 200
	// 401 200
	// hits 1, misses 2, loads 2, entries 1
}

// proficientHash is Proficient's hash, computed without usersig.
func proficientHash(secret, user string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(user))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
