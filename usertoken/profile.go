package usertoken

import (
	"fmt"
	"sort"
	"strings"
)

// Algorithm names used by the profiles.
const (
	algRS256 = "RS256"
	algHS256 = "HS256"
)

// expPolicy says whether a profile's tokens must carry exp.
type expPolicy int

const (
	// expRequired: the Issuer always sets exp and the Verifier refuses
	// tokens without it.
	expRequired expPolicy = iota + 1
	// expOptional: the Issuer still sets exp (a bounded lifetime is always
	// safer), the Verifier enforces it when present but accepts its absence,
	// as the vendor does.
	expOptional
)

// fixedClaim is a string claim whose value is fixed by the profile
// (Engagespot's apiKey, Zendesk's scope).
type fixedClaim struct {
	name, value string
}

// Profile describes one vendor's user-token format: the signing algorithm,
// the claim that carries the user id, the claims whose values are fixed, and
// the header fields. Profiles are immutable values; build them with
// [Engagespot], [Knock], [Braze], [Intercom], [Zendesk], [Drift] or
// [ProfileByName]. The zero Profile is invalid: [NewIssuer] and
// [NewVerifier] refuse it with [ErrInvalidProfile].
type Profile struct {
	name          string
	alg           string
	subjectClaim  string       // claim carrying the user id
	subjectPrefix string       // prefix before the id inside subjectClaim
	fixed         []fixedClaim // claims with profile-fixed string values
	kid           string       // required "kid" header value ("" = none)
	iat           bool         // issue and require iat
	exp           expPolicy
	source        string
	invalid       string // non-empty: why the profile cannot be used
}

// Engagespot is Engagespot's secure mode: RS256 with the private key
// downloaded from the Engagespot console, claims
// {"sub": "user:<id>", "apiKey": apiKey, "iat": now, "exp": iat+TTL}
// (TTL 1h by default, as in Engagespot's PHP sample). The front-end SDK sends
// the token; Engagespot verifies it with the public half of the key pair.
// The Verifier additionally checks apiKey equals the one given here and that
// sub starts with "user:"; [Verifier.Verify] returns the id without the
// prefix.
//
// Source: Engagespot docs, "Authentication / Secure mode", manual
// generation section (project seed 001).
//
// An empty apiKey yields an invalid profile (refused by the constructors).
// The apiKey is not a secret (it is shipped to browsers); the signing key is.
func Engagespot(apiKey string) Profile {
	p := Profile{
		name:          "engagespot",
		alg:           algRS256,
		subjectClaim:  "sub",
		subjectPrefix: "user:",
		fixed:         []fixedClaim{{"apiKey", apiKey}},
		iat:           true,
		exp:           expRequired,
		source:        "Engagespot docs, secure mode (seed 001)",
	}
	if apiKey == "" {
		p.invalid = "engagespot profile needs the Engagespot API key"
	}
	return p
}

// Knock is Knock's enhanced security mode: RS256 with the signing key Knock
// hands out (PEM, or base64 of the PEM; both are accepted by the key
// loader), claims {"sub": <id>, "iat": now, "exp": iat+TTL} with TTL 1h by
// default (Knock's tokenSigner default). The token travels in the
// X-Knock-User-Token header (see [WithHeader]).
//
// Source: github.com/knocklabs/knock-node src/lib/tokenSigner.ts.
func Knock() Profile {
	return Profile{
		name:         "knock",
		alg:          algRS256,
		subjectClaim: "sub",
		iat:          true,
		exp:          expRequired,
		source:       "github.com/knocklabs/knock-node src/lib/tokenSigner.ts",
	}
}

// Braze is Braze SDK authentication: RS256, claims {"sub": <id>,
// "exp": now+TTL}; Braze requires both. The app passes the token to
// braze.changeUser(id, jwt).
//
// Source: github.com/braze-inc/braze-docs, sdk_integration/authentication.md.
func Braze() Profile {
	return Profile{
		name:         "braze",
		alg:          algRS256,
		subjectClaim: "sub",
		exp:          expRequired,
		source:       "github.com/braze-inc/braze-docs sdk_integration/authentication.md",
	}
}

// Intercom is Intercom Messenger security (JWT): HS256 keyed with the
// messenger secret (one per platform: web, iOS and Android secrets differ),
// claims {"user_id": <id>, "exp": now+TTL} plus any signed user fields added
// with [WithClaims] (email, name, ...). Intercom treats exp as optional; the
// Issuer always sets it and the Verifier enforces it when present. The
// front end sets intercomSettings.intercom_user_jwt.
//
// Source: github.com/intercom/intercom-rails lib/intercom-rails/script_tag.rb.
func Intercom() Profile {
	return Profile{
		name:         "intercom",
		alg:          algHS256,
		subjectClaim: "user_id",
		exp:          expOptional,
		source:       "github.com/intercom/intercom-rails lib/intercom-rails/script_tag.rb",
	}
}

// Zendesk is Zendesk messaging authentication: HS256 only, header
// "kid": keyID (the signing key's id from the Zendesk admin centre), claims
// {"scope": "user", "external_id": <id>, "exp": now+TTL}; name, email and
// email_verified may be added with [WithClaims]. The Verifier checks the kid
// header and the scope. The front end calls
// zE('messenger', 'loginUser', cb => cb(jwt)).
//
// Source: support.zendesk.com/hc/en-us/articles/4411666638746.
//
// An empty keyID yields an invalid profile (refused by the constructors).
func Zendesk(keyID string) Profile {
	p := Profile{
		name:         "zendesk",
		alg:          algHS256,
		subjectClaim: "external_id",
		fixed:        []fixedClaim{{"scope", "user"}},
		kid:          keyID,
		exp:          expOptional,
		source:       "support.zendesk.com/hc/en-us/articles/4411666638746",
	}
	if keyID == "" {
		p.invalid = "zendesk profile needs the key id (kid)"
	}
	return p
}

// Drift is Drift signed identities: HS256, claims {"sub": <id>,
// "exp": now+TTL} (Drift documents sub; exp is set by the Issuer and
// enforced when present). The front end calls
// drift.identify(id, attrs, {userJwt}).
//
// Source: devdocs.drift.com, "Securing Drift with signed identities".
func Drift() Profile {
	return Profile{
		name:         "drift",
		alg:          algHS256,
		subjectClaim: "sub",
		exp:          expOptional,
		source:       "devdocs.drift.com (securing Drift with signed identities)",
	}
}

// profileCtors maps a profile name to its constructor and whether it takes
// a parameter (and what it is called, for error messages).
var profileCtors = map[string]struct {
	param string
	make  func(string) Profile
}{
	"engagespot": {"apiKey", Engagespot},
	"knock":      {"", func(string) Profile { return Knock() }},
	"braze":      {"", func(string) Profile { return Braze() }},
	"intercom":   {"", func(string) Profile { return Intercom() }},
	"zendesk":    {"kid", Zendesk},
	"drift":      {"", func(string) Profile { return Drift() }},
}

// ProfileNames returns the names accepted by [ProfileByName], sorted.
// The slice is freshly allocated.
func ProfileNames() []string {
	names := make([]string, 0, len(profileCtors))
	for n := range profileCtors {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ProfileParam returns the name of the parameter the named profile needs
// ("apiKey" for engagespot, "kid" for zendesk) or "" when it takes none.
// ok is false for an unknown name.
func ProfileParam(name string) (param string, ok bool) {
	c, ok := profileCtors[strings.ToLower(strings.TrimSpace(name))]
	return c.param, ok
}

// ProfileByName returns the profile called name (case-insensitive, see
// [ProfileNames]), built with param: the Engagespot API key for
// "engagespot", the key id for "zendesk". Profiles without a parameter
// refuse a non-empty param, and the two that need one refuse an empty one,
// so a CLI flag given to the wrong profile is reported rather than ignored.
// All errors wrap [ErrInvalidProfile].
func ProfileByName(name, param string) (Profile, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	c, ok := profileCtors[key]
	if !ok {
		return Profile{}, fmt.Errorf("%w: unknown profile %q (known: %s)",
			ErrInvalidProfile, name, strings.Join(ProfileNames(), ", "))
	}
	switch {
	case c.param == "" && param != "":
		return Profile{}, fmt.Errorf("%w: profile %s takes no parameter", ErrInvalidProfile, key)
	case c.param != "" && param == "":
		return Profile{}, fmt.Errorf("%w: profile %s needs its %s", ErrInvalidProfile, key, c.param)
	}
	return c.make(param), nil
}

// Name returns the profile's name as accepted by [ProfileByName]
// ("" for the zero Profile).
func (p Profile) Name() string { return p.name }

// Algorithm returns the JWS algorithm the profile pins: "RS256" or "HS256"
// ("" for the zero Profile). Verifiers never take the algorithm from the
// token header.
func (p Profile) Algorithm() string { return p.alg }

// Source returns where the profile's format was read (vendor docs or code).
func (p Profile) Source() string { return p.source }

// String returns the profile's name and algorithm, e.g. "engagespot/RS256".
// It never includes the Engagespot API key or the Zendesk kid.
func (p Profile) String() string {
	if p.name == "" {
		return "invalid profile"
	}
	return p.name + "/" + p.alg
}

// validate reports why p cannot be used, wrapping ErrInvalidProfile.
func (p Profile) validate() error {
	switch {
	case p.name == "" || (p.alg != algRS256 && p.alg != algHS256) || p.subjectClaim == "":
		return fmt.Errorf("%w: zero or incomplete Profile (use a profile constructor)", ErrInvalidProfile)
	case p.invalid != "":
		return fmt.Errorf("%w: %s", ErrInvalidProfile, p.invalid)
	}
	return nil
}

// ownsClaim reports whether the profile (or the Issuer on its behalf) sets
// the claim, so that WithClaims must not override it.
func (p Profile) ownsClaim(name string) bool {
	switch name {
	case p.subjectClaim, "exp", "iat", "nbf":
		return true
	}
	for _, f := range p.fixed {
		if f.name == name {
			return true
		}
	}
	return false
}
