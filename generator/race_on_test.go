//go:build race

package generator

// raceDetector: the tests run under -race, where building 10,000 items
// takes minutes; .ci/run runs those tests again without it.
const raceDetector = true
