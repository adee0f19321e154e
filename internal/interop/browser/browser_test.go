package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stepTimeout bounds each wait on the page; testTimeout the whole test, so a
// hung browser fails the run instead of stalling CI.
const (
	stepTimeout = 15 * time.Second
	testTimeout = 90 * time.Second
)

// TestDemoPageInChromium logs in on the real page, lets the page fetch its
// hash from /hmac and call /api/inbox (200), presses both tamper buttons
// (401 each), logs out (the hash is refused), and saves a screenshot. A
// missing Chromium fails the test: it never skips.
func TestDemoPageInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startBackend(t)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromiumOptions(chromium, t.TempDir())...)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()

	// The first run starts the browser; it lives as long as browserCtx.
	require.NoError(t, chromedp.Do(browserCtx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
	), "open the page")
	p := page{t: t, ctx: browserCtx}

	p.do("log in as alice",
		chromedp.SetValue(chromedp.CSS("#username"), "alice"),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		waitText("#who", "alice"),
	)
	credential := p.text("#credential")
	assert.Regexp(t, regexp.MustCompile(`(?m)^X-PROFICIENT-USER-EXTERNAL-ID: alice$`), credential)
	assert.Regexp(t, regexp.MustCompile(`(?m)^X-PROFICIENT-USER-HMAC: [A-Za-z0-9+/]{43}=$`), credential)

	res := p.press("#inbox", "GET /api/inbox")
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "alice", res.Body["userId"])
	assert.NotEmpty(t, res.Body["messages"])

	res = p.press("#tamper-id", "GET /api/inbox as bob with alice's hash")
	assert.Equal(t, 401, res.Status)
	assert.Equal(t, map[string]any{"error": "unauthorized"}, res.Body)

	res = p.press("#tamper-sig", "GET /api/inbox with one character of the hash changed")
	assert.Equal(t, 401, res.Status)
	assert.Equal(t, map[string]any{"error": "unauthorized"}, res.Body)

	shot := p.screenshot()
	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err, "the screenshot is a PNG")
	assert.Positive(t, img.Bounds().Dx())
	// The test's temp dir is removed when it ends; USERSIG_SCREENSHOT_DIR
	// keeps the picture (a CI artifact, or a look by hand).
	dir := os.Getenv("USERSIG_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "demo.png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	t.Logf("screenshot: %s (%d bytes)", path, len(shot))

	p.do("log out, then ask for the hash again",
		chromedp.Click(chromedp.CSS("#logout")),
		waitText("#who", "nobody"),
		clearOutput(),
		chromedp.Click(chromedp.CSS("#hmac")),
		waitOutput(),
	)
	assert.Equal(t, "GET /hmac\n\nfailed: /hmac: HTTP 401", p.text("#output"))
}

// page runs steps on the open tab, each batch bounded by stepTimeout.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	require.NoError(p.t, chromedp.Do(ctx, steps...), what)
}

func (p page) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	require.NoError(p.t, err, "text of %s", sel)
	return s
}

func (p page) screenshot() []byte {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(p.t, err, "screenshot")
	return b
}

// press clears the page's output, clicks the button and reads the result the
// page shows, which must carry title.
func (p page) press(button, title string) apiResult {
	p.t.Helper()
	p.do("press "+button, clearOutput(), chromedp.Click(chromedp.CSS(button)), waitOutput())
	out := p.text("#output")
	head, body, ok := strings.Cut(out, "\n\n")
	require.True(p.t, ok, "output %q has a title and a body", out)
	require.Equal(p.t, title, head)
	var res apiResult
	require.NoError(p.t, json.Unmarshal([]byte(body), &res), "output body %q", body)
	return res
}

// apiResult is what the page shows after an API call: fetchInbox's
// {status, body}, under a title line.
type apiResult struct {
	Status int            `json:"status"`
	Body   map[string]any `json:"body"`
}

func clearOutput() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[string](`document.getElementById('output').textContent = ''`)(ctx, t)
		return err
	})
}

// waitOutput waits until the page has written its answer.
func waitOutput() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.getElementById('output').textContent !== ''`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))
}

func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).textContent === %q`, sel, want),
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))
}

// chromiumOptions start Chromium headless with a fresh profile and without
// the background services that, on a closed network, only produce refused
// connections and noise.
func chromiumOptions(path, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1000, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider"),
		chromedp.Flag("no-pings", true),
	)
}

// findChromium returns $USERSIG_CHROMIUM, or the chromium on $PATH. Without
// one the test fails: a browser check that skips itself proves nothing.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("USERSIG_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: install it (apt-get install -y chromium) or set USERSIG_CHROMIUM")
	return ""
}

// startBackend builds examples/backend from this repository, starts it on a
// free loopback port and returns its base URL. The process is stopped when
// the test ends.
func startBackend(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	require.Contains(t, string(mod), "module github.com/usersig/usersig\n", "repository root")

	bin := filepath.Join(t.TempDir(), "backend")
	build := exec.Command("go", "build", "-o", bin, "./examples/backend")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./examples/backend:\n%s", out)

	var stderr bytes.Buffer
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("backend log:\n%s", stderr.String())
		}
	})

	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		first <- strings.TrimSpace(line)
		// Keep draining so the backend never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case line := <-first:
		base, ok := strings.CutPrefix(line, "listening on ")
		require.True(t, ok, "backend's first line %q", line)
		require.Regexp(t, `^http://127\.0\.0\.1:\d+$`, base)
		return base
	case <-time.After(stepTimeout):
		t.Fatalf("backend did not print its address within %s", stepTimeout)
		return ""
	}
}
