package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSecret = "hsec_backend_test_secret_0123456789"

// backendNodeSig computes the Proficient hash the way the vendor documents
// it, without usersig: base64(HMAC-SHA256(secret, external id)).
func backendNodeSig(secret, id string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(id))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

type backendClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBackend(t *testing.T) (*backendClient, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	h, err := newServer([]byte(testSecret), slog.New(slog.NewTextHandler(&logs, nil)))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &backendClient{t: t, base: srv.URL, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}, &logs
}

func (b *backendClient) do(method, path string, body io.Reader, headers map[string]string) (*http.Response, []byte) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, body)
	require.NoError(b.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header[k] = []string{v} // as given: lower-case names stay lower-case on the wire
	}
	resp, err := b.c.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return resp, data
}

func (b *backendClient) login(user string) *http.Response {
	resp, _ := b.do(http.MethodPost, "/login", strings.NewReader(url.Values{"username": {user}}.Encode()), nil)
	return resp
}

func (b *backendClient) credential() (int, map[string]string) {
	resp, body := b.do(http.MethodGet, "/hmac", nil, nil)
	var c map[string]string
	if resp.StatusCode == http.StatusOK {
		require.NoError(b.t, json.Unmarshal(body, &c))
	}
	return resp.StatusCode, c
}

func (b *backendClient) inbox(id, sig string) (int, map[string]any) {
	resp, body := b.do(http.MethodGet, "/api/inbox", nil, map[string]string{
		"x-proficient-user-external-id": id,
		"x-proficient-user-hmac":        sig,
	})
	var v map[string]any
	require.NoError(b.t, json.Unmarshal(body, &v), string(body))
	if resp.StatusCode != http.StatusOK {
		assert.Equal(b.t, map[string]any{"error": "unauthorized"}, v)
		assert.Equal(b.t, "no-store", resp.Header.Get("Cache-Control"))
	}
	return resp.StatusCode, v
}

func TestBackendFlow(t *testing.T) {
	b, logs := newBackend(t)

	status, _ := b.credential()
	assert.Equal(t, http.StatusUnauthorized, status, "no hash before login")

	resp := b.login("alice")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	setCookie := resp.Header.Get("Set-Cookie")
	assert.Contains(t, setCookie, "HttpOnly")
	assert.Contains(t, setCookie, "SameSite=Strict")

	status, cred := b.credential()
	require.Equal(t, http.StatusOK, status)
	want := backendNodeSig(testSecret, "alice")
	assert.Equal(t, map[string]string{"userId": "alice", "signature": want}, cred)

	status, body := b.inbox("alice", cred["signature"])
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "alice", body["userId"])
	assert.Contains(t, body["messages"].([]any)[0].(map[string]any)["text"], "Alice")

	// Tampering: another user with alice's hash, a changed hash, no hash.
	status, _ = b.inbox("bob", cred["signature"])
	assert.Equal(t, http.StatusUnauthorized, status)
	flipped := "A" + cred["signature"][1:]
	if cred["signature"][0] == 'A' {
		flipped = "B" + cred["signature"][1:]
	}
	status, _ = b.inbox("alice", flipped)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = b.inbox("alice", "")
	assert.Equal(t, http.StatusUnauthorized, status)

	// The session cookie alone does not open the API.
	resp, _ = b.do(http.MethodGet, "/api/inbox", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// bob's own hash works for bob, after logging in as bob.
	require.Equal(t, http.StatusOK, b.login("bob").StatusCode)
	_, bobCred := b.credential()
	status, body = b.inbox("bob", bobCred["signature"])
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "bob", body["userId"])

	// Logged out, no more hashes.
	resp, _ = b.do(http.MethodPost, "/logout", nil, nil)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	status, _ = b.credential()
	assert.Equal(t, http.StatusUnauthorized, status)

	// The rejections were logged, without secret or signatures.
	out := logs.String()
	assert.Contains(t, out, "reason=invalid")
	assert.Contains(t, out, "reason=missing")
	assert.NotContains(t, out, testSecret)
	assert.NotContains(t, out, want)
	assert.NotContains(t, out, flipped)
}

func TestBackendRefusals(t *testing.T) {
	b, _ := newBackend(t)
	for _, user := range []string{"", "a b", strings.Repeat("x", 65), "<script>"} {
		assert.Equal(t, http.StatusBadRequest, b.login(user).StatusCode, "username %q", user)
	}
	resp, _ := b.do(http.MethodPost, "/login", strings.NewReader(strings.Repeat("username=a&", 200)), nil)
	assert.NotEqual(t, http.StatusOK, resp.StatusCode, "oversized body")

	req, err := http.NewRequest(http.MethodPost, b.base+"/login", strings.NewReader("username=mallory"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err = b.c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "cross-origin login")

	resp, _ = b.do(http.MethodDelete, "/hmac", nil, nil)
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	// A forged session cookie is no session.
	u, err := url.Parse(b.base)
	require.NoError(t, err)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "forged"}})
	status, _ := b.credential()
	assert.Equal(t, http.StatusUnauthorized, status)
}

func TestBackendStaticPage(t *testing.T) {
	b, _ := newBackend(t)
	for path, want := range map[string]string{
		"/":         "text/html",
		"/app.js":   "javascript",
		"/flow.mjs": "javascript",
	} {
		resp, body := b.do(http.MethodGet, path, nil, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Contains(t, resp.Header.Get("Content-Type"), want, path)
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'")
		assert.NotEmpty(t, body)
	}
	_, page := b.do(http.MethodGet, "/", nil, nil)
	assert.Contains(t, string(page), `src="app.js"`)
	_, flow := b.do(http.MethodGet, "/flow.mjs", nil, nil)
	assert.Contains(t, string(flow), "X-PROFICIENT-USER-HMAC")
	assert.Contains(t, string(flow), "export async function fetchInbox")
}

// TestBackendRun starts the command as main would, on a free port, reads
// the URL it prints, uses it, and stops it.
func TestBackendRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()

	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	first := lines.Text()
	require.True(t, strings.HasPrefix(first, "listening on http://127.0.0.1:"), first)
	base := strings.TrimPrefix(first, "listening on ")
	var rest strings.Builder
	drained := make(chan struct{})
	go func() { // run prints more before it serves: keep reading
		defer close(drained)
		for lines.Scan() {
			rest.WriteString(lines.Text() + "\n")
		}
	}()

	resp, err := http.Get(base + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	select {
	case err := <-errc:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
	<-drained
	assert.Contains(t, rest.String(), "/api/inbox")
	assert.NotContains(t, rest.String(), "hsec_")
}

func TestBackendRunRefusesBadFlags(t *testing.T) {
	assert.Error(t, run(context.Background(), []string{"-nope"}, io.Discard, io.Discard))
	assert.Error(t, run(context.Background(), []string{"extra"}, io.Discard, io.Discard))
	assert.Error(t, run(context.Background(), []string{"-addr", "256.0.0.1:99999"}, io.Discard, io.Discard))
}

// TestBackendNodeFlow runs the page's own flow (static/flow.mjs, imported
// from the running server) in Node against this backend. Without Node on
// PATH it is skipped here; internal/interop/web/check.sh, which CI runs,
// fails instead.
func TestBackendNodeFlow(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH; internal/interop/web/check.sh runs this check in CI")
	}
	b, _ := newBackend(t)
	script, err := filepath.Abs(filepath.Join("..", "..", "internal", "interop", "web", "e2e.mjs"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, b.base)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "ok")
}
