package usertoken

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
	"github.com/usersig/usersig"
)

// Key policy.
const (
	// MinRSABits is the smallest RSA modulus accepted, for signing and for
	// verifying.
	MinRSABits = 2048
	// MaxRSABits is the largest RSA modulus accepted (bounds verification
	// cost for keys from untrusted configuration).
	MaxRSABits = 8192
	// RSAExponent is the only RSA public exponent accepted.
	RSAExponent = 65537
	// MinHMACSecretLen is the shortest HMAC secret accepted, in bytes.
	MinHMACSecretLen = 32
	// maxKeyInput bounds the key material we are willing to parse.
	maxKeyInput = 64 << 10
)

// GenerateRSAKeyPair generates a fresh RSA-2048 key pair (e = 65537) from
// crypto/rand and returns the private key as PKCS#8 PEM ("PRIVATE KEY") and
// the public key as PKIX PEM ("PUBLIC KEY"), the forms Engagespot, Knock and
// Braze consoles accept or hand out.
//
// Security: privatePEM is unencrypted; write it with mode 0600 and never log
// it. Generation takes tens to hundreds of milliseconds.
func GenerateRSAKeyPair() (privatePEM, publicPEM []byte, err error) {
	key, err := rsa.GenerateKey(rand.Reader, MinRSABits)
	if err != nil {
		return nil, nil, fmt.Errorf("usertoken: generating RSA key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("usertoken: encoding private key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("usertoken: encoding public key: %w", err)
	}
	privatePEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	publicPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	return privatePEM, publicPEM, nil
}

// looksLikePEM reports whether data is, or is base64 of, PEM-armoured text.
// It is used to refuse PEM keys given as HMAC secrets.
func looksLikePEM(data []byte) bool {
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return true
	}
	dec, err := decodeBase64Loose(data)
	return err == nil && bytes.Contains(dec, []byte("-----BEGIN"))
}

// decodeBase64Loose decodes standard base64 (padded or not) with line breaks
// and surrounding spaces ignored, as keys are pasted from consoles.
func decodeBase64Loose(data []byte) ([]byte, error) {
	clean := make([]byte, 0, len(data))
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		clean = append(clean, c)
	}
	enc := base64.StdEncoding
	if len(clean)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	return enc.DecodeString(string(clean))
}

// pemBlock extracts the single PEM block of data, accepting base64 of a PEM
// as Knock distributes it. Several blocks or non-whitespace data around the
// block are refused: ambiguity in key files is how the wrong key gets used.
func pemBlock(data []byte) (*pem.Block, error) {
	if len(data) > maxKeyInput {
		return nil, fmt.Errorf("%w: key material larger than %d bytes", ErrInvalidKey, maxKeyInput)
	}
	trimmed := bytes.TrimSpace(data)
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		dec, err := decodeBase64Loose(trimmed)
		if err != nil || !bytes.HasPrefix(bytes.TrimSpace(dec), []byte("-----BEGIN")) {
			// Most likely a shared secret given to an RS256 or ES256 profile.
			return nil, fmt.Errorf("%w: RS256 and ES256 need a key as PEM or base64 of PEM, got neither", ErrWrongKeyType)
		}
		trimmed = bytes.TrimSpace(dec)
	}
	block, rest := pem.Decode(trimmed)
	if block == nil {
		return nil, fmt.Errorf("%w: PEM armour is damaged", ErrInvalidKey)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("%w: data after the PEM block (one key per input)", ErrInvalidKey)
	}
	if _, encrypted := block.Headers["Proc-Type"]; encrypted {
		return nil, fmt.Errorf("%w: encrypted PEM is not supported; decrypt it first", ErrInvalidKey)
	}
	return block, nil
}

// checkRSAPublic applies the key policy to an RSA public key.
func checkRSAPublic(pub *rsa.PublicKey) error {
	bits := pub.N.BitLen()
	switch {
	case bits < MinRSABits:
		return fmt.Errorf("%w: RSA key has %d bits, need at least %d", ErrWeakKey, bits, MinRSABits)
	case bits > MaxRSABits:
		return fmt.Errorf("%w: RSA key has %d bits, at most %d supported", ErrInvalidKey, bits, MaxRSABits)
	case pub.E != RSAExponent:
		return fmt.Errorf("%w: RSA public exponent %d, only %d is accepted", ErrWeakKey, pub.E, RSAExponent)
	}
	return nil
}

// parseRSAPrivateKey parses a PKCS#1 ("RSA PRIVATE KEY") or PKCS#8
// ("PRIVATE KEY") PEM, or base64 of either, and applies the key policy.
func parseRSAPrivateKey(data []byte) (*rsa.PrivateKey, error) {
	block, err := pemBlock(data)
	if err != nil {
		return nil, err
	}
	var key *rsa.PrivateKey
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: bad PKCS#1 RSA private key", ErrInvalidKey)
		}
	case "PRIVATE KEY":
		if key, err = pkcs8Key[*rsa.PrivateKey](block.Bytes, "RSA"); err != nil {
			return nil, err
		}
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return nil, fmt.Errorf("%w: a public key cannot sign; give the private key", ErrWrongKeyType)
	case "EC PRIVATE KEY", "OPENSSH PRIVATE KEY":
		return nil, fmt.Errorf("%w: PEM type %q, need an RSA private key", ErrWrongKeyType, block.Type)
	case "CERTIFICATE":
		return nil, fmt.Errorf("%w: a certificate cannot sign; give the private key", ErrWrongKeyType)
	default:
		return nil, fmt.Errorf("%w: PEM type %q, need an RSA private key", ErrInvalidKey, block.Type)
	}
	if err := checkRSAPublic(&key.PublicKey); err != nil {
		return nil, err
	}
	return key, nil
}

// parseRSAPublicKey parses a PKIX ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC
// KEY") PEM, or base64 of either, and applies the key policy. A private key
// PEM is accepted too and its public half is used, so that a test verifier
// can be built from the key the issuer holds.
func parseRSAPublicKey(data []byte) (*rsa.PublicKey, error) {
	block, err := pemBlock(data)
	if err != nil {
		return nil, err
	}
	var pub *rsa.PublicKey
	switch block.Type {
	case "PUBLIC KEY":
		if pub, err = pkixKey[*rsa.PublicKey](block.Bytes, "RSA"); err != nil {
			return nil, err
		}
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: bad PKCS#1 RSA public key", ErrInvalidKey)
		}
	case "RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY":
		priv, err := parseRSAPrivateKey(data)
		if err != nil {
			return nil, err
		}
		pub = &priv.PublicKey
	case "CERTIFICATE":
		return nil, fmt.Errorf("%w: certificates are not accepted; extract the public key", ErrInvalidKey)
	default:
		return nil, fmt.Errorf("%w: PEM type %q, need an RSA public key", ErrInvalidKey, block.Type)
	}
	if err := checkRSAPublic(pub); err != nil {
		return nil, err
	}
	return pub, nil
}

// pkcs8Key parses a PKCS#8 private key and requires it to be a K (an RSA
// or EC key); need names K in the refusal.
func pkcs8Key[K any](der []byte, need string) (K, error) {
	var zero K
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return zero, fmt.Errorf("%w: bad PKCS#8 private key", ErrInvalidKey)
	}
	key, ok := k.(K)
	if !ok {
		return zero, fmt.Errorf("%w: PKCS#8 key is %T, need %s", ErrWrongKeyType, k, need)
	}
	return key, nil
}

// pkixKey parses a PKIX public key and requires it to be a K.
func pkixKey[K any](der []byte, need string) (K, error) {
	var zero K
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return zero, fmt.Errorf("%w: bad PKIX public key", ErrInvalidKey)
	}
	key, ok := k.(K)
	if !ok {
		return zero, fmt.Errorf("%w: public key is %T, need %s", ErrWrongKeyType, k, need)
	}
	return key, nil
}

// hmacSecret applies the secret policy and returns a private copy of the
// secret. The bytes are used exactly as given: never trimmed, base64- or
// hex-decoded. The refusals also match the core's ErrEmptySecret and
// ErrWeakSecret, which mean the same thing; the bound is stricter than the
// core's usersig.MinSecretLen because RFC 7518 section 3.2 asks for a key of
// at least the hash size for HS256.
func hmacSecret(secret []byte) ([]byte, error) {
	if looksLikePEM(secret) {
		return nil, fmt.Errorf("%w: HS256 needs the shared secret, not a PEM key", ErrWrongKeyType)
	}
	switch {
	case len(secret) == 0:
		return nil, errEmptySecret
	case len(secret) < MinHMACSecretLen:
		return nil, &bothError{
			msg:  fmt.Sprintf("%v: HMAC secret has %d bytes, need at least %d", ErrWeakKey, len(secret), MinHMACSecretLen),
			mine: ErrWeakKey, theirs: usersig.ErrWeakSecret,
		}
	}
	return bytes.Clone(secret), nil
}

var errEmptySecret = &bothError{msg: ErrWeakKey.Error() + ": HMAC secret is empty", mine: ErrWeakKey, theirs: usersig.ErrEmptySecret}

// GenerateECKeyPair generates a fresh EC P-256 key pair from crypto/rand for
// the ES256 profiles (OneSignal, SuprSend) and returns the private key as
// PKCS#8 PEM ("PRIVATE KEY") and the public key as PKIX PEM ("PUBLIC KEY").
//
// Security: privatePEM is unencrypted; write it with mode 0600 and never log
// it. The vendors generate the pair in their consoles and keep the public
// half; use this for tests and for your own verifiers.
func GenerateECKeyPair() (privatePEM, publicPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("usertoken: generating EC key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("usertoken: encoding private key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("usertoken: encoding public key: %w", err)
	}
	privatePEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	publicPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	return privatePEM, publicPEM, nil
}

// checkECPublic applies the key policy to an EC public key: ES256 is
// ECDSA over P-256 (RFC 7518 section 3.4), any other curve is the wrong key.
func checkECPublic(pub *ecdsa.PublicKey) error {
	if pub.Curve != elliptic.P256() {
		return fmt.Errorf("%w: EC key on curve %s, ES256 needs P-256", ErrWrongKeyType, pub.Curve.Params().Name)
	}
	return nil
}

// parseECPrivateKey parses a SEC 1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE
// KEY") PEM, or base64 of either (SuprSend's single-line format), and
// applies the key policy.
func parseECPrivateKey(data []byte) (*ecdsa.PrivateKey, error) {
	block, err := pemBlock(data)
	if err != nil {
		return nil, err
	}
	var key *ecdsa.PrivateKey
	switch block.Type {
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: bad SEC 1 EC private key", ErrInvalidKey)
		}
	case "PRIVATE KEY":
		if key, err = pkcs8Key[*ecdsa.PrivateKey](block.Bytes, "EC P-256"); err != nil {
			return nil, err
		}
	case "PUBLIC KEY":
		return nil, fmt.Errorf("%w: a public key cannot sign; give the private key", ErrWrongKeyType)
	case "RSA PRIVATE KEY", "RSA PUBLIC KEY", "OPENSSH PRIVATE KEY", "CERTIFICATE":
		return nil, fmt.Errorf("%w: PEM type %q, need an EC P-256 private key", ErrWrongKeyType, block.Type)
	default:
		return nil, fmt.Errorf("%w: PEM type %q, need an EC P-256 private key", ErrInvalidKey, block.Type)
	}
	if err := checkECPublic(&key.PublicKey); err != nil {
		return nil, err
	}
	return key, nil
}

// parseECPublicKey parses a PKIX ("PUBLIC KEY") PEM, or base64 of one, and
// applies the key policy. A private key PEM is accepted too and its public
// half is used, as for RSA.
func parseECPublicKey(data []byte) (*ecdsa.PublicKey, error) {
	block, err := pemBlock(data)
	if err != nil {
		return nil, err
	}
	var pub *ecdsa.PublicKey
	switch block.Type {
	case "PUBLIC KEY":
		if pub, err = pkixKey[*ecdsa.PublicKey](block.Bytes, "EC P-256"); err != nil {
			return nil, err
		}
	case "EC PRIVATE KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
		priv, err := parseECPrivateKey(data)
		if err != nil {
			return nil, err
		}
		pub = &priv.PublicKey
	case "RSA PUBLIC KEY":
		return nil, fmt.Errorf("%w: PEM type %q, need an EC P-256 public key", ErrWrongKeyType, block.Type)
	case "CERTIFICATE":
		return nil, fmt.Errorf("%w: certificates are not accepted; extract the public key", ErrInvalidKey)
	default:
		return nil, fmt.Errorf("%w: PEM type %q, need an EC P-256 public key", ErrInvalidKey, block.Type)
	}
	if err := checkECPublic(pub); err != nil {
		return nil, err
	}
	return pub, nil
}

// signingKey parses key for signing under alg and returns the golang-jwt
// method with the key object it takes; for HS256 the key is a
// *usersig.Signer (see hmacVerifyingKey), which signs as well as it
// verifies.
func signingKey(alg string, key []byte) (jwt.SigningMethod, any, error) {
	switch alg {
	case algRS256:
		k, err := parseRSAPrivateKey(key)
		return jwt.SigningMethodRS256, k, err
	case algES256:
		k, err := parseECPrivateKey(key)
		return jwt.SigningMethodES256, k, err
	default:
		return verifyingKey(alg, key)
	}
}

// verifyingKey parses key for verifying under alg, as signingKey does.
func verifyingKey(alg string, key []byte) (jwt.SigningMethod, any, error) {
	switch alg {
	case algRS256:
		k, err := parseRSAPublicKey(key)
		return jwt.SigningMethodRS256, k, err
	case algES256:
		k, err := parseECPublicKey(key)
		return jwt.SigningMethodES256, k, err
	default:
		secret, err := hmacSecret(key)
		if err != nil {
			return nil, nil, err
		}
		s, err := hmacVerifyingKey(secret)
		clear(secret)
		if err != nil {
			return nil, nil, err
		}
		return jwt.SigningMethodHS256, s, nil
	}
}
