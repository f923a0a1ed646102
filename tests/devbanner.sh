#!/bin/sh
# devbanner.sh: the dev server's warnings banner in headless Chromium (Debian's
# chromium driven by playwright-core): once per layout, clear of the
# navigation, dismissed until the warnings change (tests/browser/devbanner.mjs).
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
bdir=$top_srcdir/tests/browser
[ -x "$CHROMIUM" ] || skip_all "$CHROMIUM is missing (apt-get install chromium)"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
[ -d "$bdir/node_modules/playwright-core" ] ||
	skip_all "tests/browser/node_modules is missing (run 'npm ci --ignore-scripts' in tests/browser)"

decks=$TMPD/decks
mkdir -p "$decks" || exit 99
printf '#tilte a misspelt directive\n#title Banner\n---\none\n---\ntwo\n' >"$decks/warn.drf" || exit 99
serve_start dev --decks "$decks" || bail "the dev server did not start"
DEV_URL=$surl/ DECK=warn DECK_FILE=$decks/warn.drf CHROMIUM=$CHROMIUM \
    node "$bdir/devbanner.mjs" >"$TMPD/tap" 2>"$TMPD/node.err"
rc=$?
grep -v '^1\.\.' "$TMPD/tap"
tap_n=$(grep -c '^\(not \)\?ok ' "$TMPD/tap")
tap_failed=$(grep -c '^not ok ' "$TMPD/tap")
[ "$tap_n" -gt 0 ] || { cat "$TMPD/node.err"; bail "the browser tests did not run"; }
[ $rc -eq 0 ] || sed 's/^/# /' "$TMPD/node.err" | head -20
serve_stop
done_testing
