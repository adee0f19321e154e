package sighttp

import (
	"io"
	"net/http"
)

// The reason words: what WithLogger logs in the reason attribute and an
// Observer gets in Decision.Reason, for every adapter (net/http, gin, echo,
// fiber, gRPC) and for usertoken's middleware. They name the check that
// failed, never a credential value, and are a small fixed set, so they are
// safe as metric labels. Reason maps an error to its word.
const (
	ReasonMissing        = "missing"         // no signature or token
	ReasonDuplicate      = "duplicate"       // a field sent more than once
	ReasonOversized      = "oversized"       // a field or token over its size bound
	ReasonUndecodable    = "undecodable"     // a field that is not valid percent-encoding
	ReasonMalformedField = "malformed-field" // a credential field refused for another reason
	ReasonMalformed      = "malformed"       // a signature or token that is not canonical
	ReasonInvalid        = "invalid"         // a well-formed signature that does not verify
	ReasonExpired        = "expired"         // past its expiry (beyond the leeway)
	ReasonNotYetValid    = "not-yet-valid"   // a token whose nbf, or a timestamped signature whose signing time, is in the future
	ReasonInvalidExpiry  = "invalid-expiry"  // an expiry text that cannot be read
	ReasonWrongClaims    = "wrong-claims"    // usertoken: a token signed well whose claims do not fit
	ReasonNoIdentity     = "no-identity"     // nothing the scheme signs was sent
	ReasonUnknownSigner  = "unknown-signer"  // no Signer (tenant) for the request
	ReasonRateLimited    = "rate-limited"    // a SignerCache's load budget refused a never-seen key
	ReasonLoadTimeout    = "load-timeout"    // a SignerCache's loader did not answer in time
	ReasonError          = "error"           // an error of your own extractor or lookup, or a failing store
	ReasonUnsigned       = "unsigned"        // report-only: an unsigned request let through
)

// The messages of the records WithLogger writes for a refused request,
// under WithUnsignedAllowed for an unsigned one let through, and for a
// request accepted under a previous secret (while these appear, a rotation
// cannot end). Every adapter logs with them, so that one log query finds
// them from all.
const (
	MsgRejected       = "usersig: request rejected"
	MsgUnsigned       = "usersig: unsigned request allowed"
	MsgPreviousSecret = "usersig: request verified under a previous secret"
)

// UnauthorizedBody is the whole body of DefaultErrorHandler's 401: all a
// refused client learns, whatever failed. An adapter for another HTTP
// framework answers a refusal with it, status 401 and the headers
// Content-Type: application/json, Cache-Control: no-store and
// X-Content-Type-Options: nosniff, so that a client cannot tell the
// frameworks apart (sighttptest.AssertRefused checks all of it).
const UnauthorizedBody = `{"error":"unauthorized"}` + "\n"

// writeJSON writes a JSON body with the headers every answer of this
// package carries: no caching (a credential may be in it) and no content
// sniffing.
func writeJSON(w http.ResponseWriter, code int, body string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}
