// Package fibersig verifies usersig signatures in a fiber (v2) app,
// natively on fasthttp: no net/http conversion per request, and the same
// request rules, the same 401 answer and the same logged reasons as
// sighttp.Middleware.
//
//	app := fiber.New()
//	app.Use(fibersig.Middleware(signer))
//	app.Get("/api/inbox", func(c *fiber.Ctx) error {
//		id, _ := fibersig.Identity(c)
//		return c.JSON(fiber.Map{"user": id.UserID})
//	})
//
// Mounting sighttp.Middleware through fiber's net/http adaptor also works
// (the identity rides in a plain context value), at the cost of converting
// every request; fibersig is the fiber-native path.
package fibersig

import (
	"github.com/gofiber/fiber/v2"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/idctx"
	"github.com/usersig/usersig/sighttp"
)

// identityKey is the c.Locals key of the verified identity. It is
// unexported so that no other middleware can put an identity there.
type identityKey struct{}

// Middleware returns a fiber handler that lets a request through only with
// a valid signature of the identity it claims, and makes that identity
// available to Identity (c.Locals) and to sighttp.IdentityFromContext of
// c.UserContext(), for code shared with net/http services.
//
// It reads the credential with sighttp.ReadCredential from the scheme's
// own headers (see WithHeaders), matching header names without regard to
// case even when fiber's header normalising is off, and verifies it with
// s.Authenticate. Every failure — no signature, an empty one, a header sent
// twice or longer than 1 KiB, a malformed, wrong or expired signature,
// another user's — is answered by the error handler (DefaultErrorHandler:
// 401 {"error":"unauthorized"}) and c.Next is not called.
//
// s may be nil when WithSignerLookup is given. Middleware panics if s is
// nil without a lookup, and on a nil option.
func Middleware(s *usersig.Signer, opts ...Option) fiber.Handler {
	cfg := config{onError: DefaultErrorHandler}
	for _, opt := range opts {
		if opt == nil {
			panic("fibersig: nil Option")
		}
		opt(&cfg)
	}
	if cfg.lookup == nil && s == nil {
		panic("fibersig: Middleware needs a Signer or WithSignerLookup")
	}
	if cfg.lookup != nil {
		s = nil
	}
	return func(c *fiber.Ctx) error {
		signer := s
		if cfg.lookup != nil {
			var err error
			if signer, err = cfg.lookup(c); err != nil || signer == nil {
				if err == nil {
					err = sighttp.ErrUnknownSigner
				}
				return cfg.reject(c, nil, err)
			}
		}
		names := cfg.headers
		if !cfg.headersSet {
			names = requestHeaders(signer.Scheme())
		}
		cred, err := sighttp.ReadCredential(headerValues(&c.Request().Header), names)
		if err != nil {
			if cfg.unsignedPasses && isUnsigned(err) {
				cfg.log(c, signer, msgUnsigned, reasonUnsigned, nil)
				// Hide what an outer Middleware verified: this route did not
				// check the caller, so it must not see one (as sighttp does).
				if _, had := c.Locals(identityKey{}).(usersig.Identity); had {
					c.Locals(identityKey{}, nil)
				}
				if ctx := idctx.Without(c.UserContext()); ctx != c.UserContext() {
					c.SetUserContext(ctx)
				}
				return c.Next()
			}
			return cfg.reject(c, signer, err)
		}
		id, err := signer.Authenticate(cred)
		if err != nil {
			return cfg.reject(c, signer, err)
		}
		c.Locals(identityKey{}, id)
		c.SetUserContext(sighttp.ContextWithIdentity(c.UserContext(), id))
		return c.Next()
	}
}

// Identity returns the identity Middleware verified for the request, and
// true; or a zero Identity and false when there is none: the request did
// not pass through Middleware, or passed unsigned under
// WithUnsignedAllowed. It holds only the fields the signature covers.
func Identity(c *fiber.Ctx) (usersig.Identity, bool) {
	if c == nil {
		return usersig.Identity{}, false
	}
	id, ok := c.Locals(identityKey{}).(usersig.Identity)
	return id, ok
}

// DefaultErrorHandler is what Middleware answers a refused request with by
// default: the answer of sighttp.DefaultErrorHandler, in fiber — status
// 401, Content-Type application/json, Cache-Control no-store,
// X-Content-Type-Options nosniff and the body {"error":"unauthorized"},
// whatever err is. Call it from your own error handler for the cases you
// do not treat differently.
func DefaultErrorHandler(c *fiber.Ctx, _ error) error {
	return writeUnauthorized(c)
}
