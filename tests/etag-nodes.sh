#!/bin/sh
# etag-nodes.sh: two copies of the same decks, made at different times (other
# inodes, other times), served by two "drfslides serve" processes as two
# nodes behind a balancer would be: every asset has the same ETag on both,
# and a revalidation with one node's ETag answers 304 on the other.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/proc-lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"
export LC_ALL=C

# The two copies: the second made later, its files given another time.
mkdir -p "$TMPD/one" "$TMPD/two" "$TMPD/r" || exit 99
cp -R "$top_srcdir/decks/." "$TMPD/one/" || exit 99
printf 'a download\n' >"$TMPD/one/smtp/notes.txt" || exit 99
sleep 1
cp -R "$TMPD/one/." "$TMPD/two/" || exit 99
find "$TMPD/two" -type f -exec touch -d '2001-04-01 12:00:00' {} + || exit 99

# node NAME DIR: starts "serve --plain" on DIR; sets url_NAME.
node() {
	"$DRFSLIDES" serve --plain --port 0 --decks "$2" >"$TMPD/$1.out" \
	    2>"$TMPD/$1.err" </dev/null &
	nl_track $!
	nl_wait_until 5 grep -q '^drfslides: serving .* at http://127\.0\.0\.1:[0-9]*/$' \
	    "$TMPD/$1.out"
	u=$(sed -n 's|^drfslides: serving .* at \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' \
	    "$TMPD/$1.out" | head -1)
	eval "url_$1=\$u"
	[ -n "$u" ]
}
check "node one started" node one "$TMPD/one"
check "node two started" node two "$TMPD/two"
[ -n "$url_one" ] && [ -n "$url_two" ] || { echo "Bail out! a node did not start"; exit 1; }

# status_of NAME URL [CURL ARGS]: the answer's head in r/NAME.h; prints the status.
HTTP_OUT=$TMPD/r
status_of() {
	http_get "$@"
	echo "$code"
}

one=$(stat -c '%i %Y' "$TMPD/one/smtp/scene-01.svg")
two=$(stat -c '%i %Y' "$TMPD/two/smtp/scene-01.svg")
check "the copies differ in inode and time ($one / $two)" test "$one" != "$two" -a \
    "${one#* }" != "${two#* }"

for a in smtp/scene-01.svg smtp/scene-06.svg smtp/notes.txt; do
	is "$(status_of a1 "$url_one/$a")" 200 "$a: 200 from node one"
	is "$(status_of a2 "$url_two/$a")" 200 "$a: 200 from node two"
	e1=$(header_of "$TMPD/r/a1.h" ETag)
	e2=$(header_of "$TMPD/r/a2.h" ETag)
	check "$a: node one sends an ETag" test -n "$e1"
	is "$e2" "$e1" "$a: the same ETag on both nodes"
	is "$(status_of c2 "$url_two/$a" -H "If-None-Match: $e1")" 304 \
	    "$a: node one's ETag revalidated on node two: 304"
	is "$(status_of c1 "$url_one/$a" -H "If-None-Match: $e2")" 304 \
	    "$a: node two's ETag revalidated on node one: 304"
	check "$a: the 304 has no body" test ! -s "$TMPD/r/c1.b"
done

# Other bytes, another tag: the file changed on node two only.
printf 'another download\n' >"$TMPD/two/smtp/notes.txt"
e1=$(status_of x1 "$url_one/smtp/notes.txt" >/dev/null; header_of "$TMPD/r/x1.h" ETag)
is "$(status_of x2 "$url_two/smtp/notes.txt" -H "If-None-Match: $e1")" 200 \
    "a changed file: node one's ETag no longer matches on node two"
check "a changed file: node two sends the new bytes" grep -q another "$TMPD/r/x2.b"
e2=$(header_of "$TMPD/r/x2.h" ETag)
check "a changed file: another ETag" test -n "$e2" -a "$e2" != "$e1"

done_testing
