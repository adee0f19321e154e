package usersig

import (
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig/internal/vendorvectors"
)

// loadTimestampedFiles reads testdata/vendors/timestamped: Chameleon's
// uid_hash computed by Chameleon's own samples in Node, Python, Ruby, PHP
// and Java (internal/interop/vendors/chameleon.*, Chameleon.java), never Go.
func loadTimestampedFiles(t testing.TB) map[string]vendorFile {
	files, err := vendorvectors.Load("testdata/vendors/timestamped")
	require.NoError(t, err)
	return files
}

// stampOfVector is the instant a vector's sample read from its clock,
// less the milliseconds the sample dropped.
func stampOfVector(t testing.TB, v vendorVector) time.Time {
	secs, err := strconv.ParseInt(v.Timestamp, 10, 64)
	require.NoError(t, err, v.Name)
	return time.Unix(secs, 0)
}

func TestTimestampedVendorVectors(t *testing.T) {
	files := loadTimestampedFiles(t)
	for _, file := range []string{"chameleon", "chameleon-python", "chameleon-ruby", "chameleon-php", "chameleon-java"} {
		f, ok := files[file]
		require.True(t, ok, "no %s.json: Chameleon's sample in that language is not run", file)
		t.Run(file, func(t *testing.T) {
			assert.NotContains(t, f.Generator, "go ", "vectors come from the vendor's language, never Go")
			sc, ok := LookupScheme(f.Preset)
			require.True(t, ok, f.Preset)
			require.NotEmpty(t, f.Vectors)
			for _, v := range f.Vectors {
				checkTimestampedVector(t, sc, v)
			}
			for _, v := range f.Refused {
				_, err := vectorSigner(t, v, sc, vendorNow).Sign(vectorIdentity(t, v))
				assert.ErrorIs(t, err, ErrMissingIdentity, v.Name)
			}
		})
	}
}

func checkTimestampedVector(t *testing.T, sc Scheme, v vendorVector) {
	at := stampOfVector(t, v)
	// The samples' clocks read 789 ms past the second and dropped them;
	// a Signer's clock does the same.
	s := vectorSigner(t, v, sc, at.Add(789*time.Millisecond))
	id := Identity{UserID: v.UserID, Email: v.Email}
	cred := Credential{UserID: v.UserID, Email: v.Email, Signature: v.Signature}

	got, err := s.Sign(id)
	require.NoError(t, err, v.Name)
	assert.Equal(t, v.Signature, got, "%s: Sign stamps the Signer's clock", v.Name)
	issued, err := s.Issue(id)
	require.NoError(t, err, v.Name)
	assert.Equal(t, Credential{UserID: v.UserID, Signature: v.Signature}, issued, "%s: the email is not signed", v.Name)
	msg, err := sc.AppendMessage(nil, cred)
	require.NoError(t, err, v.Name)
	assert.Equal(t, v.Message, string(msg), v.Name)
	assert.NoError(t, s.Verify(id, v.Signature), v.Name)
	who, err := s.Authenticate(cred)
	require.NoError(t, err, v.Name)
	assert.Equal(t, Identity{UserID: v.UserID}, who, v.Name)

	// Freshness, on the Signer's clock.
	assert.NoError(t, vectorSigner(t, v, sc, at.Add(DefaultFreshness-time.Nanosecond)).Verify(id, v.Signature), "%s: last instant", v.Name)
	assert.ErrorIs(t, vectorSigner(t, v, sc, at.Add(DefaultFreshness)).Verify(id, v.Signature), ErrExpired, "%s: stale", v.Name)
	assert.ErrorIs(t, vectorSigner(t, v, sc, at.Add(-time.Second)).Verify(id, v.Signature), ErrIssuedInFuture, "%s: from the future", v.Name)
	skewed := newSigner(t, sc, v.Secret, WithClock(func() time.Time { return at.Add(-time.Second) }), WithLeeway(time.Second))
	assert.NoError(t, skewed.Verify(id, v.Signature), "%s: a second of skew within the leeway", v.Name)

	// The time is signed: another time under the same MAC, or another
	// user, is a forgery.
	mac, _, _ := strings.Cut(v.Signature, "-")
	earlier := mac + "-" + strconv.FormatInt(at.Unix()-1, 10)
	assert.ErrorIs(t, s.Verify(id, earlier), ErrInvalidSignature, "%s: time moved", v.Name)
	assert.ErrorIs(t, s.Verify(Identity{UserID: v.UserID + "x"}, v.Signature), ErrInvalidSignature, "%s: another user", v.Name)
	assert.ErrorIs(t, s.Verify(id, flipChar(v.Signature)), ErrInvalidSignature, "%s: MAC changed", v.Name)
}

// chameleonAt is a Chameleon Signer keyed "secret" whose clock reads at.
func chameleonAt(t testing.TB, at time.Time, opts ...Option) *Signer {
	opts = append(opts, WithShortSecretsAllowed(), WithClock(func() time.Time { return at }))
	return newSigner(t, Chameleon(), "secret", opts...)
}

var stampT = time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)

func TestTimestampedTextIsStrict(t *testing.T) {
	s := chameleonAt(t, stampT)
	id := Identity{UserID: "u-42"}
	sig, err := s.Sign(id)
	require.NoError(t, err)
	mac, secs, ok := strings.Cut(sig, "-")
	require.True(t, ok)
	require.Equal(t, strconv.FormatInt(stampT.Unix(), 10), secs)
	require.NoError(t, s.Verify(id, sig))

	for _, tc := range []struct{ name, sig, reason string }{
		{"no stamp", mac, "no '-' and Unix seconds"},
		{"empty", "", "no '-' and Unix seconds"},
		{"no digits", mac + "-", "no seconds"},
		{"upper-case hex", strings.ToUpper(mac) + "-" + secs, "upper-case"},
		{"short MAC", mac[:62] + "-" + secs, "too short"},
		{"leading zero", mac + "-0" + secs, "leading zero"},
		{"plus sign", mac + "-+" + secs, "plain decimal"},
		{"fraction", mac + "-" + secs + ".5", "plain decimal"},
		{"milliseconds", mac + "-" + secs + "000", "milliseconds"},
		{"too many digits", mac + "-" + secs + "00000", "longer than 12 digits"},
		{"stamp twice", sig + "-" + secs, "plain decimal"},
		{"trailing newline", sig + "\n", "line break"},
		{"space", mac + "- " + secs, "whitespace"},
		{"huge", sig + strings.Repeat("1", 300), "longer than any signature"},
	} {
		err := s.Verify(id, tc.sig)
		require.ErrorIs(t, err, ErrMalformedSignature, tc.name)
		var fe *SignatureFormatError
		require.ErrorAs(t, err, &fe, tc.name)
		assert.Contains(t, err.Error(), tc.reason, tc.name)
		if tc.sig != "" {
			assert.NotContains(t, err.Error(), mac, "%s: the error quotes the text", tc.name)
		}
	}
	assert.NoError(t, chameleonAt(t, time.Unix(0, 0)).Verify(Identity{UserID: "u"}, signAt(t, time.Unix(0, 0), "u")), `"0" is the canonical text of 1970`)
}

func signAt(t *testing.T, at time.Time, userID string) string {
	sig, err := chameleonAt(t, at).Sign(Identity{UserID: userID})
	require.NoError(t, err)
	return sig
}

func TestWithFreshness(t *testing.T) {
	sig := signAt(t, stampT, "u")
	id := Identity{UserID: "u"}
	at := func(d time.Duration, opts ...Option) error {
		return chameleonAt(t, stampT.Add(d), append(opts, WithFreshness(time.Minute))...).Verify(id, sig)
	}
	assert.NoError(t, at(59*time.Second))
	assert.ErrorIs(t, at(time.Minute), ErrExpired)
	assert.NoError(t, at(time.Minute, WithLeeway(time.Second)), "the leeway extends the window")
	assert.ErrorIs(t, at(-time.Second), ErrIssuedInFuture)
	assert.NoError(t, at(-time.Second, WithLeeway(time.Second)))
	assert.ErrorIs(t, at(-2*time.Second, WithLeeway(time.Second)), ErrIssuedInFuture)
	assert.NotErrorIs(t, at(-time.Second), ErrExpired, "the two refusals are told apart")

	for _, d := range []time.Duration{0, -time.Second, MaxFreshness + time.Nanosecond, math.MaxInt64} {
		_, err := New(Chameleon(), []byte(benchSecret), WithFreshness(d))
		assert.ErrorIs(t, err, ErrInvalidOption, "%v", d)
	}
	_, err := New(Intercom(), []byte(benchSecret), WithFreshness(time.Hour))
	assert.ErrorIs(t, err, ErrInvalidOption, "a scheme with no signing time")
	assert.Contains(t, err.Error(), "intercom")
}

func TestTimestampedOtherEncodings(t *testing.T) {
	// base64url MACs may hold '-' themselves: the split is by position.
	for _, enc := range []Encoding{Base64, Base64URL, Hex} {
		sc := Scheme{Name: "stamped", Composer: UserIDTimestamp, Encoding: enc}
		for i := range 64 {
			id := Identity{UserID: "user-" + strconv.Itoa(i)}
			s := newSigner(t, sc, benchSecret, WithClock(func() time.Time { return stampT }))
			sig, err := s.Sign(id)
			require.NoError(t, err)
			require.Len(t, sig, enc.EncodedLen()+1+10)
			require.NoError(t, s.Verify(id, sig), "%s %q", enc, sig)
			msg, err := sc.AppendMessage(nil, Credential{UserID: id.UserID, Signature: sig})
			require.NoError(t, err)
			assert.Equal(t, id.UserID+"-"+strconv.FormatInt(stampT.Unix(), 10), string(msg))
		}
	}
}

func TestUserIDTimestampNeedsAStamp(t *testing.T) {
	_, err := UserIDTimestamp.AppendMessage(nil, Identity{UserID: "u"})
	assert.ErrorIs(t, err, ErrMissingIdentity, "no signing time in an Identity")
	assert.Contains(t, err.Error(), "signing time")
	_, err = chameleonAt(t, stampT).Sign(Identity{Email: "a@b.c"})
	assert.ErrorIs(t, err, ErrMissingIdentity, "Chameleon signs the user id")
	_, err = Chameleon().AppendMessage(nil, Credential{UserID: "u", Signature: "abc"})
	assert.ErrorIs(t, err, ErrMalformedSignature)
	_, err = chameleonAt(t, time.Unix(-1, 0)).Sign(Identity{UserID: "u"})
	assert.ErrorIs(t, err, ErrInvalidExpiry, "a clock before 1970 has no Unix-seconds text")
	assert.Equal(t, "UserIDTimestamp", UserIDTimestamp.String())
	assert.Equal(t, Identity{UserID: "u"}, Chameleon().SignedFields(Identity{UserID: "u", Email: "e", ExpiresAt: stampT}))
}

// FuzzTimestampedText: the Chameleon parse never panics, and what it reads
// as a MAC and a time is exactly the one text a Signer writes for them;
// everything else is a SignatureFormatError that does not quote the text.
// Verify accepts a text exactly when it is crypto/hmac's MAC of the id, '-'
// and a time within the window, written canonically.
func FuzzTimestampedText(f *testing.F) {
	for _, file := range loadTimestampedFiles(f) {
		for _, v := range file.Vectors {
			f.Add(v.UserID, v.Signature)
		}
	}
	for _, s := range []string{"-0", "-00", "-1", msgHex + "-0", msgHex + "-01", msgHex + "-" + strings.Repeat("9", 12),
		msgHex + "-" + strings.Repeat("9", 13), msgB64URL + "-1", msgB64 + "-1700000000", strings.ToUpper(msgHex) + "-1"} {
		f.Add("Message", s)
	}
	for _, back := range []time.Duration{0, time.Second, time.Hour} {
		secs := strconv.FormatInt(stampT.Add(-back).Unix(), 10)
		f.Add("u-1", hex.EncodeToString(refMAC([]byte("secret"), []byte("u-1-"+secs)))+"-"+secs)
	}
	signers := map[Encoding]*Signer{}
	for _, enc := range []Encoding{Base64, Base64URL, Hex} {
		sc := Scheme{Name: "fuzz", Composer: UserIDTimestamp, Encoding: enc}
		signers[enc] = newSigner(f, sc, "secret", WithShortSecretsAllowed(), WithClock(func() time.Time { return stampT }))
	}
	f.Fuzz(func(t *testing.T, userID, sig string) {
		checkStampedVerify(t, signers[Hex], userID, sig)
		for enc, s := range signers {
			var want [macSize]byte
			var c claim
			err := s.decodeSignature(&want, &c, sig)
			if err == nil || errors.Is(err, ErrExpired) || errors.Is(err, ErrIssuedInFuture) {
				again := string(enc.AppendEncode(nil, want[:])) + "-" + strconv.FormatInt(c.stamp.secs, 10)
				if !c.stamp.set || again != sig || !strings.HasSuffix(sig, "-"+c.stamp.text) {
					t.Fatalf("%s read %q as %q", enc, sig, again)
				}
				continue
			}
			var fe *SignatureFormatError
			if !errors.As(err, &fe) {
				t.Fatalf("%s: %q: %v is not a SignatureFormatError", enc, sig, err)
			}
			if len(sig) >= 8 && strings.Contains(err.Error(), sig) {
				t.Fatalf("%s: the error quotes the text: %v", enc, err)
			}
			if _, err := s.scheme.AppendMessage(nil, Credential{UserID: "u", Signature: sig}); err == nil {
				if i := strings.LastIndexByte(sig, '-'); i < 0 {
					t.Fatalf("AppendMessage read a time from %q", sig)
				}
			}
		}
	})
}

// TestTimestampedMatchesHMAC: for ids across the one-block boundary and
// under rotation, a timestamped signature is crypto/hmac's MAC of the id, a
// '-' and the seconds, on the fast path and (GODEBUG=fips140=on) on
// crypto/hmac's.
func TestTimestampedMatchesHMAC(t *testing.T) {
	secrets := [][]byte{[]byte("current-secret-0123456789"), []byte("previous-secret-abcdefghij"), testBytes(100, 9)}
	secs := strconv.FormatInt(stampT.Unix(), 10)
	s := newSigner(t, Chameleon(), string(secrets[0]), WithPreviousSecrets(secrets[1:]...), WithClock(func() time.Time { return stampT }))
	for _, n := range []int{1, 28, 44, 45, 46, 54, 55, 63, 64, 65, 200, 5000} {
		id := Identity{UserID: strings.Repeat("u", n)}
		msg := []byte(id.UserID + "-" + secs)
		sig, err := s.Sign(id)
		require.NoError(t, err)
		assert.Equal(t, hex.EncodeToString(refMAC(secrets[0], msg))+"-"+secs, sig, "%d-byte id", n)
		for i, secret := range secrets {
			assert.NoError(t, s.Verify(id, hex.EncodeToString(refMAC(secret, msg))+"-"+secs), "%d-byte id, secret %d", n, i)
		}
		wrong := hex.EncodeToString(refMAC([]byte("not-a-secret-of-this-signer"), msg)) + "-" + secs
		assert.ErrorIs(t, s.Verify(id, wrong), ErrInvalidSignature, "%d-byte id", n)
	}
}

// checkStampedVerify: s (hex, key "secret", clock stampT, the default
// window) accepts sig for userID exactly when sig is the reference text.
func checkStampedVerify(t *testing.T, s *Signer, userID, sig string) {
	err := s.Verify(Identity{UserID: userID}, sig)
	mac, digits, found := strings.Cut(sig, "-")
	secs, ok := parseSeconds(digits)
	at := time.Unix(secs, 0)
	fresh := ok && !at.After(stampT) && stampT.Before(at.Add(DefaultFreshness))
	want := found && ok && fresh && userID != "" && mac == hex.EncodeToString(refMAC([]byte("secret"), []byte(userID+"-"+digits)))
	if want != (err == nil) {
		t.Fatalf("Verify(%q, %q) = %v; the reference says accepted=%v", userID, sig, err, want)
	}
}

func TestMaxFreshnessIsAccepted(t *testing.T) {
	_, err := New(Chameleon(), []byte(benchSecret), WithFreshness(MaxFreshness))
	assert.NoError(t, err)
}
