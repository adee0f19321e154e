package fibersig_test

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/stretchr/testify/assert"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/fibersig"
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

// Behind an outer sighttp.Middleware mounted through fiber's adaptor, whose
// identity lands in c.Context(), an inner report-only fibersig route that
// saw no signature of its own hides that identity there too, as an inner
// sighttp.Middleware would (review finding: it stayed visible to
// sighttp.IdentityFromContext(c.Context())).
func TestThroughAdaptorInnerUnsignedHidesOuter(t *testing.T) {
	var outer, inner sighttptest.Probe
	a := fiber.New()
	a.Use(adaptor.HTTPMiddleware(sighttp.Middleware(sighttptest.Signer(t))))
	a.Get("/outer", func(c *fiber.Ctx) error {
		outer.Saw(sighttp.IdentityFromContext(c.Context()))
		return c.SendString("ok")
	})
	innerHeaders := usersig.Headers{UserID: "X-Inner-User", Signature: "X-Inner-Signature"}
	a.Get("/inner", fibersig.Middleware(sighttptest.Signer(t), sighttp.WithHeaders(innerHeaders), sighttp.WithUnsignedAllowed()),
		func(c *fiber.Ctx) error {
			inner.Saw(sighttp.IdentityFromContext(c.Context()))
			return c.SendString("ok")
		})
	do := serve(t, a)
	assert.Equal(t, 200, do(sighttptest.Request(sighttptest.Valid(), "/outer")).StatusCode)
	_, _, ok := outer.Take()
	assert.True(t, ok, "the adaptor carries the outer identity")
	assert.Equal(t, 200, do(sighttptest.Request(sighttptest.Valid(), "/inner")).StatusCode)
	calls, _, ok := inner.Take()
	assert.Equal(t, 1, calls)
	assert.False(t, ok, "the inner report-only route must not show the outer identity")
}
