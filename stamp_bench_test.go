package usersig

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Chameleon benchmarks: Chameleon's Go sample as pasted (naive), the
// careful version of it, the floor, and the Chameleon preset, over the
// 28-byte benchID and one fixed clock.

var chameleonNow = time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)

// naiveChameleonSign is github.com/chamaeleonidae/verification
// verification.go as a function: a new HMAC, string concatenations, hex.
func naiveChameleonSign(secret []byte, uid string, at time.Time) string {
	now := strconv.FormatInt(at.Unix(), 10)
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(uid + "-" + now))
	return hex.EncodeToString(h.Sum(nil)) + "-" + now
}

// naiveChameleonVerify is what a verifier writes from that sample: split at
// the last '-', parse and check the time, recompute and compare.
func naiveChameleonVerify(secret []byte, uid, sig string, at time.Time) bool {
	i := strings.LastIndexByte(sig, '-')
	if i < 0 {
		return false
	}
	secs, err := strconv.ParseInt(sig[i+1:], 10, 64)
	if err != nil || at.Sub(time.Unix(secs, 0)) >= DefaultFreshness {
		return false
	}
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(uid + "-" + sig[i+1:]))
	return hmac.Equal([]byte(hex.EncodeToString(h.Sum(nil))), []byte(sig[:i]))
}

func BenchmarkChameleonNaiveSign(b *testing.B) {
	secret := []byte(benchSecret)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = naiveChameleonSign(secret, benchID.UserID, chameleonNow)
	}
}

func BenchmarkChameleonNaiveVerify(b *testing.B) {
	secret := []byte(benchSecret)
	sig := naiveChameleonSign(secret, benchID.UserID, chameleonNow)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !naiveChameleonVerify(secret, benchID.UserID, sig, chameleonNow) {
			b.Fatal("naive verify failed")
		}
	}
}

// carefulChameleon is the careful version: keyed hmac.New states in the
// pool BenchmarkCarefulSign uses, the message and text in fixed buffers,
// the tag decoded and compared in constant time.
func carefulChameleonSign(c *careful, uid string, at time.Time) string {
	var text [maxSignatureTextLen]byte
	st := c.pool.Get().(*carefulState)
	defer c.pool.Put(st)
	st.h.Reset()
	st.msg = strconv.AppendInt(append(append(st.msg[:0], uid...), '-'), at.Unix(), 10)
	st.h.Write(st.msg)
	st.h.Sum(st.sum[:0])
	out := hex.AppendEncode(text[:0], st.sum[:])
	return string(strconv.AppendInt(append(out, '-'), at.Unix(), 10))
}

func carefulChameleonVerify(c *careful, uid, sig string, at time.Time) bool {
	if len(sig) < 66 || len(sig) > 77 || sig[64] != '-' {
		return false
	}
	secs, err := strconv.ParseInt(sig[65:], 10, 64)
	if err != nil || at.Sub(time.Unix(secs, 0)) >= DefaultFreshness {
		return false
	}
	var want [sha256.Size]byte
	if _, err := hex.Decode(want[:], []byte(sig[:64])); err != nil {
		return false
	}
	st := c.pool.Get().(*carefulState)
	defer c.pool.Put(st)
	st.h.Reset()
	st.msg = append(append(append(st.msg[:0], uid...), '-'), sig[65:]...)
	st.h.Write(st.msg)
	st.h.Sum(st.sum[:0])
	return subtle.ConstantTimeCompare(st.sum[:], want[:]) == 1
}

func BenchmarkChameleonCarefulSign(b *testing.B) {
	c := newCareful([]byte(benchSecret))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = carefulChameleonSign(c, benchID.UserID, chameleonNow)
	}
}

func BenchmarkChameleonCarefulVerify(b *testing.B) {
	c := newCareful([]byte(benchSecret))
	sig := carefulChameleonSign(c, benchID.UserID, chameleonNow)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !carefulChameleonVerify(c, benchID.UserID, sig, chameleonNow) {
			b.Fatal("careful verify failed")
		}
	}
}

// BenchmarkChameleonFloorVerify is BenchmarkFloorVerify for this text: the
// hex decoded, the seconds parsed, two compressions, a 32-byte compare.
func BenchmarkChameleonFloorVerify(b *testing.B) {
	h := sha256.New()
	var blk [sha256.BlockSize]byte
	sig := naiveChameleonSign([]byte(benchSecret), benchID.UserID, chameleonNow)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var want [sha256.Size]byte
		if _, err := hex.Decode(want[:], []byte(sig[:64])); err != nil {
			b.Fatal("decode")
		}
		if _, err := strconv.ParseInt(sig[65:], 10, 64); err != nil {
			b.Fatal("parse")
		}
		h.Write(blk[:])
		h.Write(blk[:])
		if subtle.ConstantTimeCompare(blk[:sha256.Size], want[:]) == 2 {
			b.Fatal("unreachable")
		}
	}
}

func chameleonBenchSigner(b *testing.B) *Signer {
	return newSigner(b, Chameleon(), benchSecret, WithClock(func() time.Time { return chameleonNow }))
}

func BenchmarkChameleonSign(b *testing.B) {
	s := chameleonBenchSigner(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Sign(benchID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChameleonVerify(b *testing.B) {
	benchVerify(b, chameleonBenchSigner(b))
}
