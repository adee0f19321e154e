package fibersig_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/fibersig"
	"github.com/usersig/usersig/internal/adaptertest"
	"github.com/usersig/usersig/internal/refusal"
	"github.com/usersig/usersig/sighttp"
	"github.com/valyala/fasthttp"
)

// app mounts mw in front of a handler that reports what fibersig.Identity
// says to p, after checking that the UserContext says the same.
func app(t *testing.T, mw fiber.Handler, p *adaptertest.Probe, cfg ...fiber.Config) *fiber.App {
	a := fiber.New(cfg...)
	a.Use(mw)
	a.Get("/api", func(c *fiber.Ctx) error {
		id, ok := fibersig.Identity(c)
		fromCtx, okCtx := sighttp.IdentityFromContext(c.UserContext())
		assert.Equal(t, ok, okCtx, "c.Locals and the UserContext agree")
		assert.Equal(t, id, fromCtx)
		p.Saw(id, ok)
		return c.SendString("ok")
	})
	return a
}

// serve sends requests through fiber's own test client, bounded.
func serve(t *testing.T, a *fiber.App) adaptertest.Do {
	return func(r *http.Request) *http.Response {
		res, err := a.Test(r, 5000)
		require.NoError(t, err)
		return res
	}
}

func TestMiddleware(t *testing.T) {
	var p adaptertest.Probe
	logger, reasons := adaptertest.Reasons()
	a := app(t, fibersig.Middleware(adaptertest.Signer(t), fibersig.WithLogger(logger)), &p)
	adaptertest.Run(t, serve(t, a), "/api", &p, reasons)
}

// sighttp logs the same reason words for the same requests: the two
// mappings cannot drift.
func TestReasonsMatchSighttp(t *testing.T) {
	fiberLog, fiberReasons := adaptertest.Reasons()
	httpLog, httpReasons := adaptertest.Reasons()
	a := fiber.New()
	a.Use(fibersig.Middleware(adaptertest.Signer(t), fibersig.WithLogger(fiberLog)))
	a.Get("/api", func(c *fiber.Ctx) error { return nil })
	h := sighttp.Middleware(adaptertest.Signer(t), sighttp.WithLogger(httpLog))(http.NotFoundHandler())
	for _, c := range adaptertest.Refused() {
		serve(t, a)(adaptertest.Request(c, "/api"))
		h.ServeHTTP(discard{}, adaptertest.Request(c, "/api"))
		assert.Equal(t, httpReasons(), fiberReasons(), c.Name)
	}
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

func TestMiddlewareReportOnly(t *testing.T) {
	var p adaptertest.Probe
	logger, reasons := adaptertest.Reasons()
	a := app(t, fibersig.Middleware(adaptertest.Signer(t), fibersig.WithUnsignedAllowed(), fibersig.WithLogger(logger)), &p)
	adaptertest.RunReportOnly(t, serve(t, a), "/api", &p)
	assert.Contains(t, reasons(), refusal.Unsigned)
}

// With fiber's header normalising off, "x-user-signature" and
// "X-User-Signature" are two headers to fasthttp, and still one name twice
// to the middleware.
func TestDuplicateInTwoCases(t *testing.T) {
	var p adaptertest.Probe
	a := app(t, fibersig.Middleware(adaptertest.Signer(t)), &p, fiber.Config{DisableHeaderNormalizing: true})
	do := serve(t, a)

	r := adaptertest.Request(adaptertest.Valid(), "/api")
	sig := r.Header.Get(adaptertest.HeaderSignature)
	r.Header["x-user-signature"] = []string{sig}
	adaptertest.AssertRefused(t, do(r))
	calls, _, _ := p.Take()
	assert.Zero(t, calls)

	// Lower-case names alone are read: matching ignores case.
	r = adaptertest.Request(adaptertest.Valid(), "/api")
	for k, v := range r.Header {
		delete(r.Header, k)
		r.Header[lower(k)] = v
	}
	assert.Equal(t, http.StatusOK, do(r).StatusCode)
	calls, id, ok := p.Take()
	assert.Equal(t, 1, calls)
	assert.True(t, ok)
	assert.Equal(t, "alice", id.UserID)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// A later handler is part of the chain the refusal stops, and a handler
// before sees no identity.
func TestMiddlewareStopsTheChain(t *testing.T) {
	after := 0
	a := fiber.New()
	a.Use(func(c *fiber.Ctx) error {
		_, ok := fibersig.Identity(c)
		assert.False(t, ok)
		return c.Next()
	})
	a.Use(fibersig.Middleware(adaptertest.Signer(t)))
	a.Use(func(c *fiber.Ctx) error { after++; return c.Next() })
	a.Get("/api", func(c *fiber.Ctx) error { return c.SendString("ok") })
	adaptertest.AssertRefused(t, serve(t, a)(adaptertest.Request(adaptertest.RefusedCase("missing"), "/api")))
	assert.Zero(t, after)
}

func TestWithErrorHandler(t *testing.T) {
	var p adaptertest.Probe
	var got error
	mw := fibersig.Middleware(adaptertest.Signer(t), fibersig.WithErrorHandler(func(c *fiber.Ctx, err error) error {
		got = err
		return fiber.ErrForbidden
	}))
	res := serve(t, app(t, mw, &p))(adaptertest.Request(adaptertest.RefusedCase("other user's"), "/api"))
	assert.Equal(t, http.StatusForbidden, res.StatusCode, "fiber's ErrorHandler answers the returned error")
	assert.ErrorIs(t, got, usersig.ErrInvalidSignature)
	calls, _, _ := p.Take()
	assert.Zero(t, calls)
}

func TestLookupByHeader(t *testing.T) {
	s := adaptertest.Signer(t)
	dbDown := errors.New("database down")
	find := func(_ context.Context, key string) (*usersig.Signer, error) {
		switch key {
		case "pk_alice":
			return s, nil
		case "pk_broken":
			return nil, dbDown
		}
		return nil, nil
	}
	var p adaptertest.Probe
	logger, reasons := adaptertest.Reasons()
	mw := fibersig.Middleware(nil, fibersig.WithSignerLookup(fibersig.LookupByHeader("X-Api-Key", find)), fibersig.WithLogger(logger))
	do := serve(t, app(t, mw, &p))

	withKey := func(keys ...string) *http.Request {
		r := adaptertest.Request(adaptertest.Valid(), "/api")
		for _, k := range keys {
			r.Header.Add("X-Api-Key", k)
		}
		return r
	}
	assert.Equal(t, http.StatusOK, do(withKey("pk_alice")).StatusCode)
	calls, id, _ := p.Take()
	assert.Equal(t, 1, calls)
	assert.Equal(t, "alice", id.UserID)
	assert.Empty(t, reasons())

	for _, c := range []struct {
		name   string
		r      *http.Request
		reason string
	}{
		{"no key", withKey(), refusal.UnknownSigner},
		{"unknown key", withKey("pk_nobody"), refusal.UnknownSigner},
		{"loader fails", withKey("pk_broken"), refusal.Error},
		{"key twice", withKey("pk_alice", "pk_alice"), refusal.Duplicate},
	} {
		adaptertest.AssertRefused(t, do(c.r))
		calls, _, _ := p.Take()
		assert.Zero(t, calls, c.name)
		assert.Equal(t, []string{c.reason}, reasons(), c.name)
	}
}

func TestConstructionPanics(t *testing.T) {
	s := adaptertest.Signer(t)
	assert.Panics(t, func() { fibersig.Middleware(nil) })
	assert.Panics(t, func() { fibersig.Middleware(s, nil) })
	assert.Panics(t, func() { fibersig.Middleware(s, fibersig.WithSignerLookup(nil)) })
	assert.Panics(t, func() { fibersig.Middleware(s, fibersig.WithErrorHandler(nil)) })
	assert.Panics(t, func() {
		fibersig.LookupByHeader("", func(context.Context, string) (*usersig.Signer, error) { return nil, nil })
	})
	assert.NotPanics(t, func() { fibersig.Middleware(s, fibersig.WithLogger(nil)) })
}

func TestIdentityWithoutMiddleware(t *testing.T) {
	var p adaptertest.Probe
	a := fiber.New()
	a.Get("/api", func(c *fiber.Ctx) error {
		id, ok := fibersig.Identity(c)
		p.Saw(id, ok)
		return nil
	})
	serve(t, a)(adaptertest.Request(adaptertest.Valid(), "/api"))
	calls, _, ok := p.Take()
	require.Equal(t, 1, calls)
	assert.False(t, ok)
	_, ok = fibersig.Identity(nil)
	assert.False(t, ok)
}

func BenchmarkMiddleware(b *testing.B) {
	a := fiber.New()
	a.Use(fibersig.Middleware(adaptertest.Signer(b)))
	a.Get("/api", func(c *fiber.Ctx) error { return nil })
	h := a.Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/api")
	ctx.Request.Header.Set(adaptertest.HeaderUserID, "alice")
	ctx.Request.Header.Set(adaptertest.HeaderExpires, "2026-06-01T13:00:00.000Z")
	ctx.Request.Header.Set(adaptertest.HeaderSignature, adaptertest.Sign("alice", "2026-06-01T13:00:00.000Z"))
	b.ReportAllocs()
	for b.Loop() {
		h(&ctx)
		if ctx.Response.StatusCode() != http.StatusOK {
			b.Fatal(ctx.Response.StatusCode())
		}
	}
}
