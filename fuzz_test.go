package usersig

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"testing"
	"time"
)

// fuzzSeeds adds the vendor vectors' identities and signatures, so the
// fuzzer starts from real, valid inputs.
func fuzzSeeds(f *testing.F, add func(v vendorVector)) {
	for _, file := range loadVendorFiles(f) {
		for _, v := range file.Vectors {
			add(v)
		}
	}
}

// FuzzVerify: Verify never panics and accepts only the exact text Sign
// produced for that identity.
func FuzzVerify(f *testing.F) {
	fuzzSeeds(f, func(v vendorVector) {
		f.Add(v.UserID, v.Signature, byte(Base64))
		f.Add(v.UserID, v.Signature, byte(Hex))
	})
	f.Add("Message", msgHex, byte(Hex))
	f.Add("Message", msgB64URL, byte(Base64URL))
	signers := map[Encoding]*Signer{}
	for _, enc := range []Encoding{Base64, Base64URL, Hex} {
		signers[enc] = newSigner(f, Scheme{Name: "fuzz", Composer: UserID, Encoding: enc}, "secret", WithShortSecretsAllowed())
	}
	f.Fuzz(func(t *testing.T, userID, sig string, enc byte) {
		s, ok := signers[Encoding(enc%3+1)]
		if !ok {
			t.Fatal("no signer")
		}
		err := s.Verify(Identity{UserID: userID}, sig)
		want, signErr := s.Sign(Identity{UserID: userID})
		if err == nil && (signErr != nil || sig != want) {
			t.Fatalf("accepted %q for %q; Sign gives %q", sig, userID, want)
		}
		if signErr == nil && sig == want && err != nil {
			t.Fatalf("refused its own signature: %v", err)
		}
	})
}

// FuzzDecodeCanonical: a text that decodes re-encodes to the same text, so
// each tag has exactly one accepted form per encoding.
func FuzzDecodeCanonical(f *testing.F) {
	fuzzSeeds(f, func(v vendorVector) { f.Add(v.Signature) })
	for _, s := range []string{msgB64, msgB64URL, msgHex, msgB64[:43], msgB64 + "\n", "0x" + msgHex} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sig string) {
		for _, enc := range []Encoding{Base64, Base64URL, Hex} {
			var mac [macSize]byte
			if err := enc.decode(&mac, sig); err != nil {
				continue
			}
			if again := string(enc.AppendEncode(nil, mac[:])); again != sig {
				t.Fatalf("%s accepted %q, which encodes back as %q", enc, sig, again)
			}
		}
	})
}

// FuzzFramedInjective: two different identities never share a Framed
// message.
func FuzzFramedInjective(f *testing.F) {
	f.Add("ab", "c@x", int64(0), int32(0), "abc", "@x", int64(0), int32(0))
	f.Add("a", "", int64(1), int32(0), "a", "", int64(1), int32(1))
	f.Add("", "x", int64(0), int32(0), "x", "", int64(0), int32(0))
	fuzzSeeds(f, func(v vendorVector) {
		f.Add(v.UserID, v.Email, int64(0), int32(0), v.Email, v.UserID, int64(0), int32(0))
	})
	f.Fuzz(func(t *testing.T, u1, e1 string, s1 int64, n1 int32, u2, e2 string, s2 int64, n2 int32) {
		a := Identity{UserID: u1, Email: e1, ExpiresAt: fuzzTime(s1, n1)}
		b := Identity{UserID: u2, Email: e2, ExpiresAt: fuzzTime(s2, n2)}
		ma, errA := Framed.AppendMessage(nil, a)
		mb, errB := Framed.AppendMessage(nil, b)
		if errA != nil || errB != nil {
			return
		}
		same := a.UserID == b.UserID && a.Email == b.Email && a.ExpiresAt.Equal(b.ExpiresAt)
		if bytes.Equal(ma, mb) != same {
			t.Fatalf("%+v and %+v: messages equal %v, identities equal %v", a, b, bytes.Equal(ma, mb), same)
		}
	})
}

// fuzzTime makes an instant from fuzz input; (0, 0) is "no expiry".
func fuzzTime(sec int64, nsec int32) time.Time {
	if sec == 0 && nsec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, int64(uint32(nsec)%1e9))
}

// FuzzFastPathMatchesHMAC: for any key and message, the fast path gives
// crypto/hmac's MAC, from the bytes and from the message cut into pieces.
func FuzzFastPathMatchesHMAC(f *testing.F) {
	f.Add([]byte("secret"), []byte("Message"), 3)
	f.Add([]byte{}, []byte{}, 0)
	f.Add(bytes.Repeat([]byte{0x36}, 64), bytes.Repeat([]byte("m"), 55), 55)
	f.Add(bytes.Repeat([]byte("k"), 65), bytes.Repeat([]byte("m"), 56), 7)
	f.Add(bytes.Repeat([]byte("k"), 131), bytes.Repeat([]byte("m"), 3000), 100)
	f.Fuzz(func(t *testing.T, key, msg []byte, cut int) {
		k, ok := newMacKey(key)
		if !ok {
			t.Fatal("newMacKey failed")
		}
		ref := hmac.New(sha256.New, key)
		ref.Write(msg)
		want := ref.Sum(nil)
		var got [macSize]byte
		if !k.sumBytes(&got, msg) || !hmac.Equal(got[:], want) {
			t.Fatalf("bytes: key %x, message %x: got %x, want %x", key, msg, got, want)
		}
		m := splitMessage(msg, cut&0xffff)
		if string(m.appendTo(nil)) != string(msg) {
			t.Fatal("splitMessage lost bytes")
		}
		if !k.sumMessage(&got, &m) || !hmac.Equal(got[:], want) {
			t.Fatalf("pieces: key %x, message %x, cut %d: got %x, want %x", key, msg, cut, got, want)
		}
	})
}
