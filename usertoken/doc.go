// Package usertoken issues and verifies the short-lived JWT "user tokens"
// that notification-inbox, chat and feedback widgets use in their secure
// modes and single sign-on: Engagespot secure mode, Knock enhanced
// security, Braze SDK authentication (RS256); Intercom messenger security,
// Zendesk messaging, Drift signed identities, Stream Chat user tokens,
// TalkJS authentication, MagicBell user JWTs, Nolt and UserVoice single
// sign-on, Usertour identity verification and Userback portal SSO
// (HS256); OneSignal identity verification and SuprSend's enhanced security
// mode (ES256).
//
// # Issuing
//
// Your backend, after authenticating its own user, calls [Issuer.Token]
// (the user id alone) or [Issuer.Issue] (a [Claims] with the fields the
// SSO profiles sign: email, name, avatar, Nolt role, Usertour company) and
// hands the token to the front end, which passes it to the vendor's SDK or
// portal URL.
//
// # Verifying
//
// The vendor verifies the token; [Verifier] does the same checks locally
// (for tests, proxies, or a backend that accepts the same token):
// [Verifier.Verify] returns the user id, [Verifier.VerifyClaims] every
// field. It runs one pipeline — size, key selection, signature, times,
// claims — and decodes the payload once, into a struct, after the
// signature verified. [Middleware] wraps a Verifier for net/http, or picks
// one per request with [WithVerifierLookup] (one per tenant).
//
// # Profiles and keys
//
// Each vendor format is a [Profile]: it pins the algorithm (never taken
// from the token header), the claim carrying the user id, the claims with
// fixed values (Engagespot's apiKey, Zendesk's scope), the per-user fields
// and which are required (Nolt's email and name), and header fields
// (Zendesk's kid). Keys are checked against a policy (RSA >= 2048 bits with
// e = 65537, EC keys on P-256, HMAC secrets >= 32 bytes, the right kind of
// key for the profile) and copied; HS256 runs on the core package's
// precomputed-key HMAC engine (crypto/hmac in FIPS 140 mode), RS256 and
// ES256 on github.com/golang-jwt/jwt/v5's methods. A Verifier can hold
// previous keys during a key rotation ([WithPreviousKeys],
// [WithPreviousKey]), selected by kid when keys have ids. [NewIssuer] takes
// [IssuerOption]s and [NewVerifier] [VerifierOption]s, so an option given
// to the wrong one does not compile.
//
// # Errors
//
// Every error wraps a sentinel of this package (see errors.go), which also
// matches the core package's sentinel where the meaning is the same
// (usersig.ErrExpired, ...), and never contains a key or a token.
//
// # Security
//
// Tokens are bearer credentials: whoever holds one is that user towards the
// vendor until it expires. Keep lifetimes short (default one hour), never log
// tokens, and issue them only for the user your session authenticated.
//
// Interoperability with the npm jsonwebtoken package (used in the vendors'
// docs), including tokens made by each vendor's own recipe, is checked by
// internal/interop/jwt/check.sh against committed vectors in
// testdata/interop. SECURE_MODE.md has the walk-through, the profile table
// with its sources, the error table and the benchmarks.
package usertoken
