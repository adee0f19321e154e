//go:build !race

package fibersig_test

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = false
