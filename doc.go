// Package usersig mints and verifies user identity signatures: the HMAC-SHA256
// of a user's id (or email, or id and expiry) that chat, inbox, onboarding
// and notification widgets demand, so that one user cannot read another's
// data by guessing their id.
//
// # Signing for a vendor
//
// A [Scheme] says what is signed (a [Composer], usually one of the
// [MessageRule] constants) and how the MAC travels as text (an [Encoding]).
// The presets — [Engagespot], [Helpshift], [ProductFruits], [Intercom],
// [Crisp] and the rest, listed by [Schemes] and found by [LookupScheme] —
// give the exact bytes each vendor checks. [New] makes a [Signer] from a
// scheme and the vendor's secret (read one from a file with
// [ReadSecretFile]):
//
//	signer, err := usersig.New(usersig.Intercom(), secret)
//	hash, err := signer.Sign(usersig.Identity{UserID: "user-1"})
//
// [Signer.Issue] returns a [Credential]: the signature with the fields it
// covers, and for Product Fruits the exact expiry text signed
// ([FormatExpiry]). For a script or a test, the one-shot [Sign] and [Verify]
// take the same scheme and secret (usersig.Sign(usersig.Intercom(), secret,
// id)), so they write the scheme's encoding too.
//
// [Chameleon]'s hash carries the time it was signed ([UserIDTimestamp]):
// the Signer stamps its own clock when it signs, reads the time back from
// the text when it verifies, and refuses one older than its freshness
// window ([WithFreshness], [DefaultFreshness]) or from the future
// ([ErrIssuedInFuture]).
//
// # Verifying, as the vendor does
//
//	err = signer.Verify(usersig.Identity{UserID: "user-1"}, hash)
//	id, err := signer.Authenticate(credentialFromRequest)
//
// Verification is strict and constant-time: the text must be the scheme's one
// canonical form of a full 32-byte tag ([ErrMalformedSignature], with a
// [SignatureFormatError] saying which rule it broke), the decoded bytes are
// compared in constant time under every accepted secret without an early exit
// ([WithPreviousSecrets] for rotation), and an expired identity is never
// accepted ([ErrExpired]; the clock is [WithClock]'s). [Signer.Authenticate]
// returns only the fields the signature covers ([Scheme.SignedFields]).
//
// # Secrets and errors
//
// Secrets are used as the bytes given, never decoded, are copied, and never
// appear in an error or a formatted Signer. Whitespace is part of a secret
// too, so check one read from a variable or a file with [SecretForm.Check]
// (a trailing newline would make every signature wrong). Every error wraps one of the
// Err… sentinels in errors.go, for errors.Is.
//
// # Other packages
//
// This package imports nothing from net/*. Package
// github.com/usersig/usersig/sighttp puts a Signer behind net/http
// (verifying middleware and a minting handler); package
// github.com/usersig/usersig/usertoken does the same for the JWT ("secure
// mode") form of the idea; the contrib modules adapt sighttp to gin, echo
// and fiber.
package usersig
