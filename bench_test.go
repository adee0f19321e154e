package usersig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

// benchID is a 28-byte user id, the size the targets are set for.
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

// BenchmarkVerifyTwoSecrets is Verify during a rotation: one more HMAC.
func BenchmarkVerifyTwoSecrets(b *testing.B) {
	benchVerify(b, newSigner(b, Engagespot(), benchSecret, WithPreviousSecrets([]byte(benchSecret+"-old"))))
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
// ordinary go test, not only a benchmark read by a person.
func TestAllocations(t *testing.T) {
	if RaceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	s := newSigner(t, Engagespot(), benchSecret, WithPreviousSecrets([]byte(benchSecret+"-old")))
	sig, err := s.Sign(benchID)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 64)
	cred := Credential{UserID: benchID.UserID, Signature: sig}
	s.Verify(benchID, sig) // warm the pool
	for name, tc := range map[string]struct {
		f    func()
		want float64
	}{
		"Verify":           {func() { _ = s.Verify(benchID, sig) }, 0},
		"VerifyCredential": {func() { _ = s.VerifyCredential(cred) }, 0},
		"AppendSign":       {func() { buf, _ = s.AppendSign(buf[:0], benchID) }, 0},
		"Sign":             {func() { _, _ = s.Sign(benchID) }, 1},
	} {
		if got := testing.AllocsPerRun(200, tc.f); got > tc.want {
			t.Errorf("%s: %v allocations per call, want %v", name, got, tc.want)
		}
	}
}
