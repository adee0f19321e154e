package sighttp

import (
	"context"
	"strings"

	"github.com/usersig/usersig"
)

// A SignerSource finds the Signer of one tenant by its key, such as a
// vendor's publishable API key. A SignerCache is one (over a database of
// tenant secrets); SignerMap is a fixed one.
//
// Signer returns (nil, nil) or an error wrapping ErrUnknownSigner for a key
// it does not know, and any other error when it cannot tell (a failing
// database): the request is refused either way, but the second is logged
// and observed as reason "error", so an outage does not look like junk
// keys. The key it is given is the client's text, bounded to 1 KiB; it is
// a copy the source may keep.
type SignerSource interface {
	Signer(ctx context.Context, key string) (*usersig.Signer, error)
}

// SignerMap is a fixed SignerSource: the Signer of each key, compared
// exactly (case included). A nil Signer in it counts as unknown.
type SignerMap map[string]*usersig.Signer

// Signer returns m[key], or ErrUnknownSigner.
func (m SignerMap) Signer(_ context.Context, key string) (*usersig.Signer, error) {
	if s := m[key]; s != nil {
		return s, nil
	}
	return nil, ErrUnknownSigner
}

// WithTenantLookup picks the Signer of each request by a tenant key it
// carries in field — an HTTP header (matched without regard to case), a
// gRPC metadata key — and src, in every transport. The key is read under
// the credential's rules: sent twice or longer than 1 KiB, the request is
// refused with a *FieldError (reason "duplicate" or "oversized"); absent
// or empty, or unknown to src, with ErrUnknownSigner ("unknown-signer");
// src's other errors are refused as they are ("error"). Refusals come
// before the credential is read, whatever the other options say (even
// WithUnsignedAllowed).
//
// The key is reported in Decision.Tenant only when src found a Signer for
// it, so a junk key never becomes a metric label. The Signer given to
// NewGate or Middleware is then unused and may be nil. WithTenantLookup and
// WithSignerLookup may not be given together (NewGate panics); it panics
// on an empty field or a nil src.
func WithTenantLookup(field string, src SignerSource) Option {
	if field == "" {
		panic("sighttp: WithTenantLookup with an empty field name")
	}
	if src == nil {
		panic("sighttp: WithTenantLookup with a nil SignerSource")
	}
	t := &tenantLookup{field: field, httpKey: canonicalKey(field), src: src}
	return func(c *config) { c.tenant = t }
}

type tenantLookup struct {
	field   string // as given, for Check's carrier
	httpKey string // canonical, to index an http.Header
	src     SignerSource
}

// signer reads the tenant key through get, under name, and asks the source.
// It returns the key (a copy: the carrier's may be lent for the request
// only) only with a Signer.
func (t *tenantLookup) signer(ctx context.Context, get func(string) []string, name string) (*usersig.Signer, string, error) {
	key, err := readOne(get, name)
	if err != nil {
		return nil, "", err
	}
	if key == "" {
		return nil, "", ErrUnknownSigner
	}
	key = strings.Clone(key)
	s, err := t.src.Signer(ctx, key)
	if err == nil && s == nil {
		err = ErrUnknownSigner
	}
	if err != nil {
		return nil, "", err
	}
	return s, key, nil
}
