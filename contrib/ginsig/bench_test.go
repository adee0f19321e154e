package ginsig_test

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/usersig/usersig/contrib/ginsig"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// BenchmarkGin is ginsig's cost on an accepted request against the same
// gin router bare, in one run.
func BenchmarkGin(b *testing.B) {
	mount := func(mw ...gin.HandlerFunc) *gin.Engine {
		r := gin.New()
		r.Use(mw...)
		r.GET("/api", func(c *gin.Context) { c.Status(http.StatusOK) })
		return r
	}
	b.Run("bare", func(b *testing.B) { sighttptest.Bench(b, mount()) })
	b.Run("ginsig", func(b *testing.B) { sighttptest.Bench(b, mount(ginsig.Middleware(sighttptest.Signer(b)))) })
}
