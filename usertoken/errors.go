package usertoken

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of
// these (test with [errors.Is]); the message never contains the key, the
// secret or the token.

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
	// PEM at all (a shared secret) or a non-RSA key (EC, Ed25519) given to an
	// RS256 profile, or a public key given to an Issuer.
	ErrWrongKeyType = errors.New("usertoken: wrong kind of key for this profile")

	// ErrWeakKey: an RSA modulus shorter than 2048 bits or an RSA public
	// exponent other than 65537, or an HMAC secret shorter than 32 bytes.
	ErrWeakKey = errors.New("usertoken: key refused by policy")

	// ErrInvalidOption: an option has an out-of-range value, does not apply
	// to this constructor, or WithClaims tried to set a claim the profile
	// owns.
	ErrInvalidOption = errors.New("usertoken: invalid option")

	// ErrInvalidUserID: Issuer.Token was given an empty, oversized or
	// non-UTF-8 user id, or one containing control characters.
	ErrInvalidUserID = errors.New("usertoken: invalid user id")
)

// Verification errors, returned by [Verifier.Verify]. The middleware maps all
// of them to the same 401 answer.
var (
	// ErrTokenTooLarge: the token is longer than [MaxTokenSize] bytes; it was
	// not parsed.
	ErrTokenTooLarge = errors.New("usertoken: token too large")

	// ErrMalformed: not a compact JWS with three segments, a segment that is
	// not canonical unpadded base64url, or a header or payload that is not a
	// JSON object.
	ErrMalformed = errors.New("usertoken: malformed token")

	// ErrBadSignature: the signature does not verify with the Verifier's key,
	// or the header names an algorithm other than the profile's (including
	// "none" and HS256-instead-of-RS256 confusion).
	ErrBadSignature = errors.New("usertoken: bad signature")

	// ErrExpired: the token's exp is in the past (beyond the leeway).
	ErrExpired = errors.New("usertoken: token expired")

	// ErrNotYetValid: the token carries an nbf in the future (beyond the
	// leeway).
	ErrNotYetValid = errors.New("usertoken: token not valid yet")

	// ErrWrongClaims: the signature is good but the claims do not match the
	// profile: missing or mistyped exp/iat, wrong apiKey, sub without the
	// "user:" prefix, wrong scope, wrong or missing kid header, missing or
	// empty user id, unsupported critical header.
	ErrWrongClaims = errors.New("usertoken: claims do not match the profile")
)
