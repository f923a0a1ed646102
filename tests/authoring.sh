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
