package usertoken

import (
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
	"github.com/usersig/usersig"
)

// Stage 3 of verification: the signature.

var (
	errNoKeyMatch = fmt.Errorf("%w: signature does not verify under any key", ErrBadSignature)
	errSigText    = fmt.Errorf("%w: signature is not canonical base64url", ErrMalformed)
)

// hs256SigLen is the length of an HS256 signature's text: 32 bytes in
// unpadded base64url.
const hs256SigLen = 43

// checkSignature verifies seg's signature under each of the keys
// v.keys()[first:last] and returns the index of the first that verified.
// Every key is tried, with no early exit, so the time taken does not say
// which key matched.
func (v *Verifier) checkSignature(seg jwsParts, first, last int) (int, error) {
	keys := v.keys()
	if v.profile.alg == algHS256 {
		if len(seg.signature) != hs256SigLen {
			return 0, sigLengthError(seg.signature)
		}
		matched := -1
		for i := first; i < last; i++ {
			err := keys[i].key.(*usersig.Signer).Verify(usersig.Identity{UserID: seg.signingInput}, seg.signature)
			if errors.Is(err, usersig.ErrMalformedSignature) {
				return 0, errSigText
			}
			if err == nil && matched < 0 {
				matched = i
			}
		}
		if matched < 0 {
			return 0, errNoKeyMatch
		}
		return matched, nil
	}
	sig, ok := appendDecoded(make([]byte, 0, len(seg.signature)*3/4+3), seg.signature)
	if !ok {
		return 0, errSigText
	}
	matched := -1
	for i := first; i < last; i++ {
		if verifyAsymmetric(v.method, seg.signingInput, sig, keys[i].key) && matched < 0 {
			matched = i
		}
	}
	if matched < 0 {
		return 0, errNoKeyMatch
	}
	return matched, nil
}

// verifyAsymmetric is golang-jwt's RS256 or ES256 check (RSASSA-PKCS1-v1_5
// over SHA-256; ECDSA P-256 with the 64-byte r||s signature of RFC 7518,
// DER refused).
func verifyAsymmetric(m jwt.SigningMethod, input string, sig []byte, key any) bool {
	return m.Verify(input, sig, key) == nil
}

// sigLengthError tells a signature of the wrong length (bad signature: the
// text is canonical, it just is not an HS256 tag) from one that is not
// canonical base64url at all (malformed).
func sigLengthError(sig string) error {
	if _, ok := appendDecoded(nil, sig); !ok {
		return errSigText
	}
	return errNoKeyMatch
}
