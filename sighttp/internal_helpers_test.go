package sighttp

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adaptertest gives this package's own tests the two helpers of
// sighttptest they use; they cannot import it, since it imports sighttp.
var adaptertest = struct {
	Reasons       func() (*slog.Logger, func() []string)
	AssertRefused func(t *testing.T, res *http.Response)
}{
	Reasons: func() (*slog.Logger, func() []string) {
		h := &reasonsKept{}
		return slog.New(h), h.take
	},
	AssertRefused: func(t *testing.T, res *http.Response) {
		t.Helper()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
		assert.Equal(t, UnauthorizedBody, string(body))
	},
}

type reasonsKept struct {
	mu      sync.Mutex
	reasons []string
}

func (h *reasonsKept) Enabled(context.Context, slog.Level) bool { return true }
func (h *reasonsKept) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *reasonsKept) WithGroup(string) slog.Handler            { return h }

func (h *reasonsKept) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "reason" {
			h.mu.Lock()
			h.reasons = append(h.reasons, a.Value.String())
			h.mu.Unlock()
		}
		return true
	})
	return nil
}

func (h *reasonsKept) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.reasons
	h.reasons = nil
	return r
}
