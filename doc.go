// Package usersig mints and verifies user identity signatures: the HMAC-SHA256
// of a user's id (or email, or id and expiry) that chat, inbox, onboarding
// and notification widgets demand, so that one user cannot read another's
// data by guessing their id.
//
// A Scheme says what is signed (a Composer) and how the MAC travels as text
// (an Encoding); presets such as Engagespot, Helpshift, ProductFruits and
// Intercom give the exact bytes each vendor checks. New makes a Signer from a
// scheme and a secret:
//
//	signer, err := usersig.New(usersig.Intercom(), secret)
//	hash, err := signer.Sign(usersig.Identity{UserID: "user-1"})
//	err = signer.Verify(usersig.Identity{UserID: "user-1"}, hash)
//
// Verification is strict and constant-time: the text must be the scheme's one
// canonical form of a full 32-byte tag (ErrMalformedSignature says which rule
// it broke), the decoded bytes are compared with hmac.Equal under every
// accepted secret without an early exit, and an expired identity is never
// accepted. Secrets are used as the bytes given, never decoded, and never
// appear in an error or a formatted Signer.
//
// Middleware and MintHandler put a Signer behind net/http; the usertoken
// package does the same for the JWT ("secure mode") form of the idea.
package usersig
