package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/tenants"
)

func TestServer(t *testing.T) {
	ctx := context.Background()
	kek, err := tenants.ParseLocalKEK("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	require.NoError(t, err)
	st, err := tenants.Open(ctx, filepath.Join(t.TempDir(), "t.db"), tenants.Options{KEK: kek})
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Migrate(ctx))
	secret, err := st.Add(ctx, tenants.Tenant{Key: "pk_acme", Scheme: "proficient"})
	require.NoError(t, err)
	require.NoError(t, st.Start(ctx))
	h := newServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))

	client, err := usersig.New(usersig.Proficient(), secret)
	require.NoError(t, err)
	sig, err := client.Sign(usersig.Identity{UserID: "alice"})
	require.NoError(t, err)
	get := func(key string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/whoami", nil)
		r.Header.Set("X-Proficient-Api-Key", key)
		r.Header.Set("X-Proficient-User-External-Id", "alice")
		r.Header.Set("X-Proficient-User-Hmac", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	ok := get("pk_acme")
	assert.Equal(t, http.StatusOK, ok.Code)
	assert.Equal(t, "alice\n", ok.Body.String())
	assert.Equal(t, http.StatusUnauthorized, get("pk_other").Code)

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `"tenants":1`)
}

func TestNoKEK(t *testing.T) {
	err := run(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "t.db")}, func(string) string { return "" }, io.Discard, io.Discard)
	assert.ErrorIs(t, err, tenants.ErrKEKSize)
}
