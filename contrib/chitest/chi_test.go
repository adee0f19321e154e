package chitest_test

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/usersig/usersig/sighttp/sighttptest"
	"github.com/usersig/usersig/sighttp"
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
	var p sighttptest.Probe
	rec := sighttptest.NewRecorder()
	r := router(sighttp.Middleware(sighttptest.Signer(t), rec.Options()...), &p)
	sighttptest.Run(t, sighttptest.HTTP(sighttptest.Serve(r), "/api"), &p, rec)
}

func TestChiUseReportOnly(t *testing.T) {
	var p sighttptest.Probe
	rec := sighttptest.NewRecorder()
	r := router(sighttp.Middleware(sighttptest.Signer(t), append(rec.Options(), sighttp.WithUnsignedAllowed())...), &p)
	sighttptest.RunReportOnly(t, sighttptest.HTTP(sighttptest.Serve(r), "/api"), &p, rec)
}
