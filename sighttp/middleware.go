package sighttp

import (
	"net/http"

	"github.com/usersig/usersig"
)

// Middleware returns HTTP middleware that lets a request through only with a
// valid signature of the identity it claims, and puts that identity in the
// request's context for IdentityFromContext.
//
// By default it reads the credential from the scheme's own headers (see
// WithExtractor) and checks it with s.Authenticate, so an expiry text is
// checked exactly as the client sent it. Every failure — no signature, an
// empty one, a field sent twice or longer than 1 KiB, a malformed, wrong or
// expired signature, another user's — is answered by DefaultErrorHandler
// (401, saying nothing of which check failed), and the next handler is not
// called (see WithErrorHandler, WithLogger). No option lets a request with
// a bad signature through; WithUnsignedAllowed lets requests without one
// through, without an identity.
//
// The identity in the context holds only the fields the scheme's signature
// covers: for Proficient, Engagespot or any UserID scheme the user id alone,
// even if the request also sent an email or expiry, since a client could
// have put anything there; for UserIDOrEmail the id if one was sent, else the
// email; for UserIDExpiry the id and the expiry; for a Composer of your own,
// each field whose removal changes the message signed.
//
// A CORS preflight (an OPTIONS request with Access-Control-Request-Method)
// carries no credentials by design, neither custom headers nor cookies, so
// Middleware answers it 401 and the browser never sends the real request.
// Mount the CORS handler outside the middleware, so it answers preflights
// before they reach it: cors.New(opts).Handler(Middleware(s)(api)) with
// github.com/rs/cors, or a few lines of the standard library (see the
// example). Allow the credential's headers there (Access-Control-Allow-Headers).
//
// Middleware is the net/http shell of the Gate NewGate(s, opts...) builds
// once; see Gate for the decision and Handler to share one Gate. s may be
// nil when WithSignerLookup or WithTenantLookup is given, and is then
// unused. Middleware panics where NewGate does, and when the returned
// function is given a nil handler.
func Middleware(s *usersig.Signer, opts ...Option) func(http.Handler) http.Handler {
	g := NewGate(s, opts...)
	return func(next http.Handler) http.Handler { return g.Handler(next) }
}

// Handler is Middleware over g: it lets a request through to next only as
// g decides, with the identity in its context, and answers a refusal with
// WithErrorHandler's handler (DefaultErrorHandler by default). It panics
// on a nil next.
func (g *Gate) Handler(next http.Handler) http.Handler {
	if next == nil {
		panic("sighttp: Middleware given a nil http.Handler")
	}
	return &gateHandler{g: g, next: next}
}

type gateHandler struct {
	g    *Gate
	next http.Handler
}

func (h *gateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r, ok := h.g.Admit(w, r); ok {
		h.next.ServeHTTP(w, r)
	}
}

// Admit is the decision for a net/http request, for adapters of routers
// that hand one over (contrib/ginsig, echosig): on acceptance it returns r
// with the verified identity in its context, and under
// WithUnsignedAllowed an unsigned r without one (r itself when nothing
// changes), and true; on a refusal it writes the error handler's answer
// (WithErrorHandler, DefaultErrorHandler by default) to w and returns
// false, and the request must go no further.
func (g *Gate) Admit(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	req := Request{Method: r.Method, Path: r.URL.Path}
	ctx, err := g.decide(r.Context(), &req, r)
	if err != nil {
		g.onError(w, r, err)
		return nil, false
	}
	if ctx != r.Context() {
		r = r.WithContext(ctx)
	}
	return r, true
}

// DefaultErrorHandler is what Middleware answers a rejected request with by
// default: status 401, Content-Type application/json, Cache-Control
// no-store, X-Content-Type-Options nosniff and the body
// {"error":"unauthorized"}, whatever err is. Call it from your own error
// handler for the cases you do not treat differently.
func DefaultErrorHandler(w http.ResponseWriter, _ *http.Request, _ error) {
	writeJSON(w, http.StatusUnauthorized, UnauthorizedBody)
}
