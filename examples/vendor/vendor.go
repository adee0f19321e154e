package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// A tenant is one of the vendor's customer projects: a publishable API key
// that picks the project, and the HMAC secret its backend signs with.
type tenant struct {
	Name   string
	APIKey string // publishable, sent by the widget in X-PROFICIENT-API-KEY
	Secret []byte
	// Previous are secrets the project has rotated away from but that
	// still verify until its old signatures have aged out.
	Previous [][]byte
}

// signer is the tenant's verifying Signer under the Proficient scheme.
func (t tenant) signer() (*usersig.Signer, error) {
	return usersig.New(usersig.Proficient(), t.Secret, usersig.WithPreviousSecrets(t.Previous...))
}

// newVendor returns the vendor's Client API: every request names its
// project with X-PROFICIENT-API-KEY and is verified with that project's
// secrets; an unknown key, like a bad signature, is answered 401.
func newVendor(tenants []tenant, logger *slog.Logger) (http.Handler, error) {
	keyHeader := usersig.Proficient().Headers.APIKey
	signers := make(map[string]*usersig.Signer, len(tenants))
	names := make(map[string]string, len(tenants))
	for _, t := range tenants {
		if _, dup := signers[t.APIKey]; dup {
			return nil, fmt.Errorf("tenant %s: API key used twice", t.Name)
		}
		s, err := t.signer()
		if err != nil {
			return nil, fmt.Errorf("tenant %s: %w", t.Name, err)
		}
		signers[t.APIKey] = s
		names[t.APIKey] = t.Name
	}
	verify := sighttp.Middleware(nil,
		sighttp.WithSignerLookup(sighttp.SignersByHeader(keyHeader, signers)),
		sighttp.WithLogger(logger))

	mux := http.NewServeMux()
	mux.Handle("GET /v1/me", verify(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := sighttp.IdentityFromContext(r.Context())
		// The lookup accepted this header, once, with a known key.
		project := names[r.Header.Get(keyHeader)]
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]string{"project": project, "userId": id.UserID})
	})))
	return mux, nil
}

// A demoRequest is one request the command prints as a curl line.
type demoRequest struct {
	Note      string
	APIKey    string
	UserID    string
	Signature string
	Want      int
}

// demoRequests are requests that pass and fail against tenants acme (with a
// rotated secret) and globex, signed as their backends would sign them.
func demoRequests(acme, globex tenant) ([]demoRequest, error) {
	sign := func(secret []byte, user string) (string, error) {
		s, err := usersig.New(usersig.Proficient(), secret)
		if err != nil {
			return "", err
		}
		return s.Sign(usersig.Identity{UserID: user})
	}
	const user = "u_123"
	acmeNow, err := sign(acme.Secret, user)
	if err != nil {
		return nil, err
	}
	acmeOld, err := sign(acme.Previous[0], user)
	if err != nil {
		return nil, err
	}
	globexNow, err := sign(globex.Secret, user)
	if err != nil {
		return nil, err
	}
	return []demoRequest{
		{"acme, signed with its current secret", acme.APIKey, user, acmeNow, http.StatusOK},
		{"acme, signed with its previous secret (rotation)", acme.APIKey, user, acmeOld, http.StatusOK},
		{"globex, signed with its secret", globex.APIKey, user, globexNow, http.StatusOK},
		{"globex's signature sent with acme's key", acme.APIKey, user, globexNow, http.StatusUnauthorized},
		{"acme, another user claimed with u_123's signature", acme.APIKey, "u_456", acmeNow, http.StatusUnauthorized},
		{"unknown API key", "pk_unknown", user, acmeNow, http.StatusUnauthorized},
		{"acme, no signature", acme.APIKey, user, "", http.StatusUnauthorized},
	}, nil
}

// curl writes r as a curl command line. Every value is an API key, a plain
// user id or base64, none of which holds a single quote.
func (r demoRequest) curl(base string) string {
	h := usersig.Proficient().Headers
	line := "curl -s -w 'HTTP %{http_code}\\n'"
	line += " -H '" + h.APIKey + ": " + r.APIKey + "'"
	line += " -H '" + h.UserID + ": " + r.UserID + "'"
	if r.Signature != "" {
		line += " -H '" + h.Signature + ": " + r.Signature + "'"
	}
	return line + " " + base + "/v1/me"
}
