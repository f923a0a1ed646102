#!/bin/sh
# lang-browser.sh: the interface languages and label deep links in headless
# Chromium (Debian's chromium driven by playwright-core): the index in the
# browser's language, the scripts' texts in the deck's, ?page=@LABEL in the
# address bar and the overview (tests/browser/lang.mjs).
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core

browser_decks
printf -- '#title English\n---\nzero\n--- Mail flow\none\n---\ntwo\n' >"$decks/eng.drf" || exit 99
printf -- '#title 日本語\n---\nゼロ\n---\nいち\n' >"$decks/nihon.drf" || exit 99
browser_dev --plain
node_tap 120 lang.mjs "the language tests"
serve_stop
done_testing
