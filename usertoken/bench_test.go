package usertoken

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
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

// The comparison benchmarks: usertoken's Verify beside raw golang-jwt and
// the standard-library floor, in one run, for the same token. The floor
// does only what any verifier must: split the token, decode the payload
// and signature, check the signature, and decode the claims into a
// struct (no header, no claim rules, no key selection). "floor" keys
// crypto/hmac per token, as a concurrent verifier on the standard library
// must; "floor-reused-hmac" reuses one keyed hmac.Hash (Reset), which is
// faster but not safe for concurrent use: the floor of the floor.
//
//	go test -run '^$' -bench 'Compare|Loopback' -count 6 ./usertoken/

type floorClaims struct {
	UserID string `json:"user_id"`
	Sub    string `json:"sub"`
	Exp    int64  `json:"exp"`
}

var errFloor = errors.New("floor: refused")

// floorParts splits and decodes a token as the floor does.
func floorParts(tok string) (input string, payload, sig []byte, err error) {
	i, j := strings.IndexByte(tok, '.'), strings.LastIndexByte(tok, '.')
	if i < 0 || j <= i {
		return "", nil, nil, errFloor
	}
	if payload, err = base64.RawURLEncoding.DecodeString(tok[i+1 : j]); err != nil {
		return "", nil, nil, err
	}
	if sig, err = base64.RawURLEncoding.DecodeString(tok[j+1:]); err != nil {
		return "", nil, nil, err
	}
	return tok[:j], payload, sig, nil
}

func floorHS256(h func() []byte, tok string) (floorClaims, error) {
	input, payload, sig, err := floorParts(tok)
	if err != nil {
		return floorClaims{}, err
	}
	mac := hmac.New(sha256.New, h())
	mac.Write([]byte(input))
	if !hmac.Equal(mac.Sum(nil), sig) {
		return floorClaims{}, errFloor
	}
	var c floorClaims
	err = json.Unmarshal(payload, &c)
	return c, err
}

func floorRS256(pub *rsa.PublicKey, tok string) (floorClaims, error) {
	input, payload, sig, err := floorParts(tok)
	if err != nil {
		return floorClaims{}, err
	}
	sum := sha256.Sum256([]byte(input))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
		return floorClaims{}, errFloor
	}
	var c floorClaims
	err = json.Unmarshal(payload, &c)
	return c, err
}

func floorES256(pub *ecdsa.PublicKey, tok string) (floorClaims, error) {
	input, payload, sig, err := floorParts(tok)
	if err != nil || len(sig) != 64 {
		return floorClaims{}, errFloor
	}
	sum := sha256.Sum256([]byte(input))
	if !ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return floorClaims{}, errFloor
	}
	var c floorClaims
	err = json.Unmarshal(payload, &c)
	return c, err
}

// golangJWTClaims is what a golang-jwt user would decode an Intercom or
// Knock token into: the registered claims and the user id.
type golangJWTClaims struct {
	UserID string `json:"user_id"`
	jwt.RegisteredClaims
}

func benchGolangJWT(b *testing.B, alg, tok string, key any) {
	b.Helper()
	p := jwt.NewParser(jwt.WithValidMethods([]string{alg}), jwt.WithTimeFunc(fixedClock(t0)), jwt.WithStrictDecoding())
	keyFunc := func(*jwt.Token) (any, error) { return key, nil }
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.ParseWithClaims(tok, &golangJWTClaims{}, keyFunc); err != nil {
			b.Fatal(err)
		}
	}
}

func benchFloor(b *testing.B, verify func(string) (floorClaims, error), tok string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompareHS256(b *testing.B) {
	k := loadKeys(b)
	iss, v := benchPair(b, Intercom())
	tok, err := iss.Token("42")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("usertoken", func(b *testing.B) { benchVerify(b, v, tok) })
	b.Run("golang-jwt", func(b *testing.B) { benchGolangJWT(b, "HS256", tok, k.secret) })
	b.Run("floor", func(b *testing.B) {
		benchFloor(b, func(tok string) (floorClaims, error) { return floorHS256(func() []byte { return k.secret }, tok) }, tok)
	})
	b.Run("floor-reused-hmac", func(b *testing.B) {
		mac := hmac.New(sha256.New, k.secret)
		var sum [sha256.Size]byte
		benchFloor(b, func(tok string) (floorClaims, error) {
			input, payload, sig, err := floorParts(tok)
			if err != nil {
				return floorClaims{}, err
			}
			mac.Reset()
			io.WriteString(mac, input)
			if !hmac.Equal(mac.Sum(sum[:0]), sig) {
				return floorClaims{}, errFloor
			}
			var c floorClaims
			return c, json.Unmarshal(payload, &c)
		}, tok)
	})
}

func BenchmarkCompareRS256(b *testing.B) {
	k := loadKeys(b)
	iss, v := benchPair(b, Knock())
	tok, err := iss.Token("uniqueUserId123")
	if err != nil {
		b.Fatal(err)
	}
	pub, err := parseRSAPublicKey(k.rsaPub)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("usertoken", func(b *testing.B) { benchVerify(b, v, tok) })
	b.Run("golang-jwt", func(b *testing.B) { benchGolangJWT(b, "RS256", tok, pub) })
	b.Run("floor", func(b *testing.B) {
		benchFloor(b, func(tok string) (floorClaims, error) { return floorRS256(pub, tok) }, tok)
	})
}

func BenchmarkCompareES256(b *testing.B) {
	k := loadKeys(b)
	iss, v := benchPair(b, SuprSend(""))
	tok, err := iss.Token("uniqueUserId123")
	if err != nil {
		b.Fatal(err)
	}
	pub, err := parseECPublicKey(k.p256Pub)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("usertoken", func(b *testing.B) { benchVerify(b, v, tok) })
	b.Run("golang-jwt", func(b *testing.B) { benchGolangJWT(b, "ES256", tok, pub) })
	b.Run("floor", func(b *testing.B) {
		benchFloor(b, func(tok string) (floorClaims, error) { return floorES256(pub, tok) }, tok)
	})
}

// BenchmarkMiddlewareLoopback is the middleware's cost on a real server:
// two servers on 127.0.0.1, one a bare net/http handler, one the same
// handler behind Middleware (HS256, Intercom), called in turn by one
// keep-alive client (which one goes first alternates), so both see the
// same machine at the same moment. It reports the median time of a request
// to each — medians, because on a shared machine a few requests wait for
// a CPU for a millisecond and would swamp a mean — and the middleware's
// loss of requests per second, 1 - bare/middleware; the target is at most
// 15%.
func BenchmarkMiddlewareLoopback(b *testing.B) {
	iss, v := benchPair(b, Intercom())
	tok, err := iss.Token("42")
	if err != nil {
		b.Fatal(err)
	}
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	bare := httptest.NewServer(hello)
	defer bare.Close()
	guarded := httptest.NewServer(Middleware(v)(hello))
	defer guarded.Close()
	client := bare.Client()
	do := func(url string) time.Duration {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		return time.Since(start)
	}
	do(bare.URL)
	do(guarded.URL)
	var tBare, tGuarded []time.Duration
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			tBare = append(tBare, do(bare.URL))
			tGuarded = append(tGuarded, do(guarded.URL))
		} else {
			tGuarded = append(tGuarded, do(guarded.URL))
			tBare = append(tBare, do(bare.URL))
		}
	}
	mBare, mGuarded := median(tBare), median(tGuarded)
	b.ReportMetric(float64(mBare.Nanoseconds()), "bare-ns/req")
	b.ReportMetric(float64(mGuarded.Nanoseconds()), "middleware-ns/req")
	b.ReportMetric(100*(1-float64(mBare)/float64(mGuarded)), "loss-%")
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// BenchmarkMiddleware is the middleware's own CPU cost per request, in
// process: a bare handler, and the same handler behind Middleware with a
// valid HS256 token (verification, the context value, r.WithContext).
func BenchmarkMiddleware(b *testing.B) {
	iss, v := benchPair(b, Intercom())
	tok, err := iss.Token("42")
	if err != nil {
		b.Fatal(err)
	}
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", hello}, {"middleware", Middleware(v)(hello)}} {
		b.Run(c.name, func(b *testing.B) {
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, r)
			}
			if w.Code != http.StatusNoContent {
				b.Fatalf("status %d", w.Code)
			}
		})
	}
}

// TestVerifyAllocations pins the allocation budget of Verify (the
// performance issue's target for HS256 is at most 12), so a regression
// fails plain go test rather than waiting for someone to read a benchmark.
func TestVerifyAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	k := loadKeys(t)
	for _, c := range []struct {
		p     Profile
		max   float64
		claim Claims
	}{
		// Measured (Go 1.26): 1, 5, 1, 14, 27 (one string per field read;
		// the header and a payload up to 512 bytes are decoded on the
		// stack); the budgets leave a little room for another Go
		// release's crypto.
		{Intercom(), 3, Claims{UserID: "42"}},
		{Nolt(), 7, Claims{UserID: "42", Email: "ada@example.com", Name: "Ada", ImageURL: "https://example.com/a.png", Role: "ADMIN"}},
		{Usertour(), 3, Claims{UserID: "12345678901234567890", CompanyID: "7"}},
		{Knock(), 17, Claims{UserID: "42"}},
		{SuprSend(""), 30, Claims{UserID: "42"}},
	} {
		sk, vk := k.keyFor(c.p)
		iss, err := NewIssuer(c.p, sk, WithClock(fixedClock(t0)))
		if err != nil {
			t.Fatal(err)
		}
		v, err := NewVerifier(c.p, vk, WithClock(fixedClock(t0)))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := iss.Issue(c.claim)
		if err != nil {
			t.Fatal(err)
		}
		n := testing.AllocsPerRun(50, func() {
			if _, err := v.Verify(tok); err != nil {
				t.Fatal(err)
			}
		})
		if n > c.max {
			t.Errorf("%s: Verify allocates %.0f times, budget %.0f", c.p, n, c.max)
		}
		t.Logf("%s: %.0f allocations", c.p, n)
	}
}
