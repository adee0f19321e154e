package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

const secretUsage = `usage: usersig secret [--prefix PREFIX]

Prints a new random secret for a service that issues its own (your own
verifier, or a vendor-style hsec_ secret): 32 bytes from the operating
system's CSPRNG as unpadded base64url text (43 characters), after PREFIX.
Store it in a secret manager; pass it to usersig through $USERSIG_SECRET or
--secret-file, never as a flag.

Exit codes: 0 printed; 1 no randomness available; 2 usage error.
`

// secretBytes is the size of a generated secret: 256 bits.
const secretBytes = 32

func runSecret(e *env, args []string) int {
	fs := newFlagSet("secret")
	var prefix string
	fs.StringVar(&prefix, "prefix", "", "text to put before the random part, e.g. hsec_")
	if code, ok := e.parse(fs, secretUsage, args); !ok {
		return code
	}
	if len(prefix) > 32 {
		return e.usageError(fs.Name(), "--prefix is longer than 32 bytes")
	}
	for i := 0; i < len(prefix); i++ {
		if c := prefix[i]; c <= ' ' || c >= 0x7f {
			return e.usageError(fs.Name(), "--prefix must be printable ASCII without spaces")
		}
	}
	var b [secretBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		fmt.Fprintf(e.stderr, "usersig secret: no randomness: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintln(e.stdout, prefix+base64.RawURLEncoding.EncodeToString(b[:]))
	return exitOK
}
