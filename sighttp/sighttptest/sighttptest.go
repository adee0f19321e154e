// Package sighttptest is the suite an adapter of sighttp's Gate must pass:
// net/http and chi through sighttp.Middleware, contrib/ginsig, echosig,
// fibersig and grpcsig (unary and streaming) each run it through their
// framework's own router, server and client, so that every transport
// accepts and refuses exactly the same requests, with its fixed answer, the
// same logged reason words and one Decision per request.
//
// An adapter for a new transport passes it like this:
//
//	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
//		// your adapter, built with sighttptest.Signer(t) and opts, in front
//		// of a handler that calls p.Saw(sighttp.IdentityFromContext(ctx))
//		return send // one request through your transport
//	})
//
// where send is HTTP(do, url) for an HTTP framework, or a Send of your own
// that carries a Case's fields in your transport and checks its refusal
// answer (contrib/grpcsig's does, with gRPC metadata and status codes). Its signatures are computed here with crypto/hmac, from the
// scheme's definition, not with usersig.
package sighttptest

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
	"github.com/usersig/usersig/sighttp"
)

// The suite's scheme: hex HMAC-SHA256 of the user id followed by the expiry
// text, in these headers.
const (
	HeaderUserID    = "X-User-Id"
	HeaderExpires   = "X-User-Expires"
	HeaderSignature = "X-User-Signature"

	secret = "sighttptest-secret-0123456789abcdef"
)

// Now is the suite's clock, for usersig.WithClock: every expiry is judged
// against 2026-06-01 12:00 UTC.
func Now() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }

// Scheme is the suite's scheme (Product Fruits' rule, in hex, in X-User-*
// headers).
func Scheme() usersig.Scheme {
	return usersig.Scheme{
		Name:     "sighttptest",
		Composer: usersig.UserIDExpiry,
		Encoding: usersig.Hex,
		Headers:  usersig.Headers{UserID: HeaderUserID, Expires: HeaderExpires, Signature: HeaderSignature},
	}
}

// Signer is the Signer the adapters under test verify with.
func Signer(t testing.TB) *usersig.Signer {
	t.Helper()
	s, err := usersig.New(Scheme(), []byte(secret), usersig.WithClock(Now))
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
		{"missing", http.Header{}, sighttp.ReasonMissing},
		{"missing signature", with(aliceHeaders(), HeaderSignature), sighttp.ReasonMissing},
		{"empty signature", with(aliceHeaders(), HeaderSignature, ""), sighttp.ReasonMissing},
		{"malformed signature", with(aliceHeaders(), HeaderSignature, strings.Repeat("z", 64)), sighttp.ReasonMalformed},
		{"uppercase hex", with(aliceHeaders(), HeaderSignature, strings.ToUpper(aliceSig)), sighttp.ReasonMalformed},
		{"wrong signature", with(aliceHeaders(), HeaderSignature, wrongSig), sighttp.ReasonInvalid},
		{"other user's", with(aliceHeaders(), HeaderUserID, "bob"), sighttp.ReasonInvalid},
		{"expiry moved", with(aliceHeaders(), HeaderExpires, "2026-06-01T14:00:00.000Z"), sighttp.ReasonInvalid},
		{"expired", with(with(aliceHeaders(), HeaderExpires, pastExpiry), HeaderSignature, expiredSig), sighttp.ReasonExpired},
		{"expiry unreadable", with(aliceHeaders(), HeaderExpires, "tomorrow"), sighttp.ReasonInvalidExpiry},
		{"duplicated signature", with(aliceHeaders(), HeaderSignature, aliceSig, aliceSig), sighttp.ReasonDuplicate},
		{"duplicated user id", with(aliceHeaders(), HeaderUserID, "alice", "bob"), sighttp.ReasonDuplicate},
		{"oversized user id", with(aliceHeaders(), HeaderUserID, oversized), sighttp.ReasonOversized},
		{"oversized signature", with(aliceHeaders(), HeaderSignature, oversized), sighttp.ReasonOversized},
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

// A Send sends the request of c through the adapter under test (its
// header names may repeat; a transport with lower-case keys lower-cases
// them) and reports whether the handler behind it answered. A refusal must
// be the transport's fixed answer: Send fails t otherwise (HTTP's checks it
// with AssertRefused).
type Send func(t *testing.T, c Case) (passed bool)

// HTTP is the Send of an HTTP framework: the request of c to url through
// do, which passed when the answer is 200 and was refused when it is
// exactly the module's 401.
func HTTP(do Do, url string) Send {
	return func(t *testing.T, c Case) bool {
		t.Helper()
		res := do(Request(c, url))
		if res.StatusCode == http.StatusOK {
			return true
		}
		AssertRefused(t, res)
		return false
	}
}

// A Mount builds the adapter under test from sighttp options, with the
// suite's Signer, in front of a handler that calls p.Saw with the identity
// it sees, and returns how to send it a request.
type Mount func(p *Probe, opts ...sighttp.Option) Send

// RunSuite is the whole suite for one adapter: Run, then RunReportOnly with
// sighttp.WithUnsignedAllowed, each on an adapter mount builds afresh with a
// Recorder's options.
func RunSuite(t *testing.T, mount Mount) {
	t.Helper()
	t.Run("verify", func(t *testing.T) {
		var p Probe
		rec := NewRecorder()
		Run(t, mount(&p, rec.Options()...), &p, rec)
	})
	t.Run("report-only", func(t *testing.T) {
		var p Probe
		rec := NewRecorder()
		RunReportOnly(t, mount(&p, append(rec.Options(), sighttp.WithUnsignedAllowed())...), &p, rec)
	})
}

// Run checks the adapter in front of p: the valid request reaches the
// handler once with alice's identity (and nothing else), and every refused
// one gets the transport's refusal with the handler never run. rec, if not
// nil, must hold the adapter's logger and observer (rec.Options()): each
// request is then one Decision with the right outcome, reason, scheme and
// secret, and each refusal one log record with the same reason.
func Run(t *testing.T, send Send, p *Probe, rec *Recorder) {
	t.Helper()
	t.Run(Valid().Name, func(t *testing.T) {
		require.True(t, send(t, Valid()), "the valid request passes")
		calls, id, ok := p.Take()
		require.Equal(t, 1, calls, "the handler runs once")
		assert.True(t, ok, "the identity is there")
		want := usersig.Identity{UserID: "alice", ExpiresAt: time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)}
		assert.Equal(t, want, id)
		rec.check(t, nil, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: Scheme().Name, Secret: 0})
	})
	for _, c := range Refused() {
		t.Run(c.Name, func(t *testing.T) {
			assert.False(t, send(t, c), "refused")
			calls, _, ok := p.Take()
			assert.Zero(t, calls, "the handler never runs")
			assert.False(t, ok)
			rec.check(t, []string{c.Reason}, sighttp.Decision{Outcome: sighttp.Rejected, Reason: c.Reason, Scheme: Scheme().Name, Secret: -1})
		})
	}
}

// RunReportOnly checks an adapter configured report-only
// (sighttp.WithUnsignedAllowed): an unsigned request reaches the handler
// without an identity, a signed one with alice's, and a request with a bad
// signature, or a repeated or oversized field, is still refused. rec is as
// for Run.
func RunReportOnly(t *testing.T, send Send, p *Probe, rec *Recorder) {
	t.Helper()
	for _, c := range []Case{
		{Name: "no headers", Header: http.Header{}},
		{Name: "claims alice, unsigned", Header: with(aliceHeaders(), HeaderSignature)},
		{Name: "claims alice, empty signature", Header: with(aliceHeaders(), HeaderSignature, "")},
	} {
		t.Run(c.Name, func(t *testing.T) {
			assert.True(t, send(t, c), "an unsigned request passes")
			calls, id, ok := p.Take()
			assert.Equal(t, 1, calls)
			assert.False(t, ok, "an unsigned request has no identity")
			assert.Zero(t, id)
			rec.check(t, []string{sighttp.ReasonUnsigned}, sighttp.Decision{Outcome: sighttp.Unsigned, Reason: sighttp.ReasonUnsigned, Scheme: Scheme().Name, Secret: -1})
		})
	}
	t.Run("signed", func(t *testing.T) {
		assert.True(t, send(t, Valid()))
		calls, id, ok := p.Take()
		assert.Equal(t, 1, calls)
		assert.True(t, ok)
		assert.Equal(t, "alice", id.UserID)
		rec.check(t, nil, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: Scheme().Name, Secret: 0})
	})
	for _, c := range Refused() {
		if c.Reason == sighttp.ReasonMissing {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			assert.False(t, send(t, c), "refused")
			calls, _, _ := p.Take()
			assert.Zero(t, calls, "the handler never runs")
			rec.check(t, []string{c.Reason}, sighttp.Decision{Outcome: sighttp.Rejected, Reason: c.Reason, Scheme: Scheme().Name, Secret: -1})
		})
	}
}

// AssertRefused checks res is the module's 401 answer: status 401, the
// body sighttp.UnauthorizedBody and its three headers.
func AssertRefused(t *testing.T, res *http.Response) {
	t.Helper()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.Equal(t, sighttp.UnauthorizedBody, string(body))
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
	panic("sighttptest: no refused case " + name)
}
