#!/bin/sh
# a11y.sh: accessibility in a real browser (Debian's chromium driven by
# playwright-core): axe-core in every document and frame in both themes at
# three sizes, the theme toggle and #theme, skip links, visible focus, the
# switch of the character keys, reduced motion, reflow, zoom and text
# spacing (tests/browser/a11y.mjs), on both servers:
# the dev server and nginx + FastCGI under /slides/. Screenshots go to
# $top_builddir/test-artifacts/a11y/.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core axe-core
. "$top_srcdir/tests/nginx-lib.sh"

art=$top_builddir/test-artifacts/a11y
mkdir -p "$art" || exit 99

# The decks: the bundled one, the presentation's test decks (a title page,
# a table, code, steps), one of "#theme high-contrast" and one without pages.
browser_decks
browser_present_decks long.drf steps.drf long
printf '#title High contrast\n#theme high-contrast\n--- A deck in high contrast\n<p>White on black, <a href="#x">links</a> in yellow.</p>\n--- Two\n<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>\n' \
    >"$decks/hc.drf"
printf '#title A deck without pages\n' >"$decks/empty.drf"

# The dev server and fcgi behind nginx (and another origin, unused here).
browser_servers "$decks"

BASES="dev=$DEV_URL nginx=$NGX_URL" ARTIFACTS=$art
export BASES ARTIFACTS
node_tap 2400 a11y.mjs "the accessibility tests"
echo "# screenshots: $art"
done_testing
