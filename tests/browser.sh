#!/bin/sh
# browser.sh: the decks in a real browser (Debian's chromium driven by
# playwright-core) on both servers: the dev server and nginx + FastCGI under
# /slides/, plus a second origin that embeds a deck in an iframe. Screenshots
# go to $top_builddir/test-artifacts/.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core
. "$top_srcdir/tests/nginx-lib.sh"

art=$top_builddir/test-artifacts
mkdir -p "$art" || exit 99

# The other origin, the dev server and fcgi behind nginx.
browser_servers "$top_srcdir/decks"
ancestors="'self' ${COURSE_URL%/}"

# A deck of pictures of its own (decks/NAME/...), for the image checks of
# run.mjs; the bundled deck's pictures are checked too once decks/smtp/ exists.
pdecks=$TMPD/picdecks
mkdir -p "$pdecks/pics/img" || exit 99
echo iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg== |
	base64 -d >"$pdecks/pics/img/dot.png" || exit 99
echo R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7 |
	base64 -d >"$pdecks/pics/fig1.gif" || exit 99
printf '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><style>rect{fill:teal}</style><rect width="40" height="20"/></svg>\n' \
    >"$pdecks/pics/img/box.svg"
printf -- '#title Pictures\n--- one\n<img src="img/dot.png" alt="a dot"> <img src="fig1.gif" alt="a figure">\n--- two\n<p><img src="./img/box.svg?v=1" alt="a box"></p>\n' \
    >"$pdecks/pics.drf"
serve_start pics --plain --decks "$pdecks" ||
	{ echo "Bail out! the pictures server did not start"; exit 1; }
PICS_URL=$SERVE_URL
SMTP_ASSETS=
[ -d "$top_srcdir/decks/smtp" ] && SMTP_ASSETS=1

# Headers and oEmbed, with curl, on both servers.
for s in dev nginx; do
	if [ $s = dev ]; then base=$DEV_URL; else base=$NGX_URL; fi
	curl -s -D "$TMPD/h" -o "$TMPD/b" "${base}smtp/view" >/dev/null
	tr -d '\r' <"$TMPD/h" >"$TMPD/h2"
	contains "$TMPD/h2" "Content-Security-Policy: frame-ancestors $ancestors" \
	    "$s: the view sends the configured frame-ancestors"
	grep -qi '^X-Frame-Options' "$TMPD/h2"
	[ $? -ne 0 ]
	ok $? "$s: no X-Frame-Options"
	grep -i '^Content-Security-Policy' "$TMPD/h2" | grep -qi 'script-src'
	[ $? -ne 0 ]
	ok $? "$s: no script-src that would block the JavaScript: links of GLS()"
	enc=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "${base}smtp/")
	code=$(curl -s -D "$TMPD/h" -o "$TMPD/oembed.json" -w '%{http_code}' \
	    "${base}oembed?url=$enc&format=json")
	is "$code" 200 "$s: oembed answers 200 for one of our decks"
	tr -d '\r' <"$TMPD/h" >"$TMPD/h2"
	contains "$TMPD/h2" "Content-Type: application/json" "$s: oembed is JSON"
	node -e '
		const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const want = "<iframe src=\"" + process.argv[2] + "smtp/view\"";
		if (j.version !== "1.0" || j.type !== "rich" || !j.html.startsWith(want) ||
		    !(j.width > 0) || !(j.height > 0) || !j.title)
			{ console.error(JSON.stringify(j)); process.exit(1); }
		require("fs").writeFileSync(process.argv[3], j.html);
	' "$TMPD/oembed.json" "$base" "$TMPD/embed-$s.html" >"$TMPD/.out" 2>&1
	orc=$?
	ok $orc "$s: oembed is rich with an iframe of the deck's view"
	[ $orc -eq 0 ] || sed 's/^/#   /' "$TMPD/.out"
	enc=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "${base}nosuch/")
	code=$(curl -s -o /dev/null -w '%{http_code}' "${base}oembed?url=$enc")
	is "$code" 404 "$s: oembed answers 404 for a deck that does not exist"
	code=$(curl -s -o /dev/null -w '%{http_code}' \
	    "${base}oembed?url=javascript%3Aalert(1)%2F%2Fsmtp%2F")
	is "$code" 404 "$s: oembed answers 404 for a URL that is not http(s)"
	code=$(curl -s -o /dev/null -w '%{http_code}' "${base}oembed?url=$enc&format=xml")
	is "$code" 501 "$s: oembed answers 501 for format=xml"
done

# The course site: one page that embeds each server's deck, with the
# iframe the oEmbed answer gave.
for s in dev nginx; do
	{
		echo '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
		echo "<title>Course page ($s)</title></head><body><h1>A course page</h1>"
		cat "$TMPD/embed-$s.html"
		echo '</body></html>'
	} >"$TMPD/course/course-$s.html"
done

# The static site of the bundled deck, opened from file:// in the browser.
"$DRFSLIDES" export -q "$top_srcdir/decks/smtp.drf" "$TMPD/export"
ok $? "export writes the bundled deck's static site"

EXPORT_DIR=$TMPD/export
PICS_URL=$PICS_URL
SMTP_ASSETS=$SMTP_ASSETS
DEV_URL=$DEV_URL
NGX_URL=$NGX_URL
COURSE_URL=$COURSE_URL
ARTIFACTS=$art
export EXPORT_DIR PICS_URL SMTP_ASSETS DEV_URL NGX_URL COURSE_URL ARTIFACTS
node_tap 600 run.mjs "the browser tests"
echo "# screenshots: $art"
done_testing
