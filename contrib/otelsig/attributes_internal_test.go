package otelsig

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/sighttp"
)

func TestSecretLabels(t *testing.T) {
	for i, want := range []string{"current", "previous-1", "previous-2", "previous-3", "previous-4+"} {
		assert.Equal(t, want, secretLabel(int8(i)))
	}
	for secret, want := range map[int]int8{-1: -1, 0: 0, 1: 1, 3: 3, 4: 4, 5: 4, 1 << 30: 4} {
		assert.Equal(t, want, keyOf(sighttp.Decision{Outcome: sighttp.Accepted, Secret: secret}, false).secret, secret)
	}
	for _, o := range []sighttp.Outcome{sighttp.Rejected, sighttp.Unsigned, 0} {
		assert.Equal(t, int8(-1), keyOf(sighttp.Decision{Outcome: o, Secret: 2}, false).secret, o.String())
	}
}

// Past maxCachedAttrs new combinations are built per call and not kept:
// the cache stays bounded whatever the tenants, and every answer is right.
func TestAttrCacheBounded(t *testing.T) {
	var c attrCache
	for i := range maxCachedAttrs + 100 {
		tenant := "tenant-" + strconv.Itoa(i)
		a := c.get(keyOf(sighttp.Decision{Outcome: sighttp.Accepted, Tenant: tenant, Secret: 0}, true))
		require.Len(t, a.measure, 1)
		assert.Contains(t, a.span, TenantKey.String(tenant))
	}
	assert.Len(t, *c.read.Load(), maxCachedAttrs)
	assert.Empty(t, c.pending)
	// A kept combination is the same value each time; one past the bound
	// is built anew.
	k := keyOf(sighttp.Decision{Outcome: sighttp.Accepted, Tenant: "tenant-0", Secret: 0}, true)
	assert.Same(t, c.get(k), c.get(k))
	over := keyOf(sighttp.Decision{Outcome: sighttp.Accepted, Tenant: "tenant-" + strconv.Itoa(maxCachedAttrs), Secret: 0}, true)
	assert.NotSame(t, c.get(over), c.get(over))
	assert.Equal(t, c.get(over), c.get(over))
}

// A key read again is promoted to the lock-free map soon, even when no
// other key comes to fill pending.
func TestAttrCachePromotesOnReads(t *testing.T) {
	var c attrCache
	tenant := func(i int) key {
		return keyOf(sighttp.Decision{Outcome: sighttp.Rejected, Reason: "invalid", Tenant: "t" + strconv.Itoa(i), Secret: -1}, true)
	}
	for i := range 100 {
		c.get(tenant(i))
	}
	late := tenant(100)
	first := c.get(late)
	waiting := len(c.pending)
	require.Positive(t, waiting)
	for range waiting {
		assert.Same(t, first, c.get(late))
	}
	_, promoted := (*c.read.Load())[late]
	assert.True(t, promoted, "still pending after %d reads", waiting)
	assert.Empty(t, c.pending)
	assert.Len(t, *c.read.Load(), 101)
}
