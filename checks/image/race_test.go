//go:build race

package image

// raceEnabled is true under the race detector, which makes the tar-bomb
// test (two million entries) take minutes.
const raceEnabled = true
