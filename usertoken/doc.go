// Package usertoken issues and verifies the short-lived JWT "user tokens"
// that notification-inbox and chat widgets use in their secure modes:
// Engagespot secure mode, Knock enhanced security, Braze SDK authentication
// (RS256), and Intercom messenger security, Zendesk messaging and Drift
// signed identities (HS256).
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
// HMAC secrets >= 32 bytes, the right kind of key for the profile) and
// copied. Every error wraps a sentinel of this package (see errors.go) and
// never contains a key or a token.
//
// Tokens are bearer credentials: whoever holds one is that user towards the
// vendor until it expires. Keep lifetimes short (default one hour), never log
// tokens, and issue them only for the user your session authenticated.
//
// The package is built on github.com/golang-jwt/jwt/v5. Interoperability
// with the npm jsonwebtoken package (used in Engagespot's docs) is checked by
// internal/interop/jwt/check.sh against committed vectors in
// testdata/interop.
package usertoken
