package generator

import (
	"time"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
)

// Event dates that are valid but probably mistyped: a wrong year is the
// commonest slip, and it puts an event on the site a year off without any
// error. These are warnings, since a library may plan far ahead or file an
// old event late; `check --strict` turns them into errors.
const (
	farAhead  = 366 * 24 * time.Hour // start this far after today (or the date)
	lateAfter = 31 * 24 * time.Hour  // start this long before the item's date
)

// checkEventDates warns, at the start: line, about an event that starts
// more than a year after today (or after its date, if that is later: an
// item may be prepared ahead), or long before the day it is to appear.
func (b *builder) checkEventDates(dec *fields.Decoder, it *item.Item, line int) {
	e := it.Event
	from, fromWhat := b.now, "today"
	if it.Date.After(b.now) {
		from, fromWhat = it.Date, "its date"
	}
	start := e.Start.Format("2006-01-02")
	switch {
	case e.Start.Sub(from) > farAhead:
		dec.Diags.WarnCode(diag.EventDate, it.File, line, "start: %s is more than a year after %s (%s); check the year", start, fromWhat, from.Format("2006-01-02"))
	case e.Repeat != nil && !it.Date.IsZero():
		// A series may have begun long ago; it is late only when its
		// dates are over by the time it appears.
		if _, ok := it.NextOccurrence(it.Date); !ok {
			dec.Diags.Warnf(it.File, line, "repeat: every date of the series is over by the item's date (%s), so it would never be listed as coming; check the year in start:, until: and date:", it.Date.Format("2006-01-02"))
		}
	case !it.Date.IsZero() && it.Date.Sub(e.Start) > lateAfter:
		dec.Diags.WarnCode(diag.EventDate, it.File, line, "start: %s is more than a month before the item's date (%s), so the event would be over before it appears on the site; check the year in start: and in date:", start, it.Date.Format("2006-01-02"))
	}
}
