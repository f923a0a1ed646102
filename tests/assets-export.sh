#!/bin/bash
# assets-export.sh: a deck's pictures in "check" (missing ones named with
# file:line), the dev server's warnings banner, "export" (copied beside the
# pages, never over a generated file) and the print view.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/assets-lib.sh"

# ---------------------------------------------------------------------------
# check: a missing picture, with file:line, and nothing for those present.
(cd "$site" && "$DRFSLIDES" check decks/pics.drf) >"$TMPD/check.out" 2>&1
is "$?" 0 "check: warnings alone do not fail"
contains "$TMPD/check.out" "decks/pics.drf:9: warning: 'missing.png' is referenced but decks/pics/missing.png does not exist" \
    "check: the missing picture is named with file:line and where it was looked for"
contains "$TMPD/check.out" "decks/pics.drf:10: warning: '../elsewhere.pdf' leads out of the deck's folder" \
    "check: a reference out of the folder with '..' is named"
for p in img/a.png b.svg d.gif e.PNG g.pdf "'1'" pics1.html example.org mailto print "'?page" "'#top"; do
	lacks "$TMPD/check.out" "$p" "check: nothing about $p"
done
contains "$TMPD/check.out" "decks/pics.drf: 2 pages, 0 errors, 2 warnings" "check: 2 warnings in all"
get banner dev /pics/1
contains "$out/banner.b" "missing.png" "dev: the warnings banner names the missing picture"

# export: the pictures go beside the pages, at their relative paths.
exp=$TMPD/export
"$DRFSLIDES" export -q "$decks/pics.drf" "$exp" 2>"$TMPD/export.err"
is "$?" 0 "export succeeds with a picture missing"
contains "$TMPD/export.err" "pics.drf:9: warning: 'missing.png' is not copied" "export warns about the missing picture"
for p in img/a.png b.svg d.gif sub/deeper/e.PNG g.pdf; do
	same "$exp/$p" "$pics/$p" "export: $p is copied beside the pages"
done
check "export: a file the deck does not use is not copied" test ! -e "$exp/h.txt"
check "export: a link to a page is not copied" test ! -e "$exp/1"
bad=
for n in 0 1; do
	for src in $(grep -o ' [Ss][Rr][Cc]="\?[^" >]*' "$exp/pics$n.html" | sed 's/^ [Ss][Rr][Cc]="\?//; s/[?#].*//'); do
		case $src in ../static/* | static/* | missing.png) continue ;; esac
		[ -f "$exp/$src" ] || bad="$bad pics$n.html:$src"
	done
done
is "$bad" "" "export: every relative img src of the exported pages is a file of the site"
# A reference that would overwrite a generated file is refused with a warning.
printf -- '--- x\n<a href="index.html">i</a> <a href="static/drfslides.css">s</a> <a href="print.html">p</a>\n' >"$decks/clash.drf"
mkdir -p "$decks/clash/static" && echo CLASH-MARK >"$decks/clash/index.html" &&
	echo CLASH-MARK >"$decks/clash/static/drfslides.css" &&
	echo CLASH-MARK >"$decks/clash/print.html"
"$DRFSLIDES" export -q "$decks/clash.drf" "$TMPD/clash" 2>"$TMPD/clash.err"
is "$?" 0 "export: a deck with clashing names still exports"
contains "$TMPD/clash.err" "'index.html' is not copied: export writes" "export: index.html of the folder is not copied over the frameset"
lacks "$TMPD/clash/index.html" CLASH-MARK "export: the frameset stays"
lacks "$TMPD/clash/static/drfslides.css" CLASH-MARK "export: the style sheet stays"
contains "$TMPD/clash.err" "'print.html' is not copied: export writes" "export: print.html of the folder is not copied over the print view"
lacks "$TMPD/clash/print.html" CLASH-MARK "export: the print view stays"

# The print view: one document at /NAME/print, so relative pictures resolve as on the pages.
get print plain /pics/print
contains "$out/print.b" '<img src="b.svg"' "print: the pictures are in the print view with their relative address"


assets_no_leak

done_testing
