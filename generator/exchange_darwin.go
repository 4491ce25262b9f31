package generator

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps the folders a and b in one step: renamex_np with
// RENAME_SWAP (APFS and HFS+).
func exchange(a, b string) error {
	err := unix.RenamexNp(a, b, unix.RENAME_SWAP)
	if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return errNoExchange
	}
	return err
}
