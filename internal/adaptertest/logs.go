package adaptertest

import (
	"context"
	"log/slog"
	"sync"
)

// Reasons returns a logger that keeps the reason attribute of every record,
// and a function that returns and forgets the reasons kept so far.
func Reasons() (*slog.Logger, func() []string) {
	h := &reasonHandler{}
	return slog.New(h), h.take
}

type reasonHandler struct {
	mu      sync.Mutex
	reasons []string
}

func (h *reasonHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *reasonHandler) Handle(_ context.Context, r slog.Record) error {
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

func (h *reasonHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *reasonHandler) WithGroup(string) slog.Handler      { return h }

func (h *reasonHandler) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.reasons
	h.reasons = nil
	return r
}
