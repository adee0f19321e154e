package sighttptest

import (
	"net/http"
	"testing"
)

// Bench serves the valid request through h for b.N iterations, with a
// response writer that allocates nothing, and fails unless each answer is
// 200: run it on the framework's router bare and with the adapter, in one
// benchmark, and the difference is the adapter's cost.
func Bench(b *testing.B, h http.Handler) {
	b.Helper()
	r := Request(Valid(), "/api")
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.code = http.StatusOK
		h.ServeHTTP(w, r)
		if w.code != http.StatusOK {
			b.Fatalf("status %d", w.code)
		}
		clear(w.h)
	}
}

type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(code int)        { d.code = code }
