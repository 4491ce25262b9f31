// Package sitefs opens a site's folder for the commands that read it
// (build, check, serve), so that nothing outside the folder can be read:
// CI builds with the posting secrets in its environment, and a symbolic
// link to /proc/self/environ, ~/.ssh or another repository must never put
// them in public/ (SPEC §1).
//
// The folder is opened as an os.Root: every open, stat and directory read
// resolves the path and its links one component at a time, beneath the
// folder, and refuses one that leads out of it ("path escapes from
// parent"). The check is made by the read itself, so a link changed
// between a check and the read cannot slip through. Links that stay inside
// are followed. The generator's walks (generator/walk.go) name the link
// and its target for the librarian.
package sitefs

import (
	"io/fs"
	"os"
)

// Open opens the site folder dir. The fs.FS is the os.Root's own (it reads
// links too: fs.ReadLinkFS); close releases the folder.
func Open(dir string) (fsys fs.FS, close func() error, err error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return r.FS(), r.Close, nil
}
