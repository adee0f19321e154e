package ginsig_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/ginsig"
)

func ExampleMiddleware() {
	signer, _ := usersig.New(usersig.Proficient(), []byte("hsec_example_secret_0123456789abcdef"))

	r := gin.New()
	r.Use(ginsig.Middleware(signer))
	r.GET("/api/inbox", func(c *gin.Context) {
		id, _ := ginsig.Identity(c)
		c.String(http.StatusOK, "inbox of %s", id.UserID)
	})

	cred, _ := signer.Issue(usersig.Identity{UserID: "alice"})
	for _, user := range []string{"alice", "bob"} {
		req := httptest.NewRequest(http.MethodGet, "/api/inbox", nil)
		req.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", user)
		req.Header.Set("X-PROFICIENT-USER-HMAC", cred.Signature)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 inbox of alice
	// 401 {"error":"unauthorized"}
}
