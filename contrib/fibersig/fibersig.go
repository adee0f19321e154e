// Package fibersig verifies usersig signatures in a fiber (v2) app: the
// fiber shell of sighttp's Gate, natively on fasthttp, with sighttp's
// options, the same request rules, the same 401 answer, the same logged
// reasons and Decisions as sighttp.Middleware.
//
//	app := fiber.New()
//	app.Use(fibersig.Middleware(signer))
//	app.Get("/api/inbox", func(c *fiber.Ctx) error {
//		id, _ := fibersig.Identity(c)
//		return c.JSON(fiber.Map{"user": id.UserID})
//	})
//
// The headers are read in place, without copying them to net/http's form;
// an accepted request costs one allocation, the context that carries its
// identity. Mounting sighttp.Middleware through fiber's net/http adaptor
// also works, at the cost of converting every request; the identity then
// reaches fiber's own context, sighttp.IdentityFromContext(c.Context()),
// and an inner report-only Middleware that lets a request through unsigned
// hides it there as well as in c.UserContext().
package fibersig

import (
	"context"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
	"github.com/valyala/fasthttp"
)

// Middleware returns a fiber handler that lets a request through only as
// sighttp.NewGate(s, opts...) decides, with the verified identity in
// c.UserContext() for Identity and sighttp.IdentityFromContext; a refusal
// is answered by DefaultErrorHandler and c.Next is not called. Every
// transport-neutral option of sighttp works (WithHeaders,
// WithTenantLookup, WithUnsignedAllowed, WithLogger, WithObserver);
// header names match without regard to case, even with fiber's header
// normalising off. It panics where NewGate does, and on an option that
// reads an *http.Request (see Handler).
func Middleware(s *usersig.Signer, opts ...sighttp.Option) fiber.Handler {
	return Handler(sighttp.NewGate(s, opts...), DefaultErrorHandler)
}

// Handler is Middleware over a Gate of your own, with onError answering a
// refusal: it receives the error the Gate refused with (see
// sighttp.Gate.Check), and its return value is the handler's — nil after
// writing a response, or an error for fiber's ErrorHandler to answer. Tell
// the client as little as DefaultErrorHandler does; never send
// err.Error(). A nil onError is DefaultErrorHandler. Handler panics on a
// Gate built with sighttp.WithExtractor or WithSignerLookup, which read an
// *http.Request fiber does not have (use WithHeaders and WithTenantLookup).
func Handler(g *sighttp.Gate, onError func(c *fiber.Ctx, err error) error) fiber.Handler {
	if g.HTTPOnly() {
		panic("fibersig: the Gate reads an *http.Request; use sighttp.WithHeaders and WithTenantLookup")
	}
	if onError == nil {
		onError = DefaultErrorHandler
	}
	// The Gate calls the carrier through a function value, so whatever it
	// reads through escapes: the carriers are pooled, not made per request.
	carriers := &sync.Pool{New: func() any {
		h := new(headers)
		h.get = h.values
		return h
	}}
	return func(c *fiber.Ctx) error {
		h := carriers.Get().(*headers)
		h.h = &c.Request().Header
		parent := c.UserContext()
		ctx, err := g.Check(parent, sighttp.Request{Header: h.get, Method: c.Method(), Path: c.Path()})
		h.h, h.buf = nil, [2]string{}
		carriers.Put(h)
		if err != nil {
			return onError(c, err)
		}
		if ctx != parent {
			c.SetUserContext(ctx)
		}
		if _, ok := sighttp.IdentityFromContext(ctx); !ok {
			hideAdaptorIdentity(c.Context())
		}
		return c.Next()
	}
}

// hideAdaptorIdentity hides, for a request let through unsigned, the
// identity an outer sighttp.Middleware mounted through fiber's adaptor left
// among the request's user values (where sighttp.IdentityFromContext of
// c.Context() finds it), as the Gate hid any in c.UserContext(): an inner
// report-only route never shows a caller it did not check. It costs
// nothing when there is none.
func hideAdaptorIdentity(rc *fasthttp.RequestCtx) {
	if _, ok := sighttp.IdentityFromContext(rc); !ok {
		return
	}
	var keys []any
	rc.VisitUserValuesAll(func(k, _ any) {
		if _, ok := sighttp.IdentityFromContext(keyProbe{Context: context.Background(), key: k}); ok {
			keys = append(keys, k) // sighttp's own (unexported) identity key
		}
	})
	for _, k := range keys {
		rc.SetUserValue(k, (*usersig.Identity)(nil)) // a nil identity reads as none
	}
}

// keyProbe answers a verified-looking identity for key alone, so that
// IdentityFromContext of it says whether key is sighttp's identity key
// without this package naming that unexported type.
type keyProbe struct {
	context.Context
	key any
}

func (p keyProbe) Value(key any) any {
	if key == p.key {
		return &usersig.Identity{}
	}
	return nil
}

// Identity returns the identity Middleware verified for the request, and
// true; or a zero Identity and false when there is none: the request did
// not pass through Middleware, or the innermost one let it through
// unsigned under sighttp.WithUnsignedAllowed. It is
// sighttp.IdentityFromContext of c.UserContext(), so code shared with
// net/http services reads the same value.
func Identity(c *fiber.Ctx) (usersig.Identity, bool) {
	if c == nil {
		return usersig.Identity{}, false
	}
	return sighttp.IdentityFromContext(c.UserContext())
}

// DefaultErrorHandler is what Middleware answers a refused request with:
// sighttp.DefaultErrorHandler's answer in fiber — status 401, Content-Type
// application/json, Cache-Control no-store, X-Content-Type-Options nosniff
// and the body sighttp.UnauthorizedBody, whatever err is.
func DefaultErrorHandler(c *fiber.Ctx, _ error) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(fiber.StatusUnauthorized).SendString(sighttp.UnauthorizedBody)
}

// headers is the carrier the Gate reads: the values of a header, whatever
// the case of its name (with DisableHeaderNormalizing, fasthttp keeps
// "x-user-id" and "X-User-Id" apart, and a name sent in two cases must
// still count as sent twice). The values are fasthttp's own bytes, lent
// for the request: the Gate copies what it keeps. Two values are enough to
// tell a duplicate, so buf holds them without allocating.
type headers struct {
	h   *fasthttp.RequestHeader
	buf [2]string
	get func(name string) []string // values, bound once
}

func (hs *headers) values(name string) []string {
	vs := hs.buf[:0]
	hs.h.VisitAll(func(k, v []byte) {
		if len(vs) < len(hs.buf) && equalFold(k, name) {
			vs = append(vs, utils.UnsafeString(v))
		}
	})
	return vs
}

// equalFold reports whether the header name k is name in ASCII case.
func equalFold(k []byte, name string) bool {
	if len(k) != len(name) {
		return false
	}
	for i := range len(k) {
		a, b := k[i], name[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
