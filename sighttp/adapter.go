package sighttp

import (
	"context"

	"github.com/usersig/usersig"
)

// ContextWithIdentity returns a copy of ctx carrying id as a verified
// identity, which IdentityFromContext then reports. It is for adapters that
// verify outside net/http with ReadCredential and Signer.Authenticate
// (contrib/fibersig puts the identity in fiber's UserContext with it), and
// for tests of handlers that read IdentityFromContext.
//
// Whatever it is given is trusted as verified: call it only with an
// Identity that Signer.Authenticate returned for this request, never with
// fields the client sent.
func ContextWithIdentity(ctx context.Context, id usersig.Identity) context.Context {
	return withIdentity(ctx, id)
}
