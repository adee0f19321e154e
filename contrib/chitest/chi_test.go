package chitest_test

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

func router(mw func(http.Handler) http.Handler, p *sighttptest.Probe) http.Handler {
	r := chi.NewRouter()
	r.Use(mw)
	r.Get("/api", func(w http.ResponseWriter, r *http.Request) {
		id, ok := sighttp.IdentityFromContext(r.Context())
		p.Saw(id, ok)
		_, _ = w.Write([]byte("ok"))
	})
	return r
}

func TestChiUse(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return sighttptest.HTTP(sighttptest.Serve(router(sighttp.Middleware(sighttptest.Signer(t), opts...), p)), "/api")
	})
}
