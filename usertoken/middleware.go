package usertoken

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/usersig/usersig/sighttp"
	"log/slog"
	"net/http"
	"strings"
)

// ctxKey is the unexported type of the context key holding what the
// middleware verified, so no other package can read or forge it except
// through UserIDFromContext, ClaimsFromContext and PayloadFromContext.
type ctxKey struct{}

// ctxValue is what the middleware stores for the handler. It is also the
// context that carries it: one allocation where context.WithValue and a
// value would be two.
type ctxValue struct {
	context.Context
	claims Claims
	token  string // the verified token, whose payload is decoded only on demand
}

// Value answers ctxKey{} with v itself and everything else from the
// parent, as context.WithValue's context does.
func (v *ctxValue) Value(key any) any {
	if key == (ctxKey{}) {
		return v
	}
	return v.Context.Value(key)
}

// UserIDFromContext returns the user id that [Middleware] verified for this
// request. ok is false when the request did not pass through the middleware.
func UserIDFromContext(ctx context.Context) (userID string, ok bool) {
	v, ok := ctx.Value(ctxKey{}).(*ctxValue)
	if !ok {
		return "", false
	}
	return v.claims.UserID, true
}

// ClaimsFromContext returns the [Claims] of the token that [Middleware]
// verified for this request, as [Verifier.VerifyClaims] returns them. ok is
// false when the request did not pass through the middleware.
func ClaimsFromContext(ctx context.Context) (Claims, bool) {
	v, ok := ctx.Value(ctxKey{}).(*ctxValue)
	if !ok {
		return Claims{}, false
	}
	return v.claims, true
}

// PayloadFromContext returns every claim of the payload of the token that
// [Middleware] verified for this request, decoded from JSON afresh on each
// call (numbers are float64, objects map[string]any), including those the
// profile does not know (Intercom's custom attributes, OneSignal's
// subscriptions): changing the map changes nothing another handler sees.
// ok is false when the request did not pass through the middleware.
//
// Security: only the profile's own claims (the user id, exp, the fixed
// values, the required fields) were checked; any other claim is whatever
// the key holder signed.
func PayloadFromContext(ctx context.Context) (map[string]any, bool) {
	v, ok := ctx.Value(ctxKey{}).(*ctxValue)
	if !ok {
		return nil, false
	}
	seg, err := splitToken(v.token)
	if err != nil {
		return nil, false // cannot happen: Verify read it
	}
	payload, _ := appendDecoded(nil, seg.payload)
	var m map[string]any
	if json.Unmarshal(payload, &m) != nil {
		return nil, false // cannot happen: Verify decoded it
	}
	return m, true
}

// The errors of the request layer, given to the error handler besides the
// Verifier's. Like them they wrap this package's sentinels and, where the
// meaning matches, the core's: a missing token is sighttp.ErrNoSignature, a
// repeated header or several tokens in one is sighttp.ErrMalformedCredential.
var (
	// ErrNoToken: the request carries no token (no header, or an empty
	// one). Also sighttp.ErrNoSignature.
	ErrNoToken error = &coreSentinel{"usertoken: request has no token", sighttp.ErrNoSignature}

	// ErrUnknownVerifier: a verifier lookup ([WithVerifierLookup]) has no
	// Verifier for the request, such as an unknown tenant. Also
	// sighttp.ErrUnknownSigner, so one check covers both middlewares.
	ErrUnknownVerifier error = &coreSentinel{"usertoken: no verifier for this request", sighttp.ErrUnknownSigner}

	errDuplicateHeader = &bothError{msg: ErrMalformed.Error() + ": token header sent more than once", mine: ErrMalformed, theirs: sighttp.ErrMalformedCredential}
	errNotBearer       = &bothError{msg: ErrMalformed.Error() + ": Authorization scheme is not Bearer", mine: ErrMalformed, theirs: sighttp.ErrMalformedCredential}
	errSeveralTokens   = &bothError{msg: ErrMalformed.Error() + ": several tokens or trailing data in the header", mine: ErrMalformed, theirs: sighttp.ErrMalformedCredential}
	errHeaderTooLarge  = fmt.Errorf("%w: token header over the size limit", ErrTokenTooLarge)
)

// MiddlewareOption configures [Middleware]. A nil MiddlewareOption makes
// Middleware panic at construction, as sighttp's middleware does: a
// configuration mistake must not reach the first request.
type MiddlewareOption func(*mwConfig)

type mwConfig struct {
	header  string
	logger  *slog.Logger
	onError func(w http.ResponseWriter, r *http.Request, err error)
	lookup  func(*http.Request) (*Verifier, error)
	observe sighttp.Observer
}

// WithObserver calls o once per decision, as sighttp.WithObserver does for
// signatures: Outcome Accepted or Rejected, the reason word of a refusal,
// the profile's name as Scheme, and in Secret which key verified (0 the
// current one, i the i-th previous: while a previous key still verifies
// tokens, a rotation cannot end). Tenant is "" (a WithVerifierLookup
// returns no key name). It never sees a token or a claim. A nil o panics.
// Default: none.
func WithObserver(o sighttp.Observer) MiddlewareOption {
	if o == nil {
		panic("usertoken: WithObserver(nil)")
	}
	return func(c *mwConfig) { c.observe = o }
}

// WithVerifierLookup picks the Verifier for each request, for a service
// that verifies tokens for many tenants, each with its own keys (and
// profile): a tenant store's per-tenant public keys, say. The Verifier
// given to Middleware is then unused and may be nil.
//
// The lookup runs before the token is read. An error, or a nil Verifier,
// gets the request the refusal answer (by default 401); return an error
// wrapping [ErrUnknownVerifier] (or sighttp.ErrUnknownSigner) for an
// unknown tenant, so it is logged as "unknown-signer" and an error handler
// can tell it from, say, a failing database (logged as "error"). A nil
// Verifier with a nil error counts as unknown. The lookup's error reaches
// the error handler and is never written to the client. Default: none,
// every request uses the Verifier given to Middleware. A nil lookup panics
// at construction.
func WithVerifierLookup(lookup func(*http.Request) (*Verifier, error)) MiddlewareOption {
	if lookup == nil {
		panic("usertoken: WithVerifierLookup(nil)")
	}
	return func(c *mwConfig) { c.lookup = lookup }
}

// WithHeader makes the middleware read the raw token from the named header
// (for example "X-Knock-User-Token") instead of "Authorization: Bearer
// <token>". The header value is the token itself, without a scheme — except
// for "Authorization", which is always read as "Bearer <token>". The name is
// case-insensitive; an empty name keeps the default.
func WithHeader(name string) MiddlewareOption {
	return func(c *mwConfig) {
		c.header = http.CanonicalHeaderKey(strings.TrimSpace(name))
	}
}

// WithLogger makes the middleware log, at Info level:
//
//   - each refusal, message "usertoken: request rejected", with reason (the
//     words sighttp logs: "missing", "duplicate", "oversized", "malformed",
//     "invalid" for a bad signature, "expired", "not-yet-valid",
//     "wrong-claims"), profile and method;
//   - each token accepted under a previous key ([WithPreviousKeys],
//     [WithPreviousKey]), message "usertoken: token verified under a
//     previous key", with key ("previous-N", N counting the previous keys
//     in the order given, or "kid:<id>"), profile and method, so an
//     operator can tell when an old key is unused and can be dropped.
//
// The token, the key, the claims and the request URL are never logged. A
// nil logger disables logging (the default), as in every package of this
// module.
func WithLogger(l *slog.Logger) MiddlewareOption {
	return func(c *mwConfig) { c.logger = l }
}

// WithErrorHandler sets what answers a refused request. It receives an
// error wrapping one of this package's sentinels: [ErrNoToken],
// [ErrTokenTooLarge], [ErrMalformed], or any verification error of
// [Verifier.Verify]; test them with errors.Is (the core's sentinels match
// too, see errors.go). It must write a response; the next handler is never
// called after a refusal.
//
// Tell the client as little as the default does, and never write
// err.Error() to the response. Default: status 401, body
// {"error":"unauthorized"}, Content-Type application/json, Cache-Control
// no-store, X-Content-Type-Options nosniff (the answer sighttp gives), plus
// "WWW-Authenticate: Bearer" when the token is read from Authorization. A
// nil handler panics at construction.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) MiddlewareOption {
	return func(c *mwConfig) {
		if h == nil {
			panic("usertoken: WithErrorHandler(nil)")
		}
		c.onError = h
	}
}

// Middleware returns net/http middleware that admits a request only if it
// carries exactly one token that v accepts, and then passes the verified
// user id and claims to next in the request context (see
// [UserIDFromContext], [ClaimsFromContext] and [PayloadFromContext]).
//
// By default the token is read from "Authorization: Bearer <token>" (scheme
// case-insensitive); [WithHeader] names another header holding the bare
// token. A missing, empty or repeated header, a wrong scheme, or any
// verification failure (malformed, too large, bad signature, expired, wrong
// claims) gets the same answer, the error handler's ([WithErrorHandler];
// by default a 401 {"error":"unauthorized"}); next is not called. Use
// [WithLogger] to see why requests were refused. With
// [WithVerifierLookup] the Verifier is chosen per request and v may be nil.
//
// Security: this authenticates the bearer of a token, not the client; serve
// it only over TLS. v must not be nil (unless a lookup is given) and no
// option may be nil (Middleware panics at construction).
func Middleware(v *Verifier, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	cfg := mwConfig{header: "Authorization"}
	for _, o := range opts {
		if o == nil {
			panic("usertoken: nil MiddlewareOption")
		}
		o(&cfg)
	}
	if v == nil && cfg.lookup == nil {
		panic("usertoken: Middleware needs a non-nil *Verifier or WithVerifierLookup")
	}
	if cfg.header == "" {
		cfg.header = "Authorization"
	}
	bearer := cfg.header == "Authorization"
	if cfg.onError == nil {
		cfg.onError = func(w http.ResponseWriter, r *http.Request, _ error) {
			if bearer {
				w.Header().Set("WWW-Authenticate", "Bearer")
			}
			sighttp.DefaultErrorHandler(w, r, nil)
		}
	}
	m := &middleware{cfg: cfg, bearer: bearer, verifier: v}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			m.serve(w, r, next)
		})
	}
}

// middleware is one Middleware's configuration.
type middleware struct {
	cfg      mwConfig
	bearer   bool
	verifier *Verifier // nil under WithVerifierLookup
}

// serve is the middleware's decision for one request: the Verifier, the
// token, the verification; then either next with the verified claims in
// the context, or reject.
func (m *middleware) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	v, err := m.verifierFor(r)
	if err != nil {
		m.reject(w, r, nil, err)
		return
	}
	token, err := extractToken(r.Header, m.cfg.header, m.bearer)
	if err != nil {
		m.reject(w, r, v, err)
		return
	}
	res, err := v.verify(token)
	if err != nil {
		m.reject(w, r, v, err)
		return
	}
	if res.key != 0 && m.cfg.logger != nil {
		m.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "usertoken: token verified under a previous key",
			slog.String("key", v.keys()[res.key].label),
			slog.String("profile", v.profile.name),
			slog.String("method", r.Method))
	}
	if m.cfg.observe != nil {
		m.cfg.observe(r.Context(), sighttp.Decision{Outcome: sighttp.Accepted, Scheme: v.profile.name, Secret: res.key})
	}
	ctx := &ctxValue{Context: r.Context(), claims: res.claims, token: res.token}
	next.ServeHTTP(w, r.WithContext(ctx))
}

// verifierFor returns the Verifier for r: the one given to Middleware, or
// the lookup's.
func (m *middleware) verifierFor(r *http.Request) (*Verifier, error) {
	if m.cfg.lookup == nil {
		return m.verifier, nil
	}
	v, err := m.cfg.lookup(r)
	switch {
	case err != nil:
		return nil, err
	case v == nil:
		return nil, ErrUnknownVerifier
	}
	return v, nil
}

// reject logs the refusal (v is nil when no Verifier was found) and
// answers it with the error handler.
func (m *middleware) reject(w http.ResponseWriter, r *http.Request, v *Verifier, err error) {
	if m.cfg.logger != nil {
		attrs := []slog.Attr{slog.String("reason", rejectReason(err))}
		if v != nil {
			attrs = append(attrs, slog.String("profile", v.profile.name))
		}
		attrs = append(attrs, slog.String("method", r.Method))
		m.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "usertoken: request rejected", attrs...)
	}
	if m.cfg.observe != nil {
		d := sighttp.Decision{Outcome: sighttp.Rejected, Reason: rejectReason(err), Secret: -1}
		if v != nil {
			d.Scheme = v.profile.name
		}
		m.cfg.observe(r.Context(), d)
	}
	m.cfg.onError(w, r, err)
}

// extractToken returns the token, or the reason there is none.
func extractToken(h http.Header, name string, bearer bool) (string, error) {
	vals := h.Values(name)
	switch {
	case len(vals) == 0:
		return "", ErrNoToken
	case len(vals) > 1:
		return "", errDuplicateHeader
	}
	val := strings.TrimSpace(vals[0])
	if len(val) > MaxTokenSize+len("Bearer ") {
		return "", errHeaderTooLarge
	}
	if bearer {
		scheme, rest, ok := strings.Cut(val, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return "", errNotBearer
		}
		val = strings.TrimLeft(rest, " ")
	}
	if val == "" {
		return "", ErrNoToken
	}
	if strings.ContainsAny(val, " ,\t") {
		// Several tokens folded into one header, or trailing junk.
		return "", errSeveralTokens
	}
	return val, nil
}

// rejectReason names the failure for the log and the Observer, in
// sighttp's reason words, so one vocabulary covers both packages.
func rejectReason(err error) string {
	switch {
	case errors.Is(err, ErrNoToken):
		return sighttp.ReasonMissing
	case errors.Is(err, errDuplicateHeader):
		return sighttp.ReasonDuplicate
	case errors.Is(err, ErrTokenTooLarge):
		return sighttp.ReasonOversized
	case errors.Is(err, ErrMalformed):
		return sighttp.ReasonMalformed
	case errors.Is(err, ErrBadSignature):
		return sighttp.ReasonInvalid
	case errors.Is(err, ErrExpired):
		return sighttp.ReasonExpired
	case errors.Is(err, ErrNotYetValid):
		return sighttp.ReasonNotYetValid
	case errors.Is(err, ErrWrongClaims):
		return sighttp.ReasonWrongClaims
	case errors.Is(err, sighttp.ErrUnknownSigner): // ErrUnknownVerifier too
		return sighttp.ReasonUnknownSigner
	default:
		return sighttp.ReasonError
	}
}
