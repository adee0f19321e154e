package fibersig

import (
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// Behind an inner report-only Middleware that saw no signature of its own,
// Identity does not show what an outer one verified, as with sighttp
// (review finding).
func TestNestedUnsignedHidesOuterIdentity(t *testing.T) {
	signer, err := usersig.New(usersig.Proficient(), []byte("hsec_outer_0123456789abcdef"))
	require.NoError(t, err)
	sig, err := signer.Sign(usersig.Identity{UserID: "alice"})
	require.NoError(t, err)

	app := fiber.New()
	inner := usersig.Headers{UserID: "X-Inner-User", Signature: "X-Inner-Signature"}
	app.Use(Middleware(signer))
	app.Get("/outer", func(c *fiber.Ctx) error {
		id, ok := Identity(c)
		_, ctxOK := sighttp.IdentityFromContext(c.UserContext())
		assert.True(t, ok && ctxOK)
		return c.SendString(id.UserID)
	})
	app.Get("/inner", Middleware(signer, sighttp.WithHeaders(inner), sighttp.WithUnsignedAllowed()), func(c *fiber.Ctx) error {
		_, ok := Identity(c)
		_, ctxOK := sighttp.IdentityFromContext(c.UserContext())
		assert.False(t, ok, "Locals")
		assert.False(t, ctxOK, "UserContext")
		return c.SendString("anonymous")
	})
	for path, want := range map[string]string{"/outer": "alice", "/inner": "anonymous"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", "alice")
		req.Header.Set("X-PROFICIENT-USER-HMAC", sig)
		resp, err := app.Test(req)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode, path)
		body := make([]byte, 64)
		n, _ := resp.Body.Read(body)
		assert.Equal(t, want, string(body[:n]), path)
	}
}
