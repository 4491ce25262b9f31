//go:build !linux && !darwin

package generator

// exchange is not available here (Windows has no call that swaps two
// folders): Commit renames twice (see DirOutput).
func exchange(a, b string) error { return errNoExchange }
