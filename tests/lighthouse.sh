#!/bin/sh
# lighthouse.sh: Lighthouse (tests/browser/lighthouse.mjs) on the index, the
# view, the presentation and the print view served by nginx + FastCGI, with
# Debian's chromium, offline on the loopback: accessibility 100, best
# practices and performance 95 or more. One front end only, to keep the
# suite's time down: the dev server sends the same documents (a11y.sh runs
# axe-core on both). Reports go to $top_builddir/test-artifacts/lighthouse/.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
bdir=$top_srcdir/tests/browser
[ -x "$CHROMIUM" ] ||
	skip_all "$CHROMIUM is missing (apt-get install chromium fonts-noto-cjk)"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
[ -d "$bdir/node_modules/lighthouse" ] && [ -d "$bdir/node_modules/playwright-core" ] ||
	skip_all "tests/browser/node_modules is missing (run 'npm ci --ignore-scripts' in tests/browser)"
. "$top_srcdir/tests/nginx-lib.sh"

art=$top_builddir/test-artifacts/lighthouse
mkdir -p "$art" || exit 99

SOCK=$TMPD/drf.sock
drf_start "$SOCK" "$TMPD/fcgi.log" --workers 1 --threads 8 --decks "$top_srcdir/decks" ||
	{ echo "Bail out! drfslides fcgi did not start"; cat "$TMPD/fcgi.log"; exit 1; }
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" ||
	{ echo "Bail out! nginx did not start"; exit 1; }

BASE=$NGINX_URL/slides/ CHROME_PATH=$CHROMIUM ARTIFACTS=$art TAP_START=$tap_n HOME=$TMPD \
    timeout 400 node "$bdir/lighthouse.mjs" >"$TMPD/node.out" 2>&1
nrc=$?
grep -v '^1\.\.' "$TMPD/node.out"
n=$(grep -c '^ok \|^not ok ' "$TMPD/node.out")
f=$(grep -c '^not ok ' "$TMPD/node.out")
tap_n=$((tap_n + n))
tap_failed=$((tap_failed + f))
[ $nrc -eq 0 ] || { tap_n=$((tap_n + 1)); echo "not ok $tap_n - Lighthouse ran to the end (exit $nrc)"; tap_failed=$((tap_failed + 1)); }
echo "# reports: $art"
done_testing
