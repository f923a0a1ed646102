#!/bin/sh
# lighthouse.sh: Lighthouse (tests/browser/lighthouse.mjs) on the index, the
# view, the presentation and the print view served by nginx + FastCGI, with
# Debian's chromium, offline on the loopback: accessibility 100, best
# practices 95 or more, no layout shift. The performance score is printed;
# being a timing, it is judged only when asked (LIGHTHOUSE_PERF=95, on a quiet
# machine). One front end only, to keep the suite's time down: the dev server
# sends the same documents (a11y.sh runs axe-core on both). Reports go to $top_builddir/test-artifacts/lighthouse/.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core lighthouse
. "$top_srcdir/tests/nginx-lib.sh"

art=$top_builddir/test-artifacts/lighthouse
mkdir -p "$art" || exit 99

SOCK=$TMPD/drf.sock
drf_start "$SOCK" "$TMPD/fcgi.log" --workers 1 --threads 8 --decks "$top_srcdir/decks" ||
	{ echo "Bail out! drfslides fcgi did not start"; cat "$TMPD/fcgi.log"; exit 1; }
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" ||
	{ echo "Bail out! nginx did not start"; exit 1; }

BASE=$NGINX_URL/slides/ CHROME_PATH=$CHROMIUM ARTIFACTS=$art HOME=$TMPD
PERF_MIN=
[ -n "${LIGHTHOUSE_PERF:-}" ] && PERF_MIN=$(awk -v p="$LIGHTHOUSE_PERF" 'BEGIN { print p / 100 }')
export BASE CHROME_PATH ARTIFACTS HOME PERF_MIN
node_tap 400 lighthouse.mjs "Lighthouse"
echo "# reports: $art"
done_testing
