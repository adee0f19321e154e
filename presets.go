package usersig

// presets lists the preset constructors in the order Schemes returns them.
// It is unexported and holds functions, so nothing outside this file can
// change a preset.
var presets = [...]func() Scheme{
	Engagespot, Proficient, Helpshift, HelpshiftFullPrivacy, ProductFruits, Intercom,
	Crisp, HelpScout, Front, TawkTo, Novu, MagicBell, Courier, Chatwoot, Gleap, Canny, Plain, Featurebase,
	TawkToVisitor, Pylon, TalkJS, Chameleon,
}

// Engagespot (HMAC authentication): base64 HMAC of the user id, sent by the
// front-end SDK as userSignature, in the headers X-ENGAGESPOT-USER-ID and
// X-ENGAGESPOT-USER-SIGNATURE beside X-ENGAGESPOT-API-KEY.
// Source: Engagespot docs "HMAC Authentication"; github.com/Engagespot/engagespot
// packages/core/src/Notification.ts.
func Engagespot() Scheme {
	return Scheme{
		Name: "engagespot", Composer: UserID, Encoding: Base64,
		Headers:   Headers{UserID: "X-ENGAGESPOT-USER-ID", Signature: "X-ENGAGESPOT-USER-SIGNATURE", APIKey: "X-ENGAGESPOT-API-KEY"},
		Vendor:    "Engagespot",
		Transport: "userSignature option; headers X-ENGAGESPOT-USER-ID, X-ENGAGESPOT-USER-SIGNATURE",
		Source:    "Engagespot docs, HMAC Authentication; github.com/Engagespot/engagespot packages/core/src/Notification.ts",
	}
}

// Proficient: base64 HMAC of the user's external id, keyed with the project's
// hsec_ secret, sent as X-PROFICIENT-USER-HMAC beside
// X-PROFICIENT-USER-EXTERNAL-ID and the publishable X-PROFICIENT-API-KEY;
// a missing or bad hash is answered 401.
// Source: Proficient docs "HMAC authentication".
func Proficient() Scheme {
	return Scheme{
		Name: "proficient", Composer: UserID, Encoding: Base64,
		Headers:   Headers{UserID: "X-PROFICIENT-USER-EXTERNAL-ID", Signature: "X-PROFICIENT-USER-HMAC", APIKey: "X-PROFICIENT-API-KEY"},
		Vendor:    "Proficient",
		Transport: "userHmac prop; headers X-PROFICIENT-USER-EXTERNAL-ID, X-PROFICIENT-USER-HMAC",
		Source:    "Proficient docs, HMAC authentication",
	}
}

// Helpshift (user identity verification): base64 HMAC of the user id, or the
// email, or the user id and email concatenated with no separator, by which
// are present (see UserIDEmail for the ambiguity that implies). Passed as
// userAuthToken in the login config.
// Source: Helpshift FAQ "User Identity Verification" (Python, Node and Java
// samples); github.com/helpshift/helpshift-ios-sdkx-samples MockUserAuthTokenServer.swift.
func Helpshift() Scheme {
	return Scheme{
		Name: "helpshift", Composer: UserIDEmail, Encoding: Base64,
		Vendor:    "Helpshift",
		Transport: "userAuthToken in the login config",
		Source:    "Helpshift FAQ, User Identity Verification; github.com/helpshift/helpshift-ios-sdkx-samples MockUserAuthTokenServer.swift",
	}
}

// HelpshiftFullPrivacy is Helpshift with the EnableFullPrivacy flag: the MAC
// is over the user id only and the email is ignored.
// Source: Helpshift FAQ "User Identity Verification".
func HelpshiftFullPrivacy() Scheme {
	return Scheme{
		Name: "helpshift-full-privacy", Composer: UserID, Encoding: Base64,
		Vendor:    "Helpshift (full privacy)",
		Transport: "userAuthToken in the login config",
		Source:    "Helpshift FAQ, User Identity Verification (EnableFullPrivacy)",
	}
}

// ProductFruits (user identity verification): base64 HMAC of the username
// followed by the expiry text, or by nothing without an expiry. The front end
// passes user.hmac = {hash, expiration} to productFruits.init or identifyUser
// and the expiration must be the exact text signed: use Signer.Issue to get
// both, and Signer.VerifyCredential to check a text a client sent back
// (JavaScript's three fraction digits or .NET's seven).
// Its .NET sample keys with Encoding.ASCII.GetBytes(secret), so a secret
// with non-ASCII characters gets '?' for each there; Product Fruits' server
// keys with the secret's UTF-8 bytes, as this preset and the Node sample do.
// Source: Product Fruits "User identity verification" (Node sample);
// "Examples of backend HMAC computation",
// help.productfruits.com/en/article/examples-of-backend-hmac-computation (.NET).
func ProductFruits() Scheme {
	return Scheme{
		Name: "productfruits", Composer: UserIDExpiry, Encoding: Base64,
		Vendor:    "Product Fruits",
		Transport: "user.hmac = {hash, expiration} in productFruits.init / identifyUser",
		Source:    "Product Fruits docs, User identity verification; help.productfruits.com/en/article/examples-of-backend-hmac-computation",
	}
}

// Intercom (identity verification): lowercase hex HMAC of the user_id if
// present, else the email, set as intercomSettings.user_hash (setUserHash on
// mobile). Intercom has one secret per platform: web, iOS and Android.
// This module treats an empty user id as absent and signs the email;
// intercom-rails emits no user_hash at all for a user_id that is present but
// empty (Ruby's "" is truthy, so it never falls back to the email). Intercom's
// C# sample encodes with ASCII, '?' for every non-ASCII character; the server
// and intercom-rails use UTF-8, as this preset does.
// Source: github.com/intercom/intercom-rails lib/intercom-rails/script_tag.rb
// (ScriptTag#user_hash, user_details=).
func Intercom() Scheme {
	return Scheme{
		Name: "intercom", Composer: UserIDOrEmail, Encoding: Hex,
		Vendor:    "Intercom",
		Transport: "intercomSettings.user_hash; mobile setUserHash",
		Source:    "github.com/intercom/intercom-rails lib/intercom-rails/script_tag.rb (ScriptTag#user_hash)",
	}
}

// Crisp: lowercase hex HMAC of the email, pushed as
// $crisp.push(["set", "user:email", [email, signature]]). Sign the email
// exactly as the front end pushes it: the WordPress plugin signs the text
// after WordPress's esc_js, so an email with a quote or & is signed escaped.
// Source: github.com/crisp-im/crisp-plugin-wordpress crisp.php
// (crisp_sync_wordpress_user).
func Crisp() Scheme {
	return Scheme{
		Name: "crisp", Composer: Email, Encoding: Hex,
		Vendor:    "Crisp",
		Transport: `$crisp.push(["set","user:email",[email, signature]])`,
		Source:    "github.com/crisp-im/crisp-plugin-wordpress crisp.php",
	}
}

// HelpScout (Beacon secure mode): lowercase hex HMAC of the email, passed as
// Beacon('identify', {email, signature}). Versions of the page carried two
// errata: a Python sample that base64-encodes the digest, and a C# sample
// whose BitConverter.ToString leaves hyphens in the hex; the Rails, PHP and
// Node samples give this preset's form.
// Source: Help Scout "Secure Mode", developer.helpscout.com/beacon-2/web/secure-mode.
func HelpScout() Scheme {
	return Scheme{
		Name: "helpscout", Composer: Email, Encoding: Hex,
		Vendor:    "Help Scout Beacon",
		Transport: "Beacon('identify', {email, signature})",
		Source:    "Help Scout, Secure Mode; developer.helpscout.com/beacon-2/web/secure-mode",
	}
}

// Front (Front Chat identity verification): lowercase hex HMAC of the userId
// if one is passed, else the email, passed as userHash to FrontChat('init').
// Source: Front "Identify users", dev.frontapp.com/docs/identify-users.
func Front() Scheme {
	return Scheme{
		Name: "front", Composer: UserIDOrEmail, Encoding: Hex,
		Vendor:    "Front Chat",
		Transport: "FrontChat('init', {email, userId?, userHash})",
		Source:    "Front, Identify users; dev.frontapp.com/docs/identify-users",
	}
}

// TawkTo (JavaScript API Secure Mode): lowercase hex HMAC of the user id,
// keyed with the property's JavaScript API key, passed as hash to
// Tawk_API.login({hash, userId}) or Tawk_API.setAttributes. The
// Tawk_API.visitor form hashes the email instead: see TawkToVisitor.
// Source: Tawk.to "How to generate a hash for the JavaScript API",
// help.tawk.to/article/how-to-generate-a-hash-for-javascript-api.
func TawkTo() Scheme {
	return Scheme{
		Name: "tawkto", Composer: UserID, Encoding: Hex,
		Vendor:    "Tawk.to",
		Transport: "Tawk_API.login({hash, userId}) / setAttributes({..., hash})",
		Source:    "Tawk.to, How to generate a hash for the JavaScript API; help.tawk.to/article/how-to-generate-a-hash-for-javascript-api",
	}
}

// Novu (Inbox HMAC): lowercase hex HMAC of the subscriberId, passed as the
// subscriberHash prop. Novu compares the text exactly, so upper-case hex fails.
// Source: github.com/novuhq/novu apps/api/src/app/inbox/utils/encryption.ts.
func Novu() Scheme {
	return Scheme{
		Name: "novu", Composer: UserID, Encoding: Hex,
		Vendor:    "Novu",
		Transport: "subscriberHash prop",
		Source:    "github.com/novuhq/novu apps/api/src/app/inbox/utils/encryption.ts",
	}
}

// MagicBell (legacy HMAC): base64 HMAC of the external id if present, else
// the email, sent as X-MAGICBELL-USER-HMAC beside X-MAGICBELL-USER-EXTERNAL-ID
// or, only when there is no external id, X-MAGICBELL-USER-EMAIL. MagicBell's
// docs require the email in lower case; this preset signs it as given.
// Source: github.com/magicbell/magicbell-js packages/magicbell/src/crypto.ts (history).
func MagicBell() Scheme {
	return Scheme{
		Name: "magicbell", Composer: UserIDOrEmail, Encoding: Base64,
		Headers:   Headers{UserID: "X-MAGICBELL-USER-EXTERNAL-ID", Email: "X-MAGICBELL-USER-EMAIL", Signature: "X-MAGICBELL-USER-HMAC"},
		Vendor:    "MagicBell (legacy HMAC)",
		Transport: "headers X-MAGICBELL-USER-EXTERNAL-ID or X-MAGICBELL-USER-EMAIL, X-MAGICBELL-USER-HMAC",
		Source:    "github.com/magicbell/magicbell-js packages/magicbell/src/crypto.ts (history)",
	}
}

// Courier (legacy HMAC): lowercase hex HMAC of the userId, sent in the
// headers x-courier-user-id and x-courier-user-signature.
// Source: github.com/trycourier/courier-react packages/client-graphql/src/client.ts.
func Courier() Scheme {
	return Scheme{
		Name: "courier", Composer: UserID, Encoding: Hex,
		Headers:   Headers{UserID: "x-courier-user-id", Signature: "x-courier-user-signature"},
		Vendor:    "Courier (legacy HMAC)",
		Transport: "headers x-courier-user-id, x-courier-user-signature",
		Source:    "github.com/trycourier/courier-react packages/client-graphql/src/client.ts",
	}
}

// Chatwoot (identity validation): lowercase hex HMAC of the identifier,
// passed as identifier_hash to $chatwoot.setUser; compared exactly.
// Source: github.com/chatwoot/chatwoot app/controllers/api/v1/widget/contacts_controller.rb.
func Chatwoot() Scheme {
	return Scheme{
		Name: "chatwoot", Composer: UserID, Encoding: Hex,
		Vendor:    "Chatwoot",
		Transport: "$chatwoot.setUser(id, {identifier_hash})",
		Source:    "github.com/chatwoot/chatwoot app/controllers/api/v1/widget/contacts_controller.rb",
	}
}

// Gleap (identity verification): lowercase hex HMAC of String(userId),
// passed as the third argument of Gleap.identify. A numeric id is signed as
// its decimal text: pass it as the string the front end will send.
// Source: Gleap "Enforce identity verification",
// docs.gleap.io/documentation/guides/enforce-identity-verification.
func Gleap() Scheme {
	return Scheme{
		Name: "gleap", Composer: UserID, Encoding: Hex,
		Vendor:    "Gleap",
		Transport: "Gleap.identify(id, data, userHash)",
		Source:    "Gleap, Enforce identity verification; docs.gleap.io/documentation/guides/enforce-identity-verification",
	}
}

// Canny (single sign-on identify): lowercase hex HMAC of user.id, passed as
// hash to Canny('identify').
// Source: Canny "Security", developers.canny.io/install/security.
func Canny() Scheme {
	return Scheme{
		Name: "canny", Composer: UserID, Encoding: Hex,
		Vendor:    "Canny",
		Transport: "Canny('identify', {..., hash})",
		Source:    "Canny, Security; developers.canny.io/install/security",
	}
}

// Plain (chat authentication): lowercase hex HMAC of the email, passed as
// customerDetails.emailHash.
// Source: Plain "Authentication", plain.com/docs/chat/authentication.
func Plain() Scheme {
	return Scheme{
		Name: "plain", Composer: Email, Encoding: Hex,
		Vendor:    "Plain",
		Transport: "customerDetails.emailHash",
		Source:    "Plain, Authentication; plain.com/docs/chat/authentication",
	}
}

// Featurebase (legacy identity verification): lowercase hex HMAC of the
// identifier the integrator chose to identify users by — the userId, or the
// email — passed as userHash. The vendor marks this form deprecated.
// Source: Featurebase "Set up Identity Verification",
// help.featurebase.app/articles/4543540-set-up-identity-verification.
func Featurebase() Scheme {
	return Scheme{
		Name: "featurebase", Composer: UserIDOrEmail, Encoding: Hex,
		Vendor:    "Featurebase (legacy)",
		Transport: "userHash",
		Source:    "Featurebase, Set up Identity Verification; help.featurebase.app/articles/4543540-set-up-identity-verification",
	}
}

// TawkToVisitor (Tawk_API.visitor secure mode): lowercase hex HMAC of the
// visitor's email, keyed with the property's JavaScript API key, set as
// Tawk_API.visitor = {name, email, hash}. Tawk.to's WordPress plugin computes
// it so today (get_visitor_hash, hash_hmac over the email). The login and
// setAttributes form signs the user id instead: see TawkTo.
// Source: github.com/tawk/tawk-wordpress tawkto/tawkto.php get_visitor_hash
// (commit ac61e7c14c49a68398d3df91811f5d7043d4031e).
func TawkToVisitor() Scheme {
	return Scheme{
		Name: "tawkto-visitor", Composer: Email, Encoding: Hex,
		Vendor:    "Tawk.to (visitor)",
		Transport: "Tawk_API.visitor = {name, email, hash}",
		Source:    "github.com/tawk/tawk-wordpress tawkto/tawkto.php get_visitor_hash (ac61e7c14c49a68398d3df91811f5d7043d4031e)",
	}
}

// Pylon (chat widget identity verification): lowercase hex HMAC of the
// email, set as window.pylon.chat_settings.email_hash. Pylon hands out the
// secret as hex and its docs decode it before use (Node
// Buffer.from(secret, "hex"), Python bytes.fromhex), so this scheme's
// SecretEncoding is SecretHex: give New the hex text exactly as the
// dashboard shows it. A secret that is not even-length hex is refused with
// ErrMalformedSecret, and MinSecretLen counts the decoded bytes.
// Source: Pylon "Identity Verification",
// docs.usepylon.com/pylon-docs/chat-widget/identity-verification.
func Pylon() Scheme {
	return Scheme{
		Name: "pylon", Composer: Email, Encoding: Hex, SecretEncoding: SecretHex,
		Vendor:    "Pylon",
		Transport: "window.pylon.chat_settings.email_hash",
		Source:    "Pylon, Identity Verification; docs.usepylon.com/pylon-docs/chat-widget/identity-verification",
	}
}

// TalkJS (identity verification): hex HMAC of the user id, keyed with the
// app's secret key, passed as signature to Talk.Session({appId, me,
// signature}). TalkJS's current PHP sample upper-cases the hex
// (strtoupper(hash_hmac(...))), an earlier one did not, and TalkJS's own
// examples send lower-case digest("hex") and hexdigest() signatures: TalkJS
// accepts either case. This preset signs lower case, and so verifies only
// lower case.
// Source: TalkJS "Identity verification",
// talkjs.com/docs/Features/Security_Settings/Identity_Verification;
// github.com/talkjs/talkjs-examples webhooks/nodejs/express-webhook/controllers/chatController.js
// (commit bfb25ca6c68acd070e067b22a50a97afd1e80c77).
func TalkJS() Scheme {
	return Scheme{
		Name: "talkjs", Composer: UserID, Encoding: Hex,
		Vendor:    "TalkJS",
		Transport: "Talk.Session({appId, me, signature})",
		Source:    "TalkJS, Identity verification; talkjs.com/docs/Features/Security_Settings/Identity_Verification",
	}
}

// Chameleon (Identity Verification, "secure mode"): lowercase hex HMAC of
// the user id, a '-' and the Unix seconds of signing, followed in the text
// by a '-' and the same seconds, passed as chmln.identify(uid, {uid_hash})
// ("7aad060d…f5e5-1596165824"). Chameleon's samples in eight languages
// all write it so: hexdigest(uid + "-" + now) + "-" + now. A Signer stamps
// its clock's time (see UserIDTimestamp) and refuses a uid_hash older than
// DefaultFreshness (WithFreshness changes it), since Chameleon asks for
// the timestamp "so that we can reject requests that are too old" but
// publishes no window.
// Source: Chameleon, "Using Identity Verification (Secure mode)",
// help.chameleon.io/en/articles/4281577-using-identity-verification-secure-mode;
// github.com/chamaeleonidae/verification (verification.js, .py, .rb, .php,
// .java, .go, .kt, .cs).
func Chameleon() Scheme {
	return Scheme{
		Name: "chameleon", Composer: UserIDTimestamp, Encoding: Hex,
		Vendor:    "Chameleon",
		Transport: "chmln.identify(uid, {uid_hash})",
		Source:    "Chameleon, Using Identity Verification (Secure mode), help.chameleon.io/en/articles/4281577-using-identity-verification-secure-mode; github.com/chamaeleonidae/verification",
	}
}
