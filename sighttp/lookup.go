package sighttp

import (
	"net/http"
	"net/textproto"

	"github.com/usersig/usersig"
)

// SignersByHeader returns a lookup for WithSignerLookup that picks the
// Signer by the value of one request header, such as a vendor's publishable
// API key (Proficient's X-PROFICIENT-API-KEY; usersig.Scheme.Headers.APIKey
// names it). The map is copied; it may not hold an empty key or a nil
// Signer (SignersByHeader panics). A request without the header, or with a
// value not in the map (compared exactly, case included), gets
// ErrUnknownSigner; one with the header twice or longer than 1 KiB gets a
// *FieldError (ErrMalformedCredential), as ReadCredential would.
func SignersByHeader(name string, signers map[string]*usersig.Signer) func(*http.Request) (*usersig.Signer, error) {
	if name == "" {
		panic("sighttp: SignersByHeader with an empty header name")
	}
	key := textproto.CanonicalMIMEHeaderKey(name)
	m := make(map[string]*usersig.Signer, len(signers))
	for k, s := range signers {
		if s == nil {
			panic("sighttp: SignersByHeader with a nil Signer")
		}
		if k == "" {
			panic("sighttp: SignersByHeader with an empty key")
		}
		m[k] = s
	}
	return func(r *http.Request) (*usersig.Signer, error) {
		v, err := readOne(func(name string) []string { return r.Header[name] }, key)
		if err != nil {
			return nil, err
		}
		if s, ok := m[v]; ok {
			return s, nil
		}
		return nil, ErrUnknownSigner
	}
}
