#!/bin/bash
# attack-gls.sh: a deck whose GLS() arguments hold quotes and </script>,
# clicked through in chromium on "serve --plain": no script of the arguments
# may run; and "check" on an argument that cannot be one.
# shellcheck disable=SC1091,SC2016,SC2034,SC2154
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/attack-lib.sh"

# ============================================================ GLS() in a browser
#
# An argument runs to the first ")", so the payloads call alert`1` (no
# parenthesis) to stay whole arguments; g6 and g7 are written with "(" as in
# the issue: what follows their first ")" is the author's own text, harmless
# here. The issue's "x');alert(1);//" cannot be one argument at all (its
# argument is "x'" and ";alert(1);//" would be the author's own script), so
# it is checked by "check" only, in a deck of its own.
gls_deck=$decks/gls.drf
{
	printf '#title GLS attack\n'
	printf '#define GLS() JavaScript:parent.display.openglossary("$1.html")\n'
	printf "#define GLQ() JavaScript:parent.display.openglossary('\$1.html')\n"
	printf -- '---\n'
	printf '%s\n' \
	    "<p><a id=\"g1\" href='GLS(a\"b)'>g1</a>" \
	    "<a id=\"g2\" href='GLS(x\",top.drfPwned=1,alert\`1\`,\")'>g2</a>" \
	    "<a id=\"g3\" href='GLS(</script><script>top.drfPwned=1;alert\`1\`</script>)'>g3</a>" \
	    "<a id=\"g4\" href='GLS(\"onmouseover=\"top.drfPwned=1;alert\`1\`)'>g4</a>" \
	    "<a id=\"g5\" href='GLS(x'onmouseover='top.drfPwned=1;//)'>g5</a>" \
	    "<a id=\"g6\" href='GLS(</script><script>alert(1)</script>)'>g6</a>" \
	    "<a id=\"g7\" href='GLS(\"onmouseover=\"alert(1))'>g7</a>" \
	    "<a id=\"q1\" href=\"GLQ(x',top.drfPwned=1,alert\`1\`,')\">q1</a>" \
	    "<a id=\"q2\" href=\"GLQ(x\"onmouseover=\"top.drfPwned=1;//)\">q2</a>" \
	    "<a id=\"u1\" href='GLS(メ)'>u1</a>" \
	    "<a id=\"ok\" href='GLS(ppp)'>ok</a></p>"
} >"$gls_deck"
"$DRFSLIDES" check "$gls_deck" >"$TMPD/gls.check" 2>&1
is "$?" 1 "check: a deck with such GLS() terms fails"
is "$(grep -o '^[^ ]*gls\.drf:[0-9]*: error: glossary term' "$TMPD/gls.check" |
    sed 's/.*gls\.drf:\([0-9]*\):.*/\1/' | tr '\n' ' ')" "5 6 7 8 9 10 11 12 13 " \
    "check: each of the 9 bad terms is an error with its line (5 to 13)"
for w in 'a"b' '</script><script>alert(1' '"onmouseover="alert(1' "x'onmouseover='top.drfPwned=1;//"; do
	contains "$TMPD/gls.check" "glossary term '$w'" "check: the term '$w' is reported"
done
printf '#define GLS() JavaScript:parent.display.openglossary("$1.html")\n---\n%s\n' \
    "<a href='GLS(x');alert(1);//)'>x</a>" >"$TMPD/glsx.drf"
"$DRFSLIDES" check "$TMPD/glsx.drf" >"$TMPD/glsx.check" 2>&1
is "$?" 1 "check: GLS(x');alert(1);//) fails"
contains "$TMPD/glsx.check" "glsx.drf:3: error: glossary term 'x'' at column 14" \
    "check: ... its term is x' (up to the first ')'), an error at 3:14 (the term's column)"
"$DRFSLIDES" check "$decks/smtp.drf" >/dev/null 2>&1
is "$?" 0 "check: the real deck passes (the check is not just failing)"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
bdir=$top_srcdir/tests/browser
if [ ! -x "$CHROMIUM" ]; then
	skip "GLS() arguments in a browser" "$CHROMIUM is missing"
elif ! command -v node >/dev/null 2>&1 || [ ! -d "$bdir/node_modules/playwright-core" ]; then
	skip "GLS() arguments in a browser" "node or tests/browser/node_modules is missing"
else
	serve_traced gls "${opts[@]}" --plain --timeout 5 ||
		{ echo "Bail out! the GLS server did not start"; exit 1; }
	cat >"$TMPD/gls.cjs" <<'END_OF_SCRIPT'
// Opens the GLS deck's frameset and, link by link, hovers and clicks it in
// the slide frame; prints "link ID dialogs=N pwned=0|1 entry=WHAT".
const { chromium } = require(process.env.PLAYWRIGHT);
(async () => {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM, headless: true,
		args: ["--no-sandbox", "--disable-background-networking",
		    "--disable-component-update", "--disable-sync", "--no-first-run"],
	});
	const page = await browser.newPage();
	let dialogs = 0;
	page.on("dialog", async (d) => { dialogs++; await d.dismiss(); });
	await page.goto(process.env.URL);
	let slide;
	for (let i = 0; i < 100 && !(slide = page.frame({ name: "slide" })); i++)
		await page.waitForTimeout(50);
	const display = page.frame({ name: "display" });
	await display.waitForFunction(() => typeof openglossary === "function");
	await slide.waitForSelector("#ok");
	const ids = await slide.$$eval("a[id]", (as) => as.map((a) => a.id));
	console.log("links " + ids.join(" "));
	for (const id of ids) {
		dialogs = 0;
		await page.evaluate(() => { delete window.drfPwned; });
		await display.evaluate(() => {
			const e = document.getElementById("entry");
			if (e)
				e.src = "about:blank";
		});
		await page.waitForTimeout(50);
		await slide.hover("#" + id);
		await slide.click("#" + id);
		await page.waitForTimeout(250);
		const pwned = await page.evaluate(() => window.drfPwned === 1 ? 1 : 0);
		const e = page.frame({ name: "entry" });
		const entry = e ? e.url().replace(/.*\/glossary\//, "") : "-";
		console.log(`link ${id} dialogs=${dialogs} pwned=${pwned} entry=${entry}`);
	}
	console.log("done");
	await browser.close();
})().catch((e) => { console.log("error " + e); process.exit(1); });
END_OF_SCRIPT
	PLAYWRIGHT=$bdir/node_modules/playwright-core CHROMIUM=$CHROMIUM \
	    URL="http://127.0.0.1:$port/gls/" timeout 60 node "$TMPD/gls.cjs" >"$TMPD/gls.out" 2>&1
	sed 's/^/#   /' "$TMPD/gls.out"
	contains "$TMPD/gls.out" "done" "browser: every GLS link of the deck was hovered and clicked"
	is "$(sed -n 's/^links //p' "$TMPD/gls.out")" "g1 g2 g3 g4 g5 g6 g7 q1 q2 u1 ok" \
	    "browser: the slide holds its 11 links, none broken up by its argument"
	# safe ID: hovering and clicking link ID ran no script of its argument.
	safe() {
		grep -q "^link $1 dialogs=0 pwned=0 " "$TMPD/gls.out"
	}
	# call ID: the macro call of link ID, as written in the deck.
	call() {
		grep -o "id=\"$1\" href=.GL[SQ](.*)" "$gls_deck" | sed 's/^id="[^"]*" href=.//; s/).*$/)/'
	}
	# A javascript: URL is percent-decoded before it runs, so the expander
	# encodes a term's unsafe bytes twice there (%2522): quotes stay out.
	for id in g1 g2 g3 g4 g5 g6 g7 q1 q2; do
		safe $id
		ok $? "browser: $id $(call $id): no dialog, no script ran"
	done
	grep -q '^link ok dialogs=0 pwned=0 entry=ppp.html$' "$TMPD/gls.out"
	ok $? "browser: the good link shows its entry (the clicks do work)"
	grep -q '^link u1 dialogs=0 pwned=0 entry=%E3%83%A1.html$' "$TMPD/gls.out"
	ok $? "browser: a non-ASCII term opens its percent-encoded entry"
	server_stop "$spid" "$tracer"
fi

done_testing

