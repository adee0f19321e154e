package sighttp_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// mintAuth is a stand-in for a session check: the user is whoever the
// X-Test-Session header names, or nobody.
func mintAuth(id usersig.Identity) func(*http.Request) (usersig.Identity, error) {
	return func(r *http.Request) (usersig.Identity, error) {
		if r.Header.Get("X-Test-Session") != "ok" {
			return usersig.Identity{}, errors.New("no session for you")
		}
		return id, nil
	}
}

func mintRequest(method string) *http.Request {
	r := httptest.NewRequest(method, "/hmac", nil)
	r.Header.Set("X-Test-Session", "ok")
	return r
}

func mintDecode(t *testing.T, rec *httptest.ResponseRecorder) map[string]string {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var m map[string]string
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m))
	return m
}

func TestMintHandlerProficient(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	h := sighttp.MintHandler(s, mintAuth(usersig.Identity{UserID: mwUserID}))

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, mintRequest(method))
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			// Exactly these keys: no empty email or expires.
			assert.Equal(t, map[string]string{"userId": mwUserID, "signature": mwNodeSig}, mintDecode(t, rec))
		})
	}
}

func TestMintHandlerRefusals(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	h := sighttp.MintHandler(s, mintAuth(usersig.Identity{UserID: mwUserID}))

	t.Run("not authenticated", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hmac", nil))
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Equal(t, mwUnauthorized, rec.Body.String())
		assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
		assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
		assert.NotContains(t, rec.Body.String(), "no session")
	})

	for _, method := range []string{http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		t.Run(method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, mintRequest(method))
			assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
			assert.Equal(t, "GET, POST", rec.Header().Get("Allow"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.NotContains(t, rec.Body.String(), "signature")
		})
	}

	t.Run("identity cannot be signed", func(t *testing.T) {
		rec := httptest.NewRecorder()
		sighttp.MintHandler(s, mintAuth(usersig.Identity{Email: "only@example.com"})).ServeHTTP(rec, mintRequest(http.MethodGet))
		assert.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, `{"error":"internal error"}`+"\n", rec.Body.String())
		assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	})

	t.Run("misuse", func(t *testing.T) {
		assert.Panics(t, func() { sighttp.MintHandler(nil, mintAuth(usersig.Identity{})) })
		assert.Panics(t, func() { sighttp.MintHandler(s, nil) })
	})
}

func TestMintHandlerProductFruits(t *testing.T) {
	expiry := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	clock := usersig.WithClock(func() time.Time { return expiry.Add(-time.Minute) })
	s := mwSigner(t, usersig.ProductFruits(), "secret", usersig.WithShortSecretsAllowed(), clock)
	h := sighttp.MintHandler(s, mintAuth(usersig.Identity{UserID: "testUser", ExpiresAt: expiry.Add(123 * time.Microsecond)}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, mintRequest(http.MethodGet))
	got := mintDecode(t, rec)
	// The known answer of Product Fruits' documentation; the expiry is the
	// exact text signed, JavaScript's toJSON (milliseconds).
	assert.Equal(t, map[string]string{
		"userId":    "testUser",
		"expires":   "2026-11-22T10:00:00.000Z",
		"signature": "dtrDkRUh8uJAu3PRWl7E90qVqMq/yAB6aPsseXo1w+U=",
	}, got)

	// What the page does with it: user.hmac = {hash, expiration}, sent back in
	// the Product Fruits scheme's headers, accepted by the middleware.
	next := &mwNext{}
	r := mwRequest("/api", [2]string{"X-User-Id", got["userId"]}, [2]string{"X-User-Expires", got["expires"]}, [2]string{"X-User-Signature", got["signature"]})
	mwAssertPassed(t, mwServe(sighttp.Middleware(s)(next), r), next, usersig.Identity{UserID: "testUser", ExpiresAt: expiry})
}

func TestMintHandlerRoundTripsThroughMiddleware(t *testing.T) {
	for _, sc := range []usersig.Scheme{usersig.Proficient(), usersig.Engagespot(), usersig.MagicBell(), usersig.Courier(), usersig.Intercom()} {
		t.Run(sc.Name, func(t *testing.T) {
			s := mwSigner(t, sc, mwSecret)
			rec := httptest.NewRecorder()
			sighttp.MintHandler(s, mintAuth(usersig.Identity{UserID: "user-7"})).ServeHTTP(rec, mintRequest(http.MethodPost))
			got := mintDecode(t, rec)
			hdr := sc.Headers
			if hdr.Signature == "" {
				hdr = usersig.Headers{UserID: "X-User-Id", Signature: "X-User-Signature"}
			}
			next := &mwNext{}
			r := mwRequest("/api", [2]string{strings.ToLower(hdr.UserID), got["userId"]}, [2]string{hdr.Signature, got["signature"]})
			mwAssertPassed(t, mwServe(sighttp.Middleware(s)(next), r), next, usersig.Identity{UserID: "user-7"})
		})
	}
}

func ExampleMintHandler() {
	signer, err := usersig.New(usersig.Proficient(), []byte("hsec_2f9c1e7a4b8d3f60a5e1c7b9"))
	if err != nil {
		panic(err)
	}
	// Your session check: who is logged in, never who the request claims.
	authenticate := func(r *http.Request) (usersig.Identity, error) {
		if c, err := r.Cookie("session"); err == nil && c.Value == "valid-session-of-gtLIK8" {
			return usersig.Identity{UserID: "gtLIK8ELsHTr0Fajg28Ud9eFpJJ3"}, nil
		}
		return usersig.Identity{}, errors.New("not logged in")
	}
	mux := http.NewServeMux()
	mux.Handle("GET /hmac", sighttp.MintHandler(signer, authenticate))

	r := httptest.NewRequest(http.MethodGet, "/hmac", nil)
	r.AddCookie(&http.Cookie{Name: "session", Value: "valid-session-of-gtLIK8"})
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	fmt.Print(w.Code, " ", w.Header().Get("Cache-Control"), " ", w.Body.String())
	// Output:
	// 200 no-store {"userId":"gtLIK8ELsHTr0Fajg28Ud9eFpJJ3","signature":"Sdf0ACguqyXfR+VLdrqUOUAy+SIDC2AmK7ywrzkLcMM="}
}
