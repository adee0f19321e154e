package usersig

import (
	"math"
	"math/rand"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"
)

// timingEnv turns the timing test on; .ci/run sets it. It is off by default
// because it takes seconds and wants a quiet machine.
const timingEnv = "USERSIG_TIMING"

// TestVerifyTiming is a dudect-style check (Reparaz, Balasch, Verbauwhede,
// "Dude, is my code constant time?", 2017): Welch's t-test between the
// times Verify takes for a signature wrong in its last byte and one wrong in
// its first. A comparison that stops at the first difference separates the
// two classes; hmac.Equal must not. A deliberately leaky comparison run
// through the same harness is the positive control: the test is only
// believed when it catches that one.
func TestVerifyTiming(t *testing.T) {
	if os.Getenv(timingEnv) == "" {
		t.Skipf("set %s=1 to run the timing test", timingEnv)
	}
	s := newSigner(t, Engagespot(), benchSecret)
	id := benchID
	var good [macSize]byte
	sig, err := s.Sign(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := Base64.decode(&good, sig); err != nil {
		t.Fatal(err)
	}
	// Each class is many texts, each wrong by a random non-zero byte at the
	// class's position, so the characters the decoder looks up vary alike in
	// both classes: all that tells them apart is where the tag is wrong.
	rng := rand.New(rand.NewSource(2))
	wrongAt := func(i int) []string {
		texts := make([]string, 64)
		for k := range texts {
			mac := good
			mac[i] ^= byte(1 + rng.Intn(255))
			// Each text starts a fresh 256-byte allocation, so all sit at
			// the same cache-line offset.
			padded := Base64.AppendEncode(make([]byte, 0, 256), mac[:])
			texts[k] = string(padded[:cap(padded)])[:len(padded)]
		}
		return texts
	}
	classes := [2][]string{wrongAt(macSize - 1), wrongAt(0)}

	leaky := func(id Identity, text string) error {
		var want, got [macSize]byte
		b, _ := s.AppendSign(make([]byte, 0, 64), id)
		_ = Base64.decode(&want, string(b))
		if err := Base64.decode(&got, text); err != nil {
			return err
		}
		for i := range want { // stops at the first difference: the leak
			if want[i] != got[i] {
				return ErrInvalidSignature
			}
			spin()
		}
		return nil
	}

	// A real leak separates the classes in every run; a burst of load from
	// another process can separate them in one. So a run over the bar is
	// repeated, and Verify fails only if every attempt is over it.
	const samples, attempts = 200_000, 3
	for attempt := 1; attempt <= attempts; attempt++ {
		tControl := welchT(measure(samples, classes, func(text string) error { return leaky(id, text) }))
		tVerify := welchT(measure(samples, classes, func(text string) error { return s.Verify(id, text) }))
		t.Logf("attempt %d: positive control (early-exit compare) t = %.1f; Verify (constant-time compare) t = %.1f", attempt, tControl, tVerify)
		if math.Abs(tControl) < 10 {
			continue // the harness is blind this run: its verdict on Verify means nothing
		}
		if math.Abs(tVerify) < 10 {
			return
		}
	}
	t.Errorf("in %d attempts, never both detected the leaky control (|t| >= 10) and cleared Verify (|t| < 10)", attempts)
}

// spin is a few nanoseconds of work per byte compared, the size of a
// byte-at-a-time comparison loop's iteration in a real implementation.
//
//go:noinline
func spin() {}

// measure times f on texts of the two classes in a random order, so drift in
// the machine's speed falls on both classes alike.
func measure(n int, classes [2][]string, f func(string) error) [2][]float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rng := rand.New(rand.NewSource(1))
	var out [2][]float64
	for i := 0; i < 1000; i++ { // warm up caches and the pool
		_ = f(classes[i&1][i%len(classes[i&1])])
	}
	for i := 0; i < n; i++ {
		c := rng.Intn(2)
		text := classes[c][rng.Intn(len(classes[c]))]
		start := time.Now()
		_ = f(text)
		out[c] = append(out[c], float64(time.Since(start)))
	}
	return out
}

// welchT crops both classes at the pooled 90th percentile, as dudect does to
// drop interrupts and preemptions, and returns Welch's t statistic.
func welchT(x [2][]float64) float64 {
	all := append(append([]float64(nil), x[0]...), x[1]...)
	sort.Float64s(all)
	limit := all[len(all)*9/10]
	var n, mean, m2 [2]float64
	for c := range x {
		for _, v := range x[c] {
			if v > limit {
				continue
			}
			n[c]++
			d := v - mean[c]
			mean[c] += d / n[c]
			m2[c] += d * (v - mean[c])
		}
	}
	v0, v1 := m2[0]/(n[0]-1), m2[1]/(n[1]-1)
	return (mean[0] - mean[1]) / math.Sqrt(v0/n[0]+v1/n[1])
}

// TestWhichSecretTiming is TestVerifyTiming's check for rotation: the time
// Verify takes for a signature made under the current secret and for one
// made under a previous secret must not differ, or an observer could tell
// which clients have not moved to a new secret (and time a rotation's
// progress). The positive control tries the secrets one after the other
// and stops at the first that matches.
func TestWhichSecretTiming(t *testing.T) {
	if os.Getenv(timingEnv) == "" {
		t.Skipf("set %s=1 to run the timing test", timingEnv)
	}
	old := benchSecret + "-old"
	s := newSigner(t, Engagespot(), benchSecret, WithPreviousSecrets([]byte(old)))
	current, previous := newSigner(t, Engagespot(), benchSecret), newSigner(t, Engagespot(), old)
	sign := func(s *Signer) []string {
		sig, err := s.Sign(benchID)
		if err != nil {
			t.Fatal(err)
		}
		return []string{sig}
	}
	classes := [2][]string{sign(current), sign(previous)}
	leaky := func(text string) error {
		if current.Verify(benchID, text) == nil {
			return nil
		}
		return previous.Verify(benchID, text)
	}
	const samples, attempts = 200_000, 3
	for attempt := 1; attempt <= attempts; attempt++ {
		tControl := welchT(measure(samples, classes, leaky))
		tVerify := welchT(measure(samples, classes, func(text string) error { return s.Verify(benchID, text) }))
		t.Logf("attempt %d: positive control (first match wins) t = %.1f; Verify (every secret, branch-free pick) t = %.1f", attempt, tControl, tVerify)
		if math.Abs(tControl) < 10 {
			continue
		}
		if math.Abs(tVerify) < 10 {
			return
		}
	}
	t.Errorf("in %d attempts, never both detected the leaky control (|t| >= 10) and cleared Verify (|t| < 10)", attempts)
}
