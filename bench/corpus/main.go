// Command corpus writes a deterministic library site of N items for the
// speed comparison with Hugo (bench/compare.sh): a circulate site in
// OUT/circulate and the same content as a Hugo site in OUT/hugo, which uses
// the theme in bench/hugo-theme.
//
//	go run ./bench/corpus -n 10000 -seed 1 -shape archive -out /tmp/corpus
//
// The same -n, -seed and -shape always give the same bytes, so timings of
// different commits compare like with like. -shape picks the kind of
// library (bench/sitegen/shape.go); -list lists the shapes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/circulate-dev/circulate/bench/sitegen"
)

func main() {
	n := flag.Int("n", 1000, "number of items")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "output `folder` (required; its circulate/ and hugo/ are replaced)")
	shape := flag.String("shape", "mixed", "the kind of library: "+strings.Join(sitegen.ShapeNames(), ", "))
	list := flag.Bool("list", false, "list the shapes and exit")
	flag.Parse()
	if *list {
		for _, name := range sitegen.ShapeNames() {
			fmt.Printf("%-10s %s\n", name, sitegen.Shapes[name].Doc)
		}
		return
	}
	sh, err := sitegen.ShapeOf(*shape)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
	if *out == "" || *n < 1 {
		flag.Usage()
		os.Exit(2)
	}
	items := sitegen.PlanShape(sh, *n, *seed)
	if err := write(*out, items); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
	var e, t, nw int
	for _, it := range items {
		switch it.Kind {
		case "events":
			e++
		case "titles":
			t++
		default:
			nw++
		}
	}
	fmt.Printf("wrote %d items of shape %s (%d events, %d titles, %d news) to %s\n", len(items), sh.Name, e, t, nw, *out)
}

func write(out string, items []*sitegen.Entry) error {
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
	if err := os.WriteFile(filepath.Join(out, "circulate", "config.yaml"), []byte(sitegen.CirculateConfig), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "hugo", "config.yaml"), []byte(sitegen.HugoConfig), 0o644); err != nil {
		return err
	}
	for _, it := range items {
		name := filepath.FromSlash(it.Name())
		if err := os.WriteFile(filepath.Join(out, "circulate", name), it.Circulate(), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "hugo", name), it.Hugo(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
