#!/bin/sh
# follow.sh: the presenter and the followers in a real browser (Debian's
# chromium driven by playwright-core) on both front ends: the dev server on
# loopback (open without a key), and "drfslides fcgi" with two workers and a
# presenter key behind nginx with the shipped caches (drfslides-cache.conf,
# drfslides-position.conf). Screenshots go to $top_builddir/test-artifacts/follow/.
# shellcheck disable=SC1091,SC2154
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
bdir=$top_srcdir/tests/browser
[ -x "$CHROMIUM" ] ||
	skip_all "$CHROMIUM is missing (apt-get install chromium fonts-noto-cjk)"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
[ -d "$bdir/node_modules/playwright-core" ] ||
	skip_all "tests/browser/node_modules is missing (run 'npm ci --ignore-scripts' in tests/browser)"
. "$top_srcdir/tests/presenter-lib.sh"

art=$top_builddir/test-artifacts/follow
mkdir -p "$art" || exit 99

presenter_servers
serve_start dev --decks "$PDECKS" ||
	{ echo "Bail out! the dev server did not start"; exit 1; }

SERVERS="dev=$SERVE_URL fcgi=$U/" KEY=$KEY MARKER=$MARKER CHROMIUM=$CHROMIUM \
ARTIFACTS=$art TAP_START=$tap_n timeout 240 node "$bdir/follow.mjs" >"$TMPD/node.out" 2>&1
nrc=$?
grep -v '^1\.\.' "$TMPD/node.out"
n=$(grep -c '^ok \|^not ok ' "$TMPD/node.out")
f=$(grep -c '^not ok ' "$TMPD/node.out")
tap_n=$((tap_n + n))
tap_failed=$((tap_failed + f))
[ $nrc -eq 0 ] || { tap_n=$((tap_n + 1)); echo "not ok $tap_n - the follow tests ran to the end (exit $nrc)"; tap_failed=$((tap_failed + 1)); }
lacks "$ALOG" "$KEY" "the key typed into the presenter view is not in nginx's access log"
echo "# screenshots: $art"
done_testing
