package sighttp

import (
	"context"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/idctx"
)

// The identity's context key lives in internal/idctx, shared with the
// adapters outside net/http.

func withIdentity(ctx context.Context, id usersig.Identity) context.Context {
	return idctx.With(ctx, id)
}

func withoutIdentity(ctx context.Context) context.Context { return idctx.Without(ctx) }

// IdentityFromContext returns the identity Middleware verified for the
// request whose context ctx is (or derives from), and true; or a zero
// Identity and false when there is none: the request did not pass through
// Middleware, or the innermost Middleware it passed let it through unsigned
// under WithUnsignedAllowed, even if an outer one had verified an identity
// (so an inner report-only route never sees a caller it did not check).
//
// The Identity holds only what the signature covers; see Middleware.
func IdentityFromContext(ctx context.Context) (usersig.Identity, bool) {
	return idctx.From(ctx)
}
