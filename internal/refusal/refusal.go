// Package refusal is the one statement of how this module's HTTP layers
// (sighttp, usertoken, the contrib adapters) answer and log a refused
// request: the 401 body every client gets, whatever failed, and the reason
// words operators see in logs. Both live here so the packages cannot drift.
package refusal

import (
	"io"
	"net/http"
)

// The reasons logged for a refused (or, for Unsigned, allowed) request.
// They name the check that failed, never a credential value.
const (
	Missing        = "missing"         // no signature or token
	Duplicate      = "duplicate"       // a field sent more than once
	Oversized      = "oversized"       // a field or token over its size bound
	Undecodable    = "undecodable"     // a field that is not valid percent-encoding
	MalformedField = "malformed-field" // a credential field refused for another reason
	Malformed      = "malformed"       // a signature or token that is not canonical
	Invalid        = "invalid"         // a well-formed signature that does not verify
	Expired        = "expired"         // past its expiry (beyond the leeway)
	NotYetValid    = "not-yet-valid"   // a token whose nbf is in the future
	InvalidExpiry  = "invalid-expiry"  // an expiry text that cannot be read
	WrongClaims    = "wrong-claims"    // a token signed well whose claims do not fit
	NoIdentity     = "no-identity"     // nothing the scheme signs was sent
	UnknownSigner  = "unknown-signer"  // no Signer (tenant) for the request
	RateLimited    = "rate-limited"    // a signer cache's load budget refused a never-seen key
	LoadTimeout    = "load-timeout"    // a signer cache's loader did not answer in time
	Error          = "error"           // an error of the caller's own extractor or lookup
	Unsigned       = "unsigned"        // report-only: an unsigned request let through
)

// The messages of the log records for a refused request and, under
// report-only, an unsigned one let through. They keep the module's name,
// which operators' log queries use.
const (
	MsgRejected = "usersig: request rejected"
	MsgUnsigned = "usersig: unsigned request allowed"
)

// UnauthorizedBody is all a refused client learns.
const UnauthorizedBody = `{"error":"unauthorized"}` + "\n"

// WriteUnauthorized answers 401 with UnauthorizedBody.
func WriteUnauthorized(w http.ResponseWriter) {
	WriteJSON(w, http.StatusUnauthorized, UnauthorizedBody)
}

// WriteJSON writes a JSON body with the headers every answer of this module
// carries: no caching (a credential may be in it) and no content sniffing.
func WriteJSON(w http.ResponseWriter, code int, body string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}
