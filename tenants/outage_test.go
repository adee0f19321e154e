package tenants

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cutProxy forwards TCP to PostgreSQL until cut, then refuses and drops
// every connection until restored on the same address: a database outage
// as a replica sees it.
type cutProxy struct {
	t        testing.TB
	addr     string
	upstream string
	mu       sync.Mutex
	ln       net.Listener
	conns    []net.Conn
}

func newCutProxy(t testing.TB, upstream string) *cutProxy {
	p := &cutProxy{t: t, upstream: upstream}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *cutProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.upstream)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.Copy(c, u); c.Close() }()
		}
	}()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *cutProxy) restore() {
	ln, err := net.Listen("tcp", p.addr)
	require.NoError(p.t, err)
	p.serve(ln)
}

// TestOutage: a replica whose database becomes unreachable keeps serving
// its last state, says so (a log line, Health), refuses unknown keys, and
// once the database is back catches up with every change made meanwhile.
func TestOutage(t *testing.T) {
	dsn := freshPostgres(t)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	proxy := newCutProxy(t, u.Host)
	viaProxy := *u
	viaProxy.Host = proxy.addr

	ctx := context.Background()
	w, err := Open(ctx, dsn, Options{KEK: testKEK(t, 1), Logger: quietLogger()})
	require.NoError(t, err)
	defer w.Close()
	require.NoError(t, w.Migrate(ctx))
	oldA, err := w.Add(ctx, Tenant{Key: "a", Scheme: "intercom"})
	require.NoError(t, err)

	var logs syncBuffer
	r, err := Open(ctx, viaProxy.String(), Options{KEK: testKEK(t, 1), PollInterval: 50 * time.Millisecond, StaleAfter: 300 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	defer r.Close()
	require.NoError(t, r.Start(ctx))
	require.Eventually(t, func() bool { return r.Health().Listening }, 5*time.Second, time.Millisecond)

	proxy.cut()
	newA, err := w.Rotate(ctx, "a", 0)
	require.NoError(t, err)
	b, err := w.Add(ctx, Tenant{Key: "b", Scheme: "intercom"})
	require.NoError(t, err)

	require.Eventually(t, func() bool { h := r.Health(); return h.Stale && h.Err != nil && !h.Listening }, 10*time.Second, 5*time.Millisecond)
	assert.True(t, verifies(t, r, "a", oldA), "the last state is served")
	_, err = r.Signer(ctx, "b")
	assert.ErrorIs(t, err, ErrUnknownTenant, "never open for a key it does not know")
	assert.Contains(t, logs.String(), "database unreachable")
	assert.NotContains(t, logs.String(), string(oldA))

	proxy.restore()
	require.Eventually(t, func() bool { return verifies(t, r, "b", b) }, 15*time.Second, 5*time.Millisecond)
	assert.True(t, verifies(t, r, "a", newA))
	assert.False(t, verifies(t, r, "a", oldA))
	require.Eventually(t, func() bool { h := r.Health(); return !h.Stale && h.Err == nil }, 5*time.Second, 5*time.Millisecond)
	assert.Contains(t, logs.String(), "reachable again")
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
