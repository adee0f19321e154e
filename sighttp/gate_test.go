package sighttp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
)

// probed is a handler that tells p what IdentityFromContext says.
func probed(p *sighttptest.Probe) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.Saw(sighttp.IdentityFromContext(r.Context()))
		_, _ = w.Write([]byte("ok"))
	})
}

func TestSuiteMiddleware(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return sighttptest.HTTP(sighttptest.Serve(sighttp.Middleware(sighttptest.Signer(t), opts...)(probed(p))), "/api")
	})
}

// checkSend sends a case straight to Gate.Check, its names matched without
// regard to case, as a carrier of HTTP headers would.
func checkSend(g *sighttp.Gate, p *sighttptest.Probe) sighttptest.Send {
	return func(t *testing.T, c sighttptest.Case) bool {
		get := func(name string) []string { return c.Header[http.CanonicalHeaderKey(name)] }
		ctx, err := g.Check(context.Background(), sighttp.Request{Header: get, Method: "GET", Path: "/api"})
		if err != nil {
			assert.NotEmpty(t, sighttp.Reason(err))
			return false
		}
		p.Saw(sighttp.IdentityFromContext(ctx))
		return true
	}
}

func TestSuiteCheck(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return checkSend(sighttp.NewGate(sighttptest.Signer(t), opts...), p)
	})
}

// An inner report-only Gate that saw no signature of its own hides what an
// outer one verified, through Check as through Middleware.
func TestCheckNestedUnsignedHidesOuter(t *testing.T) {
	s := sighttptest.Signer(t)
	valid := sighttptest.Valid().Header
	get := func(name string) []string { return valid[http.CanonicalHeaderKey(name)] }
	ctx, err := sighttp.NewGate(s).Check(context.Background(), sighttp.Request{Header: get})
	require.NoError(t, err)
	_, ok := sighttp.IdentityFromContext(ctx)
	require.True(t, ok)
	inner := sighttp.NewGate(s, sighttp.WithUnsignedAllowed(), sighttp.WithHeaders(usersig.Headers{UserID: "X-Inner-Id", Signature: "X-Inner-Sig"}))
	ctx, err = inner.Check(ctx, sighttp.Request{Header: get})
	require.NoError(t, err)
	_, ok = sighttp.IdentityFromContext(ctx)
	assert.False(t, ok)
}

func TestTenantLookup(t *testing.T) {
	s := sighttptest.Signer(t)
	src := tenantSource{"pk_alice": s, "pk_broken": nil}
	var got []sighttp.Decision
	obs := sighttp.WithObserver(func(_ context.Context, d sighttp.Decision) { got = append(got, d) })
	var p sighttptest.Probe
	h := sighttp.Middleware(nil, sighttp.WithTenantLookup("x-api-key", src), obs)(probed(&p))
	g := sighttp.NewGate(nil, sighttp.WithTenantLookup("x-api-key", src), obs)
	req := func(keys ...string) *http.Request {
		r := sighttptest.Request(sighttptest.Valid(), "/api")
		for _, k := range keys {
			r.Header.Add("X-Api-Key", k)
		}
		return r
	}
	for _, c := range []struct {
		name   string
		keys   []string
		reason string
		tenant string
	}{
		{"known", []string{"pk_alice"}, "", "pk_alice"},
		{"no key", nil, sighttp.ReasonUnknownSigner, ""},
		{"empty key", []string{""}, sighttp.ReasonUnknownSigner, ""},
		{"unknown", []string{"pk_nobody"}, sighttp.ReasonUnknownSigner, ""},
		{"store fails", []string{"pk_broken"}, sighttp.ReasonError, ""},
		{"twice", []string{"pk_alice", "pk_alice"}, sighttp.ReasonDuplicate, ""},
		{"oversized", []string{strings.Repeat("k", 1025)}, sighttp.ReasonOversized, ""},
	} {
		want := sighttp.Decision{Outcome: sighttp.Accepted, Scheme: sighttptest.Scheme().Name, Tenant: c.tenant}
		if c.reason != "" {
			want = sighttp.Decision{Outcome: sighttp.Rejected, Reason: c.reason, Secret: -1}
		}
		// through Middleware
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req(c.keys...))
		assert.Equal(t, c.reason == "", w.Code == http.StatusOK, c.name)
		// and through Check, with lower-case keys as gRPC metadata has them
		r := req(c.keys...)
		md := map[string][]string{}
		for k, v := range r.Header {
			md[strings.ToLower(k)] = v
		}
		_, err := g.Check(context.Background(), sighttp.Request{Header: func(n string) []string { return md[strings.ToLower(n)] }})
		assert.Equal(t, c.reason == "", err == nil, c.name)
		assert.Equal(t, []sighttp.Decision{want, want}, got, c.name)
		got = nil
	}
}

// tenantSource fails for a key mapped to nil, as a store that is down.
type tenantSource map[string]*usersig.Signer

func (m tenantSource) Signer(_ context.Context, key string) (*usersig.Signer, error) {
	s, ok := m[key]
	switch {
	case !ok:
		return nil, nil
	case s == nil:
		return nil, errors.New("database down")
	}
	return s, nil
}

func TestSignerMap(t *testing.T) {
	s := sighttptest.Signer(t)
	got, err := sighttp.SignerMap{"k": s}.Signer(context.Background(), "k")
	require.NoError(t, err)
	assert.Same(t, s, got)
	_, err = sighttp.SignerMap{"k": s}.Signer(context.Background(), "K")
	assert.ErrorIs(t, err, sighttp.ErrUnknownSigner)
}

// A Gate built with an option that reads an *http.Request says so, and
// Check refuses with it rather than guess.
func TestHTTPOnly(t *testing.T) {
	s := sighttptest.Signer(t)
	assert.False(t, sighttp.NewGate(s).HTTPOnly())
	assert.False(t, sighttp.NewGate(s, sighttp.WithHeaders(usersig.Headers{Signature: "sig"})).HTTPOnly())
	for _, g := range []*sighttp.Gate{
		sighttp.NewGate(s, sighttp.WithExtractor(sighttp.FromQuery(usersig.Headers{Signature: "sig"}))),
		sighttp.NewGate(nil, sighttp.WithSignerLookup(func(*http.Request) (*usersig.Signer, error) { return s, nil })),
	} {
		assert.True(t, g.HTTPOnly())
		valid := sighttptest.Valid().Header
		_, err := g.Check(context.Background(), sighttp.Request{Header: func(n string) []string { return valid[n] }})
		assert.Error(t, err)
		assert.Equal(t, sighttp.ReasonError, sighttp.Reason(err))
	}
}

func TestNewGatePanics(t *testing.T) {
	s := sighttptest.Signer(t)
	src := sighttp.SignerMap{"k": s}
	lookup := sighttp.WithSignerLookup(func(*http.Request) (*usersig.Signer, error) { return s, nil })
	assert.Panics(t, func() { sighttp.NewGate(nil) })
	assert.Panics(t, func() { sighttp.NewGate(s, nil) })
	assert.Panics(t, func() { sighttp.NewGate(nil, lookup, sighttp.WithTenantLookup("k", src)) })
	assert.Panics(t, func() {
		sighttp.NewGate(s, sighttp.WithHeaders(usersig.Headers{}), sighttp.WithExtractor(sighttp.FromHeaders(usersig.Headers{})))
	})
	assert.Panics(t, func() { sighttp.WithTenantLookup("", src) })
	assert.Panics(t, func() { sighttp.WithTenantLookup("k", nil) })
	assert.NotPanics(t, func() { sighttp.NewGate(nil, sighttp.WithTenantLookup("k", src)) })
}

// The Observer learns which secret verified: a rotation's previous secret
// shows as 1.
func TestObserverSecret(t *testing.T) {
	old := []byte("previous-secret-0123456789abcdef")
	prev, err := usersig.New(sighttptest.Scheme(), old, usersig.WithClock(sighttptest.Now))
	require.NoError(t, err)
	rotated, err := usersig.New(sighttptest.Scheme(), []byte("current-secret-0123456789abcdefgh"),
		usersig.WithPreviousSecrets(old), usersig.WithClock(sighttptest.Now))
	require.NoError(t, err)
	cred, err := prev.Issue(usersig.Identity{UserID: "alice"})
	require.NoError(t, err)
	var got sighttp.Decision
	g := sighttp.NewGate(rotated, sighttp.WithObserver(func(_ context.Context, d sighttp.Decision) { got = d }))
	hdr := http.Header{}
	hdr.Set(sighttptest.HeaderUserID, cred.UserID)
	hdr.Set(sighttptest.HeaderSignature, cred.Signature)
	_, err = g.Check(context.Background(), sighttp.Request{Header: func(n string) []string { return hdr[http.CanonicalHeaderKey(n)] }})
	require.NoError(t, err)
	assert.Equal(t, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "sighttptest", Secret: 1}, got)
}

// A Request without a carrier is an unsigned request, never a panic.
func TestCheckWithoutCarrier(t *testing.T) {
	_, err := sighttp.NewGate(sighttptest.Signer(t)).Check(context.Background(), sighttp.Request{})
	assert.ErrorIs(t, err, sighttp.ErrNoSignature)
}
