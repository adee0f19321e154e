// Package adaptertest is the one test suite every framework adapter of this
// module (contrib/ginsig, echosig, fibersig, and chi through sighttp) runs
// through its framework's own router and test client, so that each refuses
// exactly the same requests with exactly the same answer.
//
// Its signatures are computed here with crypto/hmac, from the scheme's
// definition, not with usersig.
package adaptertest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/refusal"
)

// The suite's scheme: hex HMAC-SHA256 of the user id followed by the expiry
// text, in these headers.
const (
	HeaderUserID    = "X-User-Id"
	HeaderExpires   = "X-User-Expires"
	HeaderSignature = "X-User-Signature"

	secret = "adaptertest-secret-0123456789abcdef"
)

// Now is the suite's clock: every expiry is judged against it.
var Now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// Scheme is the suite's scheme (Product Fruits' rule, in hex, in X-User-*
// headers).
func Scheme() usersig.Scheme {
	return usersig.Scheme{
		Name:     "adaptertest",
		Composer: usersig.UserIDExpiry,
		Encoding: usersig.Hex,
		Headers:  usersig.Headers{UserID: HeaderUserID, Expires: HeaderExpires, Signature: HeaderSignature},
	}
}

// Signer is the Signer the adapters under test verify with.
func Signer(t testing.TB) *usersig.Signer {
	t.Helper()
	s, err := usersig.New(Scheme(), []byte(secret), usersig.WithClock(func() time.Time { return Now }))
	require.NoError(t, err)
	return s
}

// Sign computes the suite's signature without usersig.
func Sign(userID, expires string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(userID + expires))
	return hex.EncodeToString(m.Sum(nil))
}

// A Probe stands behind the adapter: the framework's handler calls Saw with
// what the adapter's Identity reported, then answers 200.
type Probe struct {
	mu    sync.Mutex
	calls int
	id    usersig.Identity
	ok    bool
}

// Saw records one run of the handler.
func (p *Probe) Saw(id usersig.Identity, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	p.id, p.ok = id, ok
}

// Take returns the handler's runs since the last Take and what it saw last.
func (p *Probe) Take() (calls int, id usersig.Identity, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	calls, id, ok = p.calls, p.id, p.ok
	p.calls, p.id, p.ok = 0, usersig.Identity{}, false
	return calls, id, ok
}

// A Case is one request and what the adapter must do with it.
type Case struct {
	Name   string
	Header http.Header // a name may repeat
	// Reason is the reason a refusal is logged with; "" for a request
	// that passes.
	Reason string
}

var (
	validExpiry  = "2026-06-01T13:00:00.000Z"
	pastExpiry   = "2026-06-01T11:00:00.000Z"
	aliceSig     = Sign("alice", validExpiry)
	expiredSig   = Sign("alice", pastExpiry)
	wrongSig     = Sign("alice", validExpiry+" ")[:63] + "0"
	oversized    = strings.Repeat("a", 1025)
	aliceHeaders = func() http.Header {
		return http.Header{HeaderUserID: {"alice"}, HeaderExpires: {validExpiry}, HeaderSignature: {aliceSig}}
	}
)

func with(h http.Header, name string, values ...string) http.Header {
	if values == nil {
		delete(h, name)
	} else {
		h[name] = values
	}
	return h
}

// Valid is the request that must reach the handler as alice.
func Valid() Case { return Case{Name: "valid", Header: aliceHeaders()} }

// Refused are the requests that must get 401 with the handler never run.
func Refused() []Case {
	return []Case{
		{"missing", http.Header{}, refusal.Missing},
		{"missing signature", with(aliceHeaders(), HeaderSignature), refusal.Missing},
		{"empty signature", with(aliceHeaders(), HeaderSignature, ""), refusal.Missing},
		{"malformed signature", with(aliceHeaders(), HeaderSignature, strings.Repeat("z", 64)), refusal.Malformed},
		{"uppercase hex", with(aliceHeaders(), HeaderSignature, strings.ToUpper(aliceSig)), refusal.Malformed},
		{"wrong signature", with(aliceHeaders(), HeaderSignature, wrongSig), refusal.Invalid},
		{"other user's", with(aliceHeaders(), HeaderUserID, "bob"), refusal.Invalid},
		{"expiry moved", with(aliceHeaders(), HeaderExpires, "2026-06-01T14:00:00.000Z"), refusal.Invalid},
		{"expired", with(with(aliceHeaders(), HeaderExpires, pastExpiry), HeaderSignature, expiredSig), refusal.Expired},
		{"expiry unreadable", with(aliceHeaders(), HeaderExpires, "tomorrow"), refusal.InvalidExpiry},
		{"duplicated signature", with(aliceHeaders(), HeaderSignature, aliceSig, aliceSig), refusal.Duplicate},
		{"duplicated user id", with(aliceHeaders(), HeaderUserID, "alice", "bob"), refusal.Duplicate},
		{"oversized user id", with(aliceHeaders(), HeaderUserID, oversized), refusal.Oversized},
		{"oversized signature", with(aliceHeaders(), HeaderSignature, oversized), refusal.Oversized},
	}
}

// Request builds the GET for c to url, its header names in canonical form
// as a net/http server hands them over.
func Request(c Case, url string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, url, nil)
	for name, vs := range c.Header {
		for _, v := range vs {
			r.Header.Add(name, v)
		}
	}
	return r
}

// Do sends a request through the framework and returns its response.
type Do func(*http.Request) *http.Response

// Serve is the Do of a framework whose router is an http.Handler (chi,
// gin, echo): the request is served in process and recorded.
func Serve(h http.Handler) Do {
	return func(r *http.Request) *http.Response {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
}

// Run checks the adapter mounted at url in front of p: the valid request
// reaches the handler with alice's identity (and nothing else), and every
// refused one gets the module's 401 with the handler never run. reasons, if
// not nil, returns and forgets the reasons logged since its last call.
func Run(t *testing.T, do Do, url string, p *Probe, reasons func() []string) {
	t.Helper()
	t.Run(Valid().Name, func(t *testing.T) {
		res := do(Request(Valid(), url))
		assert.Equal(t, http.StatusOK, res.StatusCode)
		calls, id, ok := p.Take()
		require.Equal(t, 1, calls, "the handler runs once")
		assert.True(t, ok, "the identity is there")
		want := usersig.Identity{UserID: "alice", ExpiresAt: time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)}
		assert.Equal(t, want, id)
		if reasons != nil {
			assert.Empty(t, reasons(), "nothing logged")
		}
	})
	for _, c := range Refused() {
		t.Run(c.Name, func(t *testing.T) {
			AssertRefused(t, do(Request(c, url)))
			calls, _, ok := p.Take()
			assert.Zero(t, calls, "the handler never runs")
			assert.False(t, ok)
			if reasons != nil {
				assert.Equal(t, []string{c.Reason}, reasons())
			}
		})
	}
}

// RunReportOnly checks an adapter configured report-only (unsigned requests
// allowed): an unsigned request reaches the handler without an identity,
// a signed one with alice's, and a request with a bad signature, or a
// repeated or oversized field, is still refused.
func RunReportOnly(t *testing.T, do Do, url string, p *Probe) {
	t.Helper()
	for _, c := range []Case{
		{Name: "no headers", Header: http.Header{}},
		{Name: "claims alice, unsigned", Header: with(aliceHeaders(), HeaderSignature)},
		{Name: "claims alice, empty signature", Header: with(aliceHeaders(), HeaderSignature, "")},
	} {
		t.Run(c.Name, func(t *testing.T) {
			res := do(Request(c, url))
			assert.Equal(t, http.StatusOK, res.StatusCode)
			calls, id, ok := p.Take()
			assert.Equal(t, 1, calls)
			assert.False(t, ok, "an unsigned request has no identity")
			assert.Zero(t, id)
		})
	}
	t.Run("signed", func(t *testing.T) {
		res := do(Request(Valid(), url))
		assert.Equal(t, http.StatusOK, res.StatusCode)
		calls, id, ok := p.Take()
		assert.Equal(t, 1, calls)
		assert.True(t, ok)
		assert.Equal(t, "alice", id.UserID)
	})
	for _, c := range Refused() {
		if c.Reason == refusal.Missing {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			AssertRefused(t, do(Request(c, url)))
			calls, _, _ := p.Take()
			assert.Zero(t, calls, "the handler never runs")
		})
	}
}

// AssertRefused checks res is the module's 401 answer.
func AssertRefused(t *testing.T, res *http.Response) {
	t.Helper()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.Equal(t, refusal.UnauthorizedBody, string(body))
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
}

// RefusedCase returns the refused case of that name; it panics on a name
// Refused does not have.
func RefusedCase(name string) Case {
	for _, c := range Refused() {
		if c.Name == name {
			return c
		}
	}
	panic("adaptertest: no refused case " + name)
}
