package sighttp

import (
	"context"

	"github.com/usersig/usersig"
)

// identityKey is the context key of a verified identity. Its value is a
// *usersig.Identity; a nil one marks a request that passed unsigned, and
// hides any identity an outer middleware put in the context.
//
// The value sits in a plain context.WithValue, not a context type of our
// own, so that adapters which rebuild a context from its values (fiber's
// net/http adaptor does) carry the identity across.
type identityKey struct{}

func withIdentity(ctx context.Context, id usersig.Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, &id)
}

// withoutIdentity returns ctx with no identity in it, unchanged (and so
// without allocating) when it had none.
func withoutIdentity(ctx context.Context) context.Context {
	if p, _ := ctx.Value(identityKey{}).(*usersig.Identity); p == nil {
		return ctx
	}
	return context.WithValue(ctx, identityKey{}, (*usersig.Identity)(nil))
}

// IdentityFromContext returns the identity Middleware verified for the
// request whose context ctx is (or derives from), and true; or a zero
// Identity and false when there is none: the request did not pass through
// Middleware, or the innermost Middleware it passed let it through unsigned
// under WithUnsignedAllowed, even if an outer one had verified an identity
// (so an inner report-only route never sees a caller it did not check).
//
// The Identity holds only what the signature covers; see Middleware.
func IdentityFromContext(ctx context.Context) (usersig.Identity, bool) {
	if ctx == nil {
		return usersig.Identity{}, false
	}
	p, _ := ctx.Value(identityKey{}).(*usersig.Identity)
	if p == nil {
		return usersig.Identity{}, false
	}
	return *p, true
}
