//go:build race

package fibersig_test

const raceEnabled = true
