package ginsig_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/contrib/ginsig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// naiveWrapHH is the adapter most gin users copy for a
// func(http.Handler) http.Handler middleware: the WrapHH pattern posted in
// gin-gonic/gin#293 ("Using http.Handler?", 2016), also published as
// turtlemonvh/gin-wraphh. The wrapped middleware's next handler continues
// gin's chain with c.Next(); nothing aborts the chain when the middleware
// answers without calling next, and the request it hands on is dropped.
func naiveWrapHH(mw func(http.Handler) http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		mw(naiveNext{c}).ServeHTTP(c.Writer, c.Request)
	}
}

type naiveNext struct{ c *gin.Context }

func (n naiveNext) ServeHTTP(http.ResponseWriter, *http.Request) { n.c.Next() }

// The README's warning: under the naive wrapper a forged request is
// answered 401 and the handler still runs, and a valid one reaches the
// handler without its identity. ginsig refuses the first and keeps the
// second.
func TestNaiveWrapHHIsUnsafe(t *testing.T) {
	s := sighttptest.Signer(t)
	forged := sighttptest.RefusedCase("other user's") // bob, with alice's signature

	t.Run("naive WrapHH", func(t *testing.T) {
		var p sighttptest.Probe
		do := sighttptest.Serve(router(naiveWrapHH(sighttp.Middleware(s)), &p))

		res := do(sighttptest.Request(forged, "/api"))
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "the client is told 401")
		calls, _, _ := p.Take()
		assert.Equal(t, 1, calls, "and yet the handler ran for the forged request")
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		assert.Equal(t, sighttp.UnauthorizedBody+"ok", string(body), "its output follows the 401")

		do(sighttptest.Request(sighttptest.Valid(), "/api"))
		calls, _, ok := p.Take()
		assert.Equal(t, 1, calls)
		assert.False(t, ok, "the verified identity is lost")
	})

	t.Run("ginsig", func(t *testing.T) {
		var p sighttptest.Probe
		do := sighttptest.Serve(router(ginsig.Middleware(s), &p))

		sighttptest.AssertRefused(t, do(sighttptest.Request(forged, "/api")))
		calls, _, _ := p.Take()
		assert.Zero(t, calls, "the handler never runs")

		do(sighttptest.Request(sighttptest.Valid(), "/api"))
		calls, id, ok := p.Take()
		assert.Equal(t, 1, calls)
		assert.True(t, ok)
		assert.Equal(t, "alice", id.UserID)
	})
}
