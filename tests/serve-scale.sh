#!/bin/sh
# serve-scale.sh: "drfslides serve" with a cache smaller than a deck: the
# print view and overview of a deck whose pages exceed a quarter of
# --cache-mb are refused with 503 and why, while its pages are served; the
# index over many decks lists each one from its summary, answers from its
# own cache until a deck changes, and shows the change; a deck's warnings
# are logged once though it is parsed for the index and again for a page.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"

decks=$TMPD/decks
mkdir -p "$decks" || exit 99
cp "$top_srcdir/decks/smtp.drf" "$decks/" || exit 99
cp -R "$top_srcdir/decks/glossary" "$decks/glossary" || exit 99
# big: 20 pages of 2,000 lines, 1.6 MB of pages (more than 1 MiB / 4).
awk 'BEGIN { print "#title Big"; for (p = 0; p < 20; p++) {
	printf "--- big part %d\n", p
	for (l = 0; l < 2000; l++) print "big text on the slide, and more text"
} }' >"$decks/big.drf" || exit 99
i=0
while [ $i -lt 60 ]; do
	printf 'notes %s\n#title Lecture %s\n--- first of %s\nhello\n--- second\nworld\n' \
	    $i $i $i >"$decks/lec$i.drf" || exit 99
	i=$((i + 1))
done
printf -- '---\nx\000y\n' >"$decks/broken.drf" || exit 99
printf '#title Warned\n#lang not_a_tag!\n--- one\nhello\n' >"$decks/warned.drf" ||
	exit 99
trap 'nl_cleanup; rm -rf "$TMPD"' EXIT
trap 'exit 1' INT TERM HUP

serve_start serve --plain --cache-mb 1 --stat-interval 0 --decks "$decks" ||
	bail "serve did not start"

# ============================================================ whole deck
fetch "$surl/big/print"
is "$code" 503 "the print view of a deck larger than a quarter of --cache-mb is refused"
contains "$TMPD/b" 'too large to show every page' "the answer says why"
is "$(header Cache-Control)" no-store "the refusal is not cached"
fetch "$surl/big/overview"
is "$code" 503 "its overview is refused too"
fetch "$surl/big/7"
is "$code" 200 "its pages are served one by one"
contains "$TMPD/b" 'big text on the slide' "with their text"
fetch "$surl/smtp/print"
is "$code" 200 "a smaller deck prints"

# ============================================================ index
fetch "$surl/"
is "$code" 200 "the index answers"
n=$(grep -o 'Lecture [0-9]*<' "$TMPD/b" | sort -u | wc -l)
is "$n" 60 "it lists every generated deck by its title"
contains "$TMPD/b" 'first of 59' "with its page labels"
contains "$TMPD/b" 'Big' "and the large deck"
lacks "$TMPD/b" 'href="broken/"' "a deck that never loaded is not listed"
etag=$(header ETag)
fetch -H "If-None-Match: $etag" "$surl/"
is "$code" 304 "an unchanged index revalidates"
printf 'notes\n#title Renamed lecture\n--- only\nhello\n' >"$decks/lec7.drf"
fetch "$surl/"
contains "$TMPD/b" 'Renamed lecture<' "an edited deck's new title is listed"
[ "$(header ETag)" != "$etag" ]
ok $? "the index has a new ETag"

# ============================================================ warnings
fetch "$surl/warned/0"
is "$code" 200 "a deck with a warning is served after the index summarized it"
is "$(grep -c 'warned.drf:2: warning' "$TMPD/serve.err")" 1 \
    "its warning is logged once, not again when it is parsed for the page"

done_testing
