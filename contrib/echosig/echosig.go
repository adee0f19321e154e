// Package echosig verifies usersig signatures in an echo router: the echo
// shape of sighttp.Middleware, with the same options, the same 401 answer
// and the same rules.
//
//	e := echo.New()
//	e.Use(echosig.Middleware(signer))
//	e.GET("/api/inbox", func(c echo.Context) error {
//		id, _ := echosig.Identity(c)
//		return c.JSON(http.StatusOK, map[string]string{"user": id.UserID})
//	})
//
// echo.WrapMiddleware(sighttp.Middleware(signer)) is also safe; echosig
// builds sighttp's handler once rather than on every request, and gives
// Identity an echo-shaped reader.
package echosig

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// Middleware returns echo middleware that lets a request through only with
// a valid signature of the identity it claims, as sighttp.Middleware(s,
// opts...) does, and makes the identity available to Identity. Every option
// of sighttp works unchanged (WithSignerLookup, WithErrorHandler,
// WithUnsignedAllowed, WithLogger, ...).
//
// On a rejection the error handler's answer (by default sighttp's 401 with
// {"error":"unauthorized"}) is written and next is not called; an error
// handler that writes nothing makes the middleware return
// echo.ErrUnauthorized, which echo's HTTPErrorHandler answers. Middleware
// panics where sighttp.Middleware does: a nil Signer without a lookup, a nil
// option.
func Middleware(s *usersig.Signer, opts ...sighttp.Option) echo.MiddlewareFunc {
	verify := sighttp.Middleware(s, opts...)(http.HandlerFunc(proceed))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			w := &call{ResponseWriter: c.Response(), c: c, next: next}
			verify.ServeHTTP(w, c.Request())
			if w.passed {
				return w.err
			}
			if !c.Response().Committed {
				return echo.ErrUnauthorized
			}
			return nil
		}
	}
}

// call carries one request's echo context through sighttp's handler, which
// is built once: the writer sighttp hands to the next handler is the one it
// was given.
type call struct {
	http.ResponseWriter
	c      echo.Context
	next   echo.HandlerFunc
	passed bool
	err    error
}

// Unwrap lets http.ResponseController reach echo's writer.
func (w *call) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// proceed runs when sighttp let the request through: the next handler sees
// the request whose context holds the verified identity, and writes through
// echo's own Response as before.
func proceed(w http.ResponseWriter, r *http.Request) {
	cw := w.(*call)
	cw.passed = true
	cw.c.SetRequest(r)
	cw.err = cw.next(cw.c)
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
