package sighttp

import (
	"errors"
	"net/http"
	"sync"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/refusal"
)

// maxCachedExtractors bounds the default extractors Middleware keeps per
// header set under WithSignerLookup.
const maxCachedExtractors = 64

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
// s may be nil when WithSignerLookup is given, and is then unused. Middleware
// panics if s is nil without a lookup, on a nil option, and when the
// returned function is given a nil handler.
func Middleware(s *usersig.Signer, opts ...Option) func(http.Handler) http.Handler {
	var cfg config
	for _, opt := range opts {
		if opt == nil {
			panic("sighttp: nil Option")
		}
		opt(&cfg)
	}
	if cfg.lookup == nil && s == nil {
		panic("sighttp: Middleware needs a Signer or WithSignerLookup")
	}
	v := &verifier{config: cfg, signer: s}
	if cfg.lookup != nil {
		v.signer = nil
	}
	if v.onError == nil {
		v.onError = DefaultErrorHandler
	}
	if v.extract == nil && v.signer != nil {
		v.extract = FromHeaders(requestHeaders(s.Scheme()))
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("sighttp: Middleware given a nil http.Handler")
		}
		return &verifyHandler{v: v, next: next}
	}
}

// DefaultErrorHandler is what Middleware answers a rejected request with by
// default: status 401, Content-Type application/json, Cache-Control
// no-store, X-Content-Type-Options nosniff and the body
// {"error":"unauthorized"}, whatever err is. Call it from your own error
// handler for the cases you do not treat differently.
func DefaultErrorHandler(w http.ResponseWriter, _ *http.Request, _ error) {
	refusal.WriteUnauthorized(w)
}

// verifier is a configured Middleware, shared by every handler it wraps.
type verifier struct {
	config
	signer *usersig.Signer // nil under WithSignerLookup

	mu    sync.RWMutex
	byHdr map[usersig.Headers]Extractor // default extractors under WithSignerLookup
}

type verifyHandler struct {
	v    *verifier
	next http.Handler
}

func (h *verifyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v := h.v
	s := v.signer
	if v.lookup != nil {
		var err error
		if s, err = v.lookup(r); err != nil || s == nil {
			if err == nil {
				err = ErrUnknownSigner
			}
			v.reject(w, r, nil, err)
			return
		}
	}
	extract := v.extract
	if extract == nil {
		extract = v.extractorFor(s.Scheme())
	}
	c, err := extract(r)
	if err == nil && c.Signature == "" {
		err = ErrNoSignature
	}
	if err != nil {
		if v.unsignedPasses && errors.Is(err, ErrNoSignature) {
			v.log(r, s, msgUnsigned, refusal.Unsigned, nil)
			if ctx := withoutIdentity(r.Context()); ctx != r.Context() {
				r = r.WithContext(ctx)
			}
			h.next.ServeHTTP(w, r)
			return
		}
		v.reject(w, r, s, err)
		return
	}
	id, err := s.Authenticate(c)
	if err != nil {
		v.reject(w, r, s, err)
		return
	}
	h.next.ServeHTTP(w, r.WithContext(withIdentity(r.Context(), id)))
}

// extractorFor returns the default extractor for sc, made once per header
// set and cached (up to maxCachedExtractors sets).
func (v *verifier) extractorFor(sc usersig.Scheme) Extractor {
	v.mu.RLock()
	e := v.byHdr[sc.Headers]
	v.mu.RUnlock()
	if e != nil {
		return e
	}
	e = FromHeaders(requestHeaders(sc))
	v.mu.Lock()
	if v.byHdr == nil {
		v.byHdr = make(map[usersig.Headers]Extractor)
	}
	if len(v.byHdr) < maxCachedExtractors {
		v.byHdr[sc.Headers] = e
	}
	v.mu.Unlock()
	return e
}

func (v *verifier) reject(w http.ResponseWriter, r *http.Request, s *usersig.Signer, err error) {
	v.log(r, s, msgRejected, Reason(err), err)
	v.onError(w, r, err)
}
