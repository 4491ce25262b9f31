package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressBar draws "building [=====     ] 5120/11024 files" on one
// terminal line while a long build renders. Short builds finish before
// its delay and never show it; logs (not a terminal) never get it.
type progressBar struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	delay time.Duration // before the first draw
	every time.Duration // between draws

	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newProgressBar(w io.Writer, now func() time.Time) *progressBar {
	return &progressBar{w: w, now: now, start: now(), delay: 300 * time.Millisecond, every: 100 * time.Millisecond}
}

// update is generator.Config.Progress: called from every render worker.
func (p *progressBar) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if total <= 0 || t.Sub(p.start) < p.delay || (p.shown && t.Sub(p.last) < p.every) {
		return
	}
	p.last, p.shown = t, true
	const width = 30
	filled := min(width, width*done/total)
	fmt.Fprintf(p.w, "\rbuilding [%s%s] %d/%d files", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
}

// clear wipes the bar, so the summary line starts on a clean line.
func (p *progressBar) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// isTerminal reports whether w is a terminal a bar can redraw on: not a
// pipe or file, not a dumb terminal, not a CI log.
func isTerminal(e *env, w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || e.getenv("TERM") == "dumb" || e.getenv("CI") == "true" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
