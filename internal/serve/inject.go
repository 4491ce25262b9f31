package serve

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"

	"github.com/circulate-dev/circulate/internal/diag"
)

// ReloadPath is where pages listen for the reload signal. It sits outside
// any site path the generator makes (no content slug starts with "_").
const ReloadPath = "/_circulate/reload"

// reloadScript reloads the page on "reload", and also when the server's
// first message names a version other than the page's: a rebuild that
// finished while the page was loading, or a restarted server, would
// otherwise leave a stale page with no signal to come.
var reloadScript = template.Must(template.New("reload").Parse(`<script data-circulate-serve>
(function () {
  var version = {{.Version}};
  var events = new EventSource({{.Path}});
  events.onmessage = function (e) {
    if (e.data === "reload" || (e.data.indexOf("version ") === 0 && e.data.slice(8) !== version)) {
      events.close();
      location.reload();
    }
  };
})();
</script>`))

// overlay is the panel over every page while the site cannot be rebuilt.
// role="alert" makes screen readers announce it; the inline styles keep it
// readable whatever the theme's stylesheet does, and html/template escapes
// the messages, which quote the librarian's own text.
var overlay = template.Must(template.New("overlay").Parse(`<div id="circulate-overlay" role="alert" style="all:initial;position:fixed;z-index:2147483647;top:0;left:0;right:0;max-height:80vh;overflow:auto;box-sizing:border-box;padding:1.25rem 1.5rem;background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;box-shadow:0 4px 16px rgba(0,0,0,.35);font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif">
<h2 style="all:initial;display:block;margin:0 0 .5rem;color:#8a0018;font:bold 1.25rem/1.3 system-ui,-apple-system,'Segoe UI',sans-serif">{{if .PageFailed}}This page could not be made{{else}}The site could not be rebuilt{{end}}</h2>
<p style="all:initial;display:block;margin:0 0 .75rem;color:#1a1a1a;font:inherit">{{if .PageFailed}}The theme failed on it.{{else if .HaveSite}}This is the last version that built.{{else}}There is no version that built yet.{{end}} Fix the {{if eq (len .Problems) 1}}problem{{else}}{{len .Problems}} problems{{end}} below and save: this page reloads by itself.</p>
<ul style="all:initial;display:block;margin:0;padding:0 0 0 1.25rem;list-style:disc;color:#1a1a1a;font:inherit">
{{- range .Problems}}
<li style="all:initial;display:list-item;margin:.25rem 0;color:#1a1a1a;font:inherit;white-space:pre-wrap">{{with .Where}}<code style="all:initial;font:bold .95em ui-monospace,Menlo,Consolas,monospace;color:#1a1a1a">{{.}}</code>: {{end}}{{.Message}}</li>
{{- end}}
</ul>
</div>`))

// problem is one overlay line: "content/events/x.md:3: message".
type problem struct{ Where, Message string }

func overlayHTML(diags diag.List, haveSite bool) []byte {
	return overlayOf(diags, haveSite, false)
}

// pageFailedHTML is the overlay of a page that failed to render when it
// was asked for (serve renders pages on request): the site loaded, but a
// layout failed on this page's data.
func pageFailedHTML(diags diag.List) []byte {
	return overlayOf(diags, true, true)
}

func overlayOf(diags diag.List, haveSite, pageFailed bool) []byte {
	ps := make([]problem, len(diags))
	for i, d := range diags {
		where := d.File
		if where != "" && d.Line > 0 {
			where += ":" + strconv.Itoa(d.Line)
		}
		ps[i] = problem{where, d.Message}
	}
	var b bytes.Buffer
	if err := overlay.Execute(&b, struct {
		Problems   []problem
		HaveSite   bool
		PageFailed bool
	}{ps, haveSite, pageFailed}); err != nil {
		panic(err) // the template and its data are fixed: a bug here, not input
	}
	return b.Bytes()
}

func scriptHTML(version string) []byte {
	var b bytes.Buffer
	if err := reloadScript.Execute(&b, struct{ Version, Path string }{version, ReloadPath}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// inject adds the overlay (if any) at the start of the body, where a
// screen reader or keyboard reaches it first, and the script before
// </body>. A page without those tags gets them where they fit best, so
// even a theme's odd page reloads.
func inject(page, overlay, script []byte) []byte {
	out := make([]byte, 0, len(page)+len(overlay)+len(script))
	lower := bytes.ToLower(page)
	end := bytes.LastIndex(lower, []byte("</body"))
	if end < 0 {
		end = len(page)
	}
	start := -1
	if len(overlay) > 0 {
		if i := bytes.Index(lower[:end], []byte("<body")); i >= 0 {
			if j := bytes.IndexByte(page[i:end], '>'); j >= 0 {
				start = i + j + 1
			}
		}
	}
	if start < 0 {
		// No <body> tag: the overlay goes with the script.
		out = append(out, page[:end]...)
		out = append(out, overlay...)
	} else {
		out = append(out, page[:start]...)
		out = append(out, overlay...)
		out = append(out, page[start:end]...)
	}
	out = append(out, script...)
	return append(out, page[end:]...)
}

// isHTML reports whether a response of this Content-Type gets the script.
func isHTML(contentType string) bool {
	return strings.HasPrefix(contentType, "text/html")
}
