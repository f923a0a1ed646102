#!/bin/bash
# baddecks.sh: hostile and broken decks, each through "check" (and some
# through the dev server and --plain): a clear "file:LINE: error:" with the
# right line and exit 1, or success with the right page count where the
# format says the deck is valid; never a crash (exit status 128 or more) and
# never a hang (each run has 60 s). tests/format.sh has the format's own
# cases; these are other shapes and sizes of the same failures.
# shellcheck disable=SC1091,SC2016
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
command -v timeout >/dev/null 2>&1 || skip_all "timeout is not installed"
command -v iconv >/dev/null 2>&1 || skip_all "iconv is not installed"

export LC_ALL=C
D=$TMPD/d
mkdir -p "$D" || exit 99
gls='#define GLS() JavaScript:parent.display.openglossary("$1.html")'

# run COMMAND-ARGS...: drfslides with 60 s; stdout in $TMPD/out, stderr in
# $TMPD/err, the status in rc, the time in ms.
run() {
	local t0=${EPOCHREALTIME/[.,]/}
	timeout 60 "$DRFSLIDES" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	ms=$(((${EPOCHREALTIME/[.,]/} - t0) / 1000))
}

# sane DESCRIPTION: the last run neither hung (124) nor crashed (>= 128).
sane() {
	[ "$rc" -ne 124 ] && [ "$rc" -lt 128 ]
	ok $? "$1: finishes without a crash or a hang (status $rc, $ms ms)"
	if [ "$rc" -ge 124 ]; then
		sed 's/^/#   /' "$TMPD/err" | head -5
	fi
}

# fails NAME LINE TEXT DESCRIPTION: "check D/NAME.drf" exits 1 and prints
# "D/NAME.drf:LINE: error: ...TEXT..." and the "failed to load" line (LINE
# may be "" for errors of the whole file: "D/NAME.drf: error: ...").
fails() {
	local f=$D/$1.drf where
	where=$f:$2:
	[ -z "$2" ] && where=$f:
	run check "$f"
	sane "$4"
	is "$rc" 1 "$4: check exits 1"
	grep -F -- "$where error: " "$TMPD/out" | grep -qF -- "$3"
	ok $? "$4: '${where#"$D"/} error: ...$3...'"
	[ $? -eq 0 ] || sed 's/^/#   /' "$TMPD/out" | head -5
}

# loads NAME SUMMARY DESCRIPTION: "check D/NAME.drf" exits 0 with SUMMARY.
loads() {
	run check "$D/$1.drf"
	sane "$3"
	is "$rc" 0 "$3: check exits 0"
	contains "$TMPD/out" "$D/$1.drf: $2" "$3: check says '$2'"
}

# --- Text that is not UTF-8, and not text

printf '#title T\nnotes\n---\nfine\n\377\376 oops\n' >"$D/invalid.drf"
fails invalid 5 'invalid UTF-8 (byte 0xff at column 1)' "invalid UTF-8 without #charset"
contains "$TMPD/out" 'add a #charset line' "invalid UTF-8: the error says what to do"

# Line counting: CR LF line ends, 4,999 good lines, then the bad byte at column 4.
{ printf -- '---\r\n'; for i in $(seq 2 4999); do printf 'line %d\r\n' "$i"; done
  printf 'abc\377\r\nmore\r\n'; } >"$D/invalid_crlf.drf"
fails invalid_crlf 5000 'byte 0xff at column 4' "invalid UTF-8 on line 5000 of a CR LF file"

# Lone CR line ends, a million of them, then the NUL: the line is still right.
{ printf -- '---\r'; head -c 999999 /dev/zero | tr '\0' '\r'; printf 'x\000y\r'; } >"$D/cr_nul.drf"
fails cr_nul 1000001 'NUL byte at column 2' "a NUL after a million lone-CR line ends"

printf -- '---\nhi\n' | iconv -f UTF-8 -t UTF-16BE >"$TMPD/u16be"
{ printf '\376\377'; cat "$TMPD/u16be"; } >"$D/utf16be.drf"
fails utf16be 1 'UTF-16 (big-endian)' "UTF-16BE with its byte-order mark"
printf -- '---\nhi\n' | iconv -f UTF-8 -t UTF-16LE >"$D/utf16nobom.drf"
fails utf16nobom 1 'NUL byte at column 2' "UTF-16LE without a byte-order mark (a NUL on line 1)"
{ printf '\377\376\000\000'; printf -- '---\nhi\n' | iconv -f UTF-8 -t UTF-32LE; } >"$D/utf32.drf"
fails utf32 1 'UTF-32 (little-endian)' "UTF-32LE with its byte-order mark"

printf 'author\nda\000te\n---\nx\n' >"$D/nul_notes.drf"
fails nul_notes 2 'NUL byte at column 3' "a NUL byte in the notes"
printf '#define A\000B C\n---\nx\n' >"$D/nul_define.drf"
fails nul_define 1 'NUL byte at column 10' "a NUL byte in a #define"
printf -- '---\na\nb\nlast\000' >"$D/nul_last.drf"
fails nul_last 4 'NUL byte at column 5' "a NUL as the last byte, no newline at the end"
run render "$D/nul_last.drf" 0
is "$rc/$(wc -c <"$TMPD/out" | tr -d ' ')" "1/0" "a NUL: render fails and prints nothing"

# --- Sizes

# 100 MiB, sparse: refused by its size before it is read.
truncate -s 100M "$D/huge.drf" 2>/dev/null || head -c 104857600 /dev/zero >"$D/huge.drf"
run check "$D/huge.drf"
sane "a 100 MiB deck"
is "$rc" 1 "a 100 MiB deck: check exits 1"
contains "$TMPD/out" "$D/huge.drf: error: the file is 104857600 bytes, larger than the limit of 67108864 bytes" \
    "a 100 MiB deck: the error names the size and the 64 MiB limit"
check "a 100 MiB deck: refused in under 2 s ($ms ms): it is not read" test "$ms" -lt 2000
contains "$TMPD/out" "(--max-source)" "a 100 MiB deck: the error names --max-source"
printf -- '---\n%s\n' "$(head -c 3000 /dev/zero | tr '\0' x)" >"$D/small.drf"
run check --max-source 2k "$D/small.drf"
is "$rc" 1 "--max-source 2k: a 3 KB deck fails"
contains "$TMPD/out" "larger than the limit of 2048 bytes" "--max-source 2k: the error names 2048 bytes"

# A 10 MiB line is a valid deck.
awk 'BEGIN { print "#title Long"; print "---"; s = "0123456789abcdef"
	for (i = 0; i < 16; i++) s = s s; for (i = 0; i < 10; i++) printf "%s", s
	print ""; print "end" }' >"$D/line10m.drf"
loads line10m "1 page, 0 errors" "a 10 MiB line"
run render "$D/line10m.drf" 0
sane "a 10 MiB line: render"
awk 'length($0) == 10485760 { n++ } END { exit n != 1 }' "$TMPD/out"
ok $? "a 10 MiB line: rendered whole"
run check --max-source 5M "$D/line10m.drf"
is "$rc" 1 "a 10 MiB line over --max-source 5M fails"
contains "$TMPD/out" "larger than the limit of 5242880 bytes" "... naming 5242880 bytes"

# A million empty lines of notes: valid, and the notes are empty.
{ head -c 1000000 /dev/zero | tr '\0' '\n'; printf -- '---\nx\n'; } >"$D/blank_notes.drf"
loads blank_notes "1 page, 0 errors" "a million empty lines of notes"
run notes "$D/blank_notes.drf"
is "$rc/$(wc -c <"$TMPD/out" | tr -d ' ')" "0/0" "a million empty lines of notes: no notes (trailing blanks dropped)"

# 100,000 labelled pages, each with a glossary link: valid.
awk -v g="$gls" 'BEGIN { print g; for (i = 0; i < 100000; i++) {
	printf "--- Page %d\n<a href='"'"'GLS(t%d)'"'"'>t</a>\n", i, i } }' >"$D/pages.drf"
loads pages "100000 pages, 0 errors" "100,000 labelled pages with 100,000 terms"
run render "$D/pages.drf" 99999
contains "$TMPD/out" "Page 99999" "100,000 pages: the last page renders with its label"
run render "$D/pages.drf" 100000
is "$rc" 1 "100,000 pages: page 100000 does not exist (exit 1)"

# Over the default expansion limit (256 MiB): 64 KiB x 1000 per line.
awk 'BEGIN { s = "0123456789abcdef"; for (i = 0; i < 12; i++) s = s s
	print "#define X " s; print "---"; l = ""
	for (i = 0; i < 1000; i++) l = l "X"; for (i = 0; i < 80; i++) print l }' >"$D/bomb.drf"
fails bomb 7 'the expanded deck is larger than the limit of 268435456 bytes (--max-expanded)' \
    "a 145 KB deck expanding past 256 MiB"

# --- Shift_JIS: trail bytes 0x5C ('\') before ( and "

# 表 is 0x95 0x5C, ソ is 0x83 0x5C: a macro named 表, called with ソ, next to quotes.
printf '%s\n#define 表() <b>$1</b>\n---\nソ(表(ソ)"ソ"\n<a href='"'"'GLS(表)'"'"'>表(ソ)</a>\n' "$gls" |
    iconv -f UTF-8 -t CP932 >"$D/sjis.drf"
od -An -tx1 "$D/sjis.drf" | tr -d '\n' | grep -q '83 5c 28 95 5c 28 83 5c 29 22 83 5c 22'
ok $? "Shift_JIS: the deck has 0x5C trail bytes before ( ) and \""
loads sjis "1 page, 0 errors" "Shift_JIS with a macro named 表 (trail byte 0x5C)"
run render "$D/sjis.drf" 0
contains "$TMPD/out" 'ソ(<b>ソ</b>"ソ"' "Shift_JIS: 表(ソ) expands, ソ( and \"ソ\" stay text"
contains "$TMPD/out" "openglossary(\"%25E8%25A1%25A8.html\")'><b>ソ</b></a>" \
    "Shift_JIS: GLS(表) is percent-encoded UTF-8 (twice, in a javascript: URL)"

# --- Macro calls

printf '%s\n---\nok GLS(a)\nGLS(b\n)\nlast GLS(c' "$gls" >"$D/unclosed.drf"
run check "$D/unclosed.drf"
sane "macro calls without )"
is "$rc" 1 "macro calls without ): check exits 1"
is "$(grep -c ': error: macro call' "$TMPD/out")" 2 "macro calls without ): two errors"
contains "$TMPD/out" "$D/unclosed.drf:4: error: macro call 'GLS(' at column 1" \
    "a ) on the next line does not close: error on line 4"
contains "$TMPD/out" "$D/unclosed.drf:6: error: macro call 'GLS(' at column 6" \
    "a call at the very end of the file (no newline): error on line 6"

# A million unclosed GLS( on one line: linear, one error each.
awk -v g="$gls" 'BEGIN { print g; print "---"; for (i = 0; i < 1000000; i++) printf "GLS("; print "x" }' \
    >"$D/million.drf"
run check -q "$D/million.drf"
sane "a million unclosed GLS( on one line"
is "$rc" 1 "a million unclosed GLS(: check exits 1"
is "$(grep -c "^$D/million.drf:3: error: macro call 'GLS('" "$TMPD/out")" 1000000 \
    "a million unclosed GLS(: a million errors, all on line 3"
run render "$D/million.drf" 0
sane "a million unclosed GLS(: render"
is "$rc" 0 "a million unclosed GLS(: the page still renders"

# ============================================================ the dev server
#
# Broken decks next to a good one: the dev server answers 500 with
# file:line, --plain answers 500 naming no file, and both go on serving the
# good deck.
"$DRFSLIDES" serve --help >/dev/null 2>&1 || { done_testing; exit; }
S=$TMPD/s
mkdir -p "$S" || exit 99
cp "$top_srcdir/decks/smtp.drf" "$S/" || exit 99
cp "$D/invalid.drf" "$D/utf16be.drf" "$D/nul_last.drf" "$D/huge.drf" "$D/bomb.drf" \
    "$D/sjis.drf" "$D/unclosed.drf" "$D/pages.drf" "$S/" || exit 99

# start NAME ARGS: "drfslides serve --port 0 --decks $S ARGS"; sets url
# and adds the server to pids.
start() {
	serve_start "$1" --decks "$S" "${@:2}" || return 1
	url=$surl
	pids="$pids $spid"
}
# The servers can take long over the large decks.
HTTP_TIMEOUT=30
if ! command -v curl >/dev/null 2>&1; then
	skip "the broken decks through the servers" "curl is not installed"
	done_testing
	exit
fi
start dev || { echo "Bail out! the dev server did not start"; exit 1; }
dev=$url
start plain --plain || { echo "Bail out! serve --plain did not start"; exit 1; }
plain=$url

# name LINE TEXT: the dev server's 500 for deck NAME names NAME.drf:LINE: and TEXT.
for row in 'invalid 5 invalid UTF-8 (byte 0xff at column 1)' \
    'utf16be 1 the file is UTF-16 (big-endian)' \
    'nul_last 4 NUL byte at column 5' \
    'bomb 7 the expanded deck is larger than the limit of 268435456 bytes (--max-expanded)'; do
	set -- $row
	n=$1 l=$2
	shift 2
	fetch "$dev/$n/0"
	is "$code" 500 "dev: $n.drf answers 500"
	contains "$TMPD/b" "$n.drf:$l: error: $*" "dev: ... with $n.drf:$l: error: $*"
	grep -q "^[ ]*$l | " "$TMPD/b"
	ok $? "dev: ... and shows line $l"
	fetch "$plain/$n/0"
	is "$code" 500 "--plain: $n.drf answers 500"
	lacks "$TMPD/b" "$n.drf" "--plain: ... naming no file"
done
fetch "$dev/huge/0"
is "$code" 500 "dev: the 100 MiB deck answers 500"
contains "$TMPD/b" "huge.drf: error: the file is 104857600 bytes, larger than the limit of 67108864 bytes" \
    "dev: ... naming its size and the limit"
fetch "$dev/unclosed/0"
is "$code" 200 "dev: a deck with unclosed macro calls is served (200)"
contains "$TMPD/b" "unclosed.drf:6: error: macro call &#39;GLS(&#39; at column 6" \
    "dev: ... its warnings banner names unclosed.drf:6: (escaped)"
fetch "$dev/sjis/0"
contains "$TMPD/b" 'ソ(<b>ソ</b>"ソ"' "dev: the Shift_JIS deck is served converted"
fetch "$dev/pages/99999"
is "$code" 200 "dev: page 99999 of the 100,000-page deck answers 200"
fetch "$dev/pages/100000"
is "$code" 404 "dev: page 100000 answers 404"
fetch "$dev/"
is "$code" 200 "dev: the index answers with the broken decks in the directory"
contains "$TMPD/b" 'class="count">100000 ' "dev: the index counts the 100,000 pages"
for s in dev plain; do
	[ $s = dev ] && u=$dev || u=$plain
	fetch "$u/smtp/1"
	is "$code" 200 "$s: the good deck is still served"
done
for p in $pids; do
	kill -0 "$p" 2>/dev/null
	ok $? "server $p is still running"
done
cat "$TMPD/dev.err" "$TMPD/plain.err" >"$TMPD/errs"
lacks "$TMPD/errs" 'Sanitizer' "no sanitizer report in the servers' logs"

done_testing
