#!/bin/sh
# search-keys.sh: search in headless Chromium (Debian's chromium driven by
# playwright-core): '/' opens the search page from the frameset, the view,
# the presentation, the follower's view and a page; the form finds a word
# and its result leads to the page; in a deck of a course folder, '/' opens
# that course's search, which keeps to its decks (tests/browser/search-keys.mjs).
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core

browser_decks
printf '#title Keys\n--- Start\none\n--- Later\nthe word quokka is here\n' >"$decks/keys.drf" || exit 99
mkdir -p "$decks/uni/net" || exit 99
printf '#title TCP\n--- Start\nthe word quokka here too\n--- Later\nthe word wombat is here\n' >"$decks/uni/net/tcp.drf" || exit 99
browser_dev
DECK=keys
WORD=quokka
COURSE=uni/net
NESTED=uni/net/tcp
NESTED_WORD=wombat
export DECK WORD COURSE NESTED NESTED_WORD
node_tap 120 search-keys.mjs "the search keys tests"
serve_stop
done_testing
