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
	algES256 = "ES256"
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
// (Engagespot's apiKey, Zendesk's scope, TalkJS's iss). in names the object
// claim holding it ("" for a top-level claim; SuprSend's scope.tenant_id).
// An ifPresent claim is not issued and is checked only when the token
// carries it.
type fixedClaim struct {
	name, value string
	in          string
	ifPresent   bool
}

// fieldID names a field of [Claims] other than UserID.
type fieldID uint8

const (
	fieldEmail fieldID = iota + 1
	fieldName
	fieldImageURL
	fieldRole
	fieldCompanyID
)

// fieldClaim says under which claim name a profile carries a field of
// [Claims], whether the vendor requires it, and, when the vendor allows
// only some values (Nolt's roles), which.
type fieldClaim struct {
	field    fieldID
	name     string
	required bool
	values   []string
}

// Profile describes one vendor's user-token format: the signing algorithm,
// the claim that carries the user id, the claims whose values are fixed, the
// per-user fields, and the header fields. Profiles are immutable values;
// build them with [Engagespot], [Knock], [Braze], [Intercom], [Zendesk],
// [Drift], [StreamChat], [TalkJS], [MagicBell], [OneSignal], [SuprSend],
// [Nolt], [UserVoice], [Usertour], [Userback] or [ProfileByName]. The zero Profile is invalid: [NewIssuer] and
// [NewVerifier] refuse it with [ErrInvalidProfile].
type Profile struct {
	name          string
	alg           string
	subjectClaim  string       // claim carrying the user id
	subjectIn     string       // object claim holding subjectClaim ("" = top level)
	subjectPrefix string       // prefix before the id inside subjectClaim
	fixed         []fixedClaim // claims with profile-fixed string values
	kid           string       // required "kid" header value ("" = none)
	iat           bool         // issue and require iat
	issueIAT      bool         // issue iat without requiring it
	exp           expPolicy
	fields        []fieldClaim // per-user fields of Claims the profile carries
	expiresText   bool         // UserVoice: an "expires" text claim is an expiry too
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
// Source: Engagespot docs, "Authentication" (In-App Inbox, secure mode),
// https://docs.engagespot.co/docs/features/in-app-inbox/authentication
//
// An empty apiKey yields an invalid profile (refused by the constructors).
// The apiKey is not a secret (it is shipped to browsers); the signing key is.
func Engagespot(apiKey string) Profile {
	p := Profile{
		name:          "engagespot",
		alg:           algRS256,
		subjectClaim:  "sub",
		subjectPrefix: "user:",
		fixed:         []fixedClaim{{name: "apiKey", value: apiKey}},
		iat:           true,
		exp:           expRequired,
		source:        "Engagespot docs, In-App Inbox Authentication (docs.engagespot.co/docs/features/in-app-inbox/authentication)",
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
		fixed:        []fixedClaim{{name: "scope", value: "user"}},
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

// StreamChat is Stream Chat's user token: HS256 keyed with the app's API
// secret, claims {"user_id": <id>} with exp and iat optional, exactly as
// stream-chat-go's Client.CreateToken makes them (exp and iat are added
// only when given). The Issuer sets exp (default TTL) and iat; the Verifier
// accepts Stream's own {"user_id"}-only tokens and enforces exp and iat
// when present. The front end calls client.connectUser(user, token).
//
// Source: github.com/GetStream/stream-chat-go client.go, CreateToken and
// createToken (commit 8b205703dd11720abcaffb7998da115c622e4d5c).
//
// Security: Stream accepts tokens without exp, which never expire; the
// Issuer never makes one, but a Verifier for Stream accepts them, as Stream
// does.
func StreamChat() Profile {
	return Profile{
		name:         "streamchat",
		alg:          algHS256,
		subjectClaim: "user_id",
		issueIAT:     true,
		exp:          expOptional,
		source:       "github.com/GetStream/stream-chat-go client.go CreateToken (8b205703dd11720abcaffb7998da115c622e4d5c)",
	}
}

// TalkJS is TalkJS authentication (JWT): HS256 keyed with the app's secret
// key, claims {"tokenType": "user", "iss": appID, "sub": <id>, "exp"}, as
// TalkJS's jsonwebtoken snippet signs them (jwt.sign({tokenType: 'user'},
// secret, {issuer: appID, subject: userID, expiresIn: '1d'}), which also
// adds iat). The Verifier checks tokenType and iss; TalkJS's own example
// token has no exp, so exp is enforced when present. The front end passes
// the token to new Talk.Session({appId, userId, token}).
//
// Source: TalkJS docs, "Authentication",
// https://talkjs.com/docs/Features/Security_Settings/Authentication
//
// An empty appID yields an invalid profile.
func TalkJS(appID string) Profile {
	p := Profile{
		name:         "talkjs",
		alg:          algHS256,
		subjectClaim: "sub",
		fixed:        []fixedClaim{{name: "tokenType", value: "user"}, {name: "iss", value: appID}},
		issueIAT:     true,
		exp:          expOptional,
		source:       "TalkJS docs, Authentication (talkjs.com/docs/Features/Security_Settings/Authentication)",
	}
	if appID == "" {
		p.invalid = "talkjs profile needs the TalkJS app id"
	}
	return p
}

// MagicBell is MagicBell's user JWT: HS256 keyed with the project's secret
// key, claims {"user_external_id": <id>, "api_key": apiKey, "exp"} (the
// docs' snippets set exp one year out; the default TTL here is an hour).
// MagicBell also accepts user_email in place of, or beside, the external
// id; this profile identifies users by external id, and an email can be
// added with WithClaims(map[string]any{"user_email": ...}). The Verifier
// checks api_key. The token is sent as Authorization: Bearer <jwt>.
//
// Source: MagicBell docs, "User JWT",
// https://www.magicbell.com/docs/api/authentication/user
//
// An empty apiKey yields an invalid profile. The API key is public; the
// secret key is the HS256 key.
func MagicBell(apiKey string) Profile {
	p := Profile{
		name:         "magicbell",
		alg:          algHS256,
		subjectClaim: "user_external_id",
		fixed:        []fixedClaim{{name: "api_key", value: apiKey}},
		issueIAT:     true,
		exp:          expOptional,
		source:       "MagicBell docs, User JWT (magicbell.com/docs/api/authentication/user)",
	}
	if apiKey == "" {
		p.invalid = "magicbell profile needs the MagicBell API key"
	}
	return p
}

// OneSignal is OneSignal identity verification: ES256 with the private key
// of the key pair generated in the OneSignal dashboard (EC P-256), claims
// {"iss": appID, "exp", "identity": {"external_id": <id>}}, all three
// required by OneSignal; iat is added as jsonwebtoken does in OneSignal's
// snippet. Subscription claims (email, SMS) can be added with WithClaims
// ("subscriptions"). The app calls OneSignal.login(externalId, jwt).
//
// Source: OneSignal docs, "Identity Verification",
// https://documentation.onesignal.com/docs/identity-verification
//
// An empty appID yields an invalid profile.
func OneSignal(appID string) Profile {
	p := Profile{
		name:         "onesignal",
		alg:          algES256,
		subjectClaim: "external_id",
		subjectIn:    "identity",
		fixed:        []fixedClaim{{name: "iss", value: appID}},
		issueIAT:     true,
		exp:          expRequired,
		source:       "OneSignal docs, Identity Verification (documentation.onesignal.com/docs/identity-verification)",
	}
	if appID == "" {
		p.invalid = "onesignal profile needs the OneSignal app id"
	}
	return p
}

// SuprSend is SuprSend's enhanced security mode (signed user token): ES256
// with the signing key from the SuprSend dashboard, given as its PEM or as
// the single-line base64 of the PEM (both are accepted by the key loader),
// claims {"entity_type": "subscriber", "entity_id": <distinct id>, "iat",
// "exp", "scope": {"tenant_id": tenantID}}. tenantID may be empty: then no
// scope is issued (SuprSend assumes the "default" tenant) and the Verifier
// accepts a token without scope or scoped to "default". The front end calls
// suprSendClient.identify(distinctId, userToken).
//
// Source: SuprSend docs, "Authentication" (client authentication),
// https://docs.suprsend.com/docs/client-authentication (repository
// suprsend/documentation docs/client-authentication.mdx, commit
// 0ca870888bd63c20d55ec30de0a564e753daf4c8).
func SuprSend(tenantID string) Profile {
	tenant := fixedClaim{name: "tenant_id", value: tenantID, in: "scope"}
	if tenantID == "" {
		tenant.value, tenant.ifPresent = "default", true
	}
	return Profile{
		name:         "suprsend",
		alg:          algES256,
		subjectClaim: "entity_id",
		fixed:        []fixedClaim{{name: "entity_type", value: "subscriber"}, tenant},
		issueIAT:     true,
		exp:          expRequired,
		source:       "SuprSend docs, client authentication (docs.suprsend.com/docs/client-authentication; suprsend/documentation 0ca870888bd63c20d55ec30de0a564e753daf4c8)",
	}
}

// Nolt is Nolt's single sign-on: HS256 keyed with the board's "SSO secret
// key" (its bytes as given), claims {"id": <id>, "email", "name"} — all
// three required, as Nolt's snippet signs them — plus "imageUrl" and
// "noltUserRole" ("ADMIN" or "MODERATOR") when given. Issue it with
// [Issuer.Issue] and a [Claims] holding Email and Name ([Issuer.Token]
// alone cannot make one). Nolt's recipe, jsonwebtoken's jwt.sign, adds iat
// and no exp; the Issuer adds exp as well (a bounded lifetime), and the
// Verifier enforces exp and iat when present. The id must be a JSON
// string: a numeric id, which the snippet would sign for a numeric
// user.id, is refused, since 123 and 123.0 are one number to JSON. The
// front end calls nolt('identify', {jwt}).
//
// Source: Nolt help, "Single sign-on (SSO)", https://nolt.io/help/single-sign-on
func Nolt() Profile {
	return Profile{
		name:         "nolt",
		alg:          algHS256,
		subjectClaim: "id",
		fields: []fieldClaim{
			{field: fieldEmail, name: "email", required: true},
			{field: fieldName, name: "name", required: true},
			{field: fieldImageURL, name: "imageUrl"},
			{field: fieldRole, name: "noltUserRole", values: []string{"ADMIN", "MODERATOR"}},
		},
		issueIAT: true,
		exp:      expOptional,
		source:   "Nolt help, Single sign-on (nolt.io/help/single-sign-on)",
	}
}

// UserVoice is UserVoice's single sign-on: HS256 (UserVoice requires it)
// keyed with the SSO key from the Web Portal settings, claims {"guid": <id>,
// "email"}, both required — guid is your user id, never the email — and
// "display_name" when given. UserVoice reads the expiry from "expires", a
// "YYYY-MM-DD HH:MM:SS" text in GMT, or from "exp" (Unix seconds); with
// neither the token never expires. The Issuer writes exp (the form every
// JWT library enforces); the Verifier enforces each of expires and exp
// when present, and refuses an expires text in any other form. The token
// goes to UserVoice.push(['set', {sso: token}]) or the portal URL's ?sso=.
//
// Source: UserVoice developer docs, "Single Sign-On with JSON Web Tokens",
// https://developer.uservoice.com/docs/single-sign-on/single-sign-on/
func UserVoice() Profile {
	return Profile{
		name:         "uservoice",
		alg:          algHS256,
		subjectClaim: "guid",
		fields: []fieldClaim{
			{field: fieldEmail, name: "email", required: true},
			{field: fieldName, name: "display_name"},
		},
		exp:         expOptional,
		expiresText: true,
		source:      "UserVoice developer docs, Single Sign-On with JSON Web Tokens (developer.uservoice.com/docs/single-sign-on/single-sign-on/)",
	}
}

// Usertour is Usertour identity verification: HS256 keyed with the
// environment's signing secret — the full "utv_…" string, prefix
// included, as given — claims {"sub": <user id>} and, for
// usertour.group(), {"companyId": <company id>}, both JSON strings even
// when the ids are numeric (Usertour refuses numbers: they lose precision).
// exp is optional and enforced when present; the Issuer always sets it.
// The token is the third argument of usertour.identify(id, attrs, {token}).
//
// Source: Usertour docs, "Identity Verification",
// https://docs.usertour.io/developers/identity-verification
func Usertour() Profile {
	return Profile{
		name:         "usertour",
		alg:          algHS256,
		subjectClaim: "sub",
		fields:       []fieldClaim{{field: fieldCompanyID, name: "companyId"}},
		exp:          expOptional,
		source:       "Usertour docs, Identity Verification (docs.usertour.io/developers/identity-verification)",
	}
}

// Userback is Userback's feedback-portal single sign-on: HS256 keyed with
// the portal's private SSO key, claims {"email", "name", "avatar_url"}.
// Userback identifies the user by email, so the email is the user id
// ([Claims].UserID, or the argument of [Issuer.Token]); name and
// avatar_url are signed when given. Userback's recipe (jsonwebtoken) adds
// iat and no exp; the Issuer adds exp, and the Verifier enforces exp and
// iat when present. The token goes on the portal URL as ?sso_jwt=.
//
// Source: Userback help, "Single Sign-On (SSO) with the Feedback Portal",
// https://support.userback.io/en/articles/6160423-single-sign-on-sso
func Userback() Profile {
	return Profile{
		name:         "userback",
		alg:          algHS256,
		subjectClaim: "email",
		fields: []fieldClaim{
			{field: fieldName, name: "name"},
			{field: fieldImageURL, name: "avatar_url"},
		},
		issueIAT: true,
		exp:      expOptional,
		source:   "Userback help, Single Sign-On (SSO) with the Feedback Portal (support.userback.io/en/articles/6160423-single-sign-on-sso)",
	}
}

// profileCtors maps a profile name to its constructor and whether it takes
// a parameter (and what it is called, for error messages).
var profileCtors = map[string]struct {
	param    string
	optional bool // the parameter may be empty
	make     func(string) Profile
}{
	"engagespot": {"apiKey", false, Engagespot},
	"knock":      {"", false, func(string) Profile { return Knock() }},
	"braze":      {"", false, func(string) Profile { return Braze() }},
	"intercom":   {"", false, func(string) Profile { return Intercom() }},
	"zendesk":    {"kid", false, Zendesk},
	"drift":      {"", false, func(string) Profile { return Drift() }},
	"streamchat": {"", false, func(string) Profile { return StreamChat() }},
	"talkjs":     {"appId", false, TalkJS},
	"magicbell":  {"apiKey", false, MagicBell},
	"onesignal":  {"appId", false, OneSignal},
	"suprsend":   {"tenantId", true, SuprSend},
	"nolt":       {"", false, func(string) Profile { return Nolt() }},
	"uservoice":  {"", false, func(string) Profile { return UserVoice() }},
	"usertour":   {"", false, func(string) Profile { return Usertour() }},
	"userback":   {"", false, func(string) Profile { return Userback() }},
}

// lookupProfile finds a constructor by name without regard to ASCII case,
// exactly as usersig.LookupScheme matches scheme names (no trimming).
func lookupProfile(name string) (key string, ok bool) {
	for n := range profileCtors {
		if strings.EqualFold(n, name) {
			return n, true
		}
	}
	return "", false
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

// ProfileParam returns the name of the parameter the named profile takes
// ("apiKey" for engagespot and magicbell, "kid" for zendesk, "appId" for
// talkjs and onesignal, "tenantId" for suprsend, where it is optional) or
// "" when it takes none. ok is false for an unknown name. Names match as in
// [ProfileByName].
func ProfileParam(name string) (param string, ok bool) {
	key, ok := lookupProfile(name)
	return profileCtors[key].param, ok
}

// ProfileByName returns the profile called name (see [ProfileNames]),
// built with param (see [ProfileParam]): the API key for "engagespot" and
// "magicbell", the key id for "zendesk", the app id for "talkjs" and
// "onesignal", the tenant id (optional) for "suprsend". Names are matched
// without regard to ASCII case and are not trimmed, exactly as
// usersig.LookupScheme matches scheme names, so "Intercom" finds both the
// scheme and the profile and " intercom" neither. Profiles without a
// parameter refuse a non-empty param, and those that need one refuse an
// empty one, so a CLI flag given to the wrong profile is reported rather
// than ignored. All errors wrap [ErrInvalidProfile]; an unknown name is
// quoted with %q, so control characters in it cannot forge log lines.
func ProfileByName(name, param string) (Profile, error) {
	key, ok := lookupProfile(name)
	if !ok {
		return Profile{}, fmt.Errorf("%w: unknown profile %q (known: %s)",
			ErrInvalidProfile, name, strings.Join(ProfileNames(), ", "))
	}
	c := profileCtors[key]
	switch {
	case c.param == "" && param != "":
		return Profile{}, fmt.Errorf("%w: profile %s takes no parameter", ErrInvalidProfile, key)
	case c.param != "" && !c.optional && param == "":
		return Profile{}, fmt.Errorf("%w: profile %s needs its %s", ErrInvalidProfile, key, c.param)
	}
	return c.make(param), nil
}

// Name returns the profile's name as accepted by [ProfileByName]
// ("" for the zero Profile).
func (p Profile) Name() string { return p.name }

// Algorithm returns the JWS algorithm the profile pins: "RS256", "HS256" or
// "ES256"
// ("" for the zero Profile). Verifiers never take the algorithm from the
// token header.
func (p Profile) Algorithm() string { return p.alg }

// Fields returns the fields of [Claims], besides UserID, that the profile
// carries, by their Go names ("Email", "Name", "ImageURL", "Role",
// "CompanyID"), and which of them the vendor requires: Nolt carries Email,
// Name, ImageURL and Role and requires Email and Name. Both slices are
// freshly allocated; both are empty for the profiles that carry the user
// id alone.
func (p Profile) Fields() (carried, required []string) {
	for _, f := range p.fields {
		carried = append(carried, fieldNames[f.field])
		if f.required {
			required = append(required, fieldNames[f.field])
		}
	}
	return carried, required
}

// Source returns where the profile's format was read (vendor docs or code).
func (p Profile) Source() string { return p.source }

// String returns the profile's name and algorithm, e.g. "engagespot/RS256".
// It never includes the profile's parameter (API key, kid, app or tenant
// id).
func (p Profile) String() string {
	if p.name == "" {
		return "invalid profile"
	}
	return p.name + "/" + p.alg
}

// validate reports why p cannot be used, wrapping ErrInvalidProfile.
func (p Profile) validate() error {
	switch {
	case p.name == "" || (p.alg != algRS256 && p.alg != algHS256 && p.alg != algES256) || p.subjectClaim == "":
		return fmt.Errorf("%w: zero or incomplete Profile (use a profile constructor)", ErrInvalidProfile)
	case p.invalid != "":
		return fmt.Errorf("%w: %s", ErrInvalidProfile, p.invalid)
	}
	return nil
}

// ownsClaim reports whether the profile (or the Issuer on its behalf) sets
// the claim, so that WithClaims must not override it.
func (p Profile) ownsClaim(name string) bool {
	top := p.subjectClaim
	if p.subjectIn != "" {
		top = p.subjectIn
	}
	switch name {
	case top, "exp", "iat", "nbf":
		return true
	case "expires":
		return p.expiresText
	}
	for _, f := range p.fields {
		if f.name == name {
			return true
		}
	}
	for _, f := range p.fixed {
		if f.name == name && f.in == "" || f.in == name {
			return true
		}
	}
	return false
}

// keyID returns the id of the current key: the Zendesk kid, or the one
// WithKeyID gave. Zendesk refuses WithKeyID: its profile names the key.
func (p Profile) keyID(fromOption string) (string, error) {
	if p.kid != "" && fromOption != "" {
		return "", fmt.Errorf("%w: WithKeyID does not apply to %s, whose profile names the key id", ErrInvalidOption, p.name)
	}
	if p.kid != "" {
		return p.kid, nil
	}
	return fromOption, nil
}
