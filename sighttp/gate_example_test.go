package sighttp_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// An adapter for a transport of your own hands the Gate a carrier of named
// values (here lower-case keys, as gRPC metadata has them) and answers a
// refusal with its fixed answer; the reason word is for the log, not the
// client.
func ExampleGate_Check() {
	signer, _ := usersig.New(usersig.Proficient(), []byte("hsec_example_secret_0123456789abcdef"))
	gate := sighttp.NewGate(signer)
	sig, _ := signer.Sign(usersig.Identity{UserID: "alice"})

	for _, md := range []map[string][]string{
		{"x-proficient-user-external-id": {"alice"}, "x-proficient-user-hmac": {sig}},
		{"x-proficient-user-external-id": {"bob"}, "x-proficient-user-hmac": {sig}},
		{"x-proficient-user-external-id": {"alice"}, "x-proficient-user-hmac": {sig, sig}},
	} {
		get := func(name string) []string { return md[strings.ToLower(name)] }
		ctx, err := gate.Check(context.Background(), sighttp.Request{Header: get, Method: "POST", Path: "/inbox.v1.Inbox/List"})
		if err != nil {
			fmt.Println("refused:", sighttp.Reason(err))
			continue
		}
		id, _ := sighttp.IdentityFromContext(ctx)
		fmt.Println("accepted:", id.UserID)
	}
	// Output:
	// accepted: alice
	// refused: invalid
	// refused: duplicate
}
