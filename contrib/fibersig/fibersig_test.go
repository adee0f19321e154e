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
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// app mounts mw in front of a handler that reports what fibersig.Identity
// says to p.
func app(mw fiber.Handler, p *sighttptest.Probe, cfg ...fiber.Config) *fiber.App {
	a := fiber.New(cfg...)
	a.Use(mw)
	a.Get("/api", func(c *fiber.Ctx) error {
		p.Saw(fibersig.Identity(c))
		return c.SendString("ok")
	})
	return a
}

// serve sends requests through fiber's own test client, bounded.
func serve(t *testing.T, a *fiber.App) sighttptest.Do {
	return func(r *http.Request) *http.Response {
		res, err := a.Test(r, 5000)
		require.NoError(t, err)
		return res
	}
}

func TestMiddleware(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return sighttptest.HTTP(serve(t, app(fibersig.Middleware(sighttptest.Signer(t), opts...), p)), "/api")
	})
}

// With fiber's header normalising off, "x-user-signature" and
// "X-User-Signature" are two headers to fasthttp, and still one name twice
// to the middleware.
func TestDuplicateInTwoCases(t *testing.T) {
	var p sighttptest.Probe
	a := app(fibersig.Middleware(sighttptest.Signer(t)), &p, fiber.Config{DisableHeaderNormalizing: true})
	do := serve(t, a)
	r := sighttptest.Request(sighttptest.Valid(), "/api")
	sig := r.Header.Get(sighttptest.HeaderSignature)
	r.Header["x-user-signature"] = []string{sig}
	sighttptest.AssertRefused(t, do(r))
	calls, _, _ := p.Take()
	assert.Zero(t, calls)
	// Lower-case names alone are read: matching ignores case.
	r = sighttptest.Request(sighttptest.Valid(), "/api")
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
	a.Use(fibersig.Middleware(sighttptest.Signer(t)))
	a.Use(func(c *fiber.Ctx) error { after++; return c.Next() })
	a.Get("/api", func(c *fiber.Ctx) error { return c.SendString("ok") })
	sighttptest.AssertRefused(t, serve(t, a)(sighttptest.Request(sighttptest.RefusedCase("missing"), "/api")))
	assert.Zero(t, after)
}

func TestHandlerErrorHandler(t *testing.T) {
	var p sighttptest.Probe
	var got error
	mw := fibersig.Handler(sighttp.NewGate(sighttptest.Signer(t)), func(c *fiber.Ctx, err error) error {
		got = err
		return fiber.ErrForbidden
	})
	res := serve(t, app(mw, &p))(sighttptest.Request(sighttptest.RefusedCase("other user's"), "/api"))
	assert.Equal(t, http.StatusForbidden, res.StatusCode, "fiber's ErrorHandler answers the returned error")
	assert.ErrorIs(t, got, usersig.ErrInvalidSignature)
	calls, _, _ := p.Take()
	assert.Zero(t, calls)
}

// The tenant key is read from fasthttp's headers under the credential's
// rules, and reported only when the source knows it.
func TestTenantLookup(t *testing.T) {
	s := sighttptest.Signer(t)
	dbDown := errors.New("database down")
	src := source(func(_ context.Context, key string) (*usersig.Signer, error) {
		switch key {
		case "pk_alice":
			return s, nil
		case "pk_broken":
			return nil, dbDown
		}
		return nil, nil
	})
	var p sighttptest.Probe
	rec := sighttptest.NewRecorder()
	do := serve(t, app(fibersig.Middleware(nil, append(rec.Options(), sighttp.WithTenantLookup("X-Api-Key", src))...), &p))
	withKey := func(keys ...string) *http.Request {
		r := sighttptest.Request(sighttptest.Valid(), "/api")
		for _, k := range keys {
			r.Header.Add("X-Api-Key", k)
		}
		return r
	}
	assert.Equal(t, http.StatusOK, do(withKey("pk_alice")).StatusCode)
	calls, id, _ := p.Take()
	assert.Equal(t, 1, calls)
	assert.Equal(t, "alice", id.UserID)
	_, ds := rec.Take()
	assert.Equal(t, []sighttp.Decision{{Outcome: sighttp.Accepted, Scheme: "sighttptest", Tenant: "pk_alice"}}, ds)
	for _, c := range []struct {
		name   string
		r      *http.Request
		reason string
	}{
		{"no key", withKey(), sighttp.ReasonUnknownSigner},
		{"unknown key", withKey("pk_nobody"), sighttp.ReasonUnknownSigner},
		{"loader fails", withKey("pk_broken"), sighttp.ReasonError},
		{"key twice", withKey("pk_alice", "pk_alice"), sighttp.ReasonDuplicate},
	} {
		sighttptest.AssertRefused(t, do(c.r))
		calls, _, _ := p.Take()
		assert.Zero(t, calls, c.name)
		reasons, ds := rec.Take()
		assert.Equal(t, []string{c.reason}, reasons, c.name)
		assert.Equal(t, []sighttp.Decision{{Outcome: sighttp.Rejected, Reason: c.reason, Secret: -1}}, ds, c.name)
	}
}

type source func(ctx context.Context, key string) (*usersig.Signer, error)

func (f source) Signer(ctx context.Context, key string) (*usersig.Signer, error) { return f(ctx, key) }

func TestConstructionPanics(t *testing.T) {
	s := sighttptest.Signer(t)
	assert.Panics(t, func() { fibersig.Middleware(nil) })
	assert.Panics(t, func() { fibersig.Middleware(s, nil) })
	assert.Panics(t, func() {
		fibersig.Middleware(nil, sighttp.WithSignerLookup(func(*http.Request) (*usersig.Signer, error) { return s, nil }))
	}, "a lookup that reads an *http.Request")
	assert.Panics(t, func() {
		fibersig.Middleware(s, sighttp.WithExtractor(sighttp.FromQuery(usersig.Headers{Signature: "sig"})))
	})
	assert.NotPanics(t, func() { fibersig.Middleware(s, sighttp.WithLogger(nil)) })
	assert.NotPanics(t, func() { fibersig.Handler(sighttp.NewGate(s), nil) })
}

func TestIdentityWithoutMiddleware(t *testing.T) {
	var p sighttptest.Probe
	a := fiber.New()
	a.Get("/api", func(c *fiber.Ctx) error {
		p.Saw(fibersig.Identity(c))
		return nil
	})
	serve(t, a)(sighttptest.Request(sighttptest.Valid(), "/api"))
	calls, _, ok := p.Take()
	require.Equal(t, 1, calls)
	assert.False(t, ok)
	_, ok = fibersig.Identity(nil)
	assert.False(t, ok)
}
