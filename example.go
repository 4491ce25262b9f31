// Package circulate embeds the example library at the root of this
// repository (config.yaml and content/) and its CI workflow
// (.github/workflows/site.yml), so that `circulate init` can give a new site
// the same working start the repository has.
package circulate

import (
	"embed"
	"io/fs"
)

// A folder named in a pattern leaves out its files starting with "." or
// "_"; a dot-folder's file is embedded when named itself.
//
//go:embed config.yaml content .github/workflows/site.yml
var example embed.FS

// Example is the example site: config.yaml, content/ and
// .github/workflows/site.yml.
func Example() fs.FS { return example }
