package usersig_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/usersig/usersig"
)

// Chameleon's uid_hash carries the time it was signed: Issue stamps the
// Signer's clock, Verify reads it back and refuses a stale hash. (The
// first line is what Chameleon's Node sample, verification.js, prints for
// uid "user-1" at that second.)
func ExampleChameleon() {
	now := time.Date(2020, 7, 31, 3, 23, 44, 0, time.UTC) // 1596165824
	clock := func() time.Time { return now }
	secret := []byte("secret") // the vendors' sample key; use the one from Chameleon's dashboard
	signer, err := usersig.New(usersig.Chameleon(), secret, usersig.WithClock(clock), usersig.WithShortSecretsAllowed())
	if err != nil {
		panic(err)
	}
	c, err := signer.Issue(usersig.Identity{UserID: "user-1"})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Signature) // chmln.identify("user-1", {uid_hash: c.Signature})
	fmt.Println(signer.Verify(usersig.Identity{UserID: "user-1"}, c.Signature))

	now = now.Add(usersig.DefaultFreshness)
	err = signer.Verify(usersig.Identity{UserID: "user-1"}, c.Signature)
	fmt.Println(errors.Is(err, usersig.ErrExpired))
	// Output:
	// 3f02d22622889f33af7b5eede760d2b03b6396a079fa48bffdbcfa52624deb1f-1596165824
	// <nil>
	// true
}
