// Package e2e holds end-to-end checks of the built example site, for CI.
//
// The tests build the example site at the repository root in-process, as
// `circulate build --now 2026-11-28T09:00` does, and check the output the way
// a visitor's browser and the W3C's checker would see it:
//
//   - TestNuHTMLChecker runs the Nu Html Checker (vnu.jar, from npm) on every page;
//   - TestAccessibility runs axe-core in headless Chromium on every page,
//     at desktop and phone widths, in light and dark mode;
//   - TestCrawlLinks checks that every internal link and fragment resolves,
//     for the site at the root of its host and under a sub-path;
//   - TestPipeline runs the scripts of .github/workflows/site.yml, as GitHub
//     Actions would (actions_test.go), against a bare git repository and the
//     fake X: posting, the ledger committed back, pull requests, Pages.
//
// The external tools come from `.ci/run` (Debian's chromium and Java, and
// `npm ci --ignore-scripts` for vnu-jar and axe-core). Without them the tests
// that need them skip, unless CIRCULATE_E2E=1 (set by CI), where they fail so
// a missing install step cannot pass unnoticed.
package e2e
