package echosig_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/contrib/echosig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// router mounts mw in front of a handler that reports what
// echosig.Identity says to p.
func router(mw echo.MiddlewareFunc, p *sighttptest.Probe) *echo.Echo {
	e := echo.New()
	e.Use(mw)
	e.GET("/api", func(c echo.Context) error {
		id, ok := echosig.Identity(c)
		p.Saw(id, ok)
		return c.String(http.StatusOK, "ok")
	})
	return e
}

func TestMiddleware(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return sighttptest.HTTP(sighttptest.Serve(router(echosig.Middleware(sighttptest.Signer(t), opts...), p)), "/api")
	})
}

// echo's own WrapMiddleware is safe too: the same suite passes through it.
func TestWrapMiddleware(t *testing.T) {
	var p sighttptest.Probe
	e := router(echo.WrapMiddleware(sighttp.Middleware(sighttptest.Signer(t))), &p)
	sighttptest.Run(t, sighttptest.HTTP(sighttptest.Serve(e), "/api"), &p, nil)
}

// A later middleware is part of the chain the rejection stops.
func TestMiddlewareStopsTheChain(t *testing.T) {
	after := 0
	e := echo.New()
	e.Use(echosig.Middleware(sighttptest.Signer(t)))
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { after++; return next(c) }
	})
	e.GET("/api", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	sighttptest.AssertRefused(t, sighttptest.Serve(e)(sighttptest.Request(sighttptest.RefusedCase("missing"), "/api")))
	assert.Zero(t, after)
}

// The handler's error comes back out of the middleware for echo to answer.
func TestMiddlewareReturnsTheHandlersError(t *testing.T) {
	boom := errors.New("boom")
	mw := echosig.Middleware(sighttptest.Signer(t))
	e := echo.New()
	c := e.NewContext(sighttptest.Request(sighttptest.Valid(), "/api"), httptest.NewRecorder())
	err := mw(func(echo.Context) error { return boom })(c)
	assert.ErrorIs(t, err, boom)
}

// An error handler that writes nothing still gets the request refused.
func TestMiddlewareSilentErrorHandler(t *testing.T) {
	var p sighttptest.Probe
	mw := echosig.Middleware(sighttptest.Signer(t), sighttp.WithErrorHandler(func(http.ResponseWriter, *http.Request, error) {}))
	res := sighttptest.Serve(router(mw, &p))(sighttptest.Request(sighttptest.RefusedCase("missing"), "/api"))
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	calls, _, _ := p.Take()
	assert.Zero(t, calls)
}

func TestIdentityWithoutMiddleware(t *testing.T) {
	var p sighttptest.Probe
	e := echo.New()
	e.GET("/api", func(c echo.Context) error {
		id, ok := echosig.Identity(c)
		p.Saw(id, ok)
		return nil
	})
	sighttptest.Serve(e)(sighttptest.Request(sighttptest.Valid(), "/api"))
	calls, _, ok := p.Take()
	require.Equal(t, 1, calls)
	assert.False(t, ok, "no identity without the middleware")
	_, ok = echosig.Identity(nil)
	assert.False(t, ok)
}
