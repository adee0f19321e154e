package sighttp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// TestLoggedReasons: each refusal is logged with the reason word operators
// query for, one record per request.
func TestLoggedReasons(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	pf := mwSigner(t, usersig.ProductFruits(), mwSecret)
	pfSig := mwSign(t, pf, usersig.Identity{UserID: "u1"})
	names := usersig.Headers{UserID: "uid", Signature: "sig"}
	boom := errors.New("extractor failed with a secret-looking text hsec_xyz")
	for _, tc := range []struct {
		reason string
		signer *usersig.Signer
		opts   []sighttp.Option
		target string
		hs     [][2]string
	}{
		{reason: "missing", signer: s, hs: [][2]string{{hdrProfID, mwUserID}}},
		{reason: "duplicate", signer: s, hs: [][2]string{{hdrProfID, mwUserID}, {hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}},
		{reason: "oversized", signer: s, hs: [][2]string{{hdrProfID, strings.Repeat("a", 1025)}, {hdrProfSig, mwNodeSig}}},
		{reason: "undecodable", signer: s, opts: []sighttp.Option{sighttp.WithExtractor(sighttp.FromQuery(names))}, target: "/?uid=%zz&sig=x"},
		{reason: "malformed-field", signer: s, opts: []sighttp.Option{sighttp.WithExtractor(sighttp.FromCookie(names))}, hs: [][2]string{{"Cookie", `uid=a\b; sig=x`}}},
		{reason: "malformed", signer: s, hs: [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, "x"}}},
		{reason: "invalid", signer: s, hs: [][2]string{{hdrProfID, "alice"}, {hdrProfSig, mwNodeSig}}},
		{reason: "expired", signer: pf, hs: [][2]string{{"X-User-Id", "u1"}, {"X-User-Expires", "2001-01-01T00:00:00Z"}, {"X-User-Signature", pfSig}}},
		{reason: "invalid-expiry", signer: pf, hs: [][2]string{{"X-User-Id", "u1"}, {"X-User-Expires", "soon"}, {"X-User-Signature", pfSig}}},
		{reason: "no-identity", signer: s, hs: [][2]string{{hdrProfSig, mwNodeSig}}},
		{reason: "unknown-signer", opts: []sighttp.Option{sighttp.WithSignerLookup(sighttp.SignersByHeader(hdrProfKey, map[string]*usersig.Signer{"k": s}))}, hs: [][2]string{{hdrProfKey, "nope"}}},
		{reason: "error", signer: s, opts: []sighttp.Option{sighttp.WithExtractor(func(*http.Request) (usersig.Credential, error) { return usersig.Credential{}, boom })}},
		{reason: "unsigned", signer: s, opts: []sighttp.Option{sighttp.WithUnsignedAllowed()}},
	} {
		t.Run(tc.reason, func(t *testing.T) {
			var logs bytes.Buffer
			opts := append([]sighttp.Option{sighttp.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil)))}, tc.opts...)
			target := tc.target
			if target == "" {
				target = "/inbox"
			}
			mwServe(sighttp.Middleware(tc.signer, opts...)(&mwNext{}), mwRequest(target, tc.hs...))
			var rec map[string]any
			require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), "want exactly one JSON record: %s", logs.String())
			assert.Equal(t, tc.reason, rec["reason"])
			if tc.reason == "unsigned" {
				assert.Equal(t, "usersig: unsigned request allowed", rec["msg"])
			} else {
				assert.Equal(t, "usersig: request rejected", rec["msg"])
			}
			assert.NotContains(t, logs.String(), "hsec_")
			assert.NotContains(t, logs.String(), mwNodeSig)
		})
	}
}

// TestWithLoggerNil: WithLogger(nil) turns logging off, also after a logger
// was set, and never panics.
func TestWithLoggerNil(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	next := &mwNext{}
	h := sighttp.Middleware(s, sighttp.WithLogger(logger), sighttp.WithLogger(nil), sighttp.WithUnsignedAllowed())(next)
	mwServe(h, mwRequest("/inbox"))
	mwServe(h, mwRequest("/inbox", [2]string{hdrProfID, "alice"}, [2]string{hdrProfSig, mwNodeSig}))
	assert.Empty(t, logs.String())
	assert.Equal(t, 1, next.calls)
}

// TestLoggedPreviousSecret: a request accepted under a previous secret is
// logged with which one (mwNodeSig is Node's HMAC under mwSecret, here the
// previous secret), never the secret or the signature; one under the
// current secret logs nothing.
func TestLoggedPreviousSecret(t *testing.T) {
	s, err := usersig.New(usersig.Proficient(), []byte("hsec_the_new_secret_0123456789"), usersig.WithPreviousSecrets([]byte(mwSecret)))
	require.NoError(t, err)
	var logs bytes.Buffer
	h := sighttp.Middleware(nil, sighttp.WithTenantLookup("X-Tenant", sighttp.SignerMap{"acme": s}),
		sighttp.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	r, _ := http.NewRequest(http.MethodGet, "/inbox", nil)
	r.Header.Set("X-Tenant", "acme")
	r.Header.Set(hdrProfID, mwUserID)
	r.Header.Set(hdrProfSig, mwNodeSig)
	h.ServeHTTP(discardWriter{}, r)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), logs.String())
	assert.Equal(t, sighttp.MsgPreviousSecret, rec["msg"])
	assert.Equal(t, "previous-1", rec["secret"])
	assert.Equal(t, "proficient", rec["scheme"])
	assert.Equal(t, "acme", rec["tenant"])
	assert.NotContains(t, logs.String(), mwSecret)
	assert.NotContains(t, logs.String(), mwNodeSig)
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}
