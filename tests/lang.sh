#!/bin/sh
# lang.sh: the interface language of the index, on both front ends (serve,
# and fcgi behind nginx, with and without the shipped nginx cache): from
# Accept-Language (q-values, primary subtags) or else from most of the
# decks, with Vary and an ETag per language; the contents link a labelled
# page by its label; error pages speak the reader's language, else the
# deck's, else English; the dev server's index lists a deck that fails to
# load, with its first error, and a symbolic-link deck is logged once.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"
export LC_ALL=C

# Beside the Japanese smtp deck: one English deck (the alphabetically first)
# and one more Japanese one, so most decks are Japanese.
printf -- '#title An English deck\n--- Intro\nHello\n---\nSecond page\n' >"$DECKS/aenglish.drf"
printf -- '#title 日本語のデッキ\n--- はじめに\nこんにちは\n' >"$DECKS/nihongo.drf"

# lang_of FILE: the lang attribute of a page's <html>.
lang_of() {
	sed -n 's/^<html lang="\([^"]*\)".*/\1/p' "$1" | head -1
}

# index_as FRONT URL ACCEPT EXPECT DESCRIPTION: the index fetched with that
# Accept-Language ("-": none) is in the language EXPECT, with its heading.
index_as() {
	if [ "$3" = - ]; then
		fetch "$2"
	else
		fetch -H "Accept-Language: $3" "$2"
	fi
	is "$code $(lang_of "$TMPD/b")" "200 $4" "$1: $5"
	case $4 in
	ja) contains "$TMPD/b" '<h1>スライド一覧</h1>' "$1: ... its heading in Japanese" ;;
	en) contains "$TMPD/b" '<h1>Slide decks</h1>' "$1: ... its heading in English" ;;
	esac
}

# error_as FRONT URL ACCEPT EXPECT MESSAGE DESCRIPTION: URL fetched with that
# Accept-Language ("-": none) is a 404 page in the language EXPECT, with
# MESSAGE, and says it varies by Accept-Language.
error_as() {
	if [ "$3" = - ]; then
		fetch "$2"
	else
		fetch -H "Accept-Language: $3" "$2"
	fi
	is "$code $(lang_of "$TMPD/b")" "404 $4" "$1: $6"
	contains "$TMPD/b" "<p>$5</p>" "$1: ... its message"
	is "$(header Vary)" "Accept-Language" "$1: ... with Vary: Accept-Language"
}

# both FRONT URL: the checks each front end passes.
both() {
	index_as "$1" "$2" - ja "no Accept-Language: most decks are Japanese (not the first deck, English)"
	index_as "$1" "$2" en en "Accept-Language: en"
	index_as "$1" "$2" ja ja "Accept-Language: ja"
	index_as "$1" "$2" 'en-GB' en "a region subtag matches its language"
	index_as "$1" "$2" 'fr, en;q=0.5, ja;q=0.8' ja "q-values: the highest of the languages there are"
	index_as "$1" "$2" 'ja;q=0.1, en;q=0.9' en "q-values: order does not count, q does"
	index_as "$1" "$2" 'ja;q=0, *' en "q=0 refuses a language"
	index_as "$1" "$2" 'fr, de' ja "only languages without a table: most decks"
	fetch -H 'Accept-Language: en' "$2"
	is "$(header Vary)" "Accept-Language" "$1: Vary: Accept-Language"
	etag_en=$(header ETag)
	fetch -H 'Accept-Language: ja' "$2"
	etag_ja=$(header ETag)
	[ -n "$etag_en" ] && [ -n "$etag_ja" ] && [ "$etag_en" != "$etag_ja" ]
	ok $? "$1: the ETags of the English and the Japanese index differ"
	fetch -H 'Accept-Language: ja' -H "If-None-Match: $etag_en" "$2"
	is "$code $(lang_of "$TMPD/b")" "200 ja" "$1: the English ETag does not make the Japanese index 304"
	fetch -H 'Accept-Language: en' -H "If-None-Match: $etag_en" "$2"
	is "$code" 304 "$1: ... while it does the English one"
	is "$(header Vary)" "Accept-Language" "$1: a 304 says Vary too"
	fetch -H 'Accept-Language: en' "$2"
	contains "$TMPD/b" '<a href="aenglish/@Intro">Intro</a>' "$1: the contents link a labelled page by its label"
	contains "$TMPD/b" '<a href="aenglish/?page=1">Second page</a>' "$1: ... a page without one by its number"
	contains "$TMPD/b" '<a href="nihongo/@%E3%81%AF%E3%81%98%E3%82%81%E3%81%AB">はじめに</a>' \
	    "$1: ... a UTF-8 label percent-encoded"
	fetch "$2aenglish/@Intro"
	is "$code" 302 "$1: ... and the label link leads to its page"
	# A deck page keeps its own language, whatever the reader asks for.
	fetch -H 'Accept-Language: en' "$2smtp/view"
	is "$(lang_of "$TMPD/b")" ja "$1: a Japanese deck's view stays Japanese for an English reader"
	error_as "$1" "$2nosuch/" - en 'There is no deck named:' "a 404 without Accept-Language: English"
	contains "$TMPD/b" '<pre class="detail">nosuch</pre>' "$1: ... naming the deck"
	error_as "$1" "$2nosuch/" ja ja 'この名前のデッキはありません:' "a 404 with Accept-Language: ja: Japanese"
	contains "$TMPD/b" '<pre class="detail">nosuch</pre>' "$1: ... naming the deck"
	contains "$TMPD/b" '>スライド一覧</a>' "$1: ... its link to the index in Japanese"
	lacks "$TMPD/b" 'There is no' "$1: ... and no English message"
	error_as "$1" "$2smtp/999" - ja '該当するページはありません。' \
	    "a Japanese deck's 404 without Accept-Language: the deck's language"
	error_as "$1" "$2smtp/999" en en 'There is no such page.' "... with Accept-Language: en: English"
	error_as "$1" "$2aenglish/999" - en 'There is no such page.' "an English deck's 404: English"
	error_as "$1" "$2aenglish/999" ja ja '該当するページはありません。' "... with Accept-Language: ja: Japanese"
}

# ------------------------------------------------------------- fcgi and nginx
fcgi_servers
both fcgi "$U/slides/"
# The shipped nginx cache: one language's index is never served for the other.
fetch -H 'Host: cached.invalid' -H 'Accept-Language: en' "$U/slides/"
fetch -H 'Host: cached.invalid' -H 'Accept-Language: en' "$U/slides/"
is "$code $(header X-Cache-Status) $(lang_of "$TMPD/b")" "200 HIT en" \
    "drfslides-cache.conf: the English index is stored"
fetch -H 'Host: cached.invalid' -H 'Accept-Language: ja' "$U/slides/"
is "$code $(lang_of "$TMPD/b")" "200 ja" "drfslides-cache.conf: a Japanese reader still gets the Japanese index"
fetch -H 'Host: cached.invalid' "$U/slides/"
is "$code $(lang_of "$TMPD/b")" "200 ja" "drfslides-cache.conf: ... and one who says nothing, most decks' language"
fetch -H 'Host: cached.invalid' -H 'Accept-Language: en' "$U/slides/"
is "$code $(lang_of "$TMPD/b")" "200 en" "drfslides-cache.conf: ... and the English reader the English one"

# A tie between the decks: English, whatever their names.
printf -- '#title Another\n---\nMore English\n' >"$DECKS/zenglish.drf"
fetch "$U/slides/"
is "$(lang_of "$TMPD/b")" en "fcgi: two English and two Japanese decks: English (a tie)"
rm -f "$DECKS/zenglish.drf"

# ------------------------------------------------------------- the dev server
# A deck that fails to load (its error holds markup) and a symbolic-link deck,
# at the top and in a course folder.
printf -- '#charset x<b>&\n#title Broken\n---\nhi\n' >"$DECKS/broken.drf"
ln -s "$DECKS/aenglish.drf" "$DECKS/linked.drf" || exit 99
mkdir "$DECKS/course" || exit 99
printf -- '#title Nihongo\n---\nこんにちは、世界。日本語のスライドです。\n' >"$DECKS/course/nihongo.drf"
printf -- '#charset y\n#title Bad\n---\nhi\n' >"$DECKS/course/bad.drf"
ln -s "$DECKS/aenglish.drf" "$DECKS/course/linked2.drf" || exit 99
serve_start dev --decks "$DECKS" || bail "serve did not start"
both serve "$surl/"
fetch -H 'Accept-Language: en' "$surl/"
contains "$TMPD/b" '<h2 id="broken-broken">broken</h2>' "serve: the index lists a deck that fails to load"
contains "$TMPD/b" 'broken.drf:1: error: unknown charset x&lt;b&gt;&amp;;' \
    "serve: ... with its first error as file:line: message, escaped"
lacks "$TMPD/b" 'x<b>' "serve: ... never as markup"
lacks "$TMPD/b" "$DECKS/broken.drf" "serve: ... named from the decks folder, not by its full path"
fetch -H 'Accept-Language: ja' "$surl/"
contains "$TMPD/b" 'このデッキは読み込めません' "serve: ... saying so in the index's language"
lacks "$TMPD/b" 'linked' "serve: a symbolic-link deck is not listed"
for i in 1 2 3; do fetch "$surl/"; done
is "$(grep -c 'linked.drf: skipped: the deck is a symbolic link' "$TMPD/dev.err")" 1 \
    "serve: the symbolic-link deck is logged once, not once per request"
fetch "$surl/course/"
is "$code $(lang_of "$TMPD/b")" "200 ja" "serve: a course's index takes the language of its own decks"
contains "$TMPD/b" '<h2 id="broken-bad">bad</h2>' "serve: a course's index lists its deck that fails to load"
contains "$TMPD/b" '<pre class="detail">bad.drf:1: error: unknown charset' \
    "serve: ... its error named from the course folder"
fetch -H 'Accept-Language: en' "$surl/course/"
is "$(lang_of "$TMPD/b")" en "serve: ... and the reader's language when asked"
for i in 1 2 3; do fetch "$surl/course/"; done
is "$(grep -c 'course/linked2.drf: skipped: the deck is a symbolic link' "$TMPD/dev.err")" 1 \
    "serve: a symbolic-link deck in a course is logged once"
rm -rf "$DECKS/course"
serve_stop
# fcgi does not list the broken deck: a reader sees the decks that work.
fetch -H 'Accept-Language: en' "$U/slides/"
lacks "$TMPD/b" 'broken' "fcgi: the public index does not list a deck that fails to load"
for i in 1 2; do fetch "$U/slides/"; done
is "$(grep -c 'linked.drf: skipped: the deck is a symbolic link' "$LOG")" 1 \
    "fcgi: the symbolic-link deck is logged once"

done_testing
