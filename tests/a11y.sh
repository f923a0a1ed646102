#!/bin/sh
# a11y.sh: accessibility in a real browser (Debian's chromium driven by
# playwright-core): axe-core in every document and frame in both themes at
# three sizes, the theme toggle and #theme, skip links, visible focus,
# reduced motion, reflow and zoom (tests/browser/a11y.mjs), on both servers:
# the dev server and nginx + FastCGI under /slides/. Screenshots go to
# $top_builddir/test-artifacts/a11y/.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
bdir=$top_srcdir/tests/browser
[ -x "$CHROMIUM" ] ||
	skip_all "$CHROMIUM is missing (apt-get install chromium fonts-noto-cjk)"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
[ -d "$bdir/node_modules/playwright-core" ] && [ -d "$bdir/node_modules/axe-core" ] ||
	skip_all "tests/browser/node_modules is missing (run 'npm ci --ignore-scripts' in tests/browser)"
. "$top_srcdir/tests/nginx-lib.sh"

art=$top_builddir/test-artifacts/a11y
mkdir -p "$art" || exit 99

# The decks: the bundled one, the presentation's test decks (a title page,
# a table, code, steps) and one of "#theme high-contrast".
decks=$TMPD/decks
mkdir -p "$decks/glossary" || exit 99
cp -R "$top_srcdir/decks/smtp.drf" "$top_srcdir/decks/smtp" "$decks/" &&
	cp "$top_srcdir"/decks/glossary/*.html "$decks/glossary/" &&
	cp -R "$top_srcdir"/tests/data/present/long.drf "$top_srcdir"/tests/data/present/steps.drf \
	    "$top_srcdir"/tests/data/present/long "$decks/" &&
	cp "$top_srcdir"/tests/data/present/glossary/*.html "$decks/glossary/" || exit 99
printf '#title High contrast\n#theme high-contrast\n--- A deck in high contrast\n<p>White on black, <a href="#x">links</a> in yellow.</p>\n--- Two\n<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>\n' \
    >"$decks/hc.drf"

serve_start dev --decks "$decks" ||
	{ echo "Bail out! the dev server did not start"; cat "$TMPD/dev.out"; exit 1; }
DEV_URL=$SERVE_URL
SOCK=$TMPD/drf.sock
drf_start "$SOCK" "$TMPD/fcgi.log" --workers 1 --threads 8 --decks "$decks" ||
	{ echo "Bail out! drfslides fcgi did not start"; cat "$TMPD/fcgi.log"; exit 1; }
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" ||
	{ echo "Bail out! nginx did not start"; exit 1; }
NGX_URL=$NGINX_URL/slides/

BASES="dev=$DEV_URL nginx=$NGX_URL" CHROMIUM=$CHROMIUM ARTIFACTS=$art TAP_START=$tap_n \
    timeout 600 node "$bdir/a11y.mjs" >"$TMPD/node.out" 2>&1
nrc=$?
grep -v '^1\.\.' "$TMPD/node.out"
n=$(grep -c '^ok \|^not ok ' "$TMPD/node.out")
f=$(grep -c '^not ok ' "$TMPD/node.out")
tap_n=$((tap_n + n))
tap_failed=$((tap_failed + f))
[ $nrc -eq 0 ] || { tap_n=$((tap_n + 1)); echo "not ok $tap_n - the accessibility tests ran to the end (exit $nrc)"; tap_failed=$((tap_failed + 1)); }
echo "# screenshots: $art"
done_testing
