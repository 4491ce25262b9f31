package generator

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Rendering runs the plan (plan.go): Render makes every file, RenderFile
// one (for serve, which renders the pages a browser asks for, where Render
// would make all of a big site's files), RenderShowingPosts the pages that
// show posts (for build, after posting). The posts reach the pages only as
// their argument, and a run changes nothing of the Site: each run has its
// own SiteData, and each page is executed on a copy.

// Render writes the site to out, with posts in its social box. The Result
// is the Site's, with the counts of this run.
func (s *Site) Render(ctx context.Context, posts []Post, out Output) (*Result, error) {
	res := *s.Result
	if s.plan == nil {
		return &res, fmt.Errorf("rendering: the site did not load")
	}
	counter := &countingOutput{Output: out}
	err := s.run(ctx, s.plan.outputs, posts, counter, s.b.opts.Progress)
	for _, o := range s.plan.outputs {
		switch o.Kind {
		case FilePage:
			if o.Name != "404.html" {
				res.Pages++
			}
		case FileFeed, FileCalendar:
			res.Feeds++
		}
	}
	res.Files = counter.n
	return &res, err
}

// RenderShowingPosts writes again, with posts, the files that show posts
// (PlannedFile.ShowsPosts), and returns their names: after posting, build
// puts the new posts on the site it wrote without making the rest again.
func (s *Site) RenderShowingPosts(ctx context.Context, posts []Post, out Output) ([]string, error) {
	if s.plan == nil {
		return nil, fmt.Errorf("rendering: the site did not load")
	}
	var outs []*output
	var names []string
	for _, o := range s.plan.outputs {
		if o.ShowsPosts {
			outs = append(outs, o)
			names = append(names, o.Name)
		}
	}
	slices.Sort(names)
	return names, s.run(ctx, outs, posts, out, nil)
}

// Files lists every file Render writes, sorted, without rendering any.
func (s *Site) Files() []string {
	if s.plan == nil {
		return nil
	}
	return s.plan.names()
}

// Plan lists every file of the site, sorted by name, with its kind.
func (s *Site) Plan() []PlannedFile {
	if s.plan == nil {
		return nil
	}
	files := make([]PlannedFile, 0, len(s.plan.names()))
	for _, name := range s.plan.names() {
		files = append(files, s.plan.byName[name].PlannedFile)
	}
	return files
}

// RenderFile makes the one file that Render would write as name (a name
// from Files), with posts in the social box. It can be called from many
// goroutines at once. A name the site does not have gives an error that
// wraps fs.ErrNotExist.
func (s *Site) RenderFile(ctx context.Context, name string, posts []Post) ([]byte, error) {
	if s.plan == nil {
		return nil, fmt.Errorf("rendering %s: the site did not load", name)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o, ok := s.plan.byName[name]
	if !ok {
		return nil, fmt.Errorf("rendering %s: %w", name, fs.ErrNotExist)
	}
	var buf bytes.Buffer
	if err := o.make(s.plan.siteData(posts), &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// siteData is what the pages of one run know of the site: the plan's,
// with posts.
func (p *plan) siteData(posts []Post) *SiteData {
	sd := *p.sd
	sd.Posts = posts
	sd.frag = &fragments{th: p.th, off: p.noShare,
		cards: map[cardKey]template.HTML{}, parts: map[partKey]template.HTML{}}
	return &sd
}

// run makes outs into out on all cores.
func (s *Site) run(ctx context.Context, outs []*output, posts []Post, out Output, progress func(done, total int)) error {
	sd := s.plan.siteData(posts)
	var calendars atomic.Int64 // left to make in this run
	for _, o := range outs {
		if o.Kind == FileCalendar {
			calendars.Add(1)
		}
	}
	tasks := make([]task, len(outs))
	for i, o := range outs {
		tasks[i] = func(w *worker) error {
			err := o.make(sd, w.buf)
			if o.Kind == FileCalendar && calendars.Add(-1) == 0 {
				// The last calendar is made: the events' VEVENTs, megabytes
				// on a big site, are not needed for the pages (made again
				// should a later run need them).
				s.b.vevents.Clear()
			}
			if err != nil {
				return err
			}
			w.send(o.Name)
			return nil
		}
	}
	return runTasks(ctx, tasks, out, progress)
}

type countingOutput struct {
	Output
	mu sync.Mutex
	n  int
}

func (c *countingOutput) WriteFile(name string, data []byte) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.Output.WriteFile(name, data)
}

// executePage runs a page's layout into w.
func (b *builder) executePage(th *theme, name string, pg *Page, w io.Writer) error {
	if err := th.layouts[pg.Kind].ExecuteTemplate(w, "base.html", pg); err != nil {
		return fmt.Errorf("rendering %s (layout %s.html): %w", name, pg.Kind, err)
	}
	return nil
}

// A task makes one file into w.buf and hands it on with w.send.
type task func(w *worker) error

// worker renders tasks into a buffer and hands each finished file to the
// writers, so that a core is not idle while a file is written: creating
// files and folders waits on the file system more than it uses the CPU.
type worker struct {
	buf   *bytes.Buffer
	files chan<- file
}

type file struct {
	name string
	buf  *bytes.Buffer
}

// bufs are reused from file to file; a buffer goes back when its file is
// written, so memory holds a few pages, not the site.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (w *worker) send(name string) {
	w.files <- file{name, w.buf}
	w.buf = bufs.Get().(*bytes.Buffer)
	w.buf.Reset()
}

// runTasks runs tasks on all CPUs, with twice as many writers, and returns
// the first error. progress, when set, hears of every finished task.
func runTasks(ctx context.Context, tasks []task, out Output, progress func(done, total int)) error {
	var (
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	n := runtime.GOMAXPROCS(0)
	files := make(chan file, 4*n)
	var writers sync.WaitGroup
	for range 2 * n {
		writers.Go(func() {
			for f := range files {
				if err := out.WriteFile(f.name, f.buf.Bytes()); err != nil {
					fail(err)
				}
				bufs.Put(f.buf)
			}
		})
	}
	var done atomic.Int64
	next := make(chan task)
	var workers sync.WaitGroup
	for range n {
		workers.Go(func() {
			w := &worker{buf: bufs.Get().(*bytes.Buffer), files: files}
			for t := range next {
				w.buf.Reset()
				if err := t(w); err != nil {
					fail(err)
				}
				if progress != nil {
					progress(int(done.Add(1)), len(tasks))
				}
			}
			bufs.Put(w.buf)
		})
	}
	for _, t := range tasks {
		if ctx.Err() != nil {
			break
		}
		next <- t
	}
	close(next)
	workers.Wait()
	close(files)
	writers.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (b *builder) siteData() *SiteData {
	return &SiteData{
		Title: b.cfg.Title, Description: b.cfg.Description, Lang: b.cfg.Language,
		BaseURL: b.base.String(), Library: b.cfg.Library, XHandle: b.cfg.Social.X.Handle,
		Accounts: b.accounts(), Now: b.now, Drafts: b.opts.Drafts, Params: b.cfg.Params,
		Feeds: []Feed{
			{Title: b.cfg.Title + " (RSS)", Type: "application/rss+xml", Path: "/feed.xml"},
			{Title: b.cfg.Title + " (Atom)", Type: "application/atom+xml", Path: "/atom.xml"},
			{Title: b.cfg.Title + " (JSON Feed)", Type: "application/feed+json", Path: "/feed.json"},
		},
	}
}
