#!/bin/sh
# devbanner.sh: the dev server's warnings banner in headless Chromium (Debian's
# chromium driven by playwright-core): once per layout, clear of the
# navigation, dismissed until the warnings change (tests/browser/devbanner.mjs).
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core

browser_decks
printf '#tilte a misspelt directive\n#title Banner\n---\none\n---\ntwo\n' >"$decks/warn.drf" || exit 99
browser_dev
DECK=warn
DECK_FILE=$decks/warn.drf
export DECK DECK_FILE
node_tap 120 devbanner.mjs "the banner tests"
serve_stop
done_testing
