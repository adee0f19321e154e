package main

import (
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// The page and its scripts. static/flow.mjs is the front-end flow, shared
// with the Node end-to-end test in internal/interop/web.
//
//go:embed static
var static embed.FS

// sessionCookie is the demo's login cookie. The session store is a map in
// memory: this is a demonstration, not a login system.
const sessionCookie = "demo_session"

// maxSessions bounds the in-memory session store; past it, everyone is
// logged out.
const maxSessions = 10000

type message struct {
	From string `json:"from"`
	Text string `json:"text"`
}

// inboxes are the demo's messages. Anyone else gets a welcome message.
var inboxes = map[string][]message{
	"alice": {
		{From: "Proficient bot", Text: "Hi Alice, your weekly report is ready."},
		{From: "Bob", Text: "Lunch on Thursday?"},
	},
	"bob": {
		{From: "Proficient bot", Text: "Hi Bob, your password expires in 3 days."},
	},
}

// demo is the backend: a login, the mint endpoint, and an API standing in
// for the vendor's Client API, which knows nothing of the session and trusts
// only the signature.
type demo struct {
	signer *usersig.Signer

	mu       sync.Mutex
	sessions map[string]string // session token -> user id
}

// newServer returns the demo backend signing with secret under the
// Proficient scheme: the browser fetches its signature from /hmac and sends
// it to /api/inbox in the X-PROFICIENT-USER-EXTERNAL-ID and
// X-PROFICIENT-USER-HMAC headers, as Proficient's widget does. Rejections
// are logged to logger (never with a credential value).
func newServer(secret []byte, logger *slog.Logger) (http.Handler, error) {
	signer, err := usersig.New(usersig.Proficient(), secret)
	if err != nil {
		return nil, err
	}
	d := &demo{signer: signer, sessions: make(map[string]string)}
	page, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServer(http.FS(page)))
	mux.HandleFunc("POST /login", d.login)
	mux.HandleFunc("POST /logout", d.logout)
	// The mint endpoint: the logged-in user's credential, and nobody else's.
	mint := sighttp.MintHandler(signer, d.authenticate)
	mux.Handle("GET /hmac", mint)
	mux.Handle("POST /hmac", mint)
	// The protected API: the identity comes from the verified headers only.
	verify := sighttp.Middleware(signer, sighttp.WithLogger(logger))
	mux.Handle("GET /api/inbox", verify(http.HandlerFunc(inbox)))
	return securityHeaders(mux), nil
}

// authenticate is the session check MintHandler relies on: the user is who
// the session cookie says, never who the request claims to be.
func (d *demo) authenticate(r *http.Request) (usersig.Identity, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return usersig.Identity{}, err
	}
	d.mu.Lock()
	user, ok := d.sessions[c.Value]
	d.mu.Unlock()
	if !ok {
		return usersig.Identity{}, errors.New("no such session")
	}
	return usersig.Identity{UserID: user}, nil
}

func (d *demo) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "cross-origin login refused"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
	user := r.PostFormValue("username")
	if !validUsername(user) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "username: 1 to 64 letters, digits, '.', '_', '-' or '@'"})
		return
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	d.mu.Lock()
	if len(d.sessions) >= maxSessions {
		clear(d.sessions)
	}
	d.sessions[token] = user
	d.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: 3600,
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
		// Secure is off only because the demo serves plain HTTP on
		// loopback; set it in anything real.
	})
	writeJSON(w, http.StatusOK, map[string]string{"userId": user})
}

func (d *demo) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		d.mu.Lock()
		delete(d.sessions, c.Value)
		d.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
}

// inbox answers the verified user's messages. The middleware has already
// refused every request without a valid signature.
func inbox(w http.ResponseWriter, r *http.Request) {
	id, ok := sighttp.IdentityFromContext(r.Context())
	if !ok { // unreachable behind the middleware, but never guess
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
		return
	}
	msgs, found := inboxes[id.UserID]
	if !found {
		msgs = []message{{From: "usersig demo", Text: "Welcome, " + id.UserID + "! Your inbox is empty."}}
	}
	writeJSON(w, http.StatusOK, map[string]any{"userId": id.UserID, "messages": msgs})
}

func validUsername(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '@') {
			return false
		}
	}
	return true
}

// sameOrigin refuses a browser POST from another origin (login CSRF). A
// request without an Origin header (curl, Node) is allowed.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
