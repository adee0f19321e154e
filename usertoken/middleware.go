package usertoken

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
)

// ctxKey is the unexported type of the context key holding the user id, so
// no other package can read or forge it except through UserIDFromContext.
type ctxKey struct{}

// UserIDFromContext returns the user id that [Middleware] verified for this
// request. ok is false when the request did not pass through the middleware.
func UserIDFromContext(ctx context.Context) (userID string, ok bool) {
	userID, ok = ctx.Value(ctxKey{}).(string)
	return userID, ok
}

// MiddlewareOption configures [Middleware].
type MiddlewareOption func(*mwConfig)

type mwConfig struct {
	header string
	logger *slog.Logger
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

// WithLogger makes the middleware log each rejection at Info level with a
// short reason ("missing", "duplicated", "malformed", "too_large",
// "bad_signature", "expired", "not_yet_valid", "wrong_claims"). The token,
// the key and the request URL are never logged. A nil logger disables
// logging (the default).
func WithLogger(l *slog.Logger) MiddlewareOption {
	return func(c *mwConfig) { c.logger = l }
}

// unauthorizedBody is the whole answer to every rejected request: it does
// not say which check failed.
const unauthorizedBody = `{"error":"unauthorized"}` + "\n"

// Middleware returns net/http middleware that admits a request only if it
// carries exactly one token that v accepts, and then passes the verified
// user id to next in the request context (see [UserIDFromContext]).
//
// By default the token is read from "Authorization: Bearer <token>" (scheme
// case-insensitive); [WithHeader] names another header holding the bare
// token. A missing, empty or repeated header, a wrong scheme, or any
// verification failure (malformed, too large, bad signature, expired, wrong
// claims) gets the same answer: status 401, Content-Type application/json,
// Cache-Control no-store, body {"error":"unauthorized"} (plus
// "WWW-Authenticate: Bearer" for the Authorization header); next is not
// called. Use [WithLogger] to see why requests were refused.
//
// Security: this authenticates the bearer of a token, not the client; serve
// it only over TLS. v must not be nil (Middleware panics at construction).
func Middleware(v *Verifier, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	if v == nil {
		panic("usertoken: Middleware needs a non-nil *Verifier")
	}
	cfg := mwConfig{header: "Authorization"}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.header == "" {
		cfg.header = "Authorization"
	}
	bearer := cfg.header == "Authorization"

	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, reason := extractToken(r.Header, cfg.header, bearer)
			var id string
			if reason == "" {
				var err error
				if id, err = v.Verify(token); err != nil {
					reason = rejectReason(err)
				}
			}
			if reason != "" {
				if cfg.logger != nil {
					cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "usertoken: request rejected",
						slog.String("reason", reason),
						slog.String("profile", v.profile.name),
						slog.String("method", r.Method))
				}
				unauthorized(w, bearer)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, id)))
		})
	}
}

// extractToken returns the token, or a non-empty rejection reason.
func extractToken(h http.Header, name string, bearer bool) (token, reason string) {
	vals := h.Values(name)
	switch {
	case len(vals) == 0:
		return "", "missing"
	case len(vals) > 1:
		return "", "duplicated"
	}
	val := strings.TrimSpace(vals[0])
	if len(val) > MaxTokenSize+len("Bearer ") {
		return "", "too_large"
	}
	if bearer {
		scheme, rest, ok := strings.Cut(val, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return "", "malformed"
		}
		val = strings.TrimLeft(rest, " ")
	}
	if val == "" {
		return "", "missing"
	}
	if strings.ContainsAny(val, " ,\t") {
		// Several tokens folded into one header, or trailing junk.
		return "", "malformed"
	}
	return val, ""
}

// rejectReason names the verification failure for the log.
func rejectReason(err error) string {
	switch {
	case errors.Is(err, ErrTokenTooLarge):
		return "too_large"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrBadSignature):
		return "bad_signature"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrNotYetValid):
		return "not_yet_valid"
	case errors.Is(err, ErrWrongClaims):
		return "wrong_claims"
	default:
		return "rejected"
	}
}

// unauthorized writes the uniform 401 answer.
func unauthorized(w http.ResponseWriter, bearer bool) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if bearer {
		h.Set("WWW-Authenticate", `Bearer`)
	}
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(unauthorizedBody))
}
