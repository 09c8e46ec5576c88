//go:build !race

package image

// raceEnabled is true under the race detector.
const raceEnabled = false
