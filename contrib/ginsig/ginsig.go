// Package ginsig verifies usersig signatures in a gin router: the gin shell
// of sighttp's Gate, with sighttp's options, the same 401 answer, the same
// rules, reasons and Decisions as sighttp.Middleware, and a chain that
// stops on a refusal.
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

// Middleware returns gin middleware that lets a request through only as
// sighttp.NewGate(s, opts...) decides, with the identity in c.Request's
// context for Identity and sighttp.IdentityFromContext. Every option of
// sighttp works unchanged (WithTenantLookup, WithSignerLookup,
// WithErrorHandler, WithUnsignedAllowed, WithLogger, WithObserver, ...).
//
// On a refusal the error handler's answer (by default sighttp's 401 with
// {"error":"unauthorized"}) is written and the chain is aborted: no later
// handler runs. An error handler that writes nothing gets a bare 401, never
// gin's default 200. Middleware panics where sighttp.NewGate does: a nil
// Signer without a lookup, a nil option.
func Middleware(s *usersig.Signer, opts ...sighttp.Option) gin.HandlerFunc {
	return Handler(sighttp.NewGate(s, opts...))
}

// Handler is Middleware over a Gate of your own, to share one Gate (its
// lookups, its caches) between routers or transports.
func Handler(g *sighttp.Gate) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, ok := g.Admit(c.Writer, c.Request)
		if !ok {
			c.Abort()
			if !c.Writer.Written() {
				c.AbortWithStatus(http.StatusUnauthorized)
			}
			return
		}
		c.Request = r
		c.Next()
	}
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
