package publisher

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// TimelinePath is where a site keeps the last good snapshot of its
// accounts' own recent posts, relative to the site root. CI commits it with
// the ledger, so a build that cannot reach a network still shows that
// network's posts.
const TimelinePath = ".circulate/timeline.json"

// TimelineSize is how many posts per network the snapshot keeps.
const TimelineSize = 20

// Timeline is the snapshot: network -> its posts, newest first.
type Timeline struct {
	Networks map[string]*NetworkTimeline `json:"networks"`
	Version  int                         `json:"version"`
}

// NetworkTimeline is one network's part of the snapshot.
type NetworkTimeline struct {
	Fetched time.Time  `json:"fetched"`
	Posts   []FeedPost `json:"posts"`
}

// TimelineFile is where the snapshot of the site at root is.
func TimelineFile(root string) string {
	return filepath.Join(root, filepath.FromSlash(TimelinePath))
}

// LoadTimeline reads the snapshot; a missing or unreadable one is empty
// (the box then shows what the ledger knows), never an error that stops a
// site from being built.
func LoadTimeline(root string) *Timeline {
	t := &Timeline{Networks: map[string]*NetworkTimeline{}, Version: 1}
	data, err := os.ReadFile(TimelineFile(root))
	if err != nil {
		return t
	}
	var in Timeline
	if json.Unmarshal(data, &in) != nil || in.Version != 1 {
		return t
	}
	for k, v := range in.Networks {
		if v != nil {
			t.Networks[k] = v
		}
	}
	return t
}

func (t *Timeline) save(root string) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	path := TimelineFile(root)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// TimelineStatus is what refreshing one network's snapshot did.
type TimelineStatus struct {
	Network string
	Posts   int
	// Err is why the network could not be read; its last snapshot stays.
	Err error
	// Skipped says why it was not read at all ("MASTODON_ACCESS_TOKEN not
	// set", "X bills reads"), "" when it was.
	Skipped string
	// Note says why a network read without credentials (as anyone may read
	// a public account) could not be: its server wants them. Its last
	// snapshot stays; `build -v` says so.
	Note string
}

// RefreshTimeline reads each enabled network's recent posts from the
// account's own timeline (staff's posts by hand too) and saves the
// snapshot. A network that cannot be read keeps its last good posts. X is
// read only with social.x.read_timeline: true (X bills reads); its posts
// otherwise come from the ledger, in Posts.
func RefreshTimeline(ctx context.Context, s Setup) ([]TimelineStatus, error) {
	t := LoadTimeline(s.Root)
	var out []TimelineStatus
	read := false
	for _, spec := range networkSpecs() {
		set := spec.Settings(s.Config)
		if !set.Enabled || (len(s.Networks) > 0 && !slices.Contains(s.Networks, spec.Name)) {
			continue
		}
		st := TimelineStatus{Network: spec.Name}
		net, missing := spec.Open(&s, set)
		reader, ok := net.(TimelineReader)
		switch {
		case spec.Name == "x" && !s.Config.Social.X.ReadTimeline:
			st.Skipped = "X bills reads: the box shows the posts in the ledger (social.x.read_timeline: true reads them from X)"
		case !ok:
			st.Skipped = "cannot read its timeline"
		case len(missing) > 0 && !spec.PublicTimeline:
			st.Skipped = strings.Join(missing, ", ") + " not set"
		default:
			posts, err := reader.Timeline(ctx, TimelineSize)
			if err != nil {
				if f := failureOf(err); f.Kind == NoReads && len(missing) > 0 {
					st.Note = f.Message + "; the site shows the last posts read"
					if f.Hint != "" {
						st.Note += "; " + f.Hint
					}
				} else {
					st.Err = err
				}
				break
			}
			// The time is updated only with the posts, so that an hourly
			// run with nothing new commits nothing.
			if prev := t.Networks[spec.Name]; prev == nil || !samePosts(prev.Posts, posts) {
				t.Networks[spec.Name] = &NetworkTimeline{Fetched: s.now().UTC(), Posts: posts}
			}
			st.Posts = len(posts)
			read = true
		}
		out = append(out, st)
	}
	if !read {
		return out, nil
	}
	return out, t.save(s.Root)
}

// SitePosts lists the posts for the site's social box, newest first: each
// enabled network's from the snapshot; X's from the ledger unless
// social.x.read_timeline is on.
func SitePosts(s Setup) []FeedPost {
	t := LoadTimeline(s.Root)
	var all []FeedPost
	for _, spec := range networkSpecs() {
		if !spec.Settings(s.Config).Enabled {
			continue
		}
		if spec.Name == "x" && !s.Config.Social.X.ReadTimeline {
			for _, r := range RecentPosts(s.Root, "x", TimelineSize) {
				all = append(all, FeedPost{Network: "x", ID: r.PostID, URL: r.PostURL, Created: r.Time, Parts: plainParts(r.Text)})
			}
			continue
		}
		if nt := t.Networks[spec.Name]; nt != nil {
			all = append(all, nt.Posts...)
		}
	}
	slices.SortStableFunc(all, func(a, b FeedPost) int { return b.Created.Compare(a.Created) })
	return all
}

// ShortLink is how a raw URL reads as link text: no scheme, no "www.",
// cut to 30 characters with "…", as Mastodon shows links.
func ShortLink(raw string) string {
	s := raw
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		s = strings.TrimPrefix(u.Host, "www.") + u.EscapedPath()
		if u.RawQuery != "" {
			s += "?" + u.RawQuery
		}
		s = strings.TrimSuffix(s, "/")
	}
	if r := []rune(s); len(r) > 30 {
		s = string(r[:29]) + "…"
	}
	return s
}

func samePosts(a, b []FeedPost) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
