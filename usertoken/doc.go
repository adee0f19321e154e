// Package usertoken issues and verifies the short-lived JWT "user tokens"
// that notification-inbox and chat widgets use in their secure modes:
// Engagespot secure mode, Knock enhanced security, Braze SDK authentication
// (RS256); Intercom messenger security, Zendesk messaging, Drift signed
// identities, Stream Chat user tokens, TalkJS authentication and MagicBell
// user JWTs (HS256); OneSignal identity verification and SuprSend's
// enhanced security mode (ES256).
//
// Your backend, after authenticating its own user, calls [Issuer.Token] and
// hands the token to the front end, which passes it to the vendor's SDK.
// The vendor verifies it; [Verifier] does the same checks locally (for
// tests, proxies, or a backend that accepts the same token), and
// [Middleware] wraps a Verifier for net/http.
//
// Each vendor format is a [Profile]: it pins the algorithm (never taken from
// the token header), the claim carrying the user id, the claims with fixed
// values (Engagespot's apiKey, Zendesk's scope) and header fields (Zendesk's
// kid). Keys are checked against a policy (RSA >= 2048 bits with e = 65537,
// EC keys on P-256, HMAC secrets >= 32 bytes, the right kind of key for the
// profile) and copied. A Verifier can hold previous keys during a key
// rotation ([WithPreviousKeys], [WithPreviousKey]), selected by kid when
// keys have ids. Every error wraps a sentinel of this package (see
// errors.go), which also matches the core package's sentinel where the
// meaning is the same (usersig.ErrExpired, ...), and never contains a key
// or a token.
//
// Tokens are bearer credentials: whoever holds one is that user towards the
// vendor until it expires. Keep lifetimes short (default one hour), never log
// tokens, and issue them only for the user your session authenticated.
//
// The package is built on github.com/golang-jwt/jwt/v5. Interoperability
// with the npm jsonwebtoken package (used in the vendors' docs), including
// tokens made by each vendor's own recipe, is checked by
// internal/interop/jwt/check.sh against committed vectors in
// testdata/interop. SECURE_MODE.md has the walk-through, the profile table
// with its sources and the error table.
package usertoken
