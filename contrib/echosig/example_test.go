package echosig_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v4"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/echosig"
)

func ExampleMiddleware() {
	signer, _ := usersig.New(usersig.Proficient(), []byte("hsec_example_secret_0123456789abcdef"))

	e := echo.New()
	e.Use(echosig.Middleware(signer))
	e.GET("/api/inbox", func(c echo.Context) error {
		id, _ := echosig.Identity(c)
		return c.String(http.StatusOK, "inbox of "+id.UserID)
	})

	cred, _ := signer.Issue(usersig.Identity{UserID: "alice"})
	for _, user := range []string{"alice", "bob"} {
		req := httptest.NewRequest(http.MethodGet, "/api/inbox", nil)
		req.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", user)
		req.Header.Set("X-PROFICIENT-USER-HMAC", cred.Signature)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 inbox of alice
	// 401 {"error":"unauthorized"}
}
