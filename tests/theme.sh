#!/bin/sh
# theme.sh: the #theme directive (its warnings, the attribute every document
# of the deck carries) and the pages that get the title-page layout.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

# html_tag NAME N: prints the <html> tag of page N of deck NAME.
html_tag() {
	"$DRFSLIDES" render "$TMPD/$1.drf" "$2" | grep '^<html'
}

# body_class NAME N: prints the class of page N's <body>.
body_class() {
	"$DRFSLIDES" render "$TMPD/$1.drf" "$2" | sed -n 's/^<body class="\([^"]*\)".*/\1/p'
}

check_deck plain '#title A deck\n--- one\ntext\n'
is "$rc" 0 "a deck without #theme checks clean"
is "$(html_tag plain 0)" '<html lang="en">' "a deck without #theme has no data-theme: the default theme"

check_deck hc '#theme high-contrast\n--- one\ntext\n'
is "$rc" 0 "#theme high-contrast checks clean"
contains "$TMPD/out" "0 errors, 0 warnings" "#theme high-contrast draws no warning"
is "$(html_tag hc 0)" '<html lang="en" data-theme="high-contrast">' \
    "#theme high-contrast marks the page's <html>"
"$DRFSLIDES" export -q "$TMPD/hc.drf" "$TMPD/site"
ok $? "export writes the deck of #theme high-contrast"
for f in index.html hc0.html display.html print.html; do
	[ "$f" = index.html ] && continue	# the HTML 4.01 frameset shows no text of its own
	grep -q '^<html lang="en" data-theme="high-contrast">' "$TMPD/site/$f"
	ok $? "the exported $f carries the deck's theme"
done
[ -f "$TMPD/site/static/theme.js" ]
ok $? "the exported site has theme.js"

check_deck back '#theme high-contrast\n#theme default\n--- one\ntext\n'
is "$(html_tag back 0)" '<html lang="en">' "a later #theme default replaces an earlier high-contrast"

check_deck late '--- one\n#theme high-contrast\ntext\n'
contains "$TMPD/out" "late.drf:2: warning: #theme after the first page separator has no effect" \
    "#theme after the first separator draws a warning with its line"
is "$(html_tag late 0)" '<html lang="en">' "... and has no effect"

check_deck odd '\n#theme solarized\n--- one\ntext\n'
contains "$TMPD/out" "odd.drf:2: warning: #theme 'solarized' is not a theme; it is default or high-contrast" \
    "an unknown theme draws a warning with file:line"
is "$(html_tag odd 0)" '<html lang="en">' "... and the default theme stays"

check_deck typo '#tehme high-contrast\n--- one\ntext\n'
contains "$TMPD/out" "typo.drf:1: warning: '#tehme' is not a directive" "a misspelt #theme draws a warning"
contains "$TMPD/out" "did you mean '#theme'?" "... that names #theme"

# The title-page layout: page 0, a page of one heading, a labelled empty page.
check_deck title '--- Welcome\n<p>intro</p>\n--- Part two\n\n  <H2 class="x">Only a heading</h2>\n\n--- Two headings\n<h2>a</h2><h2>b</h2>\n--- Heading and text\n<h2>a</h2>\n<p>b</p>\n--- Empty with a label\n---\n--- Text\nplain text\n--- Unclosed\n<h2>a\n'
is "$rc" 0 "the deck of title pages checks clean"
is "$(body_class title 0)" "slide title-page" "the first page gets the title-page layout"
is "$(body_class title 1)" "slide title-page" "a page that holds only a heading gets it"
is "$(body_class title 2)" "slide" "a page of two headings does not"
is "$(body_class title 3)" "slide" "a heading and text do not"
is "$(body_class title 4)" "slide title-page" "an empty page under a label gets it (its label is its heading)"
is "$(body_class title 5)" "slide" "an empty page without a label (a blank slide) does not"
is "$(body_class title 6)" "slide" "a page of text does not"
is "$(body_class title 7)" "slide" "an unclosed heading does not"
"$DRFSLIDES" export -q "$TMPD/title.drf" "$TMPD/tsite"
is "$(grep -c '<section class="print-page title-page"' "$TMPD/tsite/print.html")" 3 \
    "the print view marks the same three pages"

done_testing
