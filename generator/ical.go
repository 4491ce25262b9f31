package generator

// calendars writes /events.ics and /events/<slug>/event.ics.
func (b *builder) calendars(s *site, out Output) (int, error) {
	return 0, nil // TODO(helper): golang-ical
}
