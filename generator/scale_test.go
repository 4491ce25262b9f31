package generator

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/circulate-dev/circulate/bench/sitegen"
)

// maxPage is the most an HTML page may weigh (SPEC §3: lists and tag pages
// paginate, no page over ~300 KB).
const maxPage = 300 << 10

// TestPageSizesAtScale builds 10,000 items of each corpus shape of
// bench/sitegen and weighs every HTML page: none may be over 300 KB,
// whatever the site's size (issue 11: at 10,000 items tag pages were single
// pages of up to 720 KB listing thousands of cards).
func TestPageSizesAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 items per shape")
	}
	if raceDetector {
		// Minutes under -race; it renders what the other tests render, at
		// scale. .ci/run runs it without -race.
		t.Skip("builds 10,000 items per shape: run without -race")
	}
	for _, name := range sitegen.ShapeNames() {
		t.Run(name, func(t *testing.T) {
			s := loadCorpus(t, name, 10000, 1)
			var sizes sizeOutput
			res, err := s.Render(context.Background(), nil, &sizes)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range sizes.over {
				t.Errorf("%s is %d KB, over %d KB", f, sizes.size[f]>>10, maxPage>>10)
			}
			t.Logf("%d pages; the largest, %s, is %d KB", res.Pages, sizes.largest, sizes.size[sizes.largest]>>10)
			if res.Pages < 10000 {
				t.Errorf("only %d pages", res.Pages)
			}
		})
	}
}

// sizeOutput keeps the sizes of the HTML files written, not their bytes.
type sizeOutput struct {
	mu      sync.Mutex
	size    map[string]int
	largest string
	over    []string
}

func (o *sizeOutput) WriteFile(name string, data []byte) error {
	if !strings.HasSuffix(name, ".html") {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.size == nil {
		o.size = map[string]int{}
	}
	o.size[name] = len(data)
	if len(data) > o.size[o.largest] {
		o.largest = name
	}
	if len(data) > maxPage {
		o.over = append(o.over, name)
	}
	return nil
}
