package diagnose

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig/internal/vendorvectors"
)

// Chameleon's uid_hash, as Chameleon's own samples wrote it, is valid for
// the chameleon scheme over the exact message the sample signed, with the
// time read from the signature; in upper case, quoted or under another
// user id it is explained by the usual mistakes.
func TestRunTimestamped(t *testing.T) {
	files, err := vendorvectors.Load(filepath.Join("..", "..", "testdata", "vendors", "timestamped"))
	require.NoError(t, err)
	f, ok := files["chameleon"]
	require.True(t, ok)
	for _, v := range f.Vectors {
		rep, err := Run(inputOf(v, v.Signature), []byte(v.Secret))
		require.NoError(t, err)
		m, ok := findMatch(rep, "chameleon")
		if assert.True(t, ok, v.Name) {
			assert.True(t, m.Valid, "%s: %+v", v.Name, m)
			assert.Equal(t, v.Message, m.SignedText, v.Name)
		}

		mac, stamp, _ := strings.Cut(v.Signature, "-")
		for _, tc := range []struct{ sig, mistake string }{
			{strings.ToUpper(mac) + "-" + stamp, "upper-case hex"},
			{`"` + v.Signature + `"`, "surrounding quotes"},
			{v.Signature + "\n", "surrounding whitespace"},
		} {
			rep, err := Run(inputOf(v, tc.sig), []byte(v.Secret))
			require.NoError(t, err)
			m, ok := findMatch(rep, "chameleon")
			if assert.True(t, ok, "%s: %s", v.Name, tc.mistake) {
				assert.Equal(t, []string{tc.mistake}, m.Mistakes, v.Name)
				assert.Equal(t, v.Message, m.SignedText, v.Name)
			}
		}
		if strings.TrimSpace(v.UserID) == v.UserID {
			padded := inputOf(v, v.Signature)
			padded.UserID = " " + v.UserID + " "
			m, ok := explainUnder(t, padded, []byte(v.Secret), targetOf(t, "chameleon"))
			if assert.True(t, ok, v.Name) {
				assert.Equal(t, []string{"user id trimmed"}, m.Mistakes, v.Name)
			}
		}
	}
	// With no time after a '-', the chameleon scheme has no message to try.
	v := f.Vectors[0]
	mac, _, _ := strings.Cut(v.Signature, "-")
	rep, err := Run(inputOf(v, mac), []byte(v.Secret))
	require.NoError(t, err)
	_, ok = findMatch(rep, "chameleon")
	assert.False(t, ok)
}
