package usertoken

import (
	"fmt"
)

// Verification is one pipeline, in the manner of golang-jwt's validator.go,
// each stage in its own file and each run only after the one before it
// succeeded:
//
//  1. size.go: size and shape — at most MaxTokenSize bytes of base64url in
//     three segments, before anything is decoded;
//  2. keyselection.go: the header — the profile's alg, no crit, the kid
//     rules — and the keys to try;
//  3. signature.go: the signature under those keys, every one tried;
//  4. times.go: exp, nbf, iat (and UserVoice's expires) against the clock;
//  5. claimcheck.go: the profile's claims, and the user id.
//
// The payload is decoded only after the signature verified, into one
// struct (wireClaims), never into a map, by the members walk
// (jsonobject.go), which matches claim names exactly.

// Verify checks token and returns the user id it was issued for: the value
// of the profile's user-id claim, without Engagespot's "user:" prefix.
//
// In order: the size is bounded ([MaxTokenSize], [ErrTokenTooLarge]) before
// any parsing; the three segments must be canonical unpadded base64url
// ([ErrMalformed]); the header must be a JSON object whose alg is the
// profile's, and the signature must verify with one of the Verifier's keys
// ([ErrBadSignature]); a "crit" header or a wrong or missing Zendesk "kid"
// gives [ErrWrongClaims]; then the payload must be a JSON object
// ([ErrMalformed]); a missing exp where the profile requires it, a missing
// iat (Engagespot, Knock), an exp, nbf or iat that is not a number in
// 1970..9999 (or a UserVoice expires text not in its form), a wrong apiKey,
// scope, iss or other fixed claim, a missing required field (Nolt's email
// and name, UserVoice's email), a claim of the wrong JSON type, a missing
// "user:" prefix or an empty/invalid user id give [ErrWrongClaims]; exp in
// the past gives [ErrExpired], nbf or iat in the future [ErrNotYetValid]
// (all with the leeway).
//
// Claim names are matched exactly, as the vendors' decoders read them:
// "SUB" is not sub.
//
// Keys: when some key of the Verifier has an id and the token's header
// names a kid, only the key with that id is tried, and a kid that names
// none of them is [ErrWrongClaims] (as Zendesk's wrong kid always was). A
// token without kid, or with "kid":"" (which names no key), is tried under
// every key (every key is checked, with no early exit, so the time taken
// does not depend on which one matched). A Verifier whose keys have no ids
// ignores kid headers.
//
// Errors wrap exactly one of those sentinels and never contain the token or
// the key. Security: a valid token is a bearer credential; Verify cannot
// tell who presents it, and tokens cannot be revoked before exp.
func (v *Verifier) Verify(token string) (userID string, err error) {
	res, err := v.verify(token)
	return res.claims.UserID, err
}

// VerifyClaims is Verify returning every field of [Claims] the token
// carries (see Claims for which fields are checked and which are only
// signed).
func (v *Verifier) VerifyClaims(token string) (Claims, error) {
	res, err := v.verify(token)
	return res.claims, err
}

// verified is what a successful verification learned.
type verified struct {
	claims Claims
	token  string // the token, whose payload PayloadFromContext decodes
	key    int    // index into Verifier.keys
}

var errPayloadNotObject = fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)

func (v *Verifier) verify(token string) (verified, error) {
	seg, err := splitToken(token)
	if err != nil {
		return verified{}, err
	}
	first, last, err := v.selectKeys(seg.header)
	if err != nil {
		return verified{}, err
	}
	key, err := v.checkSignature(seg, first, last)
	if err != nil {
		return verified{}, err
	}
	var buf [512]byte // most payloads: decoded on the stack
	payload, ok := appendDecoded(buf[:0], seg.payload)
	if !ok {
		return verified{}, errSegmentText
	}
	m, err := newMembers(payload)
	if err != nil {
		return verified{}, errPayloadNotObject
	}
	var w wireClaims
	for key, value, ok := m.next(); ok; key, value, ok = m.next() {
		w.set(key, value)
	}
	res := verified{token: token, key: key}
	if res.claims, err = v.checkTimes(&w); err != nil {
		return verified{}, err
	}
	if err := v.checkClaims(&w, &res.claims); err != nil {
		return verified{}, err
	}
	return res, nil
}
