package usersig

import (
	"crypto/fips140"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refMAC is crypto/hmac's HMAC-SHA256, the reference every fast-path test
// compares with.
func refMAC(key, msg []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return h.Sum(nil)
}

// testBytes is n bytes of a fixed, non-repeating-looking pattern.
func testBytes(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*131+int(seed)*7) ^ byte(i>>8)
	}
	return b
}

// splitMessage lays msg out as a message in all seven pieces, sized from
// cut, so the streaming writer sees pieces of every size and alignment.
// The rule's own runs take at most 12 bytes each, as they hold at most 48.
func splitMessage(msg []byte, cut int) message {
	var m message
	rest := msg
	take := func(n int) []byte {
		n = max(0, min(n, len(rest)))
		p := rest[:n]
		rest = rest[n:]
		return p
	}
	ownSize := func(i int) int { return (cut + 5*i) % 13 }
	own := 0
	for i := 0; i < 3; i++ {
		own += copy(m.own[own:], take(ownSize(i)))
		m.ends[i] = uint8(own)
		if i < 2 {
			m.text[i] = string(take((cut*(i+2) + 7*i) % (len(msg)/2 + 1)))
		} else {
			m.text[i] = string(take(len(rest) - ownSize(3)))
		}
	}
	own += copy(m.own[own:], take(len(rest)))
	m.ends[3] = uint8(own)
	return m
}

// TestFastPathMatchesHMAC: for keys of 0 to 200 bytes and messages of 0 to
// 300 bytes, the fast path (as bytes, and as a message in pieces cut two
// ways) gives crypto/hmac's MAC.
func TestFastPathMatchesHMAC(t *testing.T) {
	msgs := testBytes(300, 1)
	for keyLen := 0; keyLen <= 200; keyLen++ {
		key := testBytes(keyLen, byte(keyLen))
		k, ok := newMacKey(key)
		require.True(t, ok)
		for n := 0; n <= 300; n++ {
			msg := msgs[:n]
			want := refMAC(key, msg)
			var got [macSize]byte
			require.True(t, k.sumBytes(&got, msg))
			if !assert.Equal(t, want, got[:], "bytes: key %d, message %d", keyLen, n) {
				return
			}
			for _, cut := range []int{n / 3, keyLen + n} {
				m := splitMessage(msg, cut)
				require.Equal(t, string(msg), string(m.appendTo(nil)), "the split must keep the bytes")
				require.True(t, k.sumMessage(&got, &m))
				if !assert.Equal(t, want, got[:], "pieces: key %d, message %d, cut %d", keyLen, n, cut) {
					return
				}
			}
		}
	}
}

// TestLongMessages crosses the chunk size of the long path.
func TestLongMessages(t *testing.T) {
	key := []byte(benchSecret)
	k, ok := newMacKey(key)
	require.True(t, ok)
	for _, n := range []int{longChunk - 1, longChunk, longChunk + 1, 3*longChunk + 63, 64 << 10, 1<<20 + 5} {
		msg := testBytes(n, 3)
		var got [macSize]byte
		require.True(t, k.sumBytes(&got, msg))
		assert.Equal(t, refMAC(key, msg), got[:], "bytes, %d", n)
		m := message{text: [3]string{string(msg[:n/3]), string(msg[n/3 : n-5]), string(msg[n-5:])}}
		require.True(t, k.sumMessage(&got, &m))
		assert.Equal(t, refMAC(key, msg), got[:], "pieces, %d", n)
	}
}

// upperComposer is a Composer of the caller's own, which the fast path
// hashes from its bytes.
type upperComposer struct{}

func (upperComposer) AppendMessage(dst []byte, id Identity) ([]byte, error) {
	if id.UserID == "" {
		return dst, missing("user id")
	}
	return append(append(dst, "u:"...), strings.ToUpper(id.UserID)...), nil
}

// TestEveryComposerMatchesHMAC: for every rule and a Composer of the
// caller's, identities short and long, with and without an expiry, and one
// or several secrets, a Signer's signature is crypto/hmac's MAC of the bytes
// appendClaim (or AppendMessage) composes, and verifies under each secret.
// So the streamed composition hashes exactly the bytes of the one
// composition path.
func TestEveryComposerMatchesHMAC(t *testing.T) {
	exp := time.Date(2026, 11, 22, 10, 0, 0, 123456789, time.UTC)
	var ids []Identity
	for _, n := range []int{1, 10, 28, 40, 54, 55, 56, 57, 63, 64, 65, 100, 200, 3000} {
		u, e := strings.Repeat("u", n), strings.Repeat("e", n/2)+"@x.io"
		ids = append(ids,
			Identity{UserID: u}, Identity{Email: e}, Identity{UserID: u, Email: e},
			Identity{UserID: u, ExpiresAt: exp}, Identity{UserID: u, Email: e, ExpiresAt: exp})
	}
	secrets := [][]byte{[]byte("current-secret-0123456789"), []byte("previous-secret-abcdefghij"), testBytes(100, 9)}
	composers := []Composer{UserID, Email, UserIDOrEmail, UserIDEmail, UserIDExpiry, Framed, upperComposer{}}
	for _, c := range composers {
		for _, nsec := range []int{1, 3} {
			sc := Scheme{Name: "t", Composer: c, Encoding: Base64}
			s := newSigner(t, sc, string(secrets[0]), WithPreviousSecrets(secrets[1:nsec]...), WithClock(func() time.Time { return exp.Add(-time.Hour) }))
			require.Equal(t, fips140.Enabled(), s.keys().fast == nil, "the fast path is on exactly outside FIPS mode")
			for _, id := range ids {
				msg, err := c.AppendMessage(nil, id)
				sig, signErr := s.Sign(id)
				if err != nil {
					assert.ErrorIs(t, signErr, ErrMissingIdentity)
					continue
				}
				require.NoError(t, signErr)
				name := fmt.Sprintf("%v, %d secrets, id %d/%d bytes, expiry %v", c, nsec, len(id.UserID), len(id.Email), !id.ExpiresAt.IsZero())
				assert.Equal(t, base64.StdEncoding.EncodeToString(refMAC(secrets[0], msg)), sig, name)
				for i := 0; i < nsec; i++ {
					other := base64.StdEncoding.EncodeToString(refMAC(secrets[i], msg))
					assert.NoError(t, s.Verify(id, other), "%s: secret %d", name, i)
				}
				wrong := base64.StdEncoding.EncodeToString(refMAC([]byte("not-a-secret-of-this-signer"), msg))
				assert.ErrorIs(t, s.Verify(id, wrong), ErrInvalidSignature, name)
			}
		}
	}
}

// TestClientExpiryTextStreams: UserIDExpiry over a client's expiry text
// (the c.expires piece) hashes the text as sent.
func TestClientExpiryTextStreams(t *testing.T) {
	secret := []byte("current-secret-0123456789")
	s := newSigner(t, Scheme{Name: "t", Composer: UserIDExpiry, Encoding: Base64}, string(secret),
		WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
	for _, user := range []string{"u1", strings.Repeat("u", 31), strings.Repeat("u", 100)} {
		text := "2026-11-22T10:00:00.0000000Z" // .NET's seven digits
		sig := base64.StdEncoding.EncodeToString(refMAC(secret, []byte(user+text)))
		assert.NoError(t, s.VerifyCredential(Credential{UserID: user, Expires: text, Signature: sig}), len(user))
	}
}

// TestSelfTestFallsBack: a fast path that disagrees with crypto/hmac is
// caught by the self-test, and the Signer then uses crypto/hmac.
func TestSelfTestFallsBack(t *testing.T) {
	secret := []byte(benchSecret)
	t.Run("detects", func(t *testing.T) {
		k, ok := newMacKey(secret)
		require.True(t, ok)
		assert.True(t, k.agreesWithHMAC(secret))
		for _, at := range []int{chainAt, chainAt + 31} {
			inner, outer := k, k
			inner.inner[at] ^= 1
			outer.outer[at] ^= 0x80
			assert.False(t, inner.agreesWithHMAC(secret), "inner state byte %d", at)
			assert.False(t, outer.agreesWithHMAC(secret), "outer state byte %d", at)
		}
		bad := k
		bad.inner[0] = 'X' // not a crypto/sha256 state: compress refuses it
		assert.False(t, bad.agreesWithHMAC(secret))
	})
	t.Run("falls back", func(t *testing.T) {
		broken := func(k *macKey, secret []byte) bool {
			k.outer[chainAt] ^= 1 // a wrong fast path
			return k.agreesWithHMAC(secret)
		}
		kr, err := newKeyring([][]byte{secret}, false, broken)
		require.NoError(t, err)
		assert.Nil(t, kr.fast, "a failed self-test must turn the fast path off")
		s := newSigner(t, Engagespot(), benchSecret)
		s.keys = func() *keyring { return kr }
		sig, err := s.Sign(benchID)
		require.NoError(t, err)
		assert.Equal(t, naiveSign(secret, benchID.UserID), sig)
		assert.NoError(t, s.Verify(benchID, sig))
	})
}

// TestEngineChoice: outside FIPS 140-3 mode a Signer uses the fast path
// and the one-shot functions crypto/hmac; in FIPS mode everything is
// crypto/hmac (CI runs the tests with GODEBUG=fips140=on as well).
func TestEngineChoice(t *testing.T) {
	s := newSigner(t, Engagespot(), benchSecret)
	short, err := New(Engagespot(), []byte("secret"), WithShortSecretsAllowed())
	oneShot := newSigner(t, Engagespot(), benchSecret, withHMACOnly())
	if fips140.Enabled() {
		assert.Nil(t, s.keys().fast)
		assert.Nil(t, oneShot.keys().fast)
		// fips140=on lets crypto/hmac take a short key; fips140=only
		// refuses it, and New says so instead of crashing later.
		if err != nil {
			assert.ErrorIs(t, err, ErrWeakSecret)
		}
		return
	}
	require.NoError(t, err)
	assert.NotNil(t, s.keys().fast)
	assert.NotNil(t, short.keys().fast)
	assert.Nil(t, oneShot.keys().fast)
	sig, err := oneShot.Sign(benchID)
	require.NoError(t, err)
	assert.NoError(t, s.Verify(benchID, sig))
}

// TestEqualMAC: the constant-time compare tells equal tags from tags that
// differ in any one bit.
func TestEqualMAC(t *testing.T) {
	var a [macSize]byte
	copy(a[:], testBytes(macSize, 5))
	b := a
	assert.Equal(t, 1, equalMAC(&a, &b))
	for bit := 0; bit < 8*macSize; bit++ {
		c := a
		c[bit/8] ^= 1 << (bit % 8)
		assert.Equal(t, 0, equalMAC(&a, &c), bit)
	}
}
