//go:build !race

package otelsig_test

// raceEnabled reports a -race build, whose instrumentation allocates: the
// allocation tests skip themselves then.
const raceEnabled = false
