package sighttp_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// Signatures below marked "(Node)" were computed independently of this
// package with Node 20's crypto module:
//
//	node -e "console.log(require('crypto').createHmac('sha256','<secret>').update('<id>').digest('base64'))"
const (
	mwSecret = "hsec_2f9c1e7a4b8d3f60a5e1c7b9"
	mwUserID = "gtLIK8ELsHTr0Fajg28Ud9eFpJJ3" // the external id in Proficient's docs

	// mwNodeSig is HMAC(mwSecret, mwUserID) in base64 (Node).
	mwNodeSig = "Sdf0ACguqyXfR+VLdrqUOUAy+SIDC2AmK7ywrzkLcMM="
	// mwAliceSig is HMAC(mwSecret, "alice") in base64 (Node): another user's.
	mwAliceSig = "Zg/1omxGM9TNbqx0IdD44wX6MzWjDyncdZgD2aP1tWQ="

	mwOldSecret = "hsec_old_7d1e5a9c3b2f8e40d6a1"
	// mwOldSig is HMAC(mwOldSecret, mwUserID) in base64 (Node).
	mwOldSig = "LkQfHbkcYhTv8W7BBeMeq3PDVdOG4UTZAYxYHAumXPc="

	mwOtherSecret = "hsec_globex_5b3e9a1c7d2f4e60"

	mwUnauthorized = `{"error":"unauthorized"}` + "\n"

	hdrProfID  = "X-PROFICIENT-USER-EXTERNAL-ID"
	hdrProfSig = "X-PROFICIENT-USER-HMAC"
	hdrProfKey = "X-PROFICIENT-API-KEY"
)

func mwSigner(t testing.TB, sc usersig.Scheme, secret string, opts ...usersig.Option) *usersig.Signer {
	t.Helper()
	s, err := usersig.New(sc, []byte(secret), opts...)
	require.NoError(t, err)
	return s
}

func mwSign(t testing.TB, s *usersig.Signer, id usersig.Identity) string {
	t.Helper()
	sig, err := s.Sign(id)
	require.NoError(t, err)
	return sig
}

// mwNext is the protected handler: it counts calls and records the identity.
type mwNext struct {
	calls int
	id    usersig.Identity
	ok    bool
}

func (n *mwNext) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.calls++
	n.id, n.ok = sighttp.IdentityFromContext(r.Context())
	_, _ = io.WriteString(w, "next")
}

// mwRequest builds a GET with headers added in order (Add, so a name given
// twice is sent twice).
func mwRequest(target string, headers ...[2]string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for _, h := range headers {
		r.Header.Add(h[0], h[1])
	}
	return r
}

func mwServe(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func mwAssertRejected(t *testing.T, rec *httptest.ResponseRecorder, next *mwNext) {
	t.Helper()
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Equal(t, mwUnauthorized, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, 0, next.calls, "next handler called on a rejected request")
}

func mwAssertPassed(t *testing.T, rec *httptest.ResponseRecorder, next *mwNext, want usersig.Identity) {
	t.Helper()
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "next", rec.Body.String())
	assert.Equal(t, 1, next.calls)
	assert.True(t, next.ok, "no identity in context")
	assert.Equal(t, want, next.id)
}

type mwCase struct {
	name    string
	headers [][2]string
	want    error // nil: passes with wantID
	wantID  usersig.Identity
}

func runMWCases(t *testing.T, s *usersig.Signer, cases []mwCase, opts ...sighttp.Option) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The default answer.
			next := &mwNext{}
			rec := mwServe(sighttp.Middleware(s, opts...)(next), mwRequest("/inbox", tc.headers...))
			if tc.want == nil {
				mwAssertPassed(t, rec, next, tc.wantID)
			} else {
				mwAssertRejected(t, rec, next)
			}

			// The reason, as an error handler sees it.
			var got error
			calls := 0
			next = &mwNext{}
			h := sighttp.Middleware(s, append(opts, sighttp.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
				calls++
				got = err
				w.WriteHeader(http.StatusTeapot)
			}))...)(next)
			rec = mwServe(h, mwRequest("/inbox", tc.headers...))
			if tc.want == nil {
				assert.Equal(t, 0, calls)
				assert.Equal(t, 1, next.calls)
				return
			}
			assert.Equal(t, 1, calls)
			assert.Equal(t, http.StatusTeapot, rec.Code)
			assert.ErrorIs(t, got, tc.want)
			assert.Equal(t, 0, next.calls)
		})
	}
}

func TestMiddlewareProficient(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	long := strings.Repeat("a", 1025)
	atBound := strings.Repeat("b", 1024)
	huge := strings.Repeat("x", 200<<10)
	cases := []mwCase{
		{name: "valid (Node signature)", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, wantID: usersig.Identity{UserID: mwUserID}},
		{name: "valid, 1024-byte id", headers: [][2]string{{hdrProfID, atBound}, {hdrProfSig, mwSign(t, s, usersig.Identity{UserID: atBound})}}, wantID: usersig.Identity{UserID: atBound}},
		{name: "valid, lower-case names", headers: [][2]string{{strings.ToLower(hdrProfID), mwUserID}, {strings.ToLower(hdrProfSig), mwNodeSig}}, wantID: usersig.Identity{UserID: mwUserID}},
		{name: "valid, email header ignored", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}, {"X-User-Email", "boss@example.com"}}, wantID: usersig.Identity{UserID: mwUserID}},
		{name: "nothing", want: sighttp.ErrNoSignature},
		{name: "id without signature", headers: [][2]string{{hdrProfID, mwUserID}}, want: sighttp.ErrNoSignature},
		{name: "empty signature", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, ""}}, want: sighttp.ErrNoSignature},
		{name: "signature without id", headers: [][2]string{{hdrProfSig, mwNodeSig}}, want: usersig.ErrMissingIdentity},
		{name: "empty id", headers: [][2]string{{hdrProfID, ""}, {hdrProfSig, mwNodeSig}}, want: usersig.ErrMissingIdentity},
		{name: "another user's signature", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwAliceSig}}, want: usersig.ErrInvalidSignature},
		{name: "tampered id", headers: [][2]string{{hdrProfID, "alice"}, {hdrProfSig, mwNodeSig}}, want: usersig.ErrInvalidSignature},
		{name: "id with trailing space", headers: [][2]string{{hdrProfID, mwUserID + " "}, {hdrProfSig, mwNodeSig}}, want: usersig.ErrInvalidSignature},
		{name: "old secret, not accepted here", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwOldSig}}, want: usersig.ErrInvalidSignature},
		{name: "unpadded", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, strings.TrimRight(mwNodeSig, "=")}}, want: usersig.ErrMalformedSignature},
		{name: "plus as space", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, strings.ReplaceAll(mwNodeSig, "+", " ")}}, want: usersig.ErrMalformedSignature},
		{name: "hex instead of base64", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, strings.Repeat("ab", 32)}}, want: usersig.ErrMalformedSignature},
		{name: "truncated", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig[:20]}}, want: usersig.ErrMalformedSignature},
		{name: "signature twice", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrMalformedCredential},
		{name: "id twice, first valid", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfID, "alice"}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrMalformedCredential},
		{name: "id twice, mixed case", headers: [][2]string{{hdrProfID, mwUserID}, {strings.ToLower(hdrProfID), mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrMalformedCredential},
		{name: "1025-byte id", headers: [][2]string{{hdrProfID, long}, {hdrProfSig, mwSign(t, s, usersig.Identity{UserID: long})}}, want: sighttp.ErrMalformedCredential},
		{name: "200 kB id", headers: [][2]string{{hdrProfID, huge}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrMalformedCredential},
		{name: "200 kB signature", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, huge}}, want: sighttp.ErrMalformedCredential},
	}
	runMWCases(t, s, cases)
}

// TestMiddlewareOverTheWire sends lower-case header names on a real
// connection, as HTTP/2 clients and many proxies do.
func TestMiddlewareOverTheWire(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	next := &mwNext{}
	srv := httptest.NewServer(sighttp.Middleware(s)(next))
	t.Cleanup(srv.Close)

	send := func(t *testing.T, headers string) *http.Response {
		t.Helper()
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { _ = conn.Close() })
		_, err = io.WriteString(conn, "GET /inbox HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"+headers+"\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}

	resp := send(t, "x-proficient-user-external-id: "+mwUserID+"\r\nx-proficient-user-hmac: "+mwNodeSig+"\r\n")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, next.calls)
	assert.Equal(t, usersig.Identity{UserID: mwUserID}, next.id)

	resp = send(t, "x-proficient-user-external-id: "+mwUserID+"\r\nX-Proficient-User-Hmac: "+mwNodeSig+"\r\nX-PROFICIENT-USER-HMAC: "+mwNodeSig+"\r\n")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, mwUnauthorized, string(body))
	assert.Equal(t, 1, next.calls)
}

func TestMiddlewareDefaultHeaders(t *testing.T) {
	// Intercom names no headers: X-User-Id, X-User-Email, X-User-Signature.
	s := mwSigner(t, usersig.Intercom(), mwSecret)
	byID := mwSign(t, s, usersig.Identity{UserID: "42"})
	byEmail := mwSign(t, s, usersig.Identity{Email: "ann@example.com"})
	cases := []mwCase{
		{name: "id", headers: [][2]string{{"X-User-Id", "42"}, {"X-User-Signature", byID}}, wantID: usersig.Identity{UserID: "42"}},
		{name: "email", headers: [][2]string{{"X-User-Email", "ann@example.com"}, {"X-User-Signature", byEmail}}, wantID: usersig.Identity{Email: "ann@example.com"}},
		// The id is signed, the email is not: it must not reach the context.
		{name: "id with unsigned email", headers: [][2]string{{"X-User-Id", "42"}, {"X-User-Email", "boss@example.com"}, {"X-User-Signature", byID}}, wantID: usersig.Identity{UserID: "42"}},
		{name: "email signature, id sent", headers: [][2]string{{"X-User-Id", "42"}, {"X-User-Email", "ann@example.com"}, {"X-User-Signature", byEmail}}, want: usersig.ErrInvalidSignature},
		{name: "unsigned expiry is checked", headers: [][2]string{{"X-User-Id", "42"}, {"X-User-Expires", "2001-01-01T00:00:00Z"}, {"X-User-Signature", byID}}, want: usersig.ErrExpired},
		{name: "unsigned expiry is dropped", headers: [][2]string{{"X-User-Id", "42"}, {"X-User-Expires", "2999-01-01T00:00:00Z"}, {"X-User-Signature", byID}}, wantID: usersig.Identity{UserID: "42"}},
		{name: "unreadable expiry", headers: [][2]string{{"X-User-Id", "42"}, {"X-User-Expires", "tomorrow"}, {"X-User-Signature", byID}}, want: usersig.ErrInvalidExpiry},
		{name: "upper-case hex", headers: [][2]string{{"X-User-Id", "42"}, {"X-User-Signature", strings.ToUpper(byID)}}, want: usersig.ErrMalformedSignature},
		{name: "Proficient headers are not read", headers: [][2]string{{hdrProfID, "42"}, {hdrProfSig, byID}}, want: sighttp.ErrNoSignature},
	}
	runMWCases(t, s, cases)

	// Novu signs the user id alone, in hex: email and expiry are unsigned.
	novu := mwSigner(t, usersig.Novu(), mwSecret)
	runMWCases(t, novu, []mwCase{
		{name: "novu drops unsigned fields", headers: [][2]string{{"X-User-Id", "sub-1"}, {"X-User-Email", "boss@example.com"}, {"X-User-Expires", "2999-01-01T00:00:00Z"}, {"X-User-Signature", mwSign(t, novu, usersig.Identity{UserID: "sub-1"})}}, wantID: usersig.Identity{UserID: "sub-1"}},
	})
	// Crisp signs the email alone.
	crisp := mwSigner(t, usersig.Crisp(), mwSecret)
	runMWCases(t, crisp, []mwCase{
		{name: "crisp drops the unsigned id", headers: [][2]string{{"X-User-Id", "admin"}, {"X-User-Email", "ann@example.com"}, {"X-User-Signature", mwSign(t, crisp, usersig.Identity{Email: "ann@example.com"})}}, wantID: usersig.Identity{Email: "ann@example.com"}},
	})
}

func TestMiddlewareVendorHeaders(t *testing.T) {
	t.Run("MagicBell", func(t *testing.T) {
		s := mwSigner(t, usersig.MagicBell(), mwSecret)
		runMWCases(t, s, []mwCase{
			{name: "external id", headers: [][2]string{{"X-MAGICBELL-USER-EXTERNAL-ID", "u1"}, {"X-MAGICBELL-USER-HMAC", mwSign(t, s, usersig.Identity{UserID: "u1"})}}, wantID: usersig.Identity{UserID: "u1"}},
			{name: "email", headers: [][2]string{{"X-MAGICBELL-USER-EMAIL", "a@b.co"}, {"X-MAGICBELL-USER-HMAC", mwSign(t, s, usersig.Identity{Email: "a@b.co"})}}, wantID: usersig.Identity{Email: "a@b.co"}},
		})
	})
	t.Run("Courier", func(t *testing.T) { // lower-case names in the preset
		s := mwSigner(t, usersig.Courier(), mwSecret)
		runMWCases(t, s, []mwCase{
			{name: "valid", headers: [][2]string{{"X-Courier-User-Id", "u1"}, {"x-courier-user-signature", mwSign(t, s, usersig.Identity{UserID: "u1"})}}, wantID: usersig.Identity{UserID: "u1"}},
			{name: "wrong", headers: [][2]string{{"X-Courier-User-Id", "u2"}, {"x-courier-user-signature", mwSign(t, s, usersig.Identity{UserID: "u1"})}}, want: usersig.ErrInvalidSignature},
		})
	})
	t.Run("Engagespot", func(t *testing.T) {
		s := mwSigner(t, usersig.Engagespot(), mwSecret)
		runMWCases(t, s, []mwCase{
			// Same message and encoding as Proficient: the Node signature.
			{name: "valid", headers: [][2]string{{"X-ENGAGESPOT-USER-ID", mwUserID}, {"X-ENGAGESPOT-USER-SIGNATURE", mwNodeSig}}, wantID: usersig.Identity{UserID: mwUserID}},
			{name: "wrong", headers: [][2]string{{"X-ENGAGESPOT-USER-ID", "alice"}, {"X-ENGAGESPOT-USER-SIGNATURE", mwNodeSig}}, want: usersig.ErrInvalidSignature},
		})
	})
}

func TestMiddlewareProductFruitsExpiry(t *testing.T) {
	// Key "secret", user "testUser", expiry 2026-11-22T10:00:00.000Z: the
	// known answer in Product Fruits' "User identity verification" page.
	const pfSig = "dtrDkRUh8uJAu3PRWl7E90qVqMq/yAB6aPsseXo1w+U="
	expiry := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	before := mwSigner(t, usersig.ProductFruits(), "secret", usersig.WithShortSecretsAllowed(),
		usersig.WithClock(func() time.Time { return expiry.Add(-time.Hour) }))
	after := mwSigner(t, usersig.ProductFruits(), "secret", usersig.WithShortSecretsAllowed(),
		usersig.WithClock(func() time.Time { return expiry }))
	dotnet := "2026-11-22T10:00:00.0000000Z" // .NET's ToString("o")
	dotnetSig := mwSign(t, mwSigner(t, usersig.Scheme{Name: "raw", Composer: mwRawComposer("testUser" + dotnet), Encoding: usersig.Base64},
		"secret", usersig.WithShortSecretsAllowed()), usersig.Identity{UserID: "-"})

	runMWCases(t, before, []mwCase{
		{name: "known answer", headers: [][2]string{{"X-User-Id", "testUser"}, {"X-User-Expires", "2026-11-22T10:00:00.000Z"}, {"X-User-Signature", pfSig}}, wantID: usersig.Identity{UserID: "testUser", ExpiresAt: expiry}},
		{name: ".NET seven digits", headers: [][2]string{{"X-User-Id", "testUser"}, {"X-User-Expires", dotnet}, {"X-User-Signature", dotnetSig}}, wantID: usersig.Identity{UserID: "testUser", ExpiresAt: expiry}},
		{name: "re-serialised expiry", headers: [][2]string{{"X-User-Id", "testUser"}, {"X-User-Expires", "2026-11-22T10:00:00Z"}, {"X-User-Signature", pfSig}}, want: usersig.ErrInvalidSignature},
		{name: "expiry dropped", headers: [][2]string{{"X-User-Id", "testUser"}, {"X-User-Signature", pfSig}}, want: usersig.ErrInvalidSignature},
		{name: "expiry extended", headers: [][2]string{{"X-User-Id", "testUser"}, {"X-User-Expires", "2027-11-22T10:00:00.000Z"}, {"X-User-Signature", pfSig}}, want: usersig.ErrInvalidSignature},
		{name: "oversized expiry", headers: [][2]string{{"X-User-Id", "testUser"}, {"X-User-Expires", strings.Repeat("9", 2048)}, {"X-User-Signature", pfSig}}, want: sighttp.ErrMalformedCredential},
	})
	runMWCases(t, after, []mwCase{
		{name: "expired", headers: [][2]string{{"X-User-Id", "testUser"}, {"X-User-Expires", "2026-11-22T10:00:00.000Z"}, {"X-User-Signature", pfSig}}, want: usersig.ErrExpired},
	})
}

// mwRawComposer signs a fixed message, to make signatures over texts the
// package would not compose itself.
type mwRawComposer string

func (m mwRawComposer) AppendMessage(dst []byte, _ usersig.Identity) ([]byte, error) {
	return append(dst, m...), nil
}

// mwTaggedComposer signs "u:" and the user id, and nothing else.
type mwTaggedComposer struct{}

func (mwTaggedComposer) AppendMessage(dst []byte, id usersig.Identity) ([]byte, error) {
	if id.UserID == "" {
		return dst, usersig.ErrMissingIdentity
	}
	return append(append(dst, "u:"...), id.UserID...), nil
}

func TestMiddlewareCustomComposerKeepsOnlySignedFields(t *testing.T) {
	s := mwSigner(t, usersig.Scheme{Name: "mine", Composer: mwTaggedComposer{}, Encoding: usersig.Base64URL}, mwSecret)
	sig := mwSign(t, s, usersig.Identity{UserID: "u1"})
	runMWCases(t, s, []mwCase{
		{name: "email not bound", headers: [][2]string{{"X-User-Id", "u1"}, {"X-User-Email", "boss@example.com"}, {"X-User-Expires", "2999-01-01T00:00:00Z"}, {"X-User-Signature", sig}}, wantID: usersig.Identity{UserID: "u1"}},
	})

	framed := mwSigner(t, usersig.Scheme{Name: "framed", Composer: usersig.Framed, Encoding: usersig.Base64URL}, mwSecret)
	exp := time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)
	all := usersig.Identity{UserID: "u1", Email: "a@b.co", ExpiresAt: exp}
	runMWCases(t, framed, []mwCase{
		{name: "framed binds everything", headers: [][2]string{{"X-User-Id", "u1"}, {"X-User-Email", "a@b.co"}, {"X-User-Expires", "2999-01-01T00:00:00Z"}, {"X-User-Signature", mwSign(t, framed, all)}}, wantID: all},
		{name: "framed email swapped", headers: [][2]string{{"X-User-Id", "u1"}, {"X-User-Email", "boss@b.co"}, {"X-User-Expires", "2999-01-01T00:00:00Z"}, {"X-User-Signature", mwSign(t, framed, all)}}, want: usersig.ErrInvalidSignature},
	})
}

func TestMiddlewareQueryAndCookie(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	names := usersig.Headers{UserID: "uid", Signature: "sig"}

	t.Run("query", func(t *testing.T) {
		mw := sighttp.Middleware(s, sighttp.WithExtractor(sighttp.FromQuery(names)))
		esc := url.QueryEscape(mwNodeSig)
		for _, tc := range []struct {
			name, query string
			ok          bool
		}{
			{"valid", "uid=" + mwUserID + "&sig=" + esc, true},
			{"valid, other params", "a=1&uid=" + mwUserID + "&b=%zz&sig=" + esc, true},
			{"raw plus decodes to space", "uid=" + mwUserID + "&sig=" + mwNodeSig, false},
			{"sig twice", "uid=" + mwUserID + "&sig=" + esc + "&sig=" + esc, false},
			{"uid twice", "uid=" + mwUserID + "&uid=alice&sig=" + esc, false},
			{"escaped name twice", "uid=" + mwUserID + "&%75id=alice&sig=" + esc, false},
			{"bad escape", "uid=%zz&sig=" + esc, false},
			{"oversized", "uid=" + strings.Repeat("%41", 1025) + "&sig=" + esc, false},
			{"200 kB", "uid=" + strings.Repeat("a", 200<<10) + "&sig=" + esc, false},
			{"semicolon pair ignored", "uid=" + mwUserID + ";x=1&sig=" + esc, false},
			{"missing", "uid=" + mwUserID, false},
			{"header ignored", "", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				next := &mwNext{}
				r := mwRequest("/inbox?"+tc.query, [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig})
				rec := mwServe(mw(next), r)
				if tc.ok {
					mwAssertPassed(t, rec, next, usersig.Identity{UserID: mwUserID})
				} else {
					mwAssertRejected(t, rec, next)
				}
			})
		}
	})

	t.Run("cookie", func(t *testing.T) {
		mw := sighttp.Middleware(s, sighttp.WithExtractor(sighttp.FromCookie(names)))
		for _, tc := range []struct {
			name    string
			cookies []string
			ok      bool
		}{
			{"valid", []string{"uid=" + mwUserID + "; sig=" + mwNodeSig}, true},
			{"valid, quoted, split lines", []string{"session=abc; uid=" + mwUserID, `sig="` + mwNodeSig + `"`}, true},
			{"sig twice", []string{"uid=" + mwUserID + "; sig=" + mwNodeSig + "; sig=" + mwNodeSig}, false},
			{"uid tossed by a subdomain", []string{"uid=alice; uid=" + mwUserID + "; sig=" + mwNodeSig}, false},
			{"wrong case name", []string{"UID=" + mwUserID + "; sig=" + mwNodeSig}, false},
			{"oversized", []string{"uid=" + strings.Repeat("a", 1025) + "; sig=" + mwNodeSig}, false},
			{"another user's", []string{"uid=alice; sig=" + mwNodeSig}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				next := &mwNext{}
				r := mwRequest("/inbox")
				for _, c := range tc.cookies {
					r.Header.Add("Cookie", c)
				}
				rec := mwServe(mw(next), r)
				if tc.ok {
					mwAssertPassed(t, rec, next, usersig.Identity{UserID: mwUserID})
				} else {
					mwAssertRejected(t, rec, next)
				}
			})
		}
	})

	t.Run("custom extractor error", func(t *testing.T) {
		boom := errors.New("extractor says no")
		var got error
		mw := sighttp.Middleware(s,
			sighttp.WithExtractor(func(*http.Request) (usersig.Credential, error) {
				return usersig.Credential{UserID: mwUserID, Signature: mwNodeSig}, boom
			}),
			sighttp.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
				got = err
				sighttp.DefaultErrorHandler(w, r, err)
			}))
		next := &mwNext{}
		mwAssertRejected(t, mwServe(mw(next), mwRequest("/")), next)
		assert.ErrorIs(t, got, boom)
	})
}

func TestMiddlewareSignerLookup(t *testing.T) {
	acme := mwSigner(t, usersig.Proficient(), mwSecret, usersig.WithPreviousSecrets([]byte(mwOldSecret)))
	globex := mwSigner(t, usersig.Proficient(), mwOtherSecret)
	intercomTenant := mwSigner(t, usersig.Intercom(), mwOtherSecret) // a tenant on another scheme
	globexSig := mwSign(t, globex, usersig.Identity{UserID: mwUserID})
	lookup := sighttp.SignersByHeader(usersig.Proficient().Headers.APIKey, map[string]*usersig.Signer{
		"pk_acme": acme, "pk_globex": globex, "pk_hex": intercomTenant,
	})
	id := func(k string) [2]string { return [2]string{hdrProfKey, k} }
	valid := usersig.Identity{UserID: mwUserID}
	cases := []mwCase{
		{name: "acme current secret", headers: [][2]string{id("pk_acme"), {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, wantID: valid},
		{name: "acme previous secret", headers: [][2]string{id("pk_acme"), {hdrProfID, mwUserID}, {hdrProfSig, mwOldSig}}, wantID: valid},
		{name: "lower-case key header", headers: [][2]string{{"x-proficient-api-key", "pk_acme"}, {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, wantID: valid},
		{name: "globex", headers: [][2]string{id("pk_globex"), {hdrProfID, mwUserID}, {hdrProfSig, globexSig}}, wantID: valid},
		{name: "globex's signature at acme", headers: [][2]string{id("pk_acme"), {hdrProfID, mwUserID}, {hdrProfSig, globexSig}}, want: usersig.ErrInvalidSignature},
		{name: "acme's signature at globex", headers: [][2]string{id("pk_globex"), {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: usersig.ErrInvalidSignature},
		{name: "globex has no previous secret", headers: [][2]string{id("pk_globex"), {hdrProfID, mwUserID}, {hdrProfSig, mwOldSig}}, want: usersig.ErrInvalidSignature},
		{name: "unknown key", headers: [][2]string{id("pk_nobody"), {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrUnknownSigner},
		{name: "key in the wrong case", headers: [][2]string{id("PK_ACME"), {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrUnknownSigner},
		{name: "no key", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrUnknownSigner},
		{name: "empty key", headers: [][2]string{id(""), {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrUnknownSigner},
		{name: "key twice", headers: [][2]string{id("pk_acme"), id("pk_globex"), {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrMalformedCredential},
		{name: "oversized key", headers: [][2]string{id(strings.Repeat("k", 2048)), {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrMalformedCredential},
		// The default transport follows the tenant's scheme.
		{name: "hex tenant on default headers", headers: [][2]string{id("pk_hex"), {"X-User-Id", "42"}, {"X-User-Signature", mwSign(t, intercomTenant, usersig.Identity{UserID: "42"})}}, wantID: usersig.Identity{UserID: "42"}},
		{name: "hex tenant ignores Proficient headers", headers: [][2]string{id("pk_hex"), {hdrProfID, "42"}, {hdrProfSig, mwSign(t, intercomTenant, usersig.Identity{UserID: "42"})}}, want: sighttp.ErrNoSignature},
	}
	runMWCases(t, nil, cases, sighttp.WithSignerLookup(lookup))

	t.Run("nil signer from lookup", func(t *testing.T) {
		runMWCases(t, nil, []mwCase{
			{name: "rejected", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: sighttp.ErrUnknownSigner},
		}, sighttp.WithSignerLookup(func(*http.Request) (*usersig.Signer, error) { return nil, nil }))
	})
	t.Run("lookup error wins over s", func(t *testing.T) {
		down := errors.New("tenant store down")
		runMWCases(t, acme, []mwCase{
			{name: "rejected", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, want: down},
		}, sighttp.WithSignerLookup(func(*http.Request) (*usersig.Signer, error) { return acme, down }))
	})
	t.Run("lookup error under unsigned allowed", func(t *testing.T) {
		runMWCases(t, nil, []mwCase{
			{name: "unknown tenant, unsigned", headers: [][2]string{id("pk_nobody")}, want: sighttp.ErrUnknownSigner},
		}, sighttp.WithSignerLookup(lookup), sighttp.WithUnsignedAllowed())
	})
}

func TestMiddlewareUnsignedAllowed(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	mw := sighttp.Middleware(s, sighttp.WithUnsignedAllowed(), sighttp.WithLogger(logger))

	for _, tc := range []struct {
		name    string
		headers [][2]string
	}{
		{"nothing", nil},
		{"id only, as before HMAC was switched on", [][2]string{{hdrProfID, mwUserID}}},
		{"empty signature", [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, ""}}},
	} {
		t.Run("passes unsigned: "+tc.name, func(t *testing.T) {
			next := &mwNext{}
			rec := mwServe(mw(next), mwRequest("/inbox", tc.headers...))
			assert.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, 1, next.calls)
			assert.False(t, next.ok, "an unsigned request must not carry an identity")
			assert.Equal(t, usersig.Identity{}, next.id)
		})
	}
	assert.Contains(t, logs.String(), "usersig: unsigned request allowed")
	assert.Contains(t, logs.String(), "reason=unsigned")

	runMWCases(t, s, []mwCase{
		{name: "valid still gets identity", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}, wantID: usersig.Identity{UserID: mwUserID}},
		{name: "wrong signature still rejected", headers: [][2]string{{hdrProfID, "alice"}, {hdrProfSig, mwNodeSig}}, want: usersig.ErrInvalidSignature},
		{name: "malformed signature still rejected", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, "x"}}, want: usersig.ErrMalformedSignature},
		{name: "signature without id still rejected", headers: [][2]string{{hdrProfSig, mwNodeSig}}, want: usersig.ErrMissingIdentity},
		{name: "duplicate still rejected", headers: [][2]string{{hdrProfID, mwUserID}, {hdrProfID, "alice"}}, want: sighttp.ErrMalformedCredential},
		{name: "oversized still rejected", headers: [][2]string{{hdrProfID, strings.Repeat("a", 200<<10)}}, want: sighttp.ErrMalformedCredential},
	}, sighttp.WithUnsignedAllowed())
}

func TestMiddlewareLoggerNeverLeaks(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret, usersig.WithPreviousSecrets([]byte(mwOldSecret)))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := sighttp.Middleware(s, sighttp.WithLogger(logger))(&mwNext{})

	aliceSigForID := mwAliceSig // valid for "alice", presented for mwUserID
	nearMiss := mwNodeSig[:10] + "A" + mwNodeSig[11:]
	for _, hs := range [][][2]string{
		nil,
		{{hdrProfID, mwUserID}},
		{{hdrProfID, mwUserID}, {hdrProfSig, aliceSigForID}},
		{{hdrProfID, mwUserID}, {hdrProfSig, nearMiss}},
		{{hdrProfID, "alice"}, {hdrProfSig, mwNodeSig}},
		{{hdrProfID, mwUserID}, {hdrProfSig, strings.TrimRight(mwNodeSig, "=")}},
		{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}, {hdrProfSig, mwNodeSig}},
		{{hdrProfID, mwUserID}, {hdrProfSig, strings.Repeat(mwNodeSig, 30)}},
		{{hdrProfSig, mwNodeSig}},
	} {
		mwServe(h, mwRequest("/inbox?sig="+url.QueryEscape(mwNodeSig), hs...))
	}
	out := logs.String()
	require.NotEmpty(t, out)

	for _, secret := range []string{mwSecret, mwOldSecret, "hsec_"} {
		assert.NotContains(t, out, secret)
	}
	for _, sig := range []string{mwNodeSig, mwAliceSig, mwOldSig, nearMiss, strings.TrimRight(mwNodeSig, "="), mwNodeSig[:20], url.QueryEscape(mwNodeSig)} {
		assert.NotContains(t, out, sig)
	}
	assert.NotContains(t, out, "sig=")

	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, 9)
	for _, reason := range []string{
		`"reason":"missing"`, `"reason":"invalid"`, `"reason":"malformed"`, `"reason":"duplicate"`,
		`"reason":"no-identity"`, `"detail":"is missing its '=' padding"`, `"field":"header X-Proficient-User-Hmac"`,
		`"scheme":"proficient"`, `"path":"/inbox"`, `"msg":"usersig: request rejected"`,
	} {
		assert.Contains(t, out, reason)
	}
}

func TestMiddlewareIdentityFromContext(t *testing.T) {
	_, ok := sighttp.IdentityFromContext(context.Background())
	assert.False(t, ok)

	s := mwSigner(t, usersig.Proficient(), mwSecret)
	type otherKey struct{}
	var got usersig.Identity
	var gotOther any
	var okDerived bool
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(context.WithValue(r.Context(), otherKey{}, "v"))
		defer cancel()
		got, okDerived = sighttp.IdentityFromContext(ctx)
		gotOther = ctx.Value(otherKey{})
	})
	base := context.WithValue(context.Background(), otherKey{}, "outer")
	r := mwRequest("/", [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig}).WithContext(base)
	rec := mwServe(sighttp.Middleware(s)(next), r)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.True(t, okDerived)
	assert.Equal(t, usersig.Identity{UserID: mwUserID}, got)
	assert.Equal(t, "v", gotOther)

	// Values of the parent context stay visible, and cancelling it reaches the handler.
	parent, cancel := context.WithCancel(base)
	var outer any
	var done <-chan struct{}
	next2 := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		outer = r.Context().Value(otherKey{})
		done = r.Context().Done()
	})
	mwServe(sighttp.Middleware(s)(next2), r.WithContext(parent))
	assert.Equal(t, "outer", outer)
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("cancellation did not reach the handler's context")
	}
}

func TestMiddlewareMisuse(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	assert.Panics(t, func() { sighttp.Middleware(nil) })
	assert.Panics(t, func() { sighttp.Middleware(s, nil) })
	assert.Panics(t, func() { sighttp.Middleware(s)(nil) })
	assert.Panics(t, func() { sighttp.Middleware(s, sighttp.WithErrorHandler(nil)) })
	assert.Panics(t, func() { sighttp.Middleware(s, sighttp.WithExtractor(nil)) })
	assert.Panics(t, func() { sighttp.Middleware(s, sighttp.WithSignerLookup(nil)) })
	assert.Panics(t, func() { sighttp.SignersByHeader("", nil) })
	assert.Panics(t, func() { sighttp.SignersByHeader("X-Key", map[string]*usersig.Signer{"k": nil}) })
	assert.Panics(t, func() { sighttp.SignersByHeader("X-Key", map[string]*usersig.Signer{"": s}) })
	assert.NotPanics(t, func() { sighttp.Middleware(s, sighttp.WithLogger(nil)) })
	assert.NotPanics(t, func() {
		sighttp.Middleware(nil, sighttp.WithSignerLookup(func(*http.Request) (*usersig.Signer, error) { return s, nil }))
	})
}

func TestMiddlewareErrorTexts(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	var got error
	h := sighttp.Middleware(s, sighttp.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
		got = err
	}))(&mwNext{})
	mwServe(h, mwRequest("/", [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig}, [2]string{hdrProfSig, mwAliceSig}))
	var cfe *sighttp.FieldError
	require.ErrorAs(t, got, &cfe)
	assert.Equal(t, sighttp.FieldError{Source: "header", Name: "X-Proficient-User-Hmac", Reason: "is sent more than once"}, *cfe)
	assert.Equal(t, `sighttp: malformed credential: header "X-Proficient-User-Hmac" is sent more than once`, got.Error())
	assert.NotContains(t, got.Error(), mwNodeSig)
}

func ExampleMiddleware() {
	signer, err := usersig.New(usersig.Proficient(), []byte("hsec_2f9c1e7a4b8d3f60a5e1c7b9"))
	if err != nil {
		panic(err)
	}
	inbox := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := sighttp.IdentityFromContext(r.Context()) // always there behind the middleware
		_, _ = io.WriteString(w, "inbox of "+id.UserID+"\n")
	})
	mux := http.NewServeMux()
	mux.Handle("GET /api/inbox", sighttp.Middleware(signer)(inbox))

	for _, user := range []string{"gtLIK8ELsHTr0Fajg28Ud9eFpJJ3", "alice"} {
		r := httptest.NewRequest(http.MethodGet, "/api/inbox", nil)
		r.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", user)
		r.Header.Set("X-PROFICIENT-USER-HMAC", "Sdf0ACguqyXfR+VLdrqUOUAy+SIDC2AmK7ywrzkLcMM=")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		fmt.Print(w.Code, " ", w.Body.String())
	}
	// Output:
	// 200 inbox of gtLIK8ELsHTr0Fajg28Ud9eFpJJ3
	// 401 {"error":"unauthorized"}
}

func ExampleSignersByHeader() {
	acme, err := usersig.New(usersig.Proficient(), []byte("hsec_acme_current_0123456789"),
		usersig.WithPreviousSecrets([]byte("hsec_acme_previous_012345678")))
	if err != nil {
		panic(err)
	}
	globex, err := usersig.New(usersig.Proficient(), []byte("hsec_globex_0123456789abcdef"))
	if err != nil {
		panic(err)
	}
	lookup := sighttp.SignersByHeader(usersig.Proficient().Headers.APIKey, map[string]*usersig.Signer{
		"pk_acme":   acme,
		"pk_globex": globex,
	})
	verify := sighttp.Middleware(nil, sighttp.WithSignerLookup(lookup))
	api := verify(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := sighttp.IdentityFromContext(r.Context())
		_, _ = io.WriteString(w, "hello "+id.UserID+"\n")
	}))

	sig, _ := globex.Sign(usersig.Identity{UserID: "u1"})
	for _, key := range []string{"pk_globex", "pk_acme", "pk_unknown"} {
		r := httptest.NewRequest(http.MethodGet, "/v1/me", nil)
		r.Header.Set("X-PROFICIENT-API-KEY", key)
		r.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", "u1")
		r.Header.Set("X-PROFICIENT-USER-HMAC", sig)
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		fmt.Print(key, " ", w.Code, " ", w.Body.String())
	}
	// Output:
	// pk_globex 200 hello u1
	// pk_acme 401 {"error":"unauthorized"}
	// pk_unknown 401 {"error":"unauthorized"}
}
