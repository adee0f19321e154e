package chitest_test

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// BenchmarkChi is sighttp.Middleware's cost on an accepted request in a
// chi router, and in a bare net/http ServeMux, against each bare, in one
// run.
func BenchmarkChi(b *testing.B) {
	ok := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }
	chiRouter := func(mw ...func(http.Handler) http.Handler) http.Handler {
		r := chi.NewRouter()
		r.Use(mw...)
		r.Get("/api", ok)
		return r
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api", ok)
	b.Run("nethttp_bare", func(b *testing.B) { sighttptest.Bench(b, mux) })
	b.Run("nethttp_sighttp", func(b *testing.B) { sighttptest.Bench(b, sighttp.Middleware(sighttptest.Signer(b))(mux)) })
	b.Run("chi_bare", func(b *testing.B) { sighttptest.Bench(b, chiRouter()) })
	b.Run("chi_sighttp", func(b *testing.B) { sighttptest.Bench(b, chiRouter(sighttp.Middleware(sighttptest.Signer(b)))) })
}
