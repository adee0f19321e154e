package chitest_test

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/usersig/usersig/internal/adaptertest"
	"github.com/usersig/usersig/sighttp"
)

func router(mw func(http.Handler) http.Handler, p *adaptertest.Probe) http.Handler {
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
	var p adaptertest.Probe
	logger, reasons := adaptertest.Reasons()
	r := router(sighttp.Middleware(adaptertest.Signer(t), sighttp.WithLogger(logger)), &p)
	adaptertest.Run(t, adaptertest.Serve(r), "/api", &p, reasons)
}

func TestChiUseReportOnly(t *testing.T) {
	var p adaptertest.Probe
	r := router(sighttp.Middleware(adaptertest.Signer(t), sighttp.WithUnsignedAllowed()), &p)
	adaptertest.RunReportOnly(t, adaptertest.Serve(r), "/api", &p)
}
