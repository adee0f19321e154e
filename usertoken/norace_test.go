//go:build !race

package usertoken

// raceEnabled reports a -race build, whose instrumentation allocates: the
// allocation test skips itself then.
const raceEnabled = false
