package echosig_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/usersig/usersig/contrib/echosig"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// BenchmarkEcho is echosig's cost on an accepted request against the same
// echo router bare, in one run.
func BenchmarkEcho(b *testing.B) {
	mount := func(mw ...echo.MiddlewareFunc) *echo.Echo {
		e := echo.New()
		e.Use(mw...)
		e.GET("/api", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
		return e
	}
	b.Run("bare", func(b *testing.B) { sighttptest.Bench(b, mount()) })
	b.Run("echosig", func(b *testing.B) { sighttptest.Bench(b, mount(echosig.Middleware(sighttptest.Signer(b)))) })
}
