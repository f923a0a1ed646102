#!/bin/sh
# format.sh: the .drf format as FORMAT.md and drf(5) decide it, through check, render and notes.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

gls='#define GLS() JavaScript:parent.display.openglossary("$1.html")'
link='JavaScript:parent.display.openglossary'

# deck NAME: writes standard input, as it is, into the deck $TMPD/NAME.drf.
deck() {
	cat >"$TMPD/$1.drf"
}

# body NAME N: renders page N of deck NAME and keeps the slide's text in
# $TMPD/body (the lines inside <main>, less the heading for screen readers
# that a page without a label gets); sets rc.
body() {
	run render "$TMPD/$1.drf" "$2"
	sed -n '/^<main class="slide-body"/,/^<\/main>$/p' "$TMPD/out" |
	    sed '1d;$d' | sed '1{/^<h1 class="sr-only">/d;}' >"$TMPD/body"
}

# summary NAME WANT DESCRIPTION: check of deck NAME prints the summary WANT.
summary() {
	run check "$TMPD/$1.drf"
	contains "$TMPD/out" "$TMPD/$1.drf: $2" "$3"
}

# fails_cleanly DESCRIPTION: the last run failed with an error on stderr only.
fails_cleanly() {
	[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ]
	ok $? "$1: non-zero exit (got $rc)"
	[ -s "$TMPD/err" ]
	ok $? "$1: an error on stderr"
	[ ! -s "$TMPD/out" ]
	ok $? "$1: nothing on stdout"
}

# --- Text: byte-order mark and line ends

printf '\357\273\277#title Marked\nnote\n---\nhello\n' | deck bom
body bom 0
is "$(cat "$TMPD/body")" "hello" "BOM: the page text has no BOM"
contains "$TMPD/out" "<title>Marked (1/1)</title>" "BOM: a directive on the first line still works"
run notes "$TMPD/bom.drf"
is "$(cat "$TMPD/out")" "note" "BOM: the notes have no BOM"
printf '\357\273\277---\nx\n' | deck bomsep
summary bomsep "1 page," "BOM: a separator on the first line still works"

printf '#title Crlf\r\n#define X Y\r\nnote\r\n---\r\none X\r\ntwo\r\n' | deck crlf
body crlf 0
is "$(cat "$TMPD/body")" "$(printf 'one Y\ntwo')" "CRLF: lines end without the CR, and a define's TO has none"
contains "$TMPD/out" "<title>Crlf (1/1)</title>" "CRLF: the title has no CR"
lacks "$TMPD/out" "$(printf '\r')" "CRLF: no CR anywhere in the page"
run notes "$TMPD/crlf.drf"
is "$(cat "$TMPD/out")" "note" "CRLF: the notes have no CR"

printf '#title Cr\rnote\r---\rA\rB\r---\rC' | deck cr
summary cr "2 pages," "lone CR: separators are found"
body cr 0
is "$(cat "$TMPD/body")" "$(printf 'A\nB')" "lone CR: each CR ends a line"
contains "$TMPD/out" "<title>Cr (1/2)</title>" "lone CR: the title ends at the CR"
body cr 1
is "$(cat "$TMPD/body")" "C" "lone CR: the last line needs no terminator"
run notes "$TMPD/cr.drf"
is "$(cat "$TMPD/out")" "note" "lone CR: the notes are one line"

printf 'a\r\n\rb\n---\n' | deck mixed
run notes "$TMPD/mixed.drf"
is "$(cat "$TMPD/out")" "$(printf 'a\n\nb')" "CRLF then lone CR: two line ends"

# --- Text: legacy encodings

jtext='日本語のテキスト'
printf '%s\n#title 題名\n作成者\n---\n%s <a href='"'"'GLS(ppp)'"'"'>接続</a>\n' "$gls" "$jtext" >"$TMPD/utf8.txt"
iconv -f UTF-8 -t EUC-JP "$TMPD/utf8.txt" | deck eucjp
{ echo '#charset EUC-JP'; cat "$TMPD/eucjp.drf"; } | deck eucjpcs
for f in eucjp eucjpcs; do
	case $f in eucjp) how="EUC-JP without #charset" ;; *) how="EUC-JP with #charset" ;; esac
	run check "$TMPD/$f.drf"
	is "$rc" 0 "$how: check exits 0"
	body "$f" 0
	is "$(cat "$TMPD/body")" "$jtext <a href='$link(\"ppp.html\")'>接続</a>" \
	    "$how: the page is converted to UTF-8 and expanded"
	contains "$TMPD/out" "<title>題名 (1/1)</title>" "$how: the title is converted"
	contains "$TMPD/out" '<html lang="ja">' "$how: the page is marked as Japanese"
	run notes "$TMPD/$f.drf"
	is "$(cat "$TMPD/out")" "作成者" "$how: the notes are converted"
done

# 表 is 0x95 0x5C and ソ is 0x83 0x5C in Shift_JIS: the trail byte is '\'.
printf '#define Q() [$1]\n%s\n---\n表(ソ"表"\n<a href='"'"'GLS(ソ)'"'"'>ソ</a>Q(表)Q(ソ)\n' "$gls" |
    iconv -f UTF-8 -t CP932 | deck sjis
od -An -tx1 "$TMPD/sjis.drf" | tr -d '\n' | grep -q '95 5c 28 83 5c 22'
ok $? "Shift_JIS: the test deck has trail bytes 0x5C before ( and \""
run check "$TMPD/sjis.drf"
is "$rc" 0 "Shift_JIS without #charset: check exits 0"
lacks "$TMPD/out" "error:" "Shift_JIS: a trail byte 0x5C opens no macro call"
body sjis 0
is "$(cat "$TMPD/body")" "$(printf '%s\n%s' '表(ソ"表"' "<a href='$link(\"%25E3%2582%25BD.html\")'>ソ</a>[表][ソ]")" \
    "Shift_JIS: 表 and ソ before ( and \" come out as UTF-8, and macros still work"
{ echo '#charset Shift_JIS'; cat "$TMPD/sjis.drf"; } | deck sjiscs
body sjiscs 0
contains "$TMPD/body" '表(ソ"表"' "Shift_JIS with #charset: converted"

printf -- '---\nx\n#charset EUC-JP\n' | deck latecharset
run check "$TMPD/latecharset.drf"
contains "$TMPD/out" "latecharset.drf:3: warning:" "#charset after the first separator draws a warning"
printf '#charset NO-SUCH-CHARSET-9\n---\nx\n' | deck unknowncharset
run check "$TMPD/unknowncharset.drf"
is "$rc" 1 "an unknown #charset fails"
contains "$TMPD/out" "unknowncharset.drf:1: error:" "an unknown #charset is named with its line"
printf '#charset UTF-8\n---\nok\n\351t\351\n' | deck notutf8
run check "$TMPD/notutf8.drf"
is "$rc" 1 "#charset UTF-8 on a file that is not UTF-8 fails"
contains "$TMPD/out" "notutf8.drf:4: error:" "... naming the line"

# --- Text: what is not text

printf -- '#title n\n---\nab\000cd\nef\n' | deck nul
run check "$TMPD/nul.drf"
is "$rc" 1 "NUL: check exits 1"
contains "$TMPD/out" "$TMPD/nul.drf:3: error: NUL byte" "NUL: the error names its line"
run render "$TMPD/nul.drf" 0
fails_cleanly "NUL: render"

iconv -f UTF-8 -t UTF-16 "$TMPD/utf8.txt" | deck utf16
run check "$TMPD/utf16.drf"
is "$rc" 1 "UTF-16: check exits 1"
contains "$TMPD/out" "$TMPD/utf16.drf:1: error:" "UTF-16: reported as an error"
contains "$TMPD/out" "UTF-16" "UTF-16: the error says what the file is"
run render "$TMPD/utf16.drf" 0
fails_cleanly "UTF-16: render"

printf -- '---\nfine\nab\200\377\376cd\n' | deck badbytes
run check "$TMPD/badbytes.drf"
is "$rc" 1 "bytes valid in no encoding: check exits 1"
contains "$TMPD/out" "$TMPD/badbytes.drf:3: error:" "bytes valid in no encoding: the error names the line"
contains "$TMPD/out" "0x80" "bytes valid in no encoding: the error names the byte"
run render "$TMPD/badbytes.drf" 0
fails_cleanly "bytes valid in no encoding: render"

# --- Lines and pages

printf 'Author\n#title None\nDate\n' | deck nosep
run check "$TMPD/nosep.drf"
is "$rc" 0 "no separator: check exits 0"
contains "$TMPD/out" "$TMPD/nosep.drf: 0 pages, 0 errors" "no separator: check says 0 pages"
run render "$TMPD/nosep.drf" 0
fails_cleanly "no separator: render of page 0"
run notes "$TMPD/nosep.drf"
is "$(cat "$TMPD/out")" "$(printf 'Author\nDate')" "no separator: every line is a note"

printf -- '---\n---\n\n---\n' | deck empties
summary empties "3 pages," "empty pages: each separator starts a page"
body empties 0
is "$(cat "$TMPD/body")" "" "empty pages: a page with no lines is blank"
[ "$rc" -eq 0 ] && grep -q '^</main>$' "$TMPD/out"
ok $? "empty pages: a blank page renders"
body empties 2
is "$rc" 0 "trailing separator: the page after it exists"
is "$(cat "$TMPD/body")" "" "trailing separator: and it is blank"

printf -- '---\nA\n---\n' | deck trailing
summary trailing "2 pages," "trailing separator: starts one more (blank) page"

printf -- '---\n--\n----x\n' | deck dashes
summary dashes "2 pages," "three dashes or more separate; two do not"
body dashes 0
is "$(cat "$TMPD/body")" "--" "two dashes are text"

printf '#title Deck\n-----   Intro  part \t\nx\n---\ny\n' | deck label
body label 0
contains "$TMPD/out" "<title>Deck — Intro  part (1/2)</title>" "label: the trimmed text after the dashes titles the page"
contains "$TMPD/out" '<h1 class="slide-label">Intro  part</h1>' "label: the page shows it"
is "$(sed 1d "$TMPD/body")" "x" "label: it is not part of the page text"
body label 1
lacks "$TMPD/out" "slide-label" "label: a page without one shows none"
contains "$TMPD/out" "<title>Deck (2/2)</title>" "label: a page without one has the deck title"

printf '#title T\n## a comment\n##title Wrong\n# ----\n#\n# title Wrong\n#Title Wrong\nnote\n---\none\n## inside\n# ---- inside\n#\ntwo\n' | deck comments
summary comments "1 page," "comments: '# ----' is not a separator"
body comments 0
is "$(cat "$TMPD/body")" "$(printf 'one\ntwo')" "comments: ##, '# ----' and # are dropped inside a page"
contains "$TMPD/out" "<title>T (1/1)</title>" "comments: ##title and # title are not directives"
run notes "$TMPD/comments.drf"
is "$(cat "$TMPD/out")" "note" "comments: they are not notes"
run check "$TMPD/comments.drf"
contains "$TMPD/out" "comments.drf:7: warning:" "comments: #Title draws a warning"
lacks "$TMPD/out" "comments.drf:3:" "comments: ##title draws none"

printf 'n1\n\n n2\n\n\n#title T\n---\nx\n' | deck notes
run notes "$TMPD/notes.drf"
is "$(cat "$TMPD/out")" "$(printf 'n1\n\n n2')" "notes: kept in order, trailing blank lines dropped"
printf -- '#title x\n---\nx\n' | deck nonotes
run notes "$TMPD/nonotes.drf"
is "$rc" 0 "notes: a deck without notes exits 0"
[ ! -s "$TMPD/out" ]
ok $? "notes: a deck without notes prints nothing"

# --- Directives

printf '#title <One> & "two"\n#header <p class="h">H</p>\n#footer <p>F</p>\n---\nA\n#title Second\n#header\nB\n---\nC\n' | deck directives
body directives 0
contains "$TMPD/out" "<title>&lt;One&gt; &amp; " "#title: escaped as plain text"
contains "$TMPD/out" '<header class="deck-header"><p class="h">H</p></header>' "#header: the HTML goes on top"
contains "$TMPD/out" '<footer class="deck-footer"><p>F</p></footer>' "#footer: the HTML goes at the bottom"
is "$(cat "$TMPD/body")" "$(printf 'A\nB')" "directives inside a page are not page text"
body directives 1
contains "$TMPD/out" "<title>Second (2/2)</title>" "#title inside a page applies from the next page"
lacks "$TMPD/out" "deck-header" "an empty #header means none"
contains "$TMPD/out" "<p>F</p>" "#footer stays in force"

printf '#title First\n---\n#title Later\nx\n' | deck decktitle
run export "$TMPD/decktitle.drf" "$TMPD/decktitle-site"
contains "$TMPD/decktitle-site/index.html" "<title>First</title>" "the deck's title is the one in force when page 0 starts"
printf -- '---\nx\n' | deck untitled
run export "$TMPD/untitled.drf" "$TMPD/untitled-site"
contains "$TMPD/untitled-site/index.html" "<title>untitled</title>" "without #title the deck is titled by its file name"

# --- Substitution

printf '#define A B\n#define B C\n#define AA x\n---\nAAAB\nAB\n' | deck longest
body longest 0
is "$(cat "$TMPD/body")" "$(printf 'xBC\nBC')" "longest match wins and produced text is not scanned again"

printf '#define DEL\n#define GONE   \t\n---\nxDELy GONE!\n' | deck delete
body delete 0
is "$(cat "$TMPD/body")" "xy !" "define to empty: FROM is deleted"
run check "$TMPD/delete.drf"
is "$rc" 0 "define to empty: no error"

printf '#define X one\nX\n---\nX\n#define X two\nX # X\n#define\n' | deck later
body later 0
is "$(cat "$TMPD/body")" "$(printf 'one\ntwo # two')" "a later #define replaces an earlier one from its line on"
run notes "$TMPD/later.drf"
is "$(cat "$TMPD/out")" "X" "substitutions do not apply to notes"
run check "$TMPD/later.drf"
contains "$TMPD/out" "later.drf:7: warning:" "#define without a name draws a warning"

printf '#define < <\n#define > >\n---\n<b>a</b>\n' | deck noop
body noop 0
is "$(cat "$TMPD/body")" "<b>a</b>" "a define that maps a string to itself changes nothing"

printf '#define M() [$1|$1|$2|$]\n#define M plain\n---\nM(q) M(r\nM x M()\n' | deck macro
run check "$TMPD/macro.drf"
is "$rc" 1 "macro without ): check exits 1"
contains "$TMPD/out" "$TMPD/macro.drf:4: error: macro call 'M(' at column 6" \
    "macro without ): the error names the line and column"
body macro 0
is "$rc" 0 "macro without ): the page still renders"
is "$(cat "$TMPD/body")" "$(printf '%s\n%s' '[q|q|$2|$] M(r' 'plain x [||$2|$]')" \
    "macros: \$1 used twice, other \$ literal, call without ) left as written"

printf '%s\n---\nGLS(a"b) GLS(../up) GLS(メ) GLS(ok.x_y-z)\n' "$gls" | deck terms
run check "$TMPD/terms.drf"
is "$rc" 1 "bad glossary terms are errors"
contains "$TMPD/out" "terms.drf:3: error: glossary term 'a\"b' at column 5" "a term with a quote is reported"
contains "$TMPD/out" "terms.drf:3: error: glossary term '../up'" "a term starting with . is reported"
body terms 0
is "$(cat "$TMPD/body")" "$link(\"a%2522b.html\") $link(\"..%252Fup.html\") $link(\"%25E3%2583%25A1.html\") $link(\"ok.x_y-z.html\")" \
    "glossary terms are percent-encoded: no quote or slash reaches the page"

# --- Limits

printf '#define X 0123456789\n---\nsmall\nXXXXXXXXXX\nXXXXXXXXXXXXXXXXXXXX\n' | deck limit
run check --max-expanded 200 "$TMPD/limit.drf"
is "$rc" 1 "over --max-expanded: check exits 1"
contains "$TMPD/out" "$TMPD/limit.drf:5: error: the expanded deck is larger than the limit of 200 bytes (--max-expanded)" \
    "over --max-expanded: the error names the limit and the line"
run render --max-expanded 200 "$TMPD/limit.drf" 0
fails_cleanly "over --max-expanded: render"
run check --max-expanded 1k "$TMPD/limit.drf"
is "$rc" 0 "under --max-expanded: check exits 0"

awk 'BEGIN { print "---"; s = "0123456789abcdef"; for (i = 0; i < 16; i++) s = s s; print s }' >"$TMPD/longline.drf"
body longline 0
is "$rc" 0 "a 1 MiB line renders"
is "$(awk '{ print length($0) }' "$TMPD/body")" 1048576 "a 1 MiB line comes out whole"

awk 'BEGIN { for (i = 0; i < 100000; i++) print "---" }' >"$TMPD/pages.drf"
summary pages "100000 pages, 0 errors" "100,000 pages: check says 100000 pages"
run render "$TMPD/pages.drf" 99999
contains "$TMPD/out" ">100000 / 100000<" "100,000 pages: the last one renders"

awk 'BEGIN { print "---"; for (i = 0; i < 1000000; i++) print "" }' >"$TMPD/lines.drf"
summary lines "1 page, 0 errors" "a million empty lines: one page"
body lines 0
is "$(wc -l <"$TMPD/body" | tr -d ' ')" 1000000 "a million empty lines: all rendered"

awk -v g="$gls" 'BEGIN { print g; print "---"; for (i = 0; i < 100000; i++) printf "GLS("; print "x" }' >"$TMPD/nested.drf"
$tmo "$DRFSLIDES" check -q "$TMPD/nested.drf" >"$TMPD/out" 2>"$TMPD/err"
is "$?" 1 "100,000 nested GLS( without ): check finishes and reports errors"
is "$(grep -c "^$TMPD/nested.drf:3: error: macro call 'GLS('" "$TMPD/out")" 100000 \
    "100,000 nested GLS( without ): one error per call"
awk -v g="$gls" 'BEGIN { print g; print "---"; for (i = 0; i < 100000; i++) printf "GLS("; printf "x"; for (i = 0; i < 100000; i++) printf ")"; print "" }' >"$TMPD/nested2.drf"
$tmo "$DRFSLIDES" check "$TMPD/nested2.drf" >"$TMPD/out" 2>"$TMPD/err"
is "$?" 1 "100,000 nested GLS( with their ): check finishes and reports an error"
contains "$TMPD/out" "$TMPD/nested2.drf:3: error: glossary term 'GLS(GLS(" "... the outer call's term is not valid"
$tmo "$DRFSLIDES" render "$TMPD/nested2.drf" 0 >"$TMPD/out" 2>"$TMPD/err"
is "$?" 0 "100,000 nested GLS( with their ): the page still renders"

done_testing
