package sighttp

import (
	"context"
	"strings"
	"unsafe"

	"github.com/usersig/usersig"
)

// identityKey is the context key of a verified identity. It is unexported,
// so nothing but this package (ContextWithIdentity, the Gate) can put an
// identity in a context.
type identityKey struct{}

// identityInline is how many bytes of an identity's strings its context
// holds inline; a longer user id plus email costs one more allocation.
const identityInline = 96

// identityContext carries a verified identity in one allocation: the
// context, the Identity and a copy of its strings, so that an identity never
// aliases a transport's buffers (fasthttp reuses its own once the handler
// returns) and an accepted request costs an adapter one allocation.
//
// Its key and val fields are named and ordered as context.WithValue's own,
// on purpose: adapters that rebuild a context by walking those fields
// (fiber's adaptor.CopyContextToFiberContext) carry the identity across.
type identityContext struct {
	context.Context
	key identityKey //lint:ignore U1000 read by reflection, as the comment above says
	val *usersig.Identity
	id  usersig.Identity
	buf [identityInline]byte
}

// Value answers the identity key, and asks the parent for any other.
func (c *identityContext) Value(key any) any {
	if _, ok := key.(identityKey); ok {
		return c.val
	}
	return c.Context.Value(key)
}

func withIdentity(ctx context.Context, id usersig.Identity) context.Context {
	c := &identityContext{Context: ctx, id: id}
	c.val = &c.id
	if len(id.UserID)+len(id.Email) <= identityInline {
		n := copy(c.buf[:], id.UserID)
		copy(c.buf[n:], id.Email)
		c.id.UserID = inlineString(&c.buf, 0, len(id.UserID))
		c.id.Email = inlineString(&c.buf, n, len(id.Email))
	} else {
		c.id.UserID = strings.Clone(id.UserID)
		c.id.Email = strings.Clone(id.Email)
	}
	return c
}

// inlineString returns buf[off:off+n] as a string without copying it. buf
// is never written again once the identity is in its context, which is what
// unsafe.String requires; the string keeps the context alive.
func inlineString(buf *[identityInline]byte, off, n int) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&buf[off], n)
}

// withoutIdentity returns ctx with no identity in it: unchanged (and so
// without allocating) when it had none, else with the identity hidden by a
// nil one, which IdentityFromContext reports as none.
func withoutIdentity(ctx context.Context) context.Context {
	if p, _ := ctx.Value(identityKey{}).(*usersig.Identity); p == nil {
		return ctx
	}
	return context.WithValue(ctx, identityKey{}, (*usersig.Identity)(nil))
}

// ContextWithIdentity returns a copy of ctx carrying id as a verified
// identity, which IdentityFromContext then reports. It is for adapters that
// verify without a Gate, and for tests of handlers that read
// IdentityFromContext.
//
// Whatever it is given is trusted as verified: call it only with an
// Identity that Signer.Authenticate returned for this request, never with
// fields the client sent.
func ContextWithIdentity(ctx context.Context, id usersig.Identity) context.Context {
	return withIdentity(ctx, id)
}

// IdentityFromContext returns the identity a Gate (Middleware, or an
// adapter built on one) verified for the request whose context ctx is (or
// derives from), and true; or a zero Identity and false when there is none:
// the request did not pass through one, or the innermost one it passed let
// it through unsigned under WithUnsignedAllowed, even if an outer one had
// verified an identity (so an inner report-only route never sees a caller
// it did not check).
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
