package sighttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// A service playing Chameleon's side: uid and uid_hash in the query, the
// hash as Chameleon's Node sample (verification.js) prints it for uid
// "user-1" at 1596165824 under the key "secret".
func TestMiddlewareTimestamped(t *testing.T) {
	const uidHash = "3f02d22622889f33af7b5eede760d2b03b6396a079fa48bffdbcfa52624deb1f-1596165824"
	at := time.Unix(1596165824, 0)
	serve := func(now time.Time, uid, hash string) (int, usersig.Identity) {
		s, err := usersig.New(usersig.Chameleon(), []byte("secret"), usersig.WithShortSecretsAllowed(),
			usersig.WithClock(func() time.Time { return now }))
		require.NoError(t, err)
		var got usersig.Identity
		h := sighttp.Middleware(s, sighttp.WithExtractor(sighttp.FromQuery(usersig.Headers{UserID: "uid", Signature: "uid_hash"})))(
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got, _ = sighttp.IdentityFromContext(r.Context()) }))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?uid="+url.QueryEscape(uid)+"&uid_hash="+url.QueryEscape(hash), nil))
		return rec.Code, got
	}
	code, who := serve(at.Add(time.Minute), "user-1", uidHash)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, usersig.Identity{UserID: "user-1"}, who)

	code, _ = serve(at.Add(usersig.DefaultFreshness), "user-1", uidHash)
	assert.Equal(t, http.StatusUnauthorized, code, "stale")
	code, _ = serve(at.Add(-time.Minute), "user-1", uidHash)
	assert.Equal(t, http.StatusUnauthorized, code, "from the future")
	code, _ = serve(at.Add(time.Minute), "user-2", uidHash)
	assert.Equal(t, http.StatusUnauthorized, code, "another user")
}

// A timestamped signature from the future is refused as "not-yet-valid",
// the word for a credential whose validity has not begun, not as "error",
// which says the service's own extractor, lookup or store failed and would
// page an operator for a client's clock (review finding).
func TestTimestampedFromTheFutureReason(t *testing.T) {
	const uidHash = "3f02d22622889f33af7b5eede760d2b03b6396a079fa48bffdbcfa52624deb1f-1596165824"
	now := time.Unix(1596165824, 0).Add(-time.Minute)
	s, err := usersig.New(usersig.Chameleon(), []byte("secret"), usersig.WithShortSecretsAllowed(),
		usersig.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	var got []sighttp.Decision
	g := sighttp.NewGate(s, sighttp.WithHeaders(usersig.Headers{UserID: "uid", Signature: "uid_hash"}),
		sighttp.WithObserver(func(_ context.Context, d sighttp.Decision) { got = append(got, d) }))
	h := map[string][]string{"uid": {"user-1"}, "uid_hash": {uidHash}}
	_, err = g.Check(context.Background(), sighttp.Request{Header: func(n string) []string { return h[n] }})
	require.ErrorIs(t, err, usersig.ErrIssuedInFuture)
	assert.Equal(t, sighttp.ReasonNotYetValid, sighttp.Reason(err))
	require.Len(t, got, 1)
	assert.Equal(t, sighttp.Rejected, got[0].Outcome)
	assert.Equal(t, sighttp.ReasonNotYetValid, got[0].Reason)
}
