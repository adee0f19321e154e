package sighttp

import (
	"context"
	"errors"
	"github.com/usersig/usersig"
	"io"
	"log/slog"
	"net/http"
	"sync"
)

// ErrNoSignature: the request carries no signature — the signature header
// (or parameter, or cookie) is absent or empty.
var ErrNoSignature = errors.New("sighttp: request has no signature")

// maxCachedExtractors bounds the default extractors Middleware keeps per
// header set under WithSignerLookup.
const maxCachedExtractors = 64

// Middleware returns HTTP middleware that lets a request through only with a
// valid signature of the identity it claims, and puts that identity in the
// request's context for IdentityFromContext.
//
// By default it reads the credential from the scheme's own headers (see
// WithExtractor) and checks it with s.VerifyCredential, so an expiry text is
// checked exactly as the client sent it. Every failure — no signature, an
// empty one, a field sent twice or longer than 1 KiB, a malformed, wrong or
// expired signature, another user's — is answered 401 with the body
// {"error":"unauthorized"}, Content-Type application/json and
// Cache-Control no-store, saying nothing of which check failed, and the next
// handler is not called (see WithErrorHandler, WithLogger). No option lets
// a request with a bad signature through; WithUnsignedAllowed lets requests
// without one through, without an identity.
//
// The identity in the context holds only the fields the scheme's signature
// covers: for Proficient, Engagespot or any UserID scheme the user id alone,
// even if the request also sent an email or expiry, since a client could
// have put anything there; for UserIDOrEmail the id if one was sent, else the
// email; for UserIDExpiry the id and the expiry; for a Composer of your own,
// each field whose removal changes the message signed.
//
// s may be nil when WithSignerLookup is given, and is then unused. Middleware
// panics if s is nil without a lookup, on a nil option, and when the
// returned function is given a nil handler.
func Middleware(s *usersig.Signer, opts ...Option) func(http.Handler) http.Handler {
	var cfg middlewareConfig
	for _, opt := range opts {
		if opt == nil {
			panic("sighttp: nil Option")
		}
		opt(&cfg)
	}
	if cfg.lookup == nil && s == nil {
		panic("sighttp: Middleware needs a Signer or WithSignerLookup")
	}
	v := &verifier{middlewareConfig: cfg, signer: s}
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

// verifier is a configured Middleware, shared by every handler it wraps.
type verifier struct {
	middlewareConfig
	signer *usersig.Signer // nil under WithSignerLookup

	mu    sync.RWMutex
	byHdr map[usersig.Headers]*headerKeys // default extractors under WithSignerLookup
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
	var c usersig.Credential
	var err error
	if v.extract != nil {
		c, err = v.extract(r)
	} else {
		c, err = v.keysFor(s.Scheme()).extract(r.Header)
	}
	if err != nil {
		v.reject(w, r, s, err)
		return
	}
	if c.Signature == "" {
		if v.unsignedPasses {
			v.log(r, s, "usersig: unsigned request allowed", "unsigned", nil)
			h.next.ServeHTTP(w, r)
			return
		}
		v.reject(w, r, s, ErrNoSignature)
		return
	}
	id, err := s.Authenticate(c)
	if err != nil {
		v.reject(w, r, s, err)
		return
	}
	h.next.ServeHTTP(w, r.WithContext(&identityContext{Context: r.Context(), id: id}))
}

// keysFor returns the default header keys for sc, computed once per header
// set and cached (up to maxCachedExtractors sets).
func (v *verifier) keysFor(sc usersig.Scheme) *headerKeys {
	v.mu.RLock()
	k := v.byHdr[sc.Headers]
	v.mu.RUnlock()
	if k != nil {
		return k
	}
	k = newHeaderKeys(requestHeaders(sc))
	v.mu.Lock()
	if v.byHdr == nil {
		v.byHdr = make(map[usersig.Headers]*headerKeys)
	}
	if len(v.byHdr) < maxCachedExtractors {
		v.byHdr[sc.Headers] = k
	}
	v.mu.Unlock()
	return k
}

func (v *verifier) reject(w http.ResponseWriter, r *http.Request, s *usersig.Signer, err error) {
	v.log(r, s, "usersig: request rejected", rejectReason(err), err)
	v.onError(w, r, err)
}

// log writes one record without any credential value, secret or error text
// the package does not control.
func (v *verifier) log(r *http.Request, s *usersig.Signer, msg, reason string, err error) {
	if v.logger == nil || !v.logger.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.String("reason", reason))
	var sfe *usersig.SignatureFormatError
	var cfe *FieldError
	switch {
	case errors.As(err, &sfe):
		attrs = append(attrs, slog.String("detail", sfe.Reason))
	case errors.As(err, &cfe):
		attrs = append(attrs, slog.String("detail", cfe.Reason), slog.String("field", cfe.Source+" "+cfe.Name))
	}
	if s != nil {
		attrs = append(attrs, slog.String("scheme", s.Scheme().Name))
	}
	attrs = append(attrs, slog.String("method", r.Method), slog.String("path", r.URL.Path))
	v.logger.LogAttrs(r.Context(), slog.LevelInfo, msg, attrs...)
}

// rejectReason names the check that failed, for logs only.
func rejectReason(err error) string {
	var cfe *FieldError
	switch {
	case errors.Is(err, ErrNoSignature):
		return "missing"
	case errors.As(err, &cfe):
		switch cfe.Reason {
		case reasonRepeated:
			return "duplicate"
		case reasonTooLong:
			return "oversized"
		case reasonUndecodable:
			return "undecodable"
		}
		return "malformed-field"
	case errors.Is(err, usersig.ErrMalformedSignature):
		return "malformed"
	case errors.Is(err, usersig.ErrInvalidSignature):
		return "invalid"
	case errors.Is(err, usersig.ErrExpired):
		return "expired"
	case errors.Is(err, usersig.ErrInvalidExpiry):
		return "invalid-expiry"
	case errors.Is(err, usersig.ErrMissingIdentity):
		return "no-identity"
	case errors.Is(err, ErrUnknownSigner):
		return "unknown-signer"
	}
	return "error"
}

// identityKey is the context key of a verified identity. The value is the
// *identityContext itself, so storing the identity costs one allocation.
type identityKey struct{}

// identityContext carries a verified identity. It replaces
// context.WithValue(ctx, key, id), which would also box the usersig.Identity.
type identityContext struct {
	context.Context
	id usersig.Identity
}

func (c *identityContext) Value(key any) any {
	if _, ok := key.(identityKey); ok {
		return c
	}
	return c.Context.Value(key)
}

// IdentityFromContext returns the identity Middleware verified for the
// request whose context ctx is (or derives from), and true; or a zero
// usersig.Identity and false when there is none — the request did not pass through
// Middleware, or passed unsigned under WithUnsignedAllowed.
func IdentityFromContext(ctx context.Context) (usersig.Identity, bool) {
	if ctx == nil {
		return usersig.Identity{}, false
	}
	c, ok := ctx.Value(identityKey{}).(*identityContext)
	if !ok {
		return usersig.Identity{}, false
	}
	return c.id, true
}

// unauthorizedBody is all a rejected client learns.
const unauthorizedBody = `{"error":"unauthorized"}` + "\n"

// DefaultErrorHandler is what Middleware answers a rejected request with by
// default: status 401, Content-Type application/json, Cache-Control
// no-store, X-Content-Type-Options nosniff and the body
// {"error":"unauthorized"}, whatever err is. Call it from your own error
// handler for the cases you do not treat differently.
func DefaultErrorHandler(w http.ResponseWriter, _ *http.Request, _ error) {
	writeJSON(w, http.StatusUnauthorized, unauthorizedBody)
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}
