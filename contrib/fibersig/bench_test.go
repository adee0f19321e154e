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

// BenchmarkFiber is fibersig's cost on an accepted request against the
// same fiber app without it (bare), in one run; the difference is the
// adapter's, including the HMAC (verify_only is that alone).
func BenchmarkFiber(b *testing.B) {
	s := sighttptest.Signer(b)
	expires := "2026-06-01T13:00:00.000Z"
	sig := sighttptest.Sign("alice", expires)
	run := func(b *testing.B, mw ...fiber.Handler) {
		a := fiber.New()
		for _, h := range mw {
			a.Use(h)
		}
		a.Get("/api", func(c *fiber.Ctx) error { return nil })
		h := a.Handler()
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/api")
		ctx.Request.Header.Set(sighttptest.HeaderUserID, "alice")
		ctx.Request.Header.Set(sighttptest.HeaderExpires, expires)
		ctx.Request.Header.Set(sighttptest.HeaderSignature, sig)
		b.ReportAllocs()
		for b.Loop() {
			h(&ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatal(ctx.Response.StatusCode())
			}
		}
	}
	b.Run("bare", func(b *testing.B) { run(b) })
	b.Run("verify_only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Authenticate(usersig.Credential{UserID: "alice", Expires: expires, Signature: sig}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fibersig", func(b *testing.B) { run(b, fibersig.Middleware(s)) })
	b.Run("fibersig_observed", func(b *testing.B) {
		run(b, fibersig.Middleware(s, sighttp.WithObserver(func(context.Context, sighttp.Decision) {})))
	})
}
