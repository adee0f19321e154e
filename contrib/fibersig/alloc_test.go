package fibersig_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/contrib/fibersig"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// TestAllocations pins fibersig's cost on an accepted request to one
// allocation over the same app without it: the context that carries the
// identity. The headers are read in place.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	allocs := func(mw ...fiber.Handler) float64 {
		h, ctx := handler(mw...)
		h(ctx)
		require.Equal(t, http.StatusOK, ctx.Response.StatusCode())
		return testing.AllocsPerRun(200, func() { h(ctx) })
	}
	bare := allocs()
	assert.LessOrEqual(t, allocs(fibersig.Middleware(sighttptest.Signer(t)))-bare, 1.0)
}
