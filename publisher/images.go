package publisher

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// loadImage reads an item's image for upload from the site's own files:
// an image under base_url is looked for in static/, then in public/ (the
// site this run wrote). Images elsewhere (a catalog's cover service) are
// not fetched: posting does not depend on a third party being up, and
// nothing is sent to it. The file is read through an os.Root, so no path
// can lead outside the site's folder.
func (s *Setup) loadImage(ctx context.Context, u string) ([]byte, string, error) {
	base := s.Config.BaseURL.String()
	rel, ok := strings.CutPrefix(u, base)
	if !ok || rel == "" || strings.Contains(rel, "?") || strings.Contains(rel, "#") {
		return nil, "", errors.New("the image is not one of the site's own files")
	}
	rel = path.Clean("/" + rel)[1:]
	for _, dir := range []string{"static", "public"} {
		root, err := os.OpenRoot(filepath.Join(s.Root, dir))
		if err != nil {
			continue
		}
		f, err := root.Open(filepath.FromSlash(rel))
		root.Close()
		if err != nil {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, 16<<20))
		f.Close()
		if err != nil {
			return nil, "", err
		}
		mt := mime.TypeByExtension(path.Ext(rel))
		if mt == "" {
			mt = http.DetectContentType(data)
		}
		mt, _, _ = strings.Cut(mt, ";")
		return data, mt, nil
	}
	return nil, "", errors.New(rel + " is not in static/ or public/")
}
