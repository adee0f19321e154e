// Package refusal forwards to sighttp's exported reason words and 401
// answer for usertoken's middleware, until usertoken uses them directly; it
// holds no fact of its own, so the two cannot drift. Nothing outside the
// core module may import it (nor needs to).
package refusal

import (
	"net/http"

	"github.com/usersig/usersig/sighttp"
)

// The reasons logged for a refused (or, for Unsigned, allowed) request.
const (
	Missing        = sighttp.ReasonMissing
	Duplicate      = sighttp.ReasonDuplicate
	Oversized      = sighttp.ReasonOversized
	Undecodable    = sighttp.ReasonUndecodable
	MalformedField = sighttp.ReasonMalformedField
	Malformed      = sighttp.ReasonMalformed
	Invalid        = sighttp.ReasonInvalid
	Expired        = sighttp.ReasonExpired
	NotYetValid    = sighttp.ReasonNotYetValid
	InvalidExpiry  = sighttp.ReasonInvalidExpiry
	WrongClaims    = sighttp.ReasonWrongClaims
	NoIdentity     = sighttp.ReasonNoIdentity
	UnknownSigner  = sighttp.ReasonUnknownSigner
	Error          = sighttp.ReasonError
	Unsigned       = sighttp.ReasonUnsigned
)

// The messages of the log records.
const (
	MsgRejected = sighttp.MsgRejected
	MsgUnsigned = sighttp.MsgUnsigned
)

// UnauthorizedBody is all a refused client learns.
const UnauthorizedBody = sighttp.UnauthorizedBody

// WriteUnauthorized answers 401 with UnauthorizedBody.
func WriteUnauthorized(w http.ResponseWriter) { sighttp.DefaultErrorHandler(w, nil, nil) }
