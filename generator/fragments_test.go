package generator

import (
	"bytes"
	"context"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/circulate-dev/circulate/bench/sitegen"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/themes"
)

// socialMetaTemplate is what {{socialMeta .}} stands for: the template
// text the built-in theme had before the function made it faster.
const socialMetaTemplate = `<meta property="og:type" content="{{if and .Item (ne .Kind "page")}}article{{else}}website{{end}}">
<meta property="og:title" content="{{with .Title}}{{.}}{{else}}{{$.Site.Title}}{{end}}">
{{- with $desc}}
<meta property="og:description" content="{{.}}">
{{- end}}
{{- with .Canonical}}
<meta property="og:url" content="{{.}}">
{{- end}}
<meta property="og:site_name" content="{{.Site.Title}}">
{{- $alt := .ImageAlt}}{{if not $alt}}{{$alt = .Title}}{{end}}{{if not $alt}}{{$alt = .Site.Title}}{{end}}
{{- with .Image}}
<meta property="og:image" content="{{.}}">
<meta property="og:image:alt" content="{{$alt}}">
<meta name="twitter:card" content="summary_large_image">
{{- else}}
<meta name="twitter:card" content="summary">
{{- end}}
{{- with .Site.XHandle}}
<meta name="twitter:site" content="@{{.}}">
{{- end}}
<meta name="twitter:title" content="{{with .Title}}{{.}}{{else}}{{$.Site.Title}}{{end}}">
{{- with $desc}}
<meta name="twitter:description" content="{{.}}">
{{- end}}
{{- with .Image}}
<meta name="twitter:image" content="{{.}}">
{{- end}}
<meta name="twitter:image:alt" content="{{$alt}}">`

var (
	cardCall   = regexp.MustCompile(`\{\{\$\.Card ("[a-z0-9-]+") \.\}\}`)
	tagCard    = regexp.MustCompile(`\{\{\$\.Card \(print \.Kind "-card(-h2)?"\) \.\}\}`)
	sharedCall = regexp.MustCompile(`\{\{\.Shared ("[a-z-]+") [^}]*\}\}`)
	// Inside a with or range, the page is $.
	sharedOfPage = regexp.MustCompile(`\{\{\$\.Shared ("[a-z-]+") [^}]*\}\}`)
)

// plainTheme is the built-in theme with every .Card and .Shared call
// written back as the template call it stands for, and socialMeta as the
// template text it replaced.
func plainTheme(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	calls := 0
	err := fs.WalkDir(themes.Default(), "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(themes.Default(), p)
		if err != nil {
			return err
		}
		n := len(cardCall.FindAll(data, -1)) + len(tagCard.FindAll(data, -1)) + len(sharedCall.FindAll(data, -1)) + len(sharedOfPage.FindAll(data, -1))
		calls += n
		data = cardCall.ReplaceAll(data, []byte(`{{template $1 .}}`))
		data = tagCard.ReplaceAll(data, []byte(`{{template "item-card$1" .}}`))
		data = sharedCall.ReplaceAll(data, []byte(`{{template $1 .}}`))
		data = sharedOfPage.ReplaceAll(data, []byte(`{{template $1 $$}}`))
		calls += bytes.Count(data, []byte("{{socialMeta .}}"))
		data = bytes.ReplaceAll(data, []byte("{{socialMeta .}}"), []byte(socialMetaTemplate))
		if bytes.Contains(data, []byte(".Card")) || bytes.Contains(data, []byte(".Shared")) {
			t.Fatalf("%s: a .Card or .Shared call the test does not know", p)
		}
		out[p] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 10 {
		t.Fatalf("only %d .Card and .Shared calls in the built-in theme", calls)
	}
	return out
}

// TestSharedPartsAreTheSame renders sites with the built-in theme, whose
// layouts make cards, header and footer once per build (.Card, .Shared)
// and the social <meta> tags in Go (socialMeta), and with the same theme
// written with plain template calls and text, and compares every file:
// none of it may change a byte. The example site, and
// a corpus with tag pages and lists of every kind.
func TestSharedPartsAreTheSame(t *testing.T) {
	corpus := fstest.MapFS{"config.yaml": {Data: []byte(sitegen.CirculateConfig)}}
	for _, e := range sitegen.PlanShape(sitegen.Shapes["calendar"], 400, 3) {
		corpus[e.Name()] = &fstest.MapFile{Data: e.Circulate()}
	}
	for _, e := range sitegen.PlanShape(sitegen.Shapes["archive"], 400, 4) {
		corpus[e.Name()] = &fstest.MapFile{Data: e.Circulate()}
	}
	posts := []Post{NewPost("Holiday hours https://news.riverside-library.example.org/news/holiday-hours/", "https://x.com/RiversideLib/status/1", "news/holiday-hours", testNow)}
	plain := plainTheme(t)
	for name, fsys := range map[string]fs.FS{"example": os.DirFS(".."), "corpus": corpus} {
		t.Run(name, func(t *testing.T) {
			cfg, diags := config.Load(fsys)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			render := func(c Config) map[string][]byte {
				c.Site, c.Now = cfg, func() time.Time { return sitegen.Now }
				s, err := Load(context.Background(), c, fsys)
				if err != nil {
					t.Fatal(err)
				}
				out := &MapOutput{}
				if _, err := s.Render(context.Background(), posts, out); err != nil {
					t.Fatal(err)
				}
				return out.Files
			}
			shared := render(Config{})
			for what, c := range map[string]Config{"made afresh": {noShare: true}, "plain template calls": {Theme: plain}} {
				other := render(c)
				if !slices.Equal(slices.Sorted(maps.Keys(shared)), slices.Sorted(maps.Keys(other))) {
					t.Fatalf("%s: other files", what)
				}
				differ := 0
				for f, data := range shared {
					if !bytes.Equal(data, other[f]) {
						if differ++; differ <= 5 {
							t.Errorf("%s: %s differs", what, f)
						}
					}
				}
				if differ > 5 {
					t.Errorf("%s: %d files differ", what, differ)
				}
			}
		})
	}
}

// writeAttr escapes a value as html/template does in a quoted attribute.
func TestWriteAttr(t *testing.T) {
	tm := template.Must(template.New("x").Parse(`<meta content="{{.}}">`))
	for _, s := range []string{"plain", `a "quoted" 'one'`, "a+b & <c>", "nul\x00byte", "café 読書 📚", "bad \xff utf-8", "https://x.example/?a=1&b=2#c"} {
		var want bytes.Buffer
		if err := tm.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		got.WriteString(`<meta content="`)
		writeAttr(&got, s)
		got.WriteString(`">`)
		if got.String() != want.String() {
			t.Errorf("writeAttr(%q) = %s, html/template: %s", s, got.String(), want.String())
		}
	}
}
