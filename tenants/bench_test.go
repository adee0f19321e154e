package tenants

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/usersig/usersig"
)

// The lookup of a known tenant over 10,000 tenants, beside the floor (a
// plain map read, unsafe while anything writes) and the naive safe version
// (a map behind a sync.RWMutex); then the store and the naive version with
// RunParallel at parallelism 1 and 64 (64 goroutines per CPU), whose ns/op
// is per operation across all of them.
//
//	go test -run '^$' -bench Lookup -benchmem -benchtime 200ms ./tenants/
func BenchmarkLookup(b *testing.B) {
	ctx := context.Background()
	st := sqliteBackend(b).open(b, Options{KEK: testKEK(b, 1)})
	bulkTenants(b, st, 10_000)
	if err := st.Start(ctx); err != nil {
		b.Fatal(err)
	}
	keys := make([]string, 1024)
	plain := map[string]*usersig.Signer{}
	for i := range keys {
		keys[i] = fmt.Sprintf("bulk-%06d", i*9)
	}
	for i := range 10_000 {
		k := fmt.Sprintf("bulk-%06d", i)
		plain[k], _ = st.Signer(ctx, k)
	}
	var sink atomic.Pointer[usersig.Signer]
	b.Run("map", func(b *testing.B) {
		var s *usersig.Signer
		for i := 0; b.Loop(); i++ {
			s = plain[keys[i&1023]]
		}
		sink.Store(s)
	})
	var mu sync.RWMutex
	naive := func(k string) *usersig.Signer {
		mu.RLock()
		defer mu.RUnlock()
		return plain[k]
	}
	b.Run("rwmutex-map", func(b *testing.B) {
		var s *usersig.Signer
		for i := 0; b.Loop(); i++ {
			s = naive(keys[i&1023])
		}
		sink.Store(s)
	})
	b.Run("store", func(b *testing.B) {
		var s *usersig.Signer
		for i := 0; b.Loop(); i++ {
			s, _ = st.Signer(ctx, keys[i&1023])
		}
		sink.Store(s)
	})
	b.Run("store-unknown", func(b *testing.B) {
		for b.Loop() {
			st.Signer(ctx, "no-such-tenant")
		}
	})
	for _, g := range []int{1, 64} {
		b.Run(fmt.Sprintf("store-parallel-%d", g), func(b *testing.B) {
			b.SetParallelism(g)
			b.RunParallel(func(pb *testing.PB) {
				var s *usersig.Signer
				for i := 0; pb.Next(); i++ {
					s, _ = st.Signer(ctx, keys[i&1023])
				}
				sink.Store(s)
			})
		})
		b.Run(fmt.Sprintf("rwmutex-map-parallel-%d", g), func(b *testing.B) {
			b.SetParallelism(g)
			b.RunParallel(func(pb *testing.PB) {
				var s *usersig.Signer
				for i := 0; pb.Next(); i++ {
					s = naive(keys[i&1023])
				}
				sink.Store(s)
			})
		})
	}
}
