package usertoken

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig/sighttp"
)

func TestMiddleware(t *testing.T) {
	k := loadKeys(t)
	p := Engagespot(testAPIKey)
	iss, err := NewIssuer(p, k.rsaPriv, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	v, err := NewVerifier(p, k.rsaPub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	tok, err := iss.Token("alice")
	require.NoError(t, err)
	expiredIss, err := NewIssuer(p, k.rsaPriv, WithClock(fixedClock(t0.Add(-2*time.Hour))))
	require.NoError(t, err)
	expired, err := expiredIss.Token("alice")
	require.NoError(t, err)

	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	called := 0
	var gotID string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called++
		gotID, _ = UserIDFromContext(r.Context())
		w.WriteHeader(http.StatusNoContent)
	})
	h := Middleware(v, WithLogger(logger))(next)

	do := func(hdr http.Header) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/inbox?secret=query", nil)
		r.Header = hdr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	w := do(http.Header{"Authorization": {"Bearer " + tok}})
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Equal(t, 1, called)
	assert.Equal(t, "alice", gotID)
	w = do(http.Header{"Authorization": {"bearer  " + tok}})
	assert.Equal(t, http.StatusNoContent, w.Code, "scheme is case-insensitive")

	parts := strings.Split(tok, ".")
	rejects := map[string]struct {
		hdr    http.Header
		reason string
	}{
		"missing":               {http.Header{}, "missing"},
		"empty":                 {http.Header{"Authorization": {""}}, "malformed"},
		"bearer without token":  {http.Header{"Authorization": {"Bearer "}}, "malformed"},
		"duplicated header":     {http.Header{"Authorization": {"Bearer " + tok, "Bearer " + tok}}, "duplicate"},
		"basic scheme":          {http.Header{"Authorization": {"Basic " + tok}}, "malformed"},
		"no scheme":             {http.Header{"Authorization": {tok}}, "malformed"},
		"two tokens in one":     {http.Header{"Authorization": {"Bearer " + tok + ", " + tok}}, "malformed"},
		"malformed":             {http.Header{"Authorization": {"Bearer abc.def"}}, "malformed"},
		"expired":               {http.Header{"Authorization": {"Bearer " + expired}}, "expired"},
		"bad signature":         {http.Header{"Authorization": {"Bearer " + parts[0] + "." + parts[1] + "." + truncSig(t, parts[2])}}, "invalid"},
		"oversized (1 MiB)":     {http.Header{"Authorization": {"Bearer " + strings.Repeat("A", 1<<20)}}, "oversized"},
		"oversized just beyond": {http.Header{"Authorization": {"Bearer " + strings.Repeat("A", MaxTokenSize+1)}}, "oversized"},
	}
	for name, c := range rejects {
		called = 0
		logs.Reset()
		w := do(c.hdr)
		assert.Equal(t, http.StatusUnauthorized, w.Code, name)
		assert.Equal(t, 0, called, "%s: next must not run", name)
		assert.Equal(t, `{"error":"unauthorized"}`+"\n", w.Body.String(), name)
		assert.Equal(t, "application/json", w.Header().Get("Content-Type"), name)
		assert.Equal(t, "no-store", w.Header().Get("Cache-Control"), name)
		assert.Equal(t, "Bearer", w.Header().Get("WWW-Authenticate"), name)
		assert.Contains(t, logs.String(), "reason="+c.reason, name)
		assert.NotContains(t, logs.String(), parts[1], "%s: token in log", name)
		assert.NotContains(t, logs.String(), "secret=query", "%s: URL in log", name)
	}
}

func TestMiddlewareCustomHeader(t *testing.T) {
	k := loadKeys(t)
	iss, err := NewIssuer(Knock(), k.rsaPrivB64, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	v, err := NewVerifier(Knock(), k.rsaPub, WithClock(fixedClock(t0)))
	require.NoError(t, err)
	tok, err := iss.Token("k1")
	require.NoError(t, err)

	var got string
	h := Middleware(v, WithHeader("x-knock-user-token"))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = UserIDFromContext(r.Context())
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("X-Knock-User-Token", tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "k1", got)

	for name, hdr := range map[string]http.Header{
		"bearer in custom header": {"X-Knock-User-Token": {"Bearer " + tok}},
		"authorization only":      {"Authorization": {"Bearer " + tok}},
		"duplicated":              {"X-Knock-User-Token": {tok, tok}},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header = hdr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		assert.Equal(t, http.StatusUnauthorized, w.Code, name)
		assert.Empty(t, w.Header().Get("WWW-Authenticate"), name)
		assert.Equal(t, `{"error":"unauthorized"}`+"\n", w.Body.String(), name)
	}
}

func TestUserIDFromContext(t *testing.T) {
	_, ok := UserIDFromContext(context.Background())
	assert.False(t, ok)
	// A string key with the same text does not collide with ours.
	type otherKey struct{}
	ctx := context.WithValue(context.Background(), otherKey{}, "mallory")
	_, ok = UserIDFromContext(ctx)
	assert.False(t, ok)
	assert.Panics(t, func() { Middleware(nil) })
}

func TestMiddlewareOptionsPanicOnNil(t *testing.T) {
	k := loadKeys(t)
	v, err := NewVerifier(Knock(), k.rsaPub)
	require.NoError(t, err)
	assert.Panics(t, func() { Middleware(v, nil) }, "nil MiddlewareOption")
	assert.Panics(t, func() { Middleware(v, WithErrorHandler(nil)) })
	assert.NotPanics(t, func() { Middleware(v, WithLogger(nil)) }, "WithLogger(nil) turns logging off")
}

// TestMiddlewareObserver: one Decision per request, with the key that
// verified (tokens made by golang-jwt under the old and the new key, see
// tokenUnder) and sighttp's reason words for refusals.
func TestMiddlewareObserver(t *testing.T) {
	k := loadKeys(t)
	p := Knock()
	oldSign, oldVerify := k.keyFor(p)
	newSign, newVerify := k.otherKeyFor(p)
	v, err := NewVerifier(p, newVerify, WithClock(fixedClock(t0)), WithPreviousKeys(oldVerify))
	require.NoError(t, err)
	var got []sighttp.Decision
	h := Middleware(v, WithObserver(func(_ context.Context, d sighttp.Decision) { got = append(got, d) }))(
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	for _, hdr := range []string{"Bearer " + tokenUnder(t, p, newSign), "Bearer " + tokenUnder(t, p, oldSign), "", "Bearer a.b.c"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if hdr != "" {
			r.Header.Set("Authorization", hdr)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	assert.Equal(t, []sighttp.Decision{
		{Outcome: sighttp.Accepted, Scheme: p.Name(), Secret: 0},
		{Outcome: sighttp.Accepted, Scheme: p.Name(), Secret: 1},
		{Outcome: sighttp.Rejected, Reason: sighttp.ReasonMissing, Scheme: p.Name(), Secret: -1},
		{Outcome: sighttp.Rejected, Reason: sighttp.ReasonMalformed, Scheme: p.Name(), Secret: -1},
	}, got)
	assert.Panics(t, func() { WithObserver(nil) })
}
