package usersig

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The canonical texts of HMAC("secret", "Message") — Intercom's published
// sample — in each encoding (node: digest('base64'), ('base64url'), ('hex')).
const (
	msgB64    = "qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc="
	msgB64URL = "qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc"
	msgHex    = "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"

	// pfSig has both '+' and '/': HMAC("secret", "testUser2026-11-22T10:00:00.000Z").
	pfSig = "dtrDkRUh8uJAu3PRWl7E90qVqMq/yAB6aPsseXo1w+U="
)

func TestVerifyMalformed(t *testing.T) {
	tests := []struct {
		enc    Encoding
		sig    string
		reason string // a word the reason must contain
	}{
		{Base64, "", "empty"},
		{Base64, msgB64[:43], "missing its '=' padding"},
		{Base64, msgB64 + "=", "extra '=' padding"},
		{Base64, msgB64[:40] + "=", "too short"},
		{Base64, msgB64[:42] + "d=", "trailing bits"}, // 'd' = 29: low bits set
		{Base64, strings.ReplaceAll(pfSig, "+", "-"), "base64url alphabet"},
		{Base64, strings.ReplaceAll(pfSig, "+", " "), "'+' was probably decoded as a space"},
		{Base64, msgB64 + "\n", "line break"},
		{Base64, msgB64[:20] + "\r\n" + msgB64[20:], "line break"},
		{Base64, " " + msgB64, "space"},
		{Base64, "\t" + msgB64, "whitespace"},
		{Base64, msgB64[:21] + "=" + msgB64[22:], "'='"},
		{Base64, msgB64[:21] + "*" + msgB64[22:], "outside the base64 alphabet"},
		{Base64, msgB64[:21] + "é" + msgB64[23:], "printable ASCII"},
		{Base64, strings.Repeat("A", 1<<20), "longer than any signature"},
		{Base64, msgHex, "too long"},
		{Base64URL, msgB64, "'=' padding"},
		{Base64URL, strings.TrimSuffix(pfSig, "="), "standard base64 alphabet"},
		{Base64URL, msgB64URL[:42], "too short"},
		{Base64URL, msgB64URL[:42] + "d", "trailing bits"},
		{Hex, strings.ToUpper(msgHex), "upper-case"},
		{Hex, "0x" + msgHex, "0x prefix"},
		{Hex, msgHex[:32], "truncated"},
		{Hex, msgHex[:63], "too short"},
		{Hex, msgHex + "0", "too long"},
		{Hex, msgB64, "looks like base64"},
		{Hex, msgHex + "\r\n", "line break"},
		{Hex, msgHex[:10] + "-" + msgHex[11:], "base64"},
		{Hex, msgHex[:10] + "#" + msgHex[11:], "not a hex digit"},
	}
	for _, tc := range tests {
		s := newSigner(t, Scheme{Name: "x", Composer: UserID, Encoding: tc.enc}, "secret", WithShortSecretsAllowed())
		// Form is decided before any MAC, so the identity does not matter.
		err := s.Verify(Identity{UserID: "Message"}, tc.sig)
		require.ErrorIs(t, err, ErrMalformedSignature, "%s %q", tc.enc, tc.sig)
		var fe *SignatureFormatError
		require.True(t, errors.As(err, &fe))
		assert.Contains(t, fe.Reason, tc.reason, "%s %q", tc.enc, tc.sig)
		assert.Equal(t, tc.enc, fe.Encoding)
		if len(tc.sig) > 8 {
			assert.NotContains(t, err.Error(), strings.TrimSpace(tc.sig)[:8], "the text is never quoted")
		}
	}
}

func TestVerifyCanonicalPerEncoding(t *testing.T) {
	for enc, sig := range map[Encoding]string{Base64: msgB64, Base64URL: msgB64URL, Hex: msgHex} {
		s := newSigner(t, Scheme{Name: "x", Composer: UserID, Encoding: enc}, "secret", WithShortSecretsAllowed())
		assert.NoError(t, s.Verify(Identity{UserID: "Message"}, sig), enc.String())
		assert.ErrorIs(t, s.Verify(Identity{UserID: "message"}, sig), ErrInvalidSignature, enc.String())
		assert.ErrorIs(t, s.Verify(Identity{}, sig), ErrMissingIdentity, enc.String())
	}
}

func TestVerifyExpiry(t *testing.T) {
	// HMAC("secret", "testUser2026-11-22T10:00:00.000Z"), Product Fruits' sample.
	const sig = pfSig
	id := Identity{UserID: "testUser", ExpiresAt: expiry}
	tests := []struct {
		now    time.Time
		leeway time.Duration
		want   error
	}{
		{expiry.Add(-time.Nanosecond), 0, nil},
		{expiry, 0, ErrExpired}, // now >= ExpiresAt is expired
		{expiry.Add(time.Hour), 0, ErrExpired},
		{expiry.Add(59 * time.Second), time.Minute, nil},
		{expiry.Add(time.Minute), time.Minute, ErrExpired},
	}
	for _, tc := range tests {
		s := newSigner(t, ProductFruits(), "secret", WithShortSecretsAllowed(),
			WithClock(func() time.Time { return tc.now }), WithLeeway(tc.leeway))
		if tc.want == nil {
			assert.NoError(t, s.Verify(id, sig), "%v", tc.now)
		} else {
			assert.ErrorIs(t, s.Verify(id, sig), tc.want, "%v", tc.now)
		}
	}

	// An expired identity is refused whatever the signature; expiry is
	// checked by every composer, even those that do not sign it.
	late := WithClock(func() time.Time { return expiry })
	s := newSigner(t, Intercom(), "secret", WithShortSecretsAllowed(), late)
	assert.ErrorIs(t, s.Verify(Identity{UserID: "Message", ExpiresAt: expiry}, msgHex), ErrExpired)
}

func TestVerifyCredential(t *testing.T) {
	before := WithClock(func() time.Time { return expiry.Add(-time.Minute) })
	s := newSigner(t, ProductFruits(), "secret", WithShortSecretsAllowed(), before)
	tests := []struct {
		cred Credential
		want error
	}{
		{Credential{UserID: "testUser", Signature: "aH4d+kVRGcOVSZx0m2dxu6Uf0IRwNAqF0gv4tAeJY+0="}, nil},
		{Credential{UserID: "testUser", Expires: "2026-11-22T10:00:00.000Z", Signature: pfSig}, nil},
		// node: HMAC("secret", "testUser2026-11-22T10:00:00.0000000Z"), .NET's ToString("o")
		{Credential{UserID: "testUser", Expires: "2026-11-22T10:00:00.0000000Z", Signature: "Ya9enK2mcp2oy/iWHY6vWztXNh4sZYzRRlS9R1MkcrE="}, nil},
		// the same instant re-serialised between signing and sending
		{Credential{UserID: "testUser", Expires: "2026-11-22T10:00:00Z", Signature: pfSig}, ErrInvalidSignature},
		// the expiry dropped: no longer what was signed
		{Credential{UserID: "testUser", Signature: pfSig}, ErrInvalidSignature},
		{Credential{UserID: "testUser", Expires: "soon", Signature: pfSig}, ErrInvalidExpiry},
		{Credential{UserID: "testUser", Expires: strings.Repeat("9", 1<<16), Signature: pfSig}, ErrInvalidExpiry},
		{Credential{Expires: "2026-11-22T10:00:00.000Z", Signature: pfSig}, ErrMissingIdentity},
		{Credential{UserID: "testUser"}, ErrMalformedSignature},
	}
	for _, tc := range tests {
		err := s.VerifyCredential(tc.cred)
		if tc.want == nil {
			assert.NoError(t, err, "%+v", tc.cred)
		} else {
			assert.ErrorIs(t, err, tc.want, "%+v", tc.cred)
		}
	}
	late := newSigner(t, ProductFruits(), "secret", WithShortSecretsAllowed(), WithClock(func() time.Time { return expiry }))
	assert.ErrorIs(t, late.VerifyCredential(tests[2].cred), ErrExpired)
}

func TestIssue(t *testing.T) {
	s := newSigner(t, ProductFruits(), "secret", WithShortSecretsAllowed())
	c, err := s.Issue(Identity{UserID: "testUser", ExpiresAt: expiry.Add(123456 * time.Nanosecond)})
	require.NoError(t, err)
	assert.Equal(t, Credential{UserID: "testUser", Expires: "2026-11-22T10:00:00.000Z", Signature: pfSig}, c)

	framed := newSigner(t, Scheme{Name: "own", Composer: Framed, Encoding: Base64URL}, rotNew,
		WithClock(func() time.Time { return expiry.Add(-time.Second) }))
	id := Identity{UserID: "u", Email: "e@x", ExpiresAt: expiry.Add(123456 * time.Nanosecond)}
	c, err = framed.Issue(id)
	require.NoError(t, err)
	assert.Equal(t, "2026-11-22T10:00:00.000123456Z", c.Expires)
	assert.NoError(t, framed.VerifyCredential(c), "the nanosecond text reads back to the signed instant")
	assert.NoError(t, framed.Verify(id, c.Signature))
	_, err = framed.Issue(Identity{})
	assert.ErrorIs(t, err, ErrMissingIdentity)
	// Year 10000 has no RFC 3339 text: refused, not handed out unverifiable.
	_, err = framed.Issue(Identity{UserID: "u", ExpiresAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, ErrInvalidExpiry)
}
