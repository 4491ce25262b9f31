package sitegen

import "time"

// Now is the moment the corpus is written as of; compare.sh builds both
// sites with it, so every item is visible and the output is the same.
var Now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// CirculateConfig is the circulate site's config.yaml.
const CirculateConfig = `title: Riverside Public Library — News
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

// HugoConfig asks Hugo for the pages circulate makes: home, paginated
// section lists, item pages, tag pages and RSS for home and sections; no
// RSS per tag, no minifying.
const HugoConfig = `baseURL: https://news.riverside-library.example.org/
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
