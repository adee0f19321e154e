package usersig

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchID is a 28-byte user id, the size the issue's targets are set for.
var benchID = Identity{UserID: "gtLIK8ELsHTr0Fajg28Ud9eFpJJ3"}

const benchSecret = "hsec_0123456789abcdefghijklmnopqrstuv"

// naiveSign is the five-line snippet every team pastes: a fresh HMAC and a
// fresh string per call.
func naiveSign(secret []byte, userID string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(userID))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

func naiveVerify(secret []byte, userID, sig string) bool {
	return hmac.Equal([]byte(naiveSign(secret, userID)), []byte(sig))
}

func BenchmarkNaiveSign(b *testing.B) {
	secret := []byte(benchSecret)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = naiveSign(secret, benchID.UserID)
	}
}

func BenchmarkNaiveVerify(b *testing.B) {
	secret := []byte(benchSecret)
	sig := naiveSign(secret, benchID.UserID)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !naiveVerify(secret, benchID.UserID, sig) {
			b.Fatal("naive verify failed")
		}
	}
}

// careful is what an engineer who knows Go's crypto writes in ten minutes:
// keyed hmac.New states in a sync.Pool, Reset per call, the sum and the
// base64 text in fixed buffers. The pool holds the sum and the message
// buffer with the hash, so nothing escapes through the hash.Hash interface.
type careful struct{ pool sync.Pool }

type carefulState struct {
	h   hash.Hash
	msg []byte
	sum [sha256.Size]byte
}

func newCareful(secret []byte) *careful {
	c := &careful{}
	c.pool.New = func() any { return &carefulState{h: hmac.New(sha256.New, secret)} }
	return c
}

func (c *careful) mac(userID string, f func(sum *[sha256.Size]byte) bool) bool {
	st := c.pool.Get().(*carefulState)
	defer c.pool.Put(st)
	st.h.Reset()
	st.msg = append(st.msg[:0], userID...)
	st.h.Write(st.msg)
	st.h.Sum(st.sum[:0])
	return f(&st.sum)
}

func (c *careful) sign(userID string) string {
	var text [44]byte
	c.mac(userID, func(sum *[sha256.Size]byte) bool {
		base64.StdEncoding.Encode(text[:], sum[:])
		return true
	})
	return string(text[:])
}

func (c *careful) verify(userID, sig string) bool {
	if len(sig) != 44 {
		return false
	}
	return c.mac(userID, func(sum *[sha256.Size]byte) bool {
		var text [44]byte
		base64.StdEncoding.Encode(text[:], sum[:])
		return subtle.ConstantTimeCompare(text[:], []byte(sig)) == 1
	})
}

func BenchmarkCarefulSign(b *testing.B) {
	c := newCareful([]byte(benchSecret))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = c.sign(benchID.UserID)
	}
}

func BenchmarkCarefulVerify(b *testing.B) {
	c := newCareful([]byte(benchSecret))
	sig := c.sign(benchID.UserID)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !c.verify(benchID.UserID, sig) {
			b.Fatal("careful verify failed")
		}
	}
}

// BenchmarkFloorSign is the least work an HMAC-SHA256 signature in base64
// needs from the standard library: two dependent SHA-256 compressions (two
// 64-byte Writes on one block-aligned digest: each runs exactly one, and
// the second starts from the first's chaining value, as HMAC's outer hash
// starts from the inner one) and base64.StdEncoding.Encode of 32 bytes. It
// restores no state and reads no hash out, so no real HMAC can reach it.
func BenchmarkFloorSign(b *testing.B) {
	h := sha256.New()
	var blk [sha256.BlockSize]byte
	var text [44]byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.Write(blk[:])
		h.Write(blk[:])
		base64.StdEncoding.Encode(text[:], blk[:sha256.Size])
	}
}

// BenchmarkFloorVerify is the floor of a verification: decoding the text
// (base64.StdEncoding.Decode), the two compressions and a constant-time
// compare of 32 bytes.
func BenchmarkFloorVerify(b *testing.B) {
	h := sha256.New()
	var blk [sha256.BlockSize]byte
	sig := []byte(naiveSign([]byte(benchSecret), benchID.UserID))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var want [sha256.Size + 3]byte // Decode wants room for a whole last group
		if n, err := base64.StdEncoding.Decode(want[:], sig); err != nil || n != sha256.Size {
			b.Fatal("decode")
		}
		h.Write(blk[:])
		h.Write(blk[:])
		if subtle.ConstantTimeCompare(blk[:sha256.Size], want[:sha256.Size]) == 2 {
			b.Fatal("unreachable")
		}
	}
}

func BenchmarkSign(b *testing.B) {
	s := newSigner(b, Engagespot(), benchSecret)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Sign(benchID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendSign(b *testing.B) {
	s := newSigner(b, Engagespot(), benchSecret)
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var err error
		if buf, err = s.AppendSign(buf[:0], benchID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	benchVerify(b, newSigner(b, Engagespot(), benchSecret))
}

// BenchmarkVerifyRotation is Verify holding 1, 2 and 4 secrets, the
// signature made with the current one: each extra secret is one more MAC.
func BenchmarkVerifyRotation(b *testing.B) {
	for _, n := range []int{1, 2, 4} {
		var previous [][]byte
		for i := 1; i < n; i++ {
			previous = append(previous, []byte(benchSecret+"-old-"+string(rune('0'+i))))
		}
		b.Run("secrets="+string(rune('0'+n)), func(b *testing.B) {
			benchVerify(b, newSigner(b, Engagespot(), benchSecret, WithPreviousSecrets(previous...)))
		})
	}
}

// BenchmarkMAC is one HMAC of the 28-byte id on the fast path, what each
// extra secret in BenchmarkVerifyRotation should cost.
func BenchmarkMAC(b *testing.B) {
	s := newSigner(b, Engagespot(), benchSecret)
	kr := s.keys()
	if kr.fast == nil {
		b.Skip("the fast path is off (FIPS 140-3 mode)")
	}
	var m message
	if err := UserID.layout(&m, &claim{Identity: benchID}); err != nil {
		b.Fatal(err)
	}
	var mac [macSize]byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		kr.fast[0].sumMessage(&mac, &m)
	}
}

// big64KiB is a 64 KiB user id, to compare Verify with plain SHA-256 of it.
var big64KiB = Identity{UserID: strings.Repeat("u", 64<<10)}

func BenchmarkVerify64KiB(b *testing.B) {
	s := newSigner(b, Engagespot(), benchSecret)
	sig, err := s.Sign(big64KiB)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(big64KiB.UserID)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Verify(big64KiB, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSHA256_64KiB is one SHA-256 of the same 64 KiB, the line rate
// BenchmarkVerify64KiB is measured against.
func BenchmarkSHA256_64KiB(b *testing.B) {
	data := []byte(big64KiB.UserID)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = sha256.Sum256(data)
	}
}

func benchVerify(b *testing.B, s *Signer) {
	sig, err := s.Sign(benchID)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Verify(benchID, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyParallel(b *testing.B) {
	s := newSigner(b, Engagespot(), benchSecret)
	sig, err := s.Sign(benchID)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.Verify(benchID, sig); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestAllocations pins the allocation targets so a regression fails
// ordinary go test, not only a benchmark read by a person: Verify,
// VerifyCredential and AppendSign do not allocate and Sign allocates its
// string, for every rule and any identity size, during a rotation too.
func TestAllocations(t *testing.T) {
	if RaceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	exp := time.Date(2030, 1, 2, 3, 4, 5, 6e6, time.UTC)
	clock := WithClock(func() time.Time { return exp.Add(-time.Hour) })
	for _, rule := range []MessageRule{UserID, UserIDOrEmail, UserIDEmail, UserIDExpiry, Framed, UserIDTimestamp} {
		for _, n := range []int{28, 55, 56, 1000, 5000, 64 << 10} {
			id := Identity{UserID: strings.Repeat("u", n), Email: "someone@example.com"}
			if rule == UserIDExpiry || rule == Framed {
				id.ExpiresAt = exp
			}
			sc := Scheme{Name: "t", Composer: rule, Encoding: Base64}
			s := newSigner(t, sc, benchSecret, WithPreviousSecrets([]byte(benchSecret+"-old")), clock)
			cred, err := s.Issue(id)
			require.NoError(t, err)
			sig := cred.Signature
			buf := make([]byte, 0, 64)
			for name, tc := range map[string]struct {
				f    func()
				want float64
			}{
				"Verify":           {func() { _ = s.Verify(id, sig) }, 0},
				"VerifyCredential": {func() { _ = s.VerifyCredential(cred) }, 0},
				"AppendSign":       {func() { buf, _ = s.AppendSign(buf[:0], id) }, 0},
				"Sign":             {func() { _, _ = s.Sign(id) }, 1},
			} {
				tc.f() // warm up
				assert.LessOrEqual(t, testing.AllocsPerRun(50, tc.f), tc.want, "%s, %v, %d-byte id", name, rule, n)
			}
			require.NoError(t, s.Verify(id, sig))
			require.NoError(t, s.VerifyCredential(cred))
		}
	}
}
