package sighttp_test

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// The READMEs that show the HTTP layer's answers.
var answerDocs = []string{
	filepath.Join("..", "README.md"),
	filepath.Join("..", "examples", "README.md"),
}

// fencedBlocks returns the text of every fenced code block of a Markdown
// file whose first line has the given prefix.
func fencedBlocks(t *testing.T, path, prefix string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []string
	for _, m := range regexp.MustCompile("(?ms)^```[a-z]*\n(.*?)^```$").FindAllStringSubmatch(string(b), -1) {
		if strings.HasPrefix(m[1], prefix) {
			out = append(out, m[1])
		}
	}
	return out
}

// readmeSecret is the HMAC_SECRET the README's walk-through exports.
func readmeSecret(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^export HMAC_SECRET=(\S+)$`).FindSubmatch(b)
	require.NotNil(t, m, "%s exports no HMAC_SECRET", path)
	return string(m[1])
}

// rawResponse sends a GET with headers to the README's program, served by
// net/http on a real socket as 'go run .' serves it, and returns the bytes
// of the answer as curl -i prints them (LF line ends).
func rawResponse(t *testing.T, handler http.Handler, path string, headers [][2]string) string {
	t.Helper()
	srv := httptest.NewServer(handler)
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	req := "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n"
	for _, h := range headers {
		req += h[0] + ": " + h[1] + "\r\n"
	}
	_, err = io.WriteString(conn, req+"\r\n")
	require.NoError(t, err)
	// The connection stays open, as curl's does: read one response and
	// record every byte read for it.
	var raw bytes.Buffer
	resp, err := http.ReadResponse(bufio.NewReader(io.TeeReader(conn, &raw)), nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	return strings.ReplaceAll(raw.String(), "\r\n", "\n")
}

// The answers the READMEs print are what the server sends, byte for byte:
// every header, in the order net/http writes them, and the body. Only the
// Date header's value differs from run to run; it is checked for its form
// and then taken from the README.
func TestReadmeAnswers(t *testing.T) {
	date := regexp.MustCompile(`(?m)^Date: (.*)$`)
	for _, doc := range answerDocs {
		blocks := fencedBlocks(t, doc, "HTTP/")
		require.NotEmpty(t, blocks, "%s shows no HTTP answer", doc)
		secret := readmeSecret(t, doc)

		// The README's program.
		signer, err := usersig.New(usersig.Proficient(), []byte(secret))
		require.NoError(t, err)
		inbox := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := sighttp.IdentityFromContext(r.Context())
			fmt.Fprintf(w, "inbox of %s\n", id.UserID)
		})
		mux := http.NewServeMux()
		mux.Handle("GET /api/inbox", sighttp.Middleware(signer)(inbox))

		// The README's curl lines: the hash of the documented id, sent for
		// another user.
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte("gtLIK8ELsHTr0Fajg28Ud9eFpJJ3"))
		sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		got := rawResponse(t, mux, "/api/inbox", [][2]string{
			{"X-PROFICIENT-USER-EXTERNAL-ID", "alice"}, {"X-PROFICIENT-USER-HMAC", sig},
		})
		for _, want := range blocks {
			require.True(t, strings.HasPrefix(want, "HTTP/1.1 401 "), "%s: an answer this test does not know how to produce:\n%s", doc, want)
			m := date.FindStringSubmatch(got)
			require.NotNil(t, m, "the server sends a Date")
			_, err := time.Parse(http.TimeFormat, m[1])
			require.NoError(t, err)
			wantDate := date.FindStringSubmatch(want)
			if assert.NotNil(t, wantDate, "%s: the answer shows no Date header, which the server sends", doc) {
				got = strings.Replace(got, m[0], wantDate[0], 1)
			}
			assert.Equal(t, want, got, "%s: the README's 401 is not what the server sends", doc)
		}

		// The right user gets in, as the README's comment says.
		ok := rawResponse(t, mux, "/api/inbox", [][2]string{
			{"X-PROFICIENT-USER-EXTERNAL-ID", "gtLIK8ELsHTr0Fajg28Ud9eFpJJ3"}, {"X-PROFICIENT-USER-HMAC", sig},
		})
		assert.True(t, strings.HasPrefix(ok, "HTTP/1.1 200 OK\n"), ok)
		assert.True(t, strings.HasSuffix(ok, "\n\ninbox of gtLIK8ELsHTr0Fajg28Ud9eFpJJ3\n"), ok)
	}
}

// The READMEs name, as the schemes with headers of their own, exactly the
// presets whose Scheme.Headers name a signature header, with each header.
func TestReadmeHeaderSchemes(t *testing.T) {
	for _, doc := range answerDocs {
		b, err := os.ReadFile(doc)
		require.NoError(t, err)
		text := string(b)
		start := strings.Index(text, "**Where the credential comes from.**")
		require.GreaterOrEqual(t, start, 0, doc)
		text = text[start:]
		own, _, ok := strings.Cut(text, "A scheme\nthat names no headers")
		require.True(t, ok, "%s: the paragraph changed shape; update this test", doc)
		for _, sc := range usersig.Schemes() {
			vendor, _, _ := strings.Cut(sc.Vendor, " (")
			if sc.Headers.Signature == "" {
				assert.NotContains(t, own, vendor, "%s lists %s among the schemes with headers; it has none", doc, sc.Name)
				continue
			}
			assert.Contains(t, own, vendor, "%s: %s has headers of its own", doc, sc.Name)
			assert.Contains(t, strings.ToLower(own), strings.ToLower(sc.Headers.Signature), "%s: %s's signature header", doc, sc.Name)
		}
	}
}
