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

. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core
. "$top_srcdir/tests/presenter-lib.sh"

art=$top_builddir/test-artifacts/follow
mkdir -p "$art" || exit 99

presenter_servers
serve_start dev --decks "$PDECKS" ||
	{ echo "Bail out! the dev server did not start"; exit 1; }

SERVERS="dev=$SERVE_URL fcgi=$U/"
ARTIFACTS=$art
export SERVERS KEY MARKER ARTIFACTS
node_tap 240 follow.mjs "the follow tests"
lacks "$ALOG" "$KEY" "the key typed into the presenter view is not in nginx's access log"
echo "# screenshots: $art"
done_testing
