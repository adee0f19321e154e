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
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	acmeSecret    = []byte("hsec_acme_current_0123456789abcdef")
	acmeOldSecret = []byte("hsec_acme_previous_0123456789abcd")
	globexSecret  = []byte("hsec_globex_0123456789abcdef0123")
	testAcme      = tenant{Name: "acme", APIKey: "pk_acme", Secret: acmeSecret, Previous: [][]byte{acmeOldSecret}}
	testGlobex    = tenant{Name: "globex", APIKey: "pk_globex", Secret: globexSecret}
)

// vendorSig is the Proficient hash computed without usersig.
func vendorSig(secret []byte, user string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(user))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestVendorTenants(t *testing.T) {
	var logs bytes.Buffer
	h, err := newVendor([]tenant{testAcme, testGlobex}, slog.New(slog.NewTextHandler(&logs, nil)))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		name     string
		headers  [][2]string
		want     int
		wantBody map[string]string
	}{
		{"acme current", [][2]string{{"X-PROFICIENT-API-KEY", "pk_acme"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}, {"X-PROFICIENT-USER-HMAC", vendorSig(acmeSecret, "u1")}}, 200, map[string]string{"project": "acme", "userId": "u1"}},
		{"acme previous secret", [][2]string{{"X-PROFICIENT-API-KEY", "pk_acme"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}, {"X-PROFICIENT-USER-HMAC", vendorSig(acmeOldSecret, "u1")}}, 200, map[string]string{"project": "acme", "userId": "u1"}},
		{"globex", [][2]string{{"x-proficient-api-key", "pk_globex"}, {"x-proficient-user-external-id", "u1"}, {"x-proficient-user-hmac", vendorSig(globexSecret, "u1")}}, 200, map[string]string{"project": "globex", "userId": "u1"}},
		{"globex's hash at acme", [][2]string{{"X-PROFICIENT-API-KEY", "pk_acme"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}, {"X-PROFICIENT-USER-HMAC", vendorSig(globexSecret, "u1")}}, 401, nil},
		{"acme's old secret at globex", [][2]string{{"X-PROFICIENT-API-KEY", "pk_globex"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}, {"X-PROFICIENT-USER-HMAC", vendorSig(acmeOldSecret, "u1")}}, 401, nil},
		{"unknown key", [][2]string{{"X-PROFICIENT-API-KEY", "pk_nope"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}, {"X-PROFICIENT-USER-HMAC", vendorSig(acmeSecret, "u1")}}, 401, nil},
		{"no key", [][2]string{{"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}, {"X-PROFICIENT-USER-HMAC", vendorSig(acmeSecret, "u1")}}, 401, nil},
		{"two keys", [][2]string{{"X-PROFICIENT-API-KEY", "pk_acme"}, {"X-PROFICIENT-API-KEY", "pk_globex"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}, {"X-PROFICIENT-USER-HMAC", vendorSig(acmeSecret, "u1")}}, 401, nil},
		{"no hash", [][2]string{{"X-PROFICIENT-API-KEY", "pk_acme"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u1"}}, 401, nil},
		{"another user", [][2]string{{"X-PROFICIENT-API-KEY", "pk_acme"}, {"X-PROFICIENT-USER-EXTERNAL-ID", "u2"}, {"X-PROFICIENT-USER-HMAC", vendorSig(acmeSecret, "u1")}}, 401, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/me", nil)
			require.NoError(t, err)
			for _, h := range tc.headers {
				req.Header[h[0]] = append(req.Header[h[0]], h[1]) // names as given, on the wire
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var body map[string]string
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			assert.Equal(t, tc.want, resp.StatusCode)
			if tc.want == http.StatusOK {
				assert.Equal(t, tc.wantBody, body)
			} else {
				assert.Equal(t, map[string]string{"error": "unauthorized"}, body)
			}
		})
	}
	assert.Contains(t, logs.String(), "reason=unknown-signer")
	assert.Contains(t, logs.String(), "reason=invalid")
	for _, secret := range [][]byte{acmeSecret, acmeOldSecret, globexSecret} {
		assert.NotContains(t, logs.String(), string(secret))
	}
}

func TestVendorRefusesBadTenants(t *testing.T) {
	_, err := newVendor([]tenant{testAcme, {Name: "copy", APIKey: "pk_acme", Secret: globexSecret}}, slog.Default())
	assert.ErrorContains(t, err, "API key used twice")
	_, err = newVendor([]tenant{{Name: "weak", APIKey: "pk_weak", Secret: []byte("short")}}, slog.Default())
	assert.Error(t, err)
}

var curlHeader = regexp.MustCompile(`-H '([^:']+): ([^']*)'`)

// TestVendorRun runs the command on a free port and replays every curl line
// it prints, checking the status promised in the comment above it.
func TestVendorRun(t *testing.T) {
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
	require.True(t, strings.HasPrefix(lines.Text(), "listening on http://127.0.0.1:"), lines.Text())

	// Read everything first: run prints before it serves.
	var printed []string
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "The tenants' secrets") {
			break
		}
		printed = append(printed, lines.Text())
	}
	out := strings.Join(printed, "\n")
	assert.NotContains(t, out, "hsec_")

	var want int
	replayed, passes, fails := 0, 0, 0
	for _, line := range printed {
		if strings.HasPrefix(line, "# ") {
			code, _, ok := strings.Cut(line[2:], ":")
			require.True(t, ok, line)
			var err error
			want, err = strconv.Atoi(code)
			require.NoError(t, err)
			continue
		}
		if !strings.HasPrefix(line, "curl ") {
			continue
		}
		fields := strings.Fields(line)
		req, err := http.NewRequest(http.MethodGet, fields[len(fields)-1], nil)
		require.NoError(t, err)
		for _, m := range curlHeader.FindAllStringSubmatch(line, -1) {
			req.Header.Add(m[1], m[2])
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, line)
		replayed++
		if want == http.StatusOK {
			passes++
		} else {
			fails++
		}
	}
	assert.Equal(t, 7, replayed)
	assert.Equal(t, 3, passes)
	assert.Equal(t, 4, fails)

	cancel()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	select {
	case err := <-errc:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
}
