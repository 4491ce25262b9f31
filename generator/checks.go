package generator

import (
	"io/fs"
	"time"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
)

// Event dates that are valid but probably mistyped: a wrong year is the
// commonest slip, and it puts an event on the site a year off without any
// error. These are warnings, since a library may plan far ahead or file an
// old event late; `check --strict` turns them into errors.
const (
	farAhead  = 366 * 24 * time.Hour // start this far after now
	lateAfter = 31 * 24 * time.Hour  // start this long before the item's date
)

// checkDates warns about events that start more than a year after now (or
// after their date, if that is later), or long before the day they are to
// appear.
func (b *builder) checkDates(srcs []*source) diag.List {
	var diags diag.List
	for _, src := range srcs {
		it := src.it
		e := it.Event
		if e == nil || e.Start.IsZero() {
			continue
		}
		start := e.Start.Format("2006-01-02")
		switch {
		// Measured from the item's date when that is later than now: an
		// item may be prepared ahead, to appear on its date.
		case e.Start.Sub(laterOf(b.now, it.Date)) > farAhead:
			diags.Warnf(it.File, b.keyLine(it.File, "start"),
				"start: %s is more than a year after %s; check the year", start, laterOf(b.now, it.Date).Format("2006-01-02"))
		case !it.Date.IsZero() && it.Date.Sub(e.Start) > lateAfter:
			diags.Warnf(it.File, b.keyLine(it.File, "start"),
				"start: %s is more than a month before the item's date (%s), so the event is over before it appears; check the year of start and of date", start, it.Date.Format("2006-01-02"))
		}
	}
	return diags
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// keyLine finds the line of a front matter key. It reads the file again,
// which is cheap for the few files that get such a warning and keeps line
// bookkeeping out of every load.
func (b *builder) keyLine(name, key string) int {
	data, err := fs.ReadFile(b.fsys, name)
	if err != nil {
		return 0
	}
	return fields.KeyLine(data, key)
}
