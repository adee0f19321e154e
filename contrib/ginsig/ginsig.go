// Package ginsig verifies usersig signatures in a gin router: the gin shape
// of sighttp.Middleware, with the same options, the same 401 answer and the
// same rules, and a chain that stops on a rejection.
//
//	r := gin.New()
//	r.Use(ginsig.Middleware(signer))
//	r.GET("/api/inbox", func(c *gin.Context) {
//		id, _ := ginsig.Identity(c)
//		c.JSON(http.StatusOK, gin.H{"user": id.UserID})
//	})
//
// Do not mount sighttp.Middleware with a hand-written WrapHH-style wrapper:
// a wrapper that does not call c.Abort() when the middleware answers 401
// lets gin run the handler anyway, after the 401 is written.
package ginsig

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// Middleware returns gin middleware that lets a request through only with a
// valid signature of the identity it claims, as sighttp.Middleware(s,
// opts...) does, and makes the identity available to Identity. Every option
// of sighttp works unchanged (WithSignerLookup, WithErrorHandler,
// WithUnsignedAllowed, WithLogger, ...).
//
// On a rejection the error handler's answer (by default sighttp's 401 with
// {"error":"unauthorized"}) is written and the chain is aborted: no later
// handler runs. An error handler that writes nothing gets a bare 401, never
// gin's default 200. Middleware panics where sighttp.Middleware does: a nil
// Signer without a lookup, a nil option.
func Middleware(s *usersig.Signer, opts ...sighttp.Option) gin.HandlerFunc {
	verify := sighttp.Middleware(s, opts...)(http.HandlerFunc(proceed))
	return func(c *gin.Context) {
		w := &call{ResponseWriter: c.Writer, c: c}
		verify.ServeHTTP(w, c.Request)
		if w.passed {
			return
		}
		c.Abort()
		if !c.Writer.Written() && c.Writer.Status() == http.StatusOK {
			c.AbortWithStatus(http.StatusUnauthorized)
		}
	}
}

// call carries one request's gin context through sighttp's handler, which
// is built once: the writer sighttp hands to the next handler is the one it
// was given.
type call struct {
	http.ResponseWriter
	c      *gin.Context
	passed bool
}

// Unwrap lets http.ResponseController reach gin's writer.
func (w *call) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// proceed runs when sighttp let the request through: the rest of gin's
// chain sees the request whose context holds the verified identity.
func proceed(w http.ResponseWriter, r *http.Request) {
	cw := w.(*call)
	cw.passed = true
	cw.c.Request = r
	cw.c.Next()
}

// Identity returns the identity Middleware verified for the request, and
// true; or a zero Identity and false when there is none: the request did
// not pass through Middleware, or passed unsigned under
// sighttp.WithUnsignedAllowed. It is sighttp.IdentityFromContext of
// c.Request's context, so code written for net/http reads the same value.
func Identity(c *gin.Context) (usersig.Identity, bool) {
	if c == nil || c.Request == nil {
		return usersig.Identity{}, false
	}
	return sighttp.IdentityFromContext(c.Request.Context())
}
