package sighttptest

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/usersig/usersig/sighttp"
)

// A Recorder keeps the reason words a Gate logged and the Decisions it
// reported, for Run to check.
type Recorder struct {
	mu        sync.Mutex
	reasons   []string
	decisions []sighttp.Decision
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// Options returns the options that make a Gate log to r and report to it:
// sighttp.WithLogger and sighttp.WithObserver.
func (r *Recorder) Options() []sighttp.Option {
	return []sighttp.Option{sighttp.WithLogger(slog.New(reasonHandler{r})), sighttp.WithObserver(r.observe)}
}

func (r *Recorder) observe(_ context.Context, d sighttp.Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.decisions = append(r.decisions, d)
}

// Take returns and forgets what was logged and reported so far.
func (r *Recorder) Take() (reasons []string, decisions []sighttp.Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	reasons, decisions = r.reasons, r.decisions
	r.reasons, r.decisions = nil, nil
	return reasons, decisions
}

// check asserts one request left these reasons in the log and exactly
// this Decision; a nil r checks nothing.
func (r *Recorder) check(t *testing.T, reasons []string, d sighttp.Decision) {
	t.Helper()
	if r == nil {
		return
	}
	gotReasons, gotDecisions := r.Take()
	assert.Equal(t, reasons, gotReasons, "logged reasons")
	assert.Equal(t, []sighttp.Decision{d}, gotDecisions, "one decision per request")
}

// Reasons returns a logger that keeps the reason attribute of every record,
// and a function that returns and forgets the reasons kept so far.
func Reasons() (*slog.Logger, func() []string) {
	r := NewRecorder()
	return slog.New(reasonHandler{r}), func() []string { reasons, _ := r.Take(); return reasons }
}

type reasonHandler struct{ r *Recorder }

func (h reasonHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h reasonHandler) Handle(_ context.Context, rec slog.Record) error {
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "reason" {
			h.r.mu.Lock()
			h.r.reasons = append(h.r.reasons, a.Value.String())
			h.r.mu.Unlock()
		}
		return true
	})
	return nil
}

func (h reasonHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h reasonHandler) WithGroup(string) slog.Handler      { return h }
