package sighttp

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/refusal"
)

// The messages of the records WithLogger writes, shared with every adapter
// so one log query finds refusals from all of them.
const (
	msgRejected = refusal.MsgRejected
	msgUnsigned = refusal.MsgUnsigned
)

// Reason names the check err failed, as WithLogger logs it in the reason
// attribute: "missing", "duplicate", "oversized", "undecodable",
// "malformed-field", "malformed", "invalid", "expired", "invalid-expiry",
// "no-identity", "unknown-signer", "rate-limited" and "load-timeout" (a
// SignerCache's own refusals), or "error" for an error this package does
// not know (your extractor's or lookup's, a failed load). It is the one mapping from an
// error to a reason, for adapters and custom error handlers that log; the
// words are for operators, never for the client.
func Reason(err error) string {
	var fe *FieldError
	switch {
	case errors.Is(err, ErrNoSignature):
		return refusal.Missing
	case errors.As(err, &fe):
		switch fe.Reason {
		case reasonRepeated:
			return refusal.Duplicate
		case reasonTooLong:
			return refusal.Oversized
		case reasonUndecodable:
			return refusal.Undecodable
		}
		return refusal.MalformedField
	case errors.Is(err, usersig.ErrMalformedSignature):
		return refusal.Malformed
	case errors.Is(err, usersig.ErrInvalidSignature):
		return refusal.Invalid
	case errors.Is(err, usersig.ErrExpired):
		return refusal.Expired
	case errors.Is(err, usersig.ErrInvalidExpiry):
		return refusal.InvalidExpiry
	case errors.Is(err, usersig.ErrMissingIdentity):
		return refusal.NoIdentity
	case errors.Is(err, ErrUnknownSigner):
		return refusal.UnknownSigner
	case errors.Is(err, ErrRateLimited):
		return refusal.RateLimited
	case errors.Is(err, ErrLoadTimeout):
		return refusal.LoadTimeout
	}
	return refusal.Error
}

// log writes one record without any credential value, secret, query string
// or error text the package does not control.
func (v *verifier) log(r *http.Request, s *usersig.Signer, msg, reason string, err error) {
	if v.logger == nil || !v.logger.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.String("reason", reason))
	var sfe *usersig.SignatureFormatError
	var fe *FieldError
	switch {
	case errors.As(err, &sfe):
		attrs = append(attrs, slog.String("detail", sfe.Reason))
	case errors.As(err, &fe):
		attrs = append(attrs, slog.String("detail", fe.Reason), slog.String("field", fe.Source+" "+fe.Name))
	}
	if s != nil {
		attrs = append(attrs, slog.String("scheme", s.Scheme().Name))
	}
	attrs = append(attrs, slog.String("method", r.Method), slog.String("path", r.URL.Path))
	v.logger.LogAttrs(r.Context(), slog.LevelInfo, msg, attrs...)
}
