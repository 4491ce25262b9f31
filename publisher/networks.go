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
	return []networkSpec{xSpec()}
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
				HTTPClient: s.HTTPClient}, creds), missing
		},
	}
}
