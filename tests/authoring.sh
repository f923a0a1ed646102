#!/bin/sh
# authoring.sh: what check, export and the servers tell a deck's author:
# '#' lines inside <pre> that drf(5) takes as comments or directives, columns
# counted in characters, export refusing a deck with errors unless --force,
# and the servers refusing a decks folder that is not there.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
export LC_ALL=C

# --------------------------------------------------------------- '#' in <pre>
cat >"$TMPD/code.drf" <<'DECK'
#title Code
--- C
<pre><code class="language-c">
#include <stdio.h>
&#35;define SHOWN 1
#define HIDDEN 2
int main(void) { return 0; }
</code></pre>
# a comment outside the sample
<PRE
class="x">
# inside again
</pre >
#after the sample
--- Next
# a comment on a page whose <pre> never opened
<pre>unclosed
--- Last
# the page before left its <pre> open: each page is its own document
DECK
run check "$TMPD/code.drf"
is "$rc" 0 "check: '#' lines in <pre> are warnings, not errors (exit 0)"
contains "$TMPD/out" "code.drf:4: warning: this line starts with '#' inside <pre> (opened on line 3): it is read as a comment" \
    "check: '#include' inside <pre> is reported as a comment, with the line of the <pre>"
contains "$TMPD/out" "code.drf:6: warning: this line starts with '#' inside <pre> (opened on line 3): it is read as the directive #define" \
    "check: '#define' inside <pre> is reported as the directive it is"
contains "$TMPD/out" "write &#35; for a '#'" "check: the warning names the escape to write"
contains "$TMPD/out" "code.drf:12: warning: this line starts with '#' inside <pre> (opened on line 10)" \
    "check: <PRE with attributes on the next line opens a sample too"
for n in 5 9 14 16 19; do
	lacks "$TMPD/out" "code.drf:$n:" "check: no warning for line $n (outside a sample, or escaped)"
done
contains "$TMPD/out" "code.drf: 3 pages, 0 errors, 3 warnings" "check: three warnings in all"
run render "$TMPD/code.drf" 0
contains "$TMPD/out" "&#35;define SHOWN 1" "render: the escaped line is on the page"
lacks "$TMPD/out" "stdio.h" "render: the '#include' line is not (drf(5)'s comment rule)"

# --------------------------------------------------------------- columns
printf '#title T\n#define GLS() x$1\n---\nすし GLS(a b) and GLS(open\n' >"$TMPD/col.drf"
run check "$TMPD/col.drf"
contains "$TMPD/out" "col.drf:4: error: glossary term 'a b' at column 8 " \
    "check: a column after two kana counts characters (8), not bytes (12)"
contains "$TMPD/out" "col.drf:4: error: macro call 'GLS(' at column 17 " \
    "check: the second error on the line counts characters too"
printf -- '---\nあい\377x\n' >"$TMPD/utf8.drf"
run check "$TMPD/utf8.drf"
contains "$TMPD/out" "utf8.drf:2: error: invalid UTF-8 (byte 0xff at column 3)" \
    "check: an invalid byte after two kana is at column 3"
printf '#charset Shift_JIS\n---\n\202\240\202\242\202\n' >"$TMPD/sjis.drf"
run check "$TMPD/sjis.drf"
contains "$TMPD/out" "sjis.drf:3: error: byte 0x82 at column 3 is not valid Shift_JIS" \
    "check: in a Shift_JIS deck, a bad byte after two characters (four bytes) is at column 3"

# --------------------------------------------------------------- legacy encodings
# A 2001 deck in Shift_JIS with a Shift_JIS glossary: the entry is decoded by
# the deck's rules, and check says which files were read by a guess.
mkdir -p "$TMPD/legacy/glossary"
printf '#charset Shift_JIS\n#title \202\240\n#define GLS() JavaScript:parent.display.openglossary("$1.html")\n---\n<a href="GLS(mail)">\203\201\201\133\203\213</a> <a href="GLS(euc)">e</a> <a href="GLS(named)">n</a>\n' \
    >"$TMPD/legacy/sj.drf"
printf '<p>\223\144\216\161\203\201\201\133\203\213</p>\n' >"$TMPD/legacy/glossary/mail.html"
printf '<p>\305\305\273\322\245\341\241\274\245\353</p>\n' >"$TMPD/legacy/glossary/euc.html"
printf '#charset EUC-JP\n<p>\305\305\273\322</p>\n' >"$TMPD/legacy/glossary/named.html"
run check "$TMPD/legacy/sj.drf"
contains "$TMPD/out" "sj.drf:5: warning: the glossary entry $TMPD/legacy/glossary/mail.html is not UTF-8; it was read as CP932 by a guess" \
    "check: a Shift_JIS entry read by the guess is named, with the deck's line"
contains "$TMPD/out" "glossary/euc.html is not UTF-8; it was read as EUC-JP by a guess" \
    "check: an EUC-JP entry read by the guess is named"
lacks "$TMPD/out" "named.html" "check: an entry with a #charset line is not a guess"
lacks "$TMPD/out" "sj.drf:1:" "check: a deck with #charset is not a guess"
run export -q "$TMPD/legacy/sj.drf" "$TMPD/legacy-site"
is "$rc" 0 "export: the legacy deck exports"
contains "$TMPD/legacy-site/glossary/mail.html" "<p>電子メール</p>" "export: the Shift_JIS entry is UTF-8 in the site"
contains "$TMPD/legacy-site/glossary/euc.html" "<p>電子メール</p>" "export: the EUC-JP entry is UTF-8 in the site"
contains "$TMPD/legacy-site/glossary/named.html" "<p>電子</p>" "export: the entry with #charset is decoded by it"
lacks "$TMPD/legacy-site/glossary/named.html" "#charset" "export: ... and its #charset line is not shown"
contains "$TMPD/legacy-site/print.html" "電子メール" "export: the print view holds the decoded entry"
serve_start legacy --plain --decks "$TMPD/legacy" || bail "serve did not start"
http_get lg "$surl/sj/glossary/mail.html"
is "$code" 200 "serve: the Shift_JIS entry answers"
contains "$HTTP_OUT/lg.b" "<p>電子メール</p>" "serve: the entry is sent as UTF-8, in a page that says UTF-8"
serve_stop
DRFSLIDES_DECKS="$TMPD/legacy" cgi_env GET /sj/glossary/mail.html timeout 20 \
    "$DRFSLIDES" fcgi </dev/null >"$TMPD/lg.cgi" 2>"$TMPD/lg.cerr"
split_cgi "$TMPD/lg.cgi" "$TMPD/lg.ch" "$TMPD/lg.cb"
is "$ccode" 200 "fcgi: the Shift_JIS entry answers"
contains "$TMPD/lg.cb" "<p>電子メール</p>" "fcgi: the entry is sent as UTF-8 too"
contains "$TMPD/lg.ch" "charset=UTF-8" "fcgi: ... in an answer that says UTF-8"
printf -- '#title \244\242\n---\n\244\242\244\244\n' >"$TMPD/euc.drf"
run check "$TMPD/euc.drf"
contains "$TMPD/out" "euc.drf:1: warning: the file is not UTF-8 and has no #charset line; it was read as EUC-JP by a guess: add \"#charset EUC-JP\"" \
    "check: a deck read by the guess is warned about, naming the line to add"
printf -- '---\n\202\240\202\242\n' >"$TMPD/sjguess.drf"
run check "$TMPD/sjguess.drf"
contains "$TMPD/out" "add \"#charset Shift_JIS\"" "check: a Shift_JIS guess names #charset Shift_JIS"

# --------------------------------------------------------------- #lang
# One kanji no longer decides: #lang sets the deck's language and interface.
printf -- '#lang en\n#title 日本語 and English\n---\n漢字 in an English lecture\n' >"$TMPD/en.drf"
run render "$TMPD/en.drf" 0
contains "$TMPD/out" '<html lang="en">' "#lang en: an English deck with kanji is English"
contains "$TMPD/out" 'Next →' "#lang en: ... with the English interface"
printf -- '#lang ja-JP\n---\nplain ASCII text\n' >"$TMPD/ja.drf"
run render "$TMPD/ja.drf" 0
contains "$TMPD/out" '<html lang="ja-JP">' "#lang ja-JP: the tag as written"
contains "$TMPD/out" '次 →' "#lang ja-JP: a Japanese deck in ASCII gets the Japanese interface"
printf -- '---\n漢字\n' >"$TMPD/detect.drf"
run render "$TMPD/detect.drf" 0
contains "$TMPD/out" '<html lang="ja">' "without #lang, detection as before (kana or kanji: ja)"
printf -- '#lang english\n#lang pt-BR\n---\ntext\n#lang fr\n' >"$TMPD/badlang.drf"
run check "$TMPD/badlang.drf"
contains "$TMPD/out" "badlang.drf:1: warning: #lang 'english' is ignored: it is not a language tag" \
    "check: a word that is not a language tag is warned about"
contains "$TMPD/out" "badlang.drf:5: warning: #lang after the first page separator has no effect" \
    "check: #lang after the first separator is warned about"
run render "$TMPD/badlang.drf" 0
contains "$TMPD/out" '<html lang="pt-BR">' "the valid #lang before the separator is the one used"

# --------------------------------------------------------------- export
printf '#title Broken\n#define GLS() x$1\n---\nGLS(open\n' >"$TMPD/broken.drf"
run export "$TMPD/broken.drf" "$TMPD/site-broken"
is "$rc" 1 "export: a deck with errors is refused (exit 1)"
contains "$TMPD/err" "broken.drf:4: error: macro call 'GLS(' at column 1" \
    "export: prints what check reports"
contains "$TMPD/err" "--force" "export: names the option that exports it anyway"
[ ! -e "$TMPD/site-broken/index.html" ]
ok $? "export: writes nothing for the refused deck"
run export --force "$TMPD/broken.drf" "$TMPD/site-forced"
is "$rc" 0 "export --force: exports the deck with errors"
[ -s "$TMPD/site-forced/index.html" ] && [ -s "$TMPD/site-forced/broken0.html" ]
ok $? "export --force: the site is written"
contains "$TMPD/err" "broken.drf:4: error:" "export --force: still prints the errors"
run export -q "$TMPD/code.drf" "$TMPD/site-code"
is "$rc" 0 "export: a deck with warnings only is exported"
contains "$TMPD/err" "code.drf:4: warning:" "export: prints the warnings too"
run check --force "$TMPD/code.drf"
is "$rc" 2 "check: --force is export's alone (usage error)"

# --------------------------------------------------------------- a decks folder that is not there
run serve --port 0 --decks "$TMPD/nosuch"
is "$rc" 1 "serve: a decks folder that is not there stops it (exit 1)"
contains "$TMPD/err" "--decks: $TMPD/nosuch: No such file or directory" "serve: the message names the folder and why"
mkdir "$TMPD/locked" && chmod 000 "$TMPD/locked"
if [ "$(id -u)" -ne 0 ]; then
	run serve --port 0 --decks "$TMPD/locked"
	is "$rc" 1 "serve: a decks folder that cannot be read stops it"
	contains "$TMPD/err" "Permission denied" "serve: ... and says why"
else
	skip "serve: a decks folder that cannot be read stops it" "root reads any folder"
	skip "serve: ... and says why" "root reads any folder"
fi
chmod 700 "$TMPD/locked"
run fcgi --decks "$TMPD/nosuch" --listen "$TMPD/sock"
is "$rc" 1 "fcgi: a decks folder that is not there stops it (exit 1)"
contains "$TMPD/err" "--decks: $TMPD/nosuch" "fcgi: the message names the folder"
[ ! -e "$TMPD/sock" ]
ok $? "fcgi: and it does not listen"

done_testing
