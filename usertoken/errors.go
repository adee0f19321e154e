package usertoken

import (
	"errors"

	"github.com/usersig/usersig"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// these (test with [errors.Is]); the message never contains the key, the
// secret or the token.
//
// One vocabulary with the HMAC core: where a refusal means what a core
// refusal means, the usertoken sentinel wraps the core's, so code that
// handles both kinds of credential can test the core name alone:
//
//	usertoken            also errors.Is             when
//	ErrExpired           usersig.ErrExpired         exp in the past
//	ErrBadSignature      usersig.ErrInvalidSignature well-formed, does not verify
//	ErrMalformed         usersig.ErrMalformedSignature not canonical compact JWS
//	ErrInvalidOption     usersig.ErrInvalidOption   an option cannot be used
//	ErrWeakKey           usersig.ErrWeakSecret      HMAC secret under 32 bytes
//	ErrWeakKey           usersig.ErrEmptySecret     empty HMAC secret
//	ErrInvalidUserID     usersig.ErrMissingIdentity Issuer.Token("")
//	ErrNoToken           sighttp.ErrNoSignature     no token in the request
//	ErrMalformed         sighttp.ErrMalformedCredential repeated header
//
//	ErrUnknownVerifier   sighttp.ErrUnknownSigner   no Verifier for the request
//
// (the last three from the middleware, whose HTTP counterpart is sighttp).
// The RSA and EC policy refusals are ErrWeakKey only (a short RSA modulus is
// not a short secret). ErrInvalidProfile, ErrInvalidKey, ErrWrongKeyType,
// ErrTokenTooLarge, ErrNotYetValid, ErrWrongClaims and ErrInvalidClaims
// have no core counterpart: the core has no profiles, no key files, no
// size-bounded token and no claims.

// coreSentinel is a usertoken sentinel that also matches a core one. Its
// message is its own (no "usersig:" text appended), and Unwrap makes
// errors.Is(err, core) hold.
type coreSentinel struct {
	msg  string
	core error
}

func (e *coreSentinel) Error() string { return e.msg }
func (e *coreSentinel) Unwrap() error { return e.core }

// Key and configuration errors, returned by [NewIssuer], [NewVerifier] and
// their options.
var (
	// ErrInvalidProfile: the Profile is the zero value or was built with a
	// missing parameter (Engagespot without apiKey, Zendesk without kid), or
	// the profile name is unknown to [ProfileByName].
	ErrInvalidProfile = errors.New("usertoken: invalid profile")

	// ErrInvalidKey: the key material cannot be parsed (not PEM, not base64
	// of PEM, encrypted PEM, several PEM blocks, trailing data, ...).
	ErrInvalidKey = errors.New("usertoken: invalid key")

	// ErrWrongKeyType: the key is of the wrong kind for the profile: a PEM
	// (or base64 of a PEM) given to an HS256 profile, something that is not
	// PEM at all (a shared secret) given to an RS256 or ES256 profile, an
	// RSA key given to an ES256 profile or an EC or Ed25519 key to an RS256
	// one, an EC key on a curve other than P-256, or a public key given to
	// an Issuer.
	ErrWrongKeyType = errors.New("usertoken: wrong kind of key for this profile")

	// ErrWeakKey: an RSA modulus shorter than 2048 bits or an RSA public
	// exponent other than 65537, or an HMAC secret shorter than 32 bytes
	// (then also usersig.ErrWeakSecret, or usersig.ErrEmptySecret when
	// empty).
	ErrWeakKey = errors.New("usertoken: key refused by policy")

	// ErrInvalidOption (also usersig.ErrInvalidOption): an option is nil,
	// has an out-of-range value, does not apply to this constructor or
	// profile, or WithClaims tried to set a claim the profile owns.
	ErrInvalidOption error = &coreSentinel{"usertoken: invalid option", usersig.ErrInvalidOption}

	// ErrInvalidClaims: Issuer.Issue was given claims the profile cannot
	// sign: a field the vendor requires left empty (Nolt's Email and Name,
	// UserVoice's Email), a field the profile does not carry (a CompanyID
	// for Intercom), a value the vendor does not allow (a Nolt Role other
	// than ADMIN or MODERATOR), or a field that is oversized, not UTF-8 or
	// holds control characters.
	ErrInvalidClaims = errors.New("usertoken: claims the profile cannot sign")

	// ErrInvalidUserID: Issuer.Token was given an empty, oversized or
	// non-UTF-8 user id, or one containing control characters. The empty
	// id is also usersig.ErrMissingIdentity.
	ErrInvalidUserID = errors.New("usertoken: invalid user id")
)

// Verification errors, returned by [Verifier.Verify]. The middleware maps all
// of them to the same 401 answer.
var (
	// ErrTokenTooLarge: the token is longer than [MaxTokenSize] bytes; it was
	// not parsed.
	ErrTokenTooLarge = errors.New("usertoken: token too large")

	// ErrMalformed (also usersig.ErrMalformedSignature): not a compact JWS
	// with three segments, a segment that is not canonical unpadded
	// base64url, or a header or payload that is not a JSON object.
	ErrMalformed error = &coreSentinel{"usertoken: malformed token", usersig.ErrMalformedSignature}

	// ErrBadSignature (also usersig.ErrInvalidSignature): the signature does
	// not verify with any of the Verifier's keys, or the header names an
	// algorithm other than the profile's (including "none" and
	// HS256-instead-of-RS256 confusion).
	ErrBadSignature error = &coreSentinel{"usertoken: bad signature", usersig.ErrInvalidSignature}

	// ErrExpired (also usersig.ErrExpired): the token's exp is in the past
	// (beyond the leeway).
	ErrExpired error = &coreSentinel{"usertoken: token expired", usersig.ErrExpired}

	// ErrNotYetValid: the token carries an nbf, or an iat, in the future
	// (beyond the leeway).
	ErrNotYetValid = errors.New("usertoken: token not valid yet")

	// ErrWrongClaims: the signature is good but the claims do not match the
	// profile: missing or mistyped exp/iat, an exp, nbf or iat outside
	// 1970..9999 (or a UserVoice expires text not in its form), wrong
	// apiKey, sub without the "user:" prefix, wrong scope, wrong or missing
	// kid header (or a kid naming none of the Verifier's keys), missing or
	// empty user id or required field, a claim of the wrong JSON type (a
	// numeric id), a Nolt role other than ADMIN or MODERATOR, a claim name
	// that matches one the profile reads only by letter case, unsupported
	// critical header.
	ErrWrongClaims = errors.New("usertoken: claims do not match the profile")
)

// Errors that carry two sentinels: this package's and the core's.
type bothError struct {
	msg          string
	mine, theirs error
}

func (e *bothError) Error() string   { return e.msg }
func (e *bothError) Unwrap() []error { return []error{e.mine, e.theirs} }
