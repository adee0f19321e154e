// Package echosig verifies usersig signatures in an echo router: the echo
// shell of sighttp's Gate, with sighttp's options, the same 401 answer and
// the same rules, reasons and Decisions as sighttp.Middleware.
//
//	e := echo.New()
//	e.Use(echosig.Middleware(signer))
//	e.GET("/api/inbox", func(c echo.Context) error {
//		id, _ := echosig.Identity(c)
//		return c.JSON(http.StatusOK, map[string]string{"user": id.UserID})
//	})
//
// echo.WrapMiddleware(sighttp.Middleware(signer)) is also safe; echosig
// answers through echo's own Response and gives Identity an echo-shaped
// reader.
package echosig

import (
	"github.com/labstack/echo/v4"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// Middleware returns echo middleware that lets a request through only as
// sighttp.NewGate(s, opts...) decides, with the identity in the request's
// context for Identity and sighttp.IdentityFromContext. Every option of
// sighttp works unchanged (WithTenantLookup, WithSignerLookup,
// WithErrorHandler, WithUnsignedAllowed, WithLogger, WithObserver, ...).
//
// On a refusal the error handler's answer (by default sighttp's 401 with
// {"error":"unauthorized"}) is written and next is not called; an error
// handler that writes nothing makes the middleware return
// echo.ErrUnauthorized, which echo's HTTPErrorHandler answers. Middleware
// panics where sighttp.NewGate does: a nil Signer without a lookup, a nil
// option.
func Middleware(s *usersig.Signer, opts ...sighttp.Option) echo.MiddlewareFunc {
	return Handler(sighttp.NewGate(s, opts...))
}

// Handler is Middleware over a Gate of your own, to share one Gate (its
// lookups, its caches) between routers or transports.
func Handler(g *sighttp.Gate) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r, ok := g.Admit(c.Response(), c.Request())
			if !ok {
				if !c.Response().Committed {
					return echo.ErrUnauthorized
				}
				return nil
			}
			c.SetRequest(r)
			return next(c)
		}
	}
}

// Identity returns the identity Middleware verified for the request, and
// true; or a zero Identity and false when there is none: the request did
// not pass through Middleware, or passed unsigned under
// sighttp.WithUnsignedAllowed. It is sighttp.IdentityFromContext of the
// request's context, so code written for net/http reads the same value.
func Identity(c echo.Context) (usersig.Identity, bool) {
	if c == nil || c.Request() == nil {
		return usersig.Identity{}, false
	}
	return sighttp.IdentityFromContext(c.Request().Context())
}
