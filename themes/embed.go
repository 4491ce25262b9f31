// Package themes holds circulate's built-in theme, compiled into the binary
// so a site needs no theme files of its own. A site overrides it file by
// file from its themes/<name>/ folder (see docs/theming.md).
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var files embed.FS

// Default is the built-in theme: layouts/ and static/.
func Default() fs.FS {
	sub, err := fs.Sub(files, "default")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}
