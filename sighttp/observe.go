package sighttp

import "context"

// An Outcome is how one verification decision ended.
type Outcome uint8

// The outcomes of a decision.
const (
	// Accepted: the credential verified; the identity is in the context.
	Accepted Outcome = iota + 1
	// Rejected: the request was refused (a 401, or the error handler's answer).
	Rejected
	// Unsigned: report-only mode (WithUnsignedAllowed) let a request that
	// carried no signature through, without an identity.
	Unsigned
)

// String returns "accepted", "rejected" or "unsigned": the words metrics and
// logs use.
func (o Outcome) String() string {
	switch o {
	case Accepted:
		return "accepted"
	case Rejected:
		return "rejected"
	case Unsigned:
		return "unsigned"
	}
	return "unknown"
}

// A Decision is what an Observer learns of one verification decision. It
// never holds a secret, a signature or any other credential value. Its
// strings come from a small fixed set or from the server's own
// configuration, except Tenant: the key the client sent, reported only when
// a Signer was found for it, so only keys of tenants you hold ever appear
// (still one label value per tenant: see contrib/otelsig before making it a
// metric label).
type Decision struct {
	Outcome Outcome
	// Reason is the reason word of a Rejected or Unsigned decision (the
	// vocabulary WithLogger documents), "" for an Accepted one.
	Reason string
	// Scheme is the name of the Signer's scheme, "" when no Signer was
	// found for the request.
	Scheme string
	// Tenant is the tenant key a tenant lookup chose, when it found one;
	// "" otherwise (an unknown key is never reported: it is the client's
	// text, and would make every junk key a new label).
	Tenant string
	// Secret says which of the Signer's secrets verified an Accepted
	// credential: 0 the current one, i the i-th previous one (see
	// usersig.Signer.AuthenticateSecret); -1 for any other outcome.
	// A previous secret still matching says a rotation cannot end yet.
	Secret int
}

// An Observer is called once per decision, synchronously, before the next
// handler runs or the refusal is written. It must be fast and must not keep
// ctx; use it to count (see contrib/otelsig) or to annotate a trace.
type Observer func(ctx context.Context, d Decision)
