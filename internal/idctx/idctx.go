// Package idctx holds the context key of a verified identity, so that
// sighttp and the adapters outside net/http (contrib/fibersig) put it in,
// read it and hide it the same way. Only sighttp.IdentityFromContext and
// sighttp.ContextWithIdentity expose it.
package idctx

import (
	"context"

	"github.com/usersig/usersig"
)

// key is the context key. Its value is a *usersig.Identity; a nil one marks
// a request that passed unsigned, and hides any identity an outer
// middleware put in the context.
//
// The value sits in a plain context.WithValue, not a context type of our
// own, so that adapters which rebuild a context from its values (fiber's
// net/http adaptor does) carry the identity across.
type key struct{}

// With returns ctx carrying id as verified.
func With(ctx context.Context, id usersig.Identity) context.Context {
	return context.WithValue(ctx, key{}, &id)
}

// Without returns ctx with no identity in it: unchanged (and so without
// allocating) when it had none, else with the identity hidden.
func Without(ctx context.Context) context.Context {
	if p, _ := ctx.Value(key{}).(*usersig.Identity); p == nil {
		return ctx
	}
	return context.WithValue(ctx, key{}, (*usersig.Identity)(nil))
}

// From returns the identity in ctx, if there is one.
func From(ctx context.Context) (usersig.Identity, bool) {
	if ctx == nil {
		return usersig.Identity{}, false
	}
	p, _ := ctx.Value(key{}).(*usersig.Identity)
	if p == nil {
		return usersig.Identity{}, false
	}
	return *p, true
}
