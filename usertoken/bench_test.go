package usertoken

import (
	"testing"
)

func benchPair(b *testing.B, p Profile) (*Issuer, *Verifier) {
	k := loadKeys(b)
	sk, vk := k.keyFor(p)
	iss, err := NewIssuer(p, sk, WithClock(fixedClock(t0)))
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(p, vk, WithClock(fixedClock(t0)))
	if err != nil {
		b.Fatal(err)
	}
	return iss, v
}

func BenchmarkIssueRS256(b *testing.B) {
	iss, _ := benchPair(b, Engagespot(testAPIKey))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := iss.Token("uniqueUserId123"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyRS256(b *testing.B) {
	iss, v := benchPair(b, Engagespot(testAPIKey))
	tok, _ := iss.Token("uniqueUserId123")
	benchVerify(b, v, tok)
}

func BenchmarkIssueHS256(b *testing.B) {
	iss, _ := benchPair(b, Intercom())
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := iss.Token("42"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyHS256(b *testing.B) {
	iss, v := benchPair(b, Intercom())
	tok, _ := iss.Token("42")
	benchVerify(b, v, tok)
}

// BenchmarkRejectOversized: the size bound makes a 1 MiB token cheap.
func BenchmarkRejectOversized(b *testing.B) {
	_, v := benchPair(b, Engagespot(testAPIKey))
	tok := string(make([]byte, 1<<20))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := v.Verify(tok); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkIssueES256(b *testing.B) {
	iss, _ := benchPair(b, OneSignal("bench-app"))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := iss.Token("uniqueUserId123"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyES256(b *testing.B) {
	iss, v := benchPair(b, OneSignal("bench-app"))
	tok, _ := iss.Token("uniqueUserId123")
	benchVerify(b, v, tok)
}

// BenchmarkVerifyRotationHS256: two keys, no key ids, a token under the
// previous key: both keys are checked, then golang-jwt checks the match.
func BenchmarkVerifyRotationHS256(b *testing.B) {
	k := loadKeys(b)
	p := Intercom()
	iss, err := NewIssuer(p, k.secret, WithClock(fixedClock(t0)))
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(p, k.otherSecret, WithClock(fixedClock(t0)), WithPreviousKeys(k.secret))
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := iss.Token("uniqueUserId123")
	benchVerify(b, v, tok)
}

// BenchmarkVerifyRotationRS256: as above with RSA keys.
func BenchmarkVerifyRotationRS256(b *testing.B) {
	k := loadKeys(b)
	p := Knock()
	iss, err := NewIssuer(p, k.rsaPriv, WithClock(fixedClock(t0)))
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(p, k.otherPub, WithClock(fixedClock(t0)), WithPreviousKeys(k.rsaPub))
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := iss.Token("uniqueUserId123")
	benchVerify(b, v, tok)
}

// benchVerify times v.Verify(tok), which must succeed.
func benchVerify(b *testing.B, v *Verifier, tok string) {
	b.Helper()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := v.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}
