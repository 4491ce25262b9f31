// Package circulate embeds the example library at the root of this
// repository (config.yaml and content/), so that `circulate init` can give
// a new site the same working start the repository has.
package circulate

import (
	"embed"
	"io/fs"
)

//go:embed config.yaml content
var example embed.FS

// Example is the example site: config.yaml and content/.
func Example() fs.FS { return example }
