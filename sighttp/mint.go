package sighttp

import (
	"encoding/json"
	"net/http"

	"github.com/usersig/usersig"
)

// MintHandler returns a handler that answers the authenticated user's
// Credential as JSON, for a front end to hand to a widget:
//
//	{"userId":"gtLIK8ELsHTr0Fajg28Ud9eFpJJ3","signature":"Sdf0ACgu...cMM="}
//
// authenticate says who the request comes from, typically from your session
// cookie; it must not trust anything the request claims about the user. The
// credential is s.Issue of that Identity, so "expires" is the exact expiry
// text signed (omitted with no expiry) and "email" is present when the
// identity has one. How the fields map to the vendors' front ends:
//
//	Proficient   userHmac = signature (with userExternalId = userId)
//	Engagespot   userSignature = signature (with userId)
//	Product Fruits  user.hmac = {hash: signature, expiration: expires}
//	Intercom     intercomSettings.user_hash = signature
//
// The response has Cache-Control no-store, since the signature is a
// long-lived credential. Only GET and POST are served (405 with Allow
// otherwise). When authenticate returns an error the answer is 401 with the
// body {"error":"unauthorized"}; when the identity cannot be signed (an empty
// user id, say) it is 500 with {"error":"internal error"}. No error text
// reaches the client.
//
// Serve it only to your own front end: do not add CORS headers that let
// other origins read it with the user's cookies. MintHandler panics if s or
// authenticate is nil.
func MintHandler(s *usersig.Signer, authenticate func(*http.Request) (usersig.Identity, error)) http.Handler {
	if s == nil {
		panic("sighttp: MintHandler with a nil Signer")
	}
	if authenticate == nil {
		panic("sighttp: MintHandler with a nil authenticate function")
	}
	return &mintHandler{s: s, authenticate: authenticate}
}

type mintHandler struct {
	s            *usersig.Signer
	authenticate func(*http.Request) (usersig.Identity, error)
}

const (
	methodNotAllowedBody = `{"error":"method not allowed"}` + "\n"
	internalErrorBody    = `{"error":"internal error"}` + "\n"
)

func (h *mintHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, methodNotAllowedBody)
		return
	}
	id, err := h.authenticate(r)
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, UnauthorizedBody)
		return
	}
	c, err := h.s.Issue(id)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, internalErrorBody)
		return
	}
	body, err := json.Marshal(c)
	if err != nil { // unreachable: a Credential is four strings
		writeJSON(w, http.StatusInternalServerError, internalErrorBody)
		return
	}
	writeJSON(w, http.StatusOK, string(append(body, '\n')))
}
