package diagnose

import (
	"encoding/base64"
	"encoding/hex"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/vendorvectors"
)

type vector = vendorvectors.Vector

// loadVectors reads the committed vendor vectors: signatures the vendors'
// own snippets computed, not this package.
func loadVectors(t *testing.T) map[string]vendorvectors.File {
	t.Helper()
	files, err := vendorvectors.Load(filepath.Join("..", "..", "testdata", "vendors"))
	require.NoError(t, err)
	return files
}

func sortedNames(files map[string]vendorvectors.File) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func vectorOf(t *testing.T, files map[string]vendorvectors.File, file, name string) vector {
	t.Helper()
	f, ok := files[file]
	require.True(t, ok, "no vector file %s", file)
	for _, v := range f.Vectors {
		if v.Name == name {
			return v
		}
	}
	require.Failf(t, "missing vector", "%s has no vector %q", file, name)
	return vector{}
}

func inputOf(v vector, sig string) Input {
	return Input{UserID: v.UserID, Email: v.Email, Expires: v.Expires, Signature: sig}
}

// targetOf is the search target of the preset named scheme.
func targetOf(t *testing.T, scheme string) target {
	t.Helper()
	for _, tg := range presetTargets() {
		if tg.sc.Name == scheme {
			return tg
		}
	}
	require.Failf(t, "no target", "%s", scheme)
	return target{}
}

// explainUnder runs the mistake search for one scheme alone, as Run does
// for each when the signature is valid for none: a mistake for one scheme
// may be a valid signature for another, where Run stops early.
func explainUnder(t *testing.T, in Input, secret []byte, tg target) (Match, bool) {
	t.Helper()
	msg, err := newMessage(in)
	require.NoError(t, err)
	m := newSearch(secret, msg, in.Signature).explain([]target{tg})
	if len(m) == 0 {
		return Match{}, false
	}
	return m[0], true
}

func findMatch(rep Report, scheme string) (Match, bool) {
	for _, m := range rep.Matches {
		if m.Scheme == scheme {
			return m, true
		}
	}
	return Match{}, false
}

func mustHex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func mustB64(t *testing.T, s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

// coreSigner is the core's signer for a preset, to check the engine against
// what usersig itself signs and verifies.
func coreSigner(t *testing.T, scheme string, secret []byte) *usersig.Signer {
	t.Helper()
	sc, ok := usersig.LookupScheme(scheme)
	require.True(t, ok, scheme)
	s, err := usersig.New(sc, secret, usersig.WithShortSecretsAllowed())
	require.NoError(t, err)
	return s
}
