package publisher

import (
	"cmp"
	"strings"

	"github.com/circulate-dev/circulate/internal/config"
)

// The networks circulate posts to. A new network plugs in here, in one
// place: a spec with its name, its settings from config.yaml (enabled,
// templates, limits), the environment variables of its credentials and how
// to open its client; its client (a Network) lives in a file of its own.
// Everything else (the ledger, the rules of what to post, pending and
// settling, the lock, check's warnings, --resolve) is the same for all.

// networkSpec describes one network.
type networkSpec struct {
	// Name is the ledger key and the prefix of messages: "x".
	Name string
	// Title is how people call it: "X".
	Title string
	// Settings are its settings in config.yaml.
	Settings func(cfg *config.Config) Settings
	// CredentialVars are the environment variables its secrets come from.
	CredentialVars []string
	// Open makes its client from the environment; missing lists the
	// credential variables that are not set (a run without them is a dry
	// run for this network).
	Open func(s *Setup, set Settings) (net Network, missing []string)
	// PublicTimeline: the account's own posts can be read without its
	// credentials (Mastodon, Bluesky), for the site's feed.
	PublicTimeline bool
}

// Settings are one network's settings from config.yaml.
type Settings struct {
	Enabled bool
	// Key is where they are in config.yaml, for messages: "social.x".
	Key    string
	Handle string
	// Templates are the post templates by item kind (event, title, news).
	Templates map[string]string
	// MaxPosts is the most posts one run makes (the rest wait).
	MaxPosts int
}

// networkSpecs lists every network, in the order runs post to them.
func networkSpecs() []networkSpec {
	return []networkSpec{xSpec(), mastodonSpec(), blueskySpec()}
}

func xSpec() networkSpec {
	return networkSpec{
		Name:           "x",
		Title:          "X",
		CredentialVars: CredentialVars[:],
		Settings: func(cfg *config.Config) Settings {
			xc := cfg.Social.X
			return Settings{Enabled: xc.Enabled, Key: "social.x", Handle: xc.Handle,
				Templates: xc.Templates, MaxPosts: xc.MaxPostsPerRun}
		},
		Open: func(s *Setup, set Settings) (Network, []string) {
			xc := s.Config.Social.X
			creds, missing := CredentialsFromEnv(s.getenv)
			api := cmp.Or(strings.TrimSpace(s.getenv("CIRCULATE_X_API_URL")), xc.APIURL)
			return NewX(XConfig{APIURL: api, Handle: xc.Handle, Timeout: xc.Timeout,
				PricePost: xc.PricePost, PricePostWithLink: xc.PricePostWithLink,
				HTTPClient: s.HTTPClient, Now: s.Now}, creds), missing
		},
	}
}

func mastodonSpec() networkSpec {
	return networkSpec{
		Name:           "mastodon",
		Title:          "Mastodon",
		CredentialVars: []string{MastodonTokenVar},
		PublicTimeline: true,
		Settings: func(cfg *config.Config) Settings {
			mc := cfg.Social.Mastodon
			return Settings{Enabled: mc.Enabled, Key: "social.mastodon", Handle: mc.Handle,
				Templates: mc.Templates, MaxPosts: mc.MaxPostsPerRun}
		},
		Open: func(s *Setup, set Settings) (Network, []string) {
			mc := s.Config.Social.Mastodon
			token := strings.TrimSpace(s.getenv(MastodonTokenVar))
			var missing []string
			if token == "" {
				missing = []string{MastodonTokenVar}
			}
			server := cmp.Or(strings.TrimSpace(s.getenv("CIRCULATE_MASTODON_URL")), mc.Server)
			return NewMastodon(MastodonConfig{Server: server, Handle: mc.Handle, Visibility: mc.Visibility,
				Language: s.Config.Language, Timeout: mc.Timeout, HTTPClient: s.HTTPClient, Sleep: s.Sleep,
				LoadImage: s.loadImage, Now: s.Now}, token), missing
		},
	}
}

func blueskySpec() networkSpec {
	return networkSpec{
		Name:           "bluesky",
		Title:          "Bluesky",
		CredentialVars: []string{BlueskyPasswordVar},
		PublicTimeline: true,
		Settings: func(cfg *config.Config) Settings {
			bc := cfg.Social.Bluesky
			return Settings{Enabled: bc.Enabled, Key: "social.bluesky", Handle: bc.Handle,
				Templates: bc.Templates, MaxPosts: bc.MaxPostsPerRun}
		},
		Open: func(s *Setup, set Settings) (Network, []string) {
			bc := s.Config.Social.Bluesky
			pw := strings.TrimSpace(s.getenv(BlueskyPasswordVar))
			var missing []string
			if pw == "" {
				missing = []string{BlueskyPasswordVar}
			}
			testPDS := strings.TrimSpace(s.getenv("CIRCULATE_BLUESKY_URL"))
			pds := cmp.Or(testPDS, bc.PDS)
			// A PDS pointed at a test server never reads the real AppView:
			// without its own override, the AppView is that server too.
			appview := cmp.Or(strings.TrimSpace(s.getenv("CIRCULATE_BLUESKY_APPVIEW_URL")), testPDS, PublicAppView)
			return NewBluesky(BlueskyConfig{PDS: pds, AppView: appview, Handle: bc.Handle, Language: s.Config.Language,
				Timeout: bc.Timeout, HTTPClient: s.HTTPClient, Now: s.Now, LoadImage: s.loadImage}, pw), missing
		},
	}
}

// NetworkNames lists the networks circulate knows, by name.
func NetworkNames() []string {
	var names []string
	for _, spec := range networkSpecs() {
		names = append(names, spec.Name)
	}
	return names
}

// NetworkTitle is how people call a network: "x" -> "X".
func NetworkTitle(name string) string {
	for _, spec := range networkSpecs() {
		if spec.Name == name {
			return spec.Title
		}
	}
	return name
}

// Account names the site's account on a network for people:
// "@RiversideLib on X", "@riversidelib@mastodon.social on Mastodon".
func Account(cfg *config.Config, name string) string {
	title := NetworkTitle(name)
	h := ""
	switch name {
	case "x":
		h = cfg.Social.X.Handle
	case "mastodon":
		if m := cfg.Social.Mastodon; m.Handle != "" {
			h = m.Handle + "@" + strings.TrimPrefix(strings.TrimPrefix(m.Server, "https://"), "http://")
		}
	case "bluesky":
		h = cfg.Social.Bluesky.Handle
	}
	if h == "" {
		return title
	}
	return "@" + h + " on " + title
}
