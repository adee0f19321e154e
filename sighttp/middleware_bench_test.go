package sighttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// mwDiscard is a ResponseWriter that allocates nothing, so the numbers below
// are the middleware's own.
type mwDiscard struct{ h http.Header }

func (d *mwDiscard) Header() http.Header         { return d.h }
func (d *mwDiscard) Write(p []byte) (int, error) { return len(p), nil }
func (d *mwDiscard) WriteHeader(int)             {}

// mwSink keeps the identity alive so the handler's work is not optimised away.
var mwSink usersig.Identity

var mwBenchNext = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	id, _ := sighttp.IdentityFromContext(r.Context())
	mwSink = id
})

func mwBenchRequest(headers ...[2]string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/api/inbox", nil)
	for _, h := range headers {
		r.Header.Set(h[0], h[1])
	}
	return r
}

// BenchmarkMiddleware compares, in one run, the protected handler alone, the
// Signer's Verify alone, and the middleware around the handler on a valid
// request: the middleware's cost is extraction, Verify and the context.
func BenchmarkMiddleware(b *testing.B) {
	s := mwSigner(b, usersig.Proficient(), mwSecret)
	r := mwBenchRequest([2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig})
	w := &mwDiscard{h: http.Header{}}

	b.Run("bare_handler", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			mwBenchNext.ServeHTTP(w, r)
		}
	})
	b.Run("verify_only", func(b *testing.B) {
		id := usersig.Identity{UserID: mwUserID}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := s.Verify(id, mwNodeSig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("context_only", func(b *testing.B) {
		// The floor any context-carrying middleware pays in net/http.
		type key struct{}
		id := &usersig.Identity{UserID: mwUserID}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			mwBenchNext.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, id)))
		}
	})
	b.Run("middleware", func(b *testing.B) {
		h := sighttp.Middleware(s)(mwBenchNext)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			h.ServeHTTP(w, r)
		}
		if mwSink.UserID != mwUserID {
			b.Fatal("request not verified")
		}
	})
	b.Run("middleware_lookup", func(b *testing.B) {
		lookup := sighttp.SignersByHeader(hdrProfKey, map[string]*usersig.Signer{"pk_acme": s})
		h := sighttp.Middleware(nil, sighttp.WithSignerLookup(lookup))(mwBenchNext)
		r := mwBenchRequest([2]string{hdrProfKey, "pk_acme"}, [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			h.ServeHTTP(w, r)
		}
	})
	b.Run("middleware_rejects", func(b *testing.B) {
		h := sighttp.Middleware(s)(mwBenchNext)
		r := mwBenchRequest([2]string{hdrProfID, "alice"}, [2]string{hdrProfSig, mwNodeSig})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			w.h = http.Header{}
			h.ServeHTTP(w, r)
		}
	})
	b.Run("middleware_parallel", func(b *testing.B) {
		h := sighttp.Middleware(s)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := mwBenchRequest([2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig})
			w := &mwDiscard{h: http.Header{}}
			for pb.Next() {
				h.ServeHTTP(w, r)
			}
		})
	})
}

// TestMiddlewareAllocations pins the valid path to what net/http needs to
// carry the identity: the request copy of r.WithContext, and the one
// context that holds the Identity and its strings. Reading the credential
// allocates nothing.
func TestMiddlewareAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	r := mwBenchRequest([2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig})
	w := &mwDiscard{h: http.Header{}}

	h := sighttp.Middleware(s)(mwBenchNext)
	h.ServeHTTP(w, r)
	require.Equal(t, mwUserID, mwSink.UserID)
	assert.LessOrEqual(t, testing.AllocsPerRun(200, func() { h.ServeHTTP(w, r) }), 2.0)

	lookup := sighttp.SignersByHeader(hdrProfKey, map[string]*usersig.Signer{"pk_acme": s})
	hl := sighttp.Middleware(nil, sighttp.WithSignerLookup(lookup))(mwBenchNext)
	rl := mwBenchRequest([2]string{hdrProfKey, "pk_acme"}, [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig})
	hl.ServeHTTP(w, rl)
	assert.LessOrEqual(t, testing.AllocsPerRun(200, func() { hl.ServeHTTP(w, rl) }), 2.0)
}
