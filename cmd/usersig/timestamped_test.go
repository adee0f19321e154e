package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/internal/vendorvectors"
)

// Chameleon's uid_hash, as Chameleon's own samples wrote it: sign at the
// sample's clock prints it, verify accepts it within the freshness window
// and refuses it after.
func TestTimestampedVectors(t *testing.T) {
	files, err := vendorvectors.Load(filepath.Join("..", "..", "testdata", "vendors", "timestamped"))
	require.NoError(t, err)
	f, ok := files["chameleon"]
	require.True(t, ok)
	for _, v := range f.Vectors {
		secs, err := strconv.ParseInt(v.Timestamp, 10, 64)
		require.NoError(t, err)
		at := time.Unix(secs, 789e6)

		r := invocation{args: join([]string{"sign", "--scheme", f.Preset}, identityArgs(v)), secret: v.Secret, now: at}.run(t)
		require.Equal(t, exitOK, r.code, "%s: %s", v.Name, r.stderr)
		assert.Equal(t, v.Signature+"\n", strings.SplitAfter(r.stdout, "\n")[0], v.Name)

		r = invocation{args: verifyArgs(f.Preset, v, v.Signature), secret: v.Secret, now: at}.run(t)
		assert.Equal(t, exitOK, r.code, "%s: %s", v.Name, r.stderr)
		assert.Equal(t, "valid\n", r.stdout, v.Name)

		r = invocation{args: verifyArgs(f.Preset, v, v.Signature), secret: v.Secret, now: at.Add(usersig.DefaultFreshness)}.run(t)
		assert.Equal(t, exitInvalid, r.code, "%s: stale", v.Name)
		assert.Empty(t, r.stdout, v.Name)
		assert.Contains(t, r.stderr, "older than the scheme's freshness window", v.Name)

		r = invocation{args: verifyArgs(f.Preset, v, v.Signature), secret: v.Secret, now: at.Add(-time.Hour)}.run(t)
		assert.Equal(t, exitInvalid, r.code, "%s: from the future", v.Name)
		assert.Contains(t, r.stderr, "after now", v.Name)

		r = invocation{args: verifyArgs(f.Preset, v, v.Signature[:10]), secret: v.Secret, now: at}.run(t)
		assert.Equal(t, exitInvalid, r.code, "%s: truncated", v.Name)
		assert.Contains(t, r.stderr, `"-" and the Unix time in seconds`, v.Name)
	}
}
