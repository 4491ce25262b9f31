package sitegen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Entry is one content item, written to both sites.
type Entry struct {
	Kind  string // events, titles, news
	Slug  string
	Title string
	Date  time.Time
	Tags  []string
	// keys are the front matter lines after title, date and tags, in
	// order, already YAML.
	keys []string
	body string
}

// Plan makes n items of the mixed shape, oldest first; the same n and seed
// give the same items.
func Plan(n int, seed uint64) []*Entry { return PlanShape(Shapes["mixed"], n, seed) }

// PlanShape makes n items of a shape, oldest first.
func PlanShape(sh Shape, n int, seed uint64) []*Entry {
	return plan(sh, n, rand.New(rand.NewPCG(seed, 0x6c696272617279)))
}

// Name is the item's file, relative to the site root.
func (e *Entry) Name() string { return "content/" + e.Kind + "/" + e.Slug + ".md" }

// Circulate is the item's file for circulate.
func (e *Entry) Circulate() []byte { return e.file(circulateFM) }

// Hugo is the item's file for Hugo.
func (e *Entry) Hugo() []byte { return e.file(hugoFM) }

var tags = []string{"kids", "teens", "adults", "families", "seniors", "book-club", "history",
	"technology", "crafts", "music", "film", "poetry", "science", "health", "local-history",
	"gardening", "cooking", "languages", "careers", "art"}

// plan makes n items, oldest first, spread evenly over the shape's span
// with jitter.
func plan(sh Shape, n int, r *rand.Rand) []*Entry {
	items := make([]*Entry, n)
	step := sh.Span / time.Duration(n)
	first := Now.Add(-sh.Span)
	for i := range items {
		e := &Entry{Date: first.Add(step*time.Duration(i) + time.Duration(r.Int64N(int64(step)+1)))}
		switch x := r.IntN(10); {
		case x < sh.Events:
			e.Kind = "events"
		case x < sh.Events+sh.Titles:
			e.Kind = "titles"
		default:
			e.Kind = "news"
		}
		e.Title = titleFor(e.Kind, r)
		// The index keeps slugs unique however the words fall.
		e.Slug = slugify(e.Title) + "-" + strconv.Itoa(i)
		for _, k := range r.Perm(len(tags))[:sh.TagsMin+r.IntN(sh.TagsMax-sh.TagsMin+1)] {
			e.Tags = append(e.Tags, tags[k])
		}
		items[i] = e
	}
	for i, e := range items {
		switch e.Kind {
		case "events":
			e.keys = eventKeys(e, sh.Lead, r)
		case "titles":
			e.keys = titleKeys(r)
		}
		if sh.Summary {
			e.keys = append(e.keys, fmt.Sprintf("summary: %q", strings.TrimSuffix(sentence(r), ".")+", and more."))
		}
		if sh.Image > 0 && r.IntN(10) < sh.Image {
			e.keys = append(e.keys, "image: https://images.riverside-library.example.org/"+e.Kind+"/"+e.Slug+".jpg")
		}
		// Links point to items already written (lower index), like a
		// librarian linking to older posts.
		e.body = body(r, items[:i], sh.BlocksMin, sh.BlocksMax)
	}
	return items
}

func pick(r *rand.Rand, l []string) string { return l[r.IntN(len(l))] }

var (
	adjectives = []string{"Winter", "Summer", "Family", "Evening", "Morning", "Local", "Hidden", "Great",
		"Quiet", "Open", "Riverside", "Bright", "Little", "Autumn", "Spring", "Midnight", "Golden", "Wild"}
	nouns = []string{"Storytime", "Book Sale", "Workshop", "Concert", "Talk", "Film Night", "Craft Hour",
		"Reading Club", "Walking Tour", "Open House", "Lecture", "Game Night", "Poetry Slam", "Code Club"}
	bookWords = []string{"River", "House", "Garden", "Light", "Stranger", "Silence", "Memory", "Sea",
		"Road", "Winter", "Orchard", "Lantern", "Kingdom", "Letters", "Island", "Daughter", "Machine"}
	newsWords = []string{"Holiday hours", "New library cards", "Renovation update", "Volunteers wanted",
		"Museum passes", "Reading challenge", "Branch closure", "Wi-Fi upgrade", "Board meeting", "Fine-free"}
	firstNames = []string{"Ann", "Percival", "Kristin", "Colson", "Robin", "Tara", "Barbara", "Min Jin",
		"Ocean", "Ruth", "Jesmyn", "Hernan", "Ali", "Maggie", "Zadie", "Kazuo"}
	lastNames = []string{"Patchett", "Everett", "Hannah", "Whitehead", "Kimmerer", "Westover", "Kingsolver",
		"Lee", "Vuong", "Ozeki", "Ward", "Diaz", "Smith", "O'Farrell", "Ishiguro", "Brown"}
	locations = []string{"Community Room, Main Library", "Children's Room", "Local History Room",
		"East Branch", "West Branch Meeting Room", "Teen Space", "Auditorium", "Reading Garden"}
	formats = []string{"book", "book", "book", "ebook", "audiobook", "dvd", "large-print"}
)

func titleFor(kind string, r *rand.Rand) string {
	switch kind {
	case "events":
		return pick(r, adjectives) + " " + pick(r, nouns)
	case "titles":
		return "The " + pick(r, bookWords) + " of " + pick(r, bookWords)
	}
	return pick(r, newsWords) + ": " + strings.ToLower(pick(r, adjectives)) + " " + strings.ToLower(pick(r, nouns))
}

func eventKeys(e *Entry, lead time.Duration, r *rand.Rand) []string {
	day := e.Date.AddDate(0, 0, 3+r.IntN(max(1, int(lead/(24*time.Hour))-3)))
	var keys []string
	if r.IntN(10) == 0 {
		keys = append(keys, "start: "+day.Format("2006-01-02"))
	} else {
		start := time.Date(day.Year(), day.Month(), day.Day(), 10+r.IntN(9), 30*r.IntN(2), 0, 0, time.UTC)
		end := start.Add(time.Duration(60+30*r.IntN(4)) * time.Minute)
		keys = append(keys, "start: "+start.Format("2006-01-02T15:04"), "end: "+end.Format("2006-01-02T15:04"))
	}
	keys = append(keys, fmt.Sprintf("location: %q", pick(r, locations)))
	aud := []string{"kids", "teens", "adults", "families", "seniors"}
	keys = append(keys, "audience: ["+strings.Join(aud[r.IntN(3):3+r.IntN(3)], ", ")+"]")
	switch r.IntN(40) {
	case 0:
		keys = append(keys, "status: cancelled")
	case 1:
		keys = append(keys, "status: postponed")
	}
	if r.IntN(4) == 0 {
		keys = append(keys, "registration: https://riverside-library.example.org/register/"+e.Slug)
	}
	return keys
}

func titleKeys(r *rand.Rand) []string {
	author := pick(r, firstNames) + " " + pick(r, lastNames)
	return []string{
		fmt.Sprintf("author: %q", author),
		fmt.Sprintf("isbn: %q", isbn13(r)),
		"format: " + pick(r, formats),
		fmt.Sprintf("call_number: %q", "FIC "+strings.ToUpper(author[strings.LastIndexByte(author, ' ')+1:])),
	}
}

// isbn13 is a random ISBN-13 with a correct check digit: the generator
// rejects wrong ones.
func isbn13(r *rand.Rand) string {
	d := fmt.Sprintf("978%09d", r.IntN(1_000_000_000))
	sum := 0
	for i := 0; i < 12; i++ {
		v := int(d[i] - '0')
		if i%2 == 1 {
			v *= 3
		}
		sum += v
	}
	return d + strconv.Itoa((10-sum%10)%10)
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// circulateFM and hugoFM write the front matter each tool reads. Hugo keeps
// keys it does not know (start, isbn, ...) as page params, so both get the
// same YAML; circulate reads dates in the site's zone, Hugo in timeZone.
func circulateFM(e *Entry) string { return commonFM(e) }

func hugoFM(e *Entry) string { return commonFM(e) }

func commonFM(e *Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %q\ndate: %s\n", e.Title, e.Date.Format("2006-01-02T15:04:05"))
	if len(e.Tags) > 0 {
		fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(e.Tags, ", "))
	}
	for _, k := range e.keys {
		b.WriteString(k + "\n")
	}
	return b.String()
}

func (e *Entry) file(fm func(*Entry) string) []byte {
	return []byte("---\n" + fm(e) + "---\n" + e.body)
}
