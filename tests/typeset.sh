#!/bin/sh
# typeset.sh: code and formulas on slides. "check" reports broken TeX
# delimiters and the missing packages; the pages load highlight.js and KaTeX
# (Debian's libjs-highlight.js and libjs-katex) from the server's vendor/
# route, only where they are needed; export copies them. Then, in a real
# browser (tests/browser/typeset.mjs) on both servers and from file://, the
# code is coloured and the formulas are MathML, in every layout. Screenshots
# go to $top_builddir/test-artifacts/typeset/.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"

HLJS=${DRFSLIDES_HIGHLIGHTJS:-/usr/share/javascript/highlight.js}
KATEX=${DRFSLIDES_KATEX:-/usr/share/javascript/katex}
[ -r "$HLJS/highlight.min.js" ] ||
	skip_all "highlight.js is missing (apt-get install libjs-highlight.js)"
[ -r "$KATEX/katex.min.js" ] ||
	skip_all "KaTeX is missing (apt-get install libjs-katex)"
data=$top_srcdir/tests/data/typeset

# check: the broken delimiters, each at its line; a good deck is clean.
"$DRFSLIDES" check "$data/typeset.drf" >"$TMPD/check-good" 2>&1
ok $? "check passes the deck of code and formulas"
contains "$TMPD/check-good" "typeset.drf: 5 pages, 0 errors, 0 warnings" \
    "with the libraries installed, the deck has no warnings"
"$DRFSLIDES" check "$data/broken.drf" >"$TMPD/check-broken" 2>&1
ok $? "broken delimiters are warnings: check still exits 0"
contains "$TMPD/check-broken" "broken.drf:4: warning: the formula begun with '\\(' on line 4 is cut by the HTML tag '</p>'" \
    "a formula left open is reported at its line"
contains "$TMPD/check-broken" "broken.drf:6: warning: '\\)' closes no formula" \
    "a closing delimiter with no opening one is reported at its line"
contains "$TMPD/check-broken" "broken.drf:7: warning: '\\(' begins a formula inside the one begun with '\\[' on line 7" \
    "a formula begun inside another is reported at its line"
contains "$TMPD/check-broken" "broken.drf:8: warning: the formula begun with '\\(' on line 8 is cut by the HTML tag '<b>'" \
    "a tag inside a formula is reported at its line"
contains "$TMPD/check-broken" "broken.drf: 2 pages, 0 errors, 4 warnings" \
    "TeX inside <pre> is not checked"
"$DRFSLIDES" check --highlightjs "$TMPD/none" --katex "$TMPD/none" \
    "$data/typeset.drf" >"$TMPD/check-none" 2>&1
contains "$TMPD/check-none" "typeset.drf:6: warning: code is shown without colours: install libjs-highlight.js" \
    "without highlight.js, check names the package at the first code block"
contains "$TMPD/check-none" "typeset.drf:28: warning: formulas are shown as TeX: install libjs-katex" \
    "without KaTeX, check names the package at the first formula"
DRFSLIDES_KATEX=$TMPD/none "$DRFSLIDES" check "$data/typeset.drf" >"$TMPD/check-env" 2>&1
contains "$TMPD/check-env" "install libjs-katex" "DRFSLIDES_KATEX names the KaTeX folder too"

# The pages: each loads what it needs, nothing more.
serve_start dev --decks "$data" || bail "the dev server did not start"
DEV_URL=$SERVE_URL
http_get p0 "${DEV_URL}typeset/0"
contains "$TMPD/p0.b" '<script src="../vendor/highlight.js/highlight.min.js" defer></script>' \
    "a page of code loads highlight.js from the server's vendor/ route"
lacks "$TMPD/p0.b" 'katex' "a page of code without formulas does not load KaTeX"
http_get p3 "${DEV_URL}typeset/3"
contains "$TMPD/p3.b" '<link rel="stylesheet" href="../vendor/katex/katex.min.css">' \
    "a page of formulas loads KaTeX's style sheet"
lacks "$TMPD/p3.b" 'highlight' "a page of formulas without code does not load highlight.js"
http_get print "${DEV_URL}typeset/print"
contains "$TMPD/print.b" 'vendor/katex/contrib/auto-render.js' "the print view loads KaTeX"
contains "$TMPD/print.b" 'vendor/highlight.js/highlight.min.js' "the print view loads highlight.js"
http_get ov "${DEV_URL}typeset/overview"
contains "$TMPD/ov.b" 'vendor/katex/katex.min.js' "the overview loads KaTeX"
csp=$(http_header p3 Content-Security-Policy)
is "$csp" "frame-ancestors 'self'" "the pages' policy is unchanged: the libraries are the site's own"

# The vendor/ route: the package's files as they are, typed, cached.
http_get js "${DEV_URL}vendor/katex/katex.min.js"
is "$code" 200 "GET vendor/katex/katex.min.js answers 200"
same "$TMPD/js.b" "$KATEX/katex.min.js" "it is the package's file (through its link)"
is "$(http_header js Content-Type)" "text/javascript; charset=UTF-8" "it is JavaScript"
etag=$(http_header js ETag)
http_get js304 "${DEV_URL}vendor/katex/katex.min.js" -H "If-None-Match: $etag"
is "$code" 304 "it answers 304 to its ETag"
font=$(cd "$KATEX/fonts" && ls KaTeX_Main-Regular.* | head -3)
for f in $font; do
	http_get font "${DEV_URL}vendor/katex/fonts/$f"
	is "$code" 200 "GET vendor/katex/fonts/$f answers 200"
	case $f in
	*.woff2) want=font/woff2 ;;
	*.woff) want=font/woff ;;
	*.ttf) want=font/ttf ;;
	esac
	is "$(http_header font Content-Type)" "$want" "$f is sent as $want"
done
http_get hl "${DEV_URL}vendor/highlight.js/highlight.min.js"
same "$TMPD/hl.b" "$HLJS/highlight.min.js" "GET vendor/highlight.js/highlight.min.js is the package's file"
for p in katex/katex.mjs highlight.js/styles/a11y-dark.css katex/fonts/x.svg \
    katex/ vendor/katex/katex.min.js nosuch/x.js; do
	http_get other "${DEV_URL}vendor/$p"
	is "$code" 404 "GET vendor/$p answers 404: only the listed files are served"
done
for p in katex/../katex/katex.min.js katex/fonts/../katex.min.js; do
	http_get other "${DEV_URL}vendor/$p"
	is "$code" 400 "GET vendor/$p answers 400: no dot segments"
done

# Without the packages: no script to load, code and TeX as they are.
serve_start bare --plain --decks "$data" --highlightjs "$TMPD/none" --katex "$TMPD/none" ||
	bail "the server without libraries did not start"
http_get b0 "${SERVE_URL}typeset/0"
lacks "$TMPD/b0.b" 'vendor/' "without the packages, a page of code loads no library"
contains "$TMPD/b0.b" '<pre><code class="language-c">' "its code is there as written"
http_get b3 "${SERVE_URL}typeset/3"
contains "$TMPD/b3.b" '\(T = \frac{W}{RTT}\)' "without KaTeX, the TeX is shown as written"
http_get bj "${SERVE_URL}vendor/katex/katex.min.js"
is "$code" 404 "without KaTeX, vendor/katex/ has nothing"
serve_stop "$spid"

# export: the libraries beside the pages, only those the deck uses.
"$DRFSLIDES" export -q "$data/typeset.drf" "$TMPD/site" >"$TMPD/export.out" 2>&1
ok $? "export writes the deck of code and formulas"
same "$TMPD/site/vendor/highlight.js/highlight.min.js" "$HLJS/highlight.min.js" \
    "export copies highlight.js"
same "$TMPD/site/vendor/katex/contrib/auto-render.js" "$KATEX/contrib/auto-render.js" \
    "export copies KaTeX's auto-render"
nfonts=$(ls "$KATEX/fonts/" | grep -c '\.woff2$')
is "$(ls "$TMPD/site/vendor/katex/fonts/" | grep -c '\.woff2$')" "$nfonts" "export copies every KaTeX font"
contains "$TMPD/site/typeset3.html" '<script src="vendor/katex/katex.min.js" defer></script>' \
    "an exported page of formulas loads KaTeX from beside it"
"$DRFSLIDES" export -q "$top_srcdir/tests/data/present/steps.drf" "$TMPD/plain" >/dev/null 2>&1
[ ! -e "$TMPD/plain/vendor" ]
ok $? "a deck without code or formulas is exported without the libraries"

# The browser: both servers and the export.
. "$top_srcdir/tests/browser-lib.sh"
if ! browser_have playwright-core axe-core; then
	skip "the pages in a browser" "$browser_why"
	done_testing
	exit 0
fi
. "$top_srcdir/tests/nginx-lib.sh"
SOCK=$TMPD/drf.sock
drf_start "$SOCK" "$TMPD/fcgi.log" --workers 1 --threads 4 --decks "$data" ||
	bail "drfslides fcgi did not start"
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" || bail "nginx did not start"
NGX_URL=$NGINX_URL/slides/

art=$top_builddir/test-artifacts/typeset
mkdir -p "$art" || exit 99
export EXPORT_DIR="$TMPD/site" DEV_URL NGX_URL ARTIFACTS="$art"
node_tap 900 typeset.mjs "the typeset tests"
echo "# screenshots: $art"
done_testing
