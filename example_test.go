package usersig_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/usersig/usersig"
)

// A backend signs the logged-in user's id for Engagespot's front end.
func Example() {
	signer, err := usersig.New(usersig.Engagespot(), []byte("engagespot-api-secret-from-console"))
	if err != nil {
		panic(err)
	}
	sig, err := signer.Sign(usersig.Identity{UserID: "user-1"})
	if err != nil {
		panic(err)
	}
	fmt.Println(sig) // the same bytes Node's createHmac(...).digest('base64') prints
	// Output: W48/lb6Q+R2St6PbVP6j+NtISfWV1ngRkM4lgXdwUI0=
}

// A service playing the vendor's side rejects a forged or mismatched hash.
func ExampleSigner_Verify() {
	signer, _ := usersig.New(usersig.Intercom(), []byte("intercom-identity-verification-secret"))
	// What Node's createHmac('sha256', secret).update('user-1').digest('hex') prints.
	const sig = "8deb70bf1eeb68cb4797bd140ff99d6259aab1d4887d329c6ecbcaaab859a0d5"

	fmt.Println(signer.Verify(usersig.Identity{UserID: "user-1"}, sig))

	err := signer.Verify(usersig.Identity{UserID: "user-2"}, sig)
	fmt.Println(errors.Is(err, usersig.ErrInvalidSignature))

	err = signer.Verify(usersig.Identity{UserID: "user-1"}, "0x"+sig)
	fmt.Println(err)
	// Output:
	// <nil>
	// true
	// usersig: malformed hex signature: it has a 0x prefix: send the 64 hex digits alone
}

// Product Fruits signs the username and the expiry text; Issue returns both,
// ready for user.hmac = {hash, expiration}.
func ExampleSigner_Issue() {
	signer, _ := usersig.New(usersig.ProductFruits(), []byte("product-fruits-encryption-key"))
	c, _ := signer.Issue(usersig.Identity{
		UserID:    "testUser",
		ExpiresAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
	})
	fmt.Println(c.Expires)
	fmt.Println(c.Signature)
	// Output:
	// 2026-11-22T10:00:00.000Z
	// aJ5lT7rEm1i4jyHoLxGCCA0b2vDCOn5rtOtHR4/6xi0=
}

// During a rotation, Sign uses the new secret and Verify accepts both.
func ExampleWithPreviousSecrets() {
	oldSigner, _ := usersig.New(usersig.Proficient(), []byte("hsec_old_0123456789abcdef"))
	oldSig, _ := oldSigner.Sign(usersig.Identity{UserID: "user-1"})

	signer, _ := usersig.New(usersig.Proficient(), []byte("hsec_new_0123456789abcdef"),
		usersig.WithPreviousSecrets([]byte("hsec_old_0123456789abcdef")))
	fmt.Println(signer.Verify(usersig.Identity{UserID: "user-1"}, oldSig))
	// Output: <nil>
}

// Framed is for services that control both sides: unlike Helpshift's
// concatenation, no two identities share a message.
func ExampleFramed() {
	own := usersig.Scheme{Name: "internal", Composer: usersig.Framed, Encoding: usersig.Base64URL}
	signer, _ := usersig.New(own, []byte("a-32-byte-secret-from-crypto/rand"))
	a, _ := signer.Sign(usersig.Identity{UserID: "ab", Email: "c@x"})
	b, _ := signer.Sign(usersig.Identity{UserID: "abc", Email: "@x"})
	fmt.Println(a == b)
	// Output: false
}

func ExampleLookupScheme() {
	sc, ok := usersig.LookupScheme("helpscout")
	fmt.Println(ok, sc.Vendor, "signs the", sc.Describe(), "as", sc.Encoding)
	// Output: true Help Scout Beacon signs the email as hex
}

// The one-shot Sign takes the scheme, so a hex vendor gets hex: here
// Intercom's published sample, HMAC-SHA256 keyed "secret" of "Message".
func ExampleSign() {
	hash, err := usersig.Sign(usersig.Intercom(), []byte("secret"), usersig.Identity{UserID: "Message"},
		usersig.WithShortSecretsAllowed()) // the vendor's sample key; New refuses it otherwise
	if err != nil {
		panic(err)
	}
	fmt.Println(hash)
	fmt.Println(usersig.Verify(usersig.Intercom(), []byte("secret"), usersig.Identity{UserID: "Message"}, hash,
		usersig.WithShortSecretsAllowed()))
	// Output:
	// aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597
	// <nil>
}
