package ginsig_test

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/contrib/ginsig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

func init() { gin.SetMode(gin.TestMode) }

// router mounts mw in front of a handler that reports what ginsig.Identity
// says to p.
func router(mw gin.HandlerFunc, p *sighttptest.Probe) *gin.Engine {
	r := gin.New()
	r.Use(mw)
	r.GET("/api", func(c *gin.Context) {
		id, ok := ginsig.Identity(c)
		p.Saw(id, ok)
		c.String(http.StatusOK, "ok")
	})
	return r
}

func TestMiddleware(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return sighttptest.HTTP(sighttptest.Serve(router(ginsig.Middleware(sighttptest.Signer(t), opts...), p)), "/api")
	})
}

// A later middleware is part of the chain the rejection stops, and one that
// runs before sees the request unverified.
func TestMiddlewareStopsTheChain(t *testing.T) {
	var before, after int
	r := gin.New()
	r.Use(func(c *gin.Context) {
		before++
		_, ok := ginsig.Identity(c)
		assert.False(t, ok, "no identity before ginsig")
		c.Next()
	})
	r.Use(ginsig.Middleware(sighttptest.Signer(t)))
	r.Use(func(c *gin.Context) { after++; c.Next() })
	r.GET("/api", func(c *gin.Context) { c.String(http.StatusOK, "ok") })

	res := sighttptest.Serve(r)(sighttptest.Request(sighttptest.RefusedCase("missing"), "/api"))
	sighttptest.AssertRefused(t, res)
	assert.Equal(t, 1, before)
	assert.Zero(t, after)
}

// An error handler that writes nothing still gets the request refused, with
// a bare 401 rather than gin's default 200.
func TestMiddlewareSilentErrorHandler(t *testing.T) {
	var p sighttptest.Probe
	mw := ginsig.Middleware(sighttptest.Signer(t), sighttp.WithErrorHandler(func(http.ResponseWriter, *http.Request, error) {}))
	res := sighttptest.Serve(router(mw, &p))(sighttptest.Request(sighttptest.RefusedCase("missing"), "/api"))
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	calls, _, _ := p.Take()
	assert.Zero(t, calls)
}

func TestIdentityWithoutMiddleware(t *testing.T) {
	var p sighttptest.Probe
	r := gin.New()
	r.GET("/api", func(c *gin.Context) {
		id, ok := ginsig.Identity(c)
		p.Saw(id, ok)
	})
	sighttptest.Serve(r)(sighttptest.Request(sighttptest.Valid(), "/api"))
	calls, _, ok := p.Take()
	require.Equal(t, 1, calls)
	assert.False(t, ok, "no identity without the middleware")
	_, ok = ginsig.Identity(nil)
	assert.False(t, ok)
}
