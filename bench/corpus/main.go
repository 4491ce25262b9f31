// Command corpus writes a deterministic library site of N items for the
// speed comparison with Hugo (bench/compare.sh): a circulate site in
// OUT/circulate and the same content as a Hugo site in OUT/hugo, which uses
// the theme in bench/hugo-theme.
//
//	go run ./bench/corpus -n 10000 -seed 1 -out /tmp/corpus
//
// The same -n and -seed always give the same bytes, so timings of different
// commits compare like with like.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// now is the moment the corpus is written as of; compare.sh builds both
// sites with it, so every item is visible and the output is the same.
var now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// span is how far back the archive goes: decades of a library.
const span = 30 * 365 * 24 * time.Hour

func main() {
	n := flag.Int("n", 1000, "number of items")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "output `folder` (required; its circulate/ and hugo/ are replaced)")
	flag.Parse()
	if *out == "" || *n < 1 {
		flag.Usage()
		os.Exit(2)
	}
	items := plan(*n, rand.New(rand.NewPCG(*seed, 0x6c696272617279)))
	if err := write(*out, items); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
	var e, t, nw int
	for _, it := range items {
		switch it.kind {
		case "events":
			e++
		case "titles":
			t++
		default:
			nw++
		}
	}
	fmt.Printf("wrote %d items (%d events, %d titles, %d news) to %s\n", len(items), e, t, nw, *out)
}

func write(out string, items []*entry) error {
	for _, site := range []string{"circulate", "hugo"} {
		if err := os.RemoveAll(filepath.Join(out, site)); err != nil {
			return err
		}
		for _, sec := range []string{"events", "titles", "news"} {
			if err := os.MkdirAll(filepath.Join(out, site, "content", sec), 0o755); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(filepath.Join(out, "circulate", "config.yaml"), []byte(circulateConfig), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "hugo", "config.yaml"), []byte(hugoConfig), 0o644); err != nil {
		return err
	}
	for _, it := range items {
		name := filepath.Join("content", it.kind, it.slug+".md")
		if err := os.WriteFile(filepath.Join(out, "circulate", name), it.file(circulateFM), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "hugo", name), it.file(hugoFM), 0o644); err != nil {
			return err
		}
	}
	return nil
}

const circulateConfig = `title: Riverside Public Library — News
description: Events, new titles and news from Riverside Public Library.
base_url: https://news.riverside-library.example.org/
language: en
timezone: America/New_York
library:
  name: Riverside Public Library
  address: 120 River Street, Riverside
  phone: (555) 555-0142
  email: ask@riverside-library.example.org
  url: https://riverside-library.example.org/
catalog_url: https://catalog.riverside-library.example.org/search?isbn={isbn}
feeds:
  items: 20
pagination:
  size: 10
social:
  x:
    enabled: false
`

// hugoConfig asks Hugo for the pages circulate makes: home, paginated
// section lists, item pages, tag pages and RSS for home and sections; no
// RSS per tag, no minifying.
const hugoConfig = `baseURL: https://news.riverside-library.example.org/
title: Riverside Public Library — News
languageCode: en
timeZone: America/New_York
theme: hugo-theme
paginate: 10
rssLimit: 20
buildFuture: true
taxonomies:
  tag: tags
outputs:
  home: [HTML, RSS]
  section: [HTML, RSS]
  taxonomy: [HTML]
  term: [HTML]
params:
  description: Events, new titles and news from Riverside Public Library.
  library: Riverside Public Library
  address: 120 River Street, Riverside
`
