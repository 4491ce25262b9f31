package generator

// feeds writes RSS 2.0, Atom 1.0 and JSON Feed 1.1 of all items and RSS per
// section. It returns how many feeds it wrote.
func (b *builder) feeds(s *site, out Output) (int, error) {
	return 0, nil // TODO(helper): gorilla/feeds
}
