package fibersig_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/fibersig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
	"github.com/valyala/fasthttp"
)

// handler returns the handler of a fiber app with mw in front of an empty
// GET /api, and the valid request to it, ready to be served in place.
func handler(mw ...fiber.Handler) (fasthttp.RequestHandler, *fasthttp.RequestCtx) {
	a := fiber.New()
	for _, h := range mw {
		a.Use(h)
	}
	a.Get("/api", func(c *fiber.Ctx) error { return nil })
	ctx := new(fasthttp.RequestCtx)
	ctx.Request.SetRequestURI("/api")
	for name, vs := range sighttptest.Valid().Header {
		ctx.Request.Header.Set(name, vs[0])
	}
	return a.Handler(), ctx
}

// BenchmarkFiber is fibersig's cost on an accepted request against the
// same fiber app without it (bare), in one run; the difference is the
// adapter's, including the HMAC (verify_only is that alone).
func BenchmarkFiber(b *testing.B) {
	s := sighttptest.Signer(b)
	run := func(b *testing.B, mw ...fiber.Handler) {
		h, ctx := handler(mw...)
		b.ReportAllocs()
		for b.Loop() {
			h(ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatal(ctx.Response.StatusCode())
			}
		}
	}
	cred := usersig.Credential{UserID: "alice", Expires: "2026-06-01T13:00:00.000Z", Signature: sighttptest.Sign("alice", "2026-06-01T13:00:00.000Z")}
	b.Run("bare", func(b *testing.B) { run(b) })
	b.Run("verify_only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Authenticate(cred); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fibersig", func(b *testing.B) { run(b, fibersig.Middleware(s)) })
	b.Run("fibersig_observed", func(b *testing.B) {
		run(b, fibersig.Middleware(s, sighttp.WithObserver(func(context.Context, sighttp.Decision) {})))
	})
}
