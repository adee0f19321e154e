package usertoken

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Claims is what a user token says about its user, typed: the union of the
// fields the profiles know. [Issuer.Issue] signs one; [Verifier.VerifyClaims]
// returns the one a token carried. Each field travels under the claim name
// the profile gives it (UserID is Intercom's user_id, Nolt's id,
// UserVoice's guid, Usertour's sub; Name is UserVoice's display_name), and
// a field the profile does not name is neither issued nor read, except
// Email and Name, which are read from the "email" and "name" claims when
// they hold strings (Intercom's and Zendesk's signed user fields).
//
// Verification checks the user id, the profile's fixed values and
// required fields, and the time claims. The other fields are whatever the
// key holder signed: signed, so not forged, but not vouched for.
type Claims struct {
	// UserID is the user the token is for, without Engagespot's "user:"
	// prefix. For Userback, which identifies users by email, it is the
	// email.
	UserID string
	// Email is the user's email: required by Nolt and UserVoice; Intercom
	// and Zendesk read it as a signed user field.
	Email string
	// Name is the display name: Nolt's name (required), UserVoice's
	// display_name, Userback's name.
	Name string
	// ImageURL is the avatar: Nolt's imageUrl, Userback's avatar_url.
	ImageURL string
	// Role is Nolt's noltUserRole: "ADMIN" or "MODERATOR" grant board
	// permissions; empty for none.
	Role string
	// CompanyID is Usertour's companyId: the company the user is a member
	// of, checked by usertour.group().
	CompanyID string

	// ExpiresAt is exp (or UserVoice's expires text); zero when absent.
	// Issue ignores it: the Issuer's clock and TTL set it.
	ExpiresAt time.Time
	// IssuedAt is iat, NotBefore nbf; zero when absent. Issue ignores them.
	IssuedAt, NotBefore time.Time
}

// wireClaims is the payload of every profile's token as it is decoded: one
// struct with the union of the claim names (wireNames), so no token is
// decoded into a map. Its fields are lenient types that record "present but
// not the right JSON type" instead of failing the decode, so a claim one
// profile owns and another does not care about (Nolt's numeric id in an
// Intercom token) never refuses a token it does not concern. The members
// walk fills it (set), matching names exactly; the tags name the claims
// (TestWireNameIndex holds them, wireNames and wireIndex to one list).
type wireClaims struct {
	Sub            jsonString `json:"sub"`
	UserIDClaim    jsonString `json:"user_id"`
	ExternalID     jsonString `json:"external_id"`
	UserExternalID jsonString `json:"user_external_id"`
	EntityID       jsonString `json:"entity_id"`
	ID             jsonString `json:"id"`
	GUID           jsonString `json:"guid"`
	Email          jsonString `json:"email"`
	Name           jsonString `json:"name"`
	DisplayName    jsonString `json:"display_name"`
	ImageURL       jsonString `json:"imageUrl"`
	AvatarURL      jsonString `json:"avatar_url"`
	NoltUserRole   jsonString `json:"noltUserRole"`
	CompanyID      jsonString `json:"companyId"`
	APIKey         jsonString `json:"apiKey"`
	APIKeySnake    jsonString `json:"api_key"`
	TokenType      jsonString `json:"tokenType"`
	Iss            jsonString `json:"iss"`
	EntityType     jsonString `json:"entity_type"`
	Expires        jsonString `json:"expires"`
	// scope is Zendesk's string "user" and SuprSend's {"tenant_id": ...}.
	Scope    scopeClaim    `json:"scope"`
	Identity identityClaim `json:"identity"`
	Exp      jsonNumber    `json:"exp"`
	Nbf      jsonNumber    `json:"nbf"`
	Iat      jsonNumber    `json:"iat"`
}

// wireNames are wireClaims' claim names, in field order (see wireIndex).
var wireNames = []string{
	"sub", "user_id", "external_id", "user_external_id", "entity_id", "id", "guid",
	"email", "name", "display_name", "imageUrl", "avatar_url", "noltUserRole", "companyId",
	"apiKey", "api_key", "tokenType", "iss", "entity_type", "expires",
	"scope", "identity", "exp", "nbf", "iat",
}

// set stores one member of the payload object, if its name is one of
// wireNames; other claims are not decoded at all.
func (w *wireClaims) set(key, value []byte) {
	switch i := wireIndex(string(key)); {
	case i < 0:
	case wireNames[i] == "scope":
		w.Scope.decode(value)
	case wireNames[i] == "identity":
		w.Identity.decode(value)
	case wireNames[i] == "exp":
		w.Exp.decode(value)
	case wireNames[i] == "nbf":
		w.Nbf.decode(value)
	case wireNames[i] == "iat":
		w.Iat.decode(value)
	default:
		w.str("", wireNames[i]).decode(value)
	}
}

// str returns the string claim path names ("" for top level), or nil for
// a claim name this package does not decode.
func (w *wireClaims) str(in, name string) *jsonString {
	switch in {
	case "identity":
		if name == "external_id" {
			return &w.Identity.ExternalID
		}
		return nil
	case "scope":
		if name == "tenant_id" {
			return &w.Scope.TenantID
		}
		return nil
	}
	switch name {
	case "sub":
		return &w.Sub
	case "user_id":
		return &w.UserIDClaim
	case "external_id":
		return &w.ExternalID
	case "user_external_id":
		return &w.UserExternalID
	case "entity_id":
		return &w.EntityID
	case "id":
		return &w.ID
	case "guid":
		return &w.GUID
	case "email":
		return &w.Email
	case "name":
		return &w.Name
	case "display_name":
		return &w.DisplayName
	case "imageUrl":
		return &w.ImageURL
	case "avatar_url":
		return &w.AvatarURL
	case "noltUserRole":
		return &w.NoltUserRole
	case "companyId":
		return &w.CompanyID
	case "apiKey":
		return &w.APIKey
	case "api_key":
		return &w.APIKeySnake
	case "tokenType":
		return &w.TokenType
	case "iss":
		return &w.Iss
	case "entity_type":
		return &w.EntityType
	case "expires":
		return &w.Expires
	case "scope":
		return &w.Scope.Text
	}
	return nil
}

// jsonString is a claim that should be a JSON string. set: the claim was
// present; ok: it was a string (then s holds it); null: it was JSON null,
// which an optional field reads as absent (Nolt's snippet signs
// imageUrl: user.imageUrl, null for a user without one).
type jsonString struct {
	s             string
	set, ok, null bool
}

// decode reads the raw JSON value b (validated by newMembers).
func (j *jsonString) decode(b []byte) {
	*j = jsonString{set: true, null: string(b) == "null"}
	if len(b) < 2 || b[0] != '"' {
		return // present, not a string
	}
	body := b[1 : len(b)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		j.s, j.ok = string(body), true
		return
	}
	j.s, j.ok = unquote(b)
}

// unquote reads a JSON string with escapes or invalid UTF-8 the way
// encoding/json does (invalid UTF-8 becomes U+FFFD), as JSON.parse and the
// vendors' decoders do. It is a function of its own so that only this
// rare path pays for the variable encoding/json's interface takes to the
// heap.
func unquote(b []byte) (string, bool) {
	var s string
	err := json.Unmarshal(bytes.Clone(b), &s) // a copy: b may be on the caller's stack
	return s, err == nil
}

// jsonNumber is a claim that should be a JSON number (exp, nbf, iat).
type jsonNumber struct {
	f       float64
	set, ok bool
}

// decode reads the raw JSON value b (validated by newMembers).
func (n *jsonNumber) decode(b []byte) {
	*n = jsonNumber{set: true}
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return // a string, null, bool, object or array
	}
	if len(b) <= 15 { // whole seconds, the usual form: exact in a float64
		v := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				goto general
			}
			v = v*10 + int(c-'0')
		}
		n.f, n.ok = float64(v), true
		return
	}
general:
	f, err := strconv.ParseFloat(string(b), 64)
	n.f, n.ok = f, err == nil
}

// scopeClaim is "scope": a string (Zendesk's "user") or an object
// (SuprSend's {"tenant_id": ...}).
type scopeClaim struct {
	Text     jsonString // the claim as a string
	TenantID jsonString // scope.tenant_id
	set      bool
	isObject bool
}

func (c *scopeClaim) decode(b []byte) {
	*c = scopeClaim{set: true}
	if len(b) > 0 && b[0] == '{' {
		c.isObject = true
		c.TenantID = member(b, "tenant_id")
		return
	}
	c.Text.decode(b)
}

// identityClaim is OneSignal's "identity": {"external_id": ...}.
type identityClaim struct {
	ExternalID jsonString
	set        bool
	isObject   bool
}

func (c *identityClaim) decode(b []byte) {
	*c = identityClaim{set: true}
	if len(b) == 0 || b[0] != '{' {
		return
	}
	c.isObject = true
	c.ExternalID = member(b, "external_id")
}

// member reads the string member name of the JSON object b (validated
// with the payload); the last of a repeated name wins.
func member(b []byte, name string) jsonString {
	var s jsonString
	m, err := newMembers(b)
	if err != nil {
		return s
	}
	for key, value, ok := m.next(); ok; key, value, ok = m.next() {
		if string(key) == name {
			s.decode(value)
		}
	}
	return s
}
