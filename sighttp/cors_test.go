package sighttp_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// allowOrigin is the few lines of standard library a CORS handler takes: it
// answers a preflight itself and marks the other responses. It must sit
// outside the middleware, which refuses a preflight for carrying no
// credential.
func allowOrigin(origin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") != origin {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST")
			h.Set("Access-Control-Allow-Headers", "X-Proficient-User-External-Id, X-Proficient-User-Hmac")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func preflight() *http.Request {
	r := httptest.NewRequest(http.MethodOptions, "/api/inbox", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "GET")
	r.Header.Set("Access-Control-Request-Headers", "x-proficient-user-external-id,x-proficient-user-hmac")
	return r
}

func TestCORSPreflight(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)

	t.Run("the middleware alone refuses a preflight", func(t *testing.T) {
		next := &mwNext{}
		mwAssertRejected(t, mwServe(sighttp.Middleware(s)(next), preflight()), next)
	})

	t.Run("a CORS handler inside the middleware never runs", func(t *testing.T) {
		next := &mwNext{}
		rec := mwServe(sighttp.Middleware(s)(allowOrigin("https://app.example.com", next)), preflight())
		mwAssertRejected(t, rec, next)
		assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	})

	t.Run("a CORS handler outside answers it", func(t *testing.T) {
		next := &mwNext{}
		h := allowOrigin("https://app.example.com", sighttp.Middleware(s)(next))
		rec := mwServe(h, preflight())
		assert.Equal(t, http.StatusNoContent, rec.Code)
		assert.Equal(t, "https://app.example.com", rec.Header().Get("Access-Control-Allow-Origin"))
		assert.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), "X-Proficient-User-Hmac")
		assert.Equal(t, 0, next.calls)

		// The real request that follows still needs its signature.
		r := mwRequest("/api/inbox", [2]string{"Origin", "https://app.example.com"}, [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig})
		rec = mwServe(h, r)
		mwAssertPassed(t, rec, next, usersig.Identity{UserID: mwUserID})
		assert.Equal(t, "https://app.example.com", rec.Header().Get("Access-Control-Allow-Origin"))

		next = &mwNext{}
		h = allowOrigin("https://app.example.com", sighttp.Middleware(s)(next))
		rec = mwServe(h, mwRequest("/api/inbox", [2]string{"Origin", "https://app.example.com"}, [2]string{hdrProfID, "alice"}, [2]string{hdrProfSig, mwNodeSig}))
		mwAssertRejected(t, rec, next)

		// An OPTIONS that is no preflight goes to the middleware.
		r = httptest.NewRequest(http.MethodOptions, "/api/inbox", nil)
		r.Header.Set("Origin", "https://app.example.com")
		mwAssertRejected(t, mwServe(h, r), next)
	})
}

// A browser's preflight carries no credential, so the CORS handler goes
// outside the middleware (with github.com/rs/cors:
// cors.New(opts).Handler(sighttp.Middleware(signer)(inbox))).
func ExampleMiddleware_cors() {
	signer, err := usersig.New(usersig.Proficient(), []byte("hsec_2f9c1e7a4b8d3f60a5e1c7b9"))
	if err != nil {
		panic(err)
	}
	inbox := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := sighttp.IdentityFromContext(r.Context())
		_, _ = io.WriteString(w, "inbox of "+id.UserID+"\n")
	})
	const app = "https://app.example.com"
	cors := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Origin") == app {
				w.Header().Set("Access-Control-Allow-Origin", app)
				w.Header().Add("Vary", "Origin")
				if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
					w.Header().Set("Access-Control-Allow-Headers", "X-Proficient-User-External-Id, X-Proficient-User-Hmac")
					w.WriteHeader(http.StatusNoContent)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	api := cors(sighttp.Middleware(signer)(inbox))

	pre := httptest.NewRequest(http.MethodOptions, "/api/inbox", nil)
	pre.Header.Set("Origin", app)
	pre.Header.Set("Access-Control-Request-Method", "GET")
	w := httptest.NewRecorder()
	api.ServeHTTP(w, pre)
	fmt.Println(w.Code, w.Header().Get("Access-Control-Allow-Origin"))

	r := httptest.NewRequest(http.MethodGet, "/api/inbox", nil)
	r.Header.Set("Origin", app)
	r.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", "gtLIK8ELsHTr0Fajg28Ud9eFpJJ3")
	r.Header.Set("X-PROFICIENT-USER-HMAC", "Sdf0ACguqyXfR+VLdrqUOUAy+SIDC2AmK7ywrzkLcMM=")
	w = httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Print(w.Code, " ", w.Body.String())
	// Output:
	// 204 https://app.example.com
	// 200 inbox of gtLIK8ELsHTr0Fajg28Ud9eFpJJ3
}
