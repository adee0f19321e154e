package sighttp

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"

	"github.com/usersig/usersig"
)

// Reason names the check err failed, as WithLogger logs it in the reason
// attribute: "missing", "duplicate", "oversized", "undecodable",
// "malformed-field", "malformed", "invalid", "expired", "not-yet-valid" (a
// timestamped signature signed after now), "invalid-expiry", "no-identity",
// "unknown-signer", "rate-limited" and "load-timeout" (a SignerCache's own
// refusals), or "error" for an error this package does
// not know (your extractor's or lookup's, a failed load). It is the one mapping from an
// error to a reason, for adapters and custom error handlers that log; the
// words are for operators, never for the client.
func Reason(err error) string {
	var fe *FieldError
	switch {
	case errors.Is(err, ErrNoSignature):
		return ReasonMissing
	case errors.As(err, &fe):
		switch fe.Reason {
		case reasonRepeated:
			return ReasonDuplicate
		case reasonTooLong:
			return ReasonOversized
		case reasonUndecodable:
			return ReasonUndecodable
		}
		return ReasonMalformedField
	case errors.Is(err, usersig.ErrMalformedSignature):
		return ReasonMalformed
	case errors.Is(err, usersig.ErrInvalidSignature):
		return ReasonInvalid
	case errors.Is(err, usersig.ErrExpired):
		return ReasonExpired
	case errors.Is(err, usersig.ErrIssuedInFuture):
		return ReasonNotYetValid
	case errors.Is(err, usersig.ErrInvalidExpiry):
		return ReasonInvalidExpiry
	case errors.Is(err, usersig.ErrMissingIdentity):
		return ReasonNoIdentity
	case errors.Is(err, ErrUnknownSigner):
		return ReasonUnknownSigner
	case errors.Is(err, ErrRateLimited):
		return ReasonRateLimited
	case errors.Is(err, ErrLoadTimeout):
		return ReasonLoadTimeout
	}
	return ReasonError
}

// logPrevious records an acceptance under a previous secret: which one,
// the scheme and the tenant the lookup found, never the secret.
func (g *Gate) logPrevious(ctx context.Context, req *Request, s *usersig.Signer, d *Decision) {
	if g.logger == nil || !g.logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := []slog.Attr{slog.String("secret", "previous-"+strconv.Itoa(d.Secret)), slog.String("scheme", s.Scheme().Name)}
	if d.Tenant != "" {
		attrs = append(attrs, slog.String("tenant", strings.Clone(d.Tenant)))
	}
	attrs = append(attrs, slog.String("method", strings.Clone(req.Method)), slog.String("path", strings.Clone(req.Path)))
	g.logger.LogAttrs(ctx, slog.LevelInfo, MsgPreviousSecret, attrs...)
}

// log writes one record without any credential value, secret, query string
// or error text the package does not control. The method and path are
// cloned: a transport such as fasthttp lends them only for the request, and
// a log handler may keep the record longer.
func (g *Gate) log(ctx context.Context, req *Request, s *usersig.Signer, msg, reason string, err error) {
	if g.logger == nil || !g.logger.Enabled(ctx, slog.LevelInfo) {
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
	attrs = append(attrs, slog.String("method", strings.Clone(req.Method)), slog.String("path", strings.Clone(req.Path)))
	g.logger.LogAttrs(ctx, slog.LevelInfo, msg, attrs...)
}
