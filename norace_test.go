//go:build !race

package usersig

// RaceEnabled reports a -race build, whose instrumentation allocates: the
// allocation tests skip themselves then. Exported for the external tests.
const RaceEnabled = false
