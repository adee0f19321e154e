package fibersig_test

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/stretchr/testify/assert"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// sighttp.Middleware mounted through fiber's net/http adaptor: the
// adaptor copies the request context's values into fiber's by reflection,
// and the identity's context is shaped so that the copy carries it (read
// with sighttp.IdentityFromContext(c.Context())).
func TestThroughAdaptor(t *testing.T) {
	var p sighttptest.Probe
	a := fiber.New()
	a.Use(adaptor.HTTPMiddleware(sighttp.Middleware(sighttptest.Signer(t))))
	a.Get("/api", func(c *fiber.Ctx) error {
		p.Saw(sighttp.IdentityFromContext(c.Context()))
		return c.SendString("ok")
	})
	do := serve(t, a)
	assert.Equal(t, 200, do(sighttptest.Request(sighttptest.Valid(), "/api")).StatusCode)
	calls, id, ok := p.Take()
	assert.Equal(t, 1, calls)
	assert.True(t, ok)
	assert.Equal(t, "alice", id.UserID)
	assert.Equal(t, 401, do(sighttptest.Request(sighttptest.RefusedCase("other user's"), "/api")).StatusCode)
	calls, _, _ = p.Take()
	assert.Zero(t, calls)
}
