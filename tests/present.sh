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

. "$top_srcdir/tests/browser-lib.sh"
browser_ready playwright-core
. "$top_srcdir/tests/nginx-lib.sh"

art=$top_builddir/test-artifacts/present
mkdir -p "$art" || exit 99

# The decks: the bundled deck and the test decks, with both glossaries.
browser_decks
browser_present_decks '*.drf' long

# The other origin, the dev server and fcgi behind nginx.
browser_servers "$decks"

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

EXPORT_STEPS=$TMPD/export-steps
DEV_URL=$DEV_URL
NGX_URL=$NGX_URL
COURSE_URL=$COURSE_URL
ARTIFACTS=$art
export EXPORT_STEPS DEV_URL NGX_URL COURSE_URL ARTIFACTS
node_tap 1500 present.mjs "the presentation tests"
echo "# screenshots: $art"
done_testing
