#!/bin/sh
# present.sh: how decks are presented, in a real browser (Debian's chromium
# driven by playwright-core) on both servers: the slide canvas at every
# screen size in every layout, presentation mode and its keys. The decks are
# the bundled one and the test decks of tests/data/present. Screenshots go to
# $top_builddir/test-artifacts/present/.
# shellcheck disable=SC1091
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
. "$top_srcdir/tests/nginx-lib.sh"

art=$top_builddir/test-artifacts/present
mkdir -p "$art" || exit 99

# The decks: the bundled deck and the test decks, with both glossaries.
decks=$TMPD/decks
mkdir -p "$decks/glossary" || exit 99
cp -R "$top_srcdir/decks/smtp.drf" "$top_srcdir/decks/smtp" "$decks/" &&
	cp "$top_srcdir"/decks/glossary/*.html "$decks/glossary/" &&
	cp -R "$top_srcdir"/tests/data/present/*.drf "$top_srcdir"/tests/data/present/long "$decks/" &&
	cp "$top_srcdir"/tests/data/present/glossary/*.html "$decks/glossary/" || exit 99

# serve_start NAME ARGS...: "drfslides serve --port 0 ARGS"; sets SERVE_URL.
serve_start() {
	sv_name=$1
	shift
	"$DRFSLIDES" serve --port 0 "$@" >"$TMPD/$sv_name.out" 2>&1 </dev/null &
	nl_track $!
	SERVE_URL=
	sv_n=0
	while [ $sv_n -lt 100 ] && [ -z "$SERVE_URL" ]; do
		SERVE_URL=$(sed -n 's|^drfslides: serving .* at \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' \
		    "$TMPD/$sv_name.out" 2>/dev/null | head -1)
		[ -n "$SERVE_URL" ] || sleep 0.05
		sv_n=$((sv_n + 1))
	done
	[ -n "$SERVE_URL" ]
}

# Another origin, for embedding.
mkdir -p "$TMPD/course" "$TMPD/nodecks"
echo '<!DOCTYPE html><title>empty</title>' >"$TMPD/course/course.html"
serve_start course --plain --decks "$TMPD/nodecks" --static "$TMPD/course" ||
	{ echo "Bail out! the course site did not start"; exit 1; }
COURSE_URL=$SERVE_URL
ancestors="'self' ${COURSE_URL%/}"

serve_start dev --decks "$decks" --frame-ancestors "$ancestors" ||
	{ echo "Bail out! the dev server did not start"; cat "$TMPD/dev.out"; exit 1; }
DEV_URL=$SERVE_URL
SOCK=$TMPD/drf.sock
drf_start "$SOCK" "$TMPD/fcgi.log" --workers 1 --threads 8 \
    --decks "$decks" --frame-ancestors "$ancestors" ||
	{ echo "Bail out! drfslides fcgi did not start"; cat "$TMPD/fcgi.log"; exit 1; }
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" ||
	{ echo "Bail out! nginx did not start"; exit 1; }
NGX_URL=$NGINX_URL/slides/

# oEmbed: the embed has the shape of the deck's canvas (16:9 or 4:3) with a
# strip for the navigation under it, the same in the width and height it
# reports and in the aspect-ratio its iframe keeps at any width.
for s in dev nginx; do
	if [ $s = dev ]; then base=$DEV_URL; else base=$NGX_URL; fi
	for d in smtp:16/9 square:4/3; do
		enc=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "${base}${d%%:*}/")
		for mw in "" 390; do
			curl -s -o "$TMPD/oembed.json" "${base}oembed?url=$enc${mw:+&maxwidth=$mw}"
			node -e '
				const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
				const [cw, ch] = process.argv[2].split("/").map(Number);
				const m = /aspect-ratio:([0-9]+)\/([0-9]+)/.exec(j.html);
				const strip = j.height - j.width * ch / cw;
				const bad = [];
				if (!m || Math.abs(m[1] / m[2] - j.width / j.height) > 0.01)
					bad.push("the iframe keeps another shape than the reported size");
				if (!(strip >= 44 * j.width / 960 - 1 && strip <= 0.15 * j.height))
					bad.push(`the strip under the ${process.argv[2]} canvas is ${strip} px`);
				if (process.argv[3] && !(j.width <= Number(process.argv[3])))
					bad.push("wider than maxwidth");
				if (!/width:100%/.test(j.html) || !/height:auto/.test(j.html))
					bad.push("the iframe does not follow the width of its page");
				if (bad.length) { console.error(bad.join("; "), JSON.stringify(j)); process.exit(1); }
			' "$TMPD/oembed.json" "${d#*:}" "$mw" >"$TMPD/.out" 2>&1
			orc=$?
			ok $orc "$s: oEmbed of the ${d#*:} deck ${d%%:*}${mw:+ at maxwidth=$mw}: width and height in the shape of the canvas and its navigation"
			[ $orc -eq 0 ] || sed 's/^/#   /' "$TMPD/.out"
		done
	done
done

# The static site of the deck with steps, opened from file:// in the browser.
"$DRFSLIDES" export -q "$decks/steps.drf" "$TMPD/export-steps"
ok $? "export writes the site of the deck with steps"

EXPORT_STEPS=$TMPD/export-steps DEV_URL=$DEV_URL NGX_URL=$NGX_URL COURSE_URL=$COURSE_URL CHROMIUM=$CHROMIUM \
ARTIFACTS=$art TAP_START=$tap_n timeout 1500 node "$bdir/present.mjs" >"$TMPD/node.out" 2>&1
nrc=$?
grep -v '^1\.\.' "$TMPD/node.out"
n=$(grep -c '^ok \|^not ok ' "$TMPD/node.out")
f=$(grep -c '^not ok ' "$TMPD/node.out")
tap_n=$((tap_n + n))
tap_failed=$((tap_failed + f))
[ $nrc -eq 0 ] || { tap_n=$((tap_n + 1)); echo "not ok $tap_n - the presentation tests ran to the end (exit $nrc)"; tap_failed=$((tap_failed + 1)); }
echo "# screenshots: $art"
done_testing
