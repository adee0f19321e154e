package fibersig_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gofiber/fiber/v2"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/fibersig"
)

func ExampleMiddleware() {
	signer, _ := usersig.New(usersig.Proficient(), []byte("hsec_example_secret_0123456789abcdef"))

	app := fiber.New()
	app.Use(fibersig.Middleware(signer))
	app.Get("/api/inbox", func(c *fiber.Ctx) error {
		id, _ := fibersig.Identity(c)
		return c.SendString("inbox of " + id.UserID)
	})

	cred, _ := signer.Issue(usersig.Identity{UserID: "alice"})
	for _, user := range []string{"alice", "bob"} {
		req := httptest.NewRequest(http.MethodGet, "/api/inbox", nil)
		req.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", user)
		req.Header.Set("X-PROFICIENT-USER-HMAC", cred.Signature)
		res, err := app.Test(req, 5000)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(res.Body)
		fmt.Println(res.StatusCode, string(body))
	}
	// Output:
	// 200 inbox of alice
	// 401 {"error":"unauthorized"}
}
