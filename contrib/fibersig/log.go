package fibersig

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/refusal"
	"github.com/usersig/usersig/sighttp"
)

// The messages and reason words are sighttp's, so that one log query finds
// refusals from either adapter.
const (
	msgRejected    = refusal.MsgRejected
	msgUnsigned    = refusal.MsgUnsigned
	reasonUnsigned = refusal.Unsigned
)

func isUnsigned(err error) bool { return errors.Is(err, sighttp.ErrNoSignature) }

func (cfg *config) reject(c *fiber.Ctx, s *usersig.Signer, err error) error {
	cfg.log(c, s, msgRejected, sighttp.Reason(err), err)
	return cfg.onError(c, err)
}

// log writes one record without any credential value, secret, query string
// or error text the package does not control. Strings from fiber are
// copied: fasthttp reuses their memory once the handler returns, and a
// log handler may keep the record longer.
func (cfg *config) log(c *fiber.Ctx, s *usersig.Signer, msg, reason string, err error) {
	if cfg.logger == nil || !cfg.logger.Enabled(c.UserContext(), slog.LevelInfo) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.String("reason", reason))
	var sfe *usersig.SignatureFormatError
	var fe *sighttp.FieldError
	switch {
	case errors.As(err, &sfe):
		attrs = append(attrs, slog.String("detail", sfe.Reason))
	case errors.As(err, &fe):
		attrs = append(attrs, slog.String("detail", fe.Reason), slog.String("field", fe.Source+" "+fe.Name))
	}
	if s != nil {
		attrs = append(attrs, slog.String("scheme", s.Scheme().Name))
	}
	attrs = append(attrs,
		slog.String("method", strings.Clone(c.Method())),
		slog.String("path", strings.Clone(c.Path())))
	cfg.logger.LogAttrs(c.UserContext(), slog.LevelInfo, msg, attrs...)
}

// writeUnauthorized is refusal.WriteUnauthorized in fiber's terms.
func writeUnauthorized(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(fiber.StatusUnauthorized).SendString(refusal.UnauthorizedBody)
}
