package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// -h prints the flags and succeeds (exit 0) without serving.
func TestHelpFlag(t *testing.T) {
	for _, arg := range []string{"-h", "--help"} {
		var stdout, stderr bytes.Buffer
		assert.NoError(t, run(context.Background(), []string{arg}, &stdout, &stderr), arg)
		assert.Contains(t, stderr.String(), "-addr", arg)
		assert.NotContains(t, stdout.String(), "listening on", arg)
	}
}

// The server sets every timeout, not only ReadHeaderTimeout.
func TestServerTimeouts(t *testing.T) {
	srv := httpServer(http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	assert.Positive(t, srv.ReadHeaderTimeout)
	assert.Positive(t, srv.ReadTimeout)
	assert.Positive(t, srv.WriteTimeout)
	assert.Positive(t, srv.IdleTimeout)
}
