#!/bin/sh
# cdn.sh: answers ready for a CDN: "--cache-control cdn[=SECONDS]" gives
# browsers max-age=0 and shared caches s-maxage and stale-while-revalidate;
# every answer about a deck, on every deck route (304s too), carries the
# deck's purge key in Surrogate-Key and Cache-Tag, the index "index", every
# answer "drfslides"; through nginx as well (the FastCGI front end).
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_CONTROL LISTEN_FDS LISTEN_PID
export LC_ALL=C

DECKS=$TMPD/decks
cp -R "$top_srcdir/decks" "$DECKS" || exit 99
cp "$DECKS/smtp.drf" "$DECKS/net-2_b.drf" || exit 99
mkdir -p "$DECKS/net-2_b" && cp "$DECKS/smtp/scene-01.svg" "$DECKS/net-2_b/" || exit 99

preset="public, max-age=0, s-maxage=600, stale-while-revalidate=60, stale-if-error=86400"
serve_start cdn --plain --decks "$DECKS" --cache-control cdn || bail "serve did not start"
HTTP_OUT=$TMPD

# Every deck route of the route table, for two decks.
for d in smtp net-2_b; do
	for p in "" "?page=2" view present overview print display 0 12 glossary/smtp.html \
	    scene-01.svg; do
		http_get r "$surl/$d/$p"
		is "$code" 200 "/$d/$p: 200"
		is "$(http_header r Surrogate-Key)" "drfslides deck-$d" "/$d/$p: Surrogate-Key: drfslides deck-$d"
		is "$(http_header r Cache-Tag)" "drfslides,deck-$d" "/$d/$p: Cache-Tag: drfslides,deck-$d"
		is "$(http_header r Cache-Control)" "$preset" "/$d/$p: the CDN preset"
	done
done
# A revalidation's 304 keeps the key; so do a deck's 404 and its redirect.
http_get r "$surl/smtp/3"
etag=$(http_header r ETag)
http_get r "$surl/smtp/3" -H "If-None-Match: $etag"
is "$code $(http_header r Surrogate-Key)" "304 drfslides deck-smtp" "a 304 carries the deck's key"
http_get r "$surl/smtp/99"
is "$code $(http_header r Surrogate-Key)" "404 drfslides deck-smtp" "a page past the end: 404 with the deck's key"
is "$(http_header r Cache-Control)" "no-store" "... and not stored"
http_get r "$surl/smtp"
is "$code $(http_header r Cache-Tag)" "301 drfslides,deck-smtp" "/smtp redirected with the deck's key"
http_get r "$surl/smtp/@nosuchlabel"
is "$(http_header r Surrogate-Key)" "drfslides deck-smtp" "a page label ($code): the deck's key"
http_get r "$surl/smtp/glossary/nosuchterm.html"
is "$code $(http_header r Surrogate-Key)" "404 drfslides deck-smtp" "a missing glossary entry: the deck's key"
# The site's answers.
http_get r "$surl/"
is "$(http_header r Surrogate-Key) | $(http_header r Cache-Tag)" "drfslides index | drfslides,index" \
    "the index: drfslides index"
is "$(http_header r Cache-Control)" "$preset" "the index: the CDN preset"
http_get r "$surl/static/drfslides.css"
is "$(http_header r Surrogate-Key) | $(http_header r Cache-Control)" "drfslides | $preset" \
    "a static file: drfslides, the preset"
http_get r "$surl/nosuchdeck/"
is "$code $(http_header r Surrogate-Key)" "404 drfslides" "no such deck: 404, drfslides alone"
http_get r "$surl/_drfslides/health"
is "$code $(http_header r Cache-Control)" "200 no-store" "health: never cached, even with the preset"
serve_stop

# cdn=SECONDS; bad values are refused with a clear error.
serve_start cdn2 --plain --decks "$DECKS" --cache-control cdn=86400 || bail "serve did not start"
http_get r "$surl/smtp/0"
is "$(http_header r Cache-Control)" \
    "public, max-age=0, s-maxage=86400, stale-while-revalidate=60, stale-if-error=86400" \
    "cdn=86400: s-maxage=86400"
serve_stop
for v in cdn= cdn=x cdn=-1 cdn=99999999999; do
	"$DRFSLIDES" serve --plain --port 0 --decks "$DECKS" --cache-control "$v" \
	    >"$TMPD/bad.out" 2>"$TMPD/bad.err" </dev/null
	rc=$?
	is "$rc" 2 "--cache-control $v is refused as a usage error (exit 2)"
	matches "$TMPD/bad.err" "--cache-control cdn=SECONDS: .* is not a number from 0 to 31536000" "--cache-control $v: the error says why"
done
"$DRFSLIDES" serve --help >"$TMPD/help" 2>&1
contains "$TMPD/help" "cdn[=SECONDS]" "--help names the preset"

# The FastCGI front end through the shipped nginx block: the same headers.
SOCK=$TMPD/s.sock
DRFSLIDES_CACHE_CONTROL=cdn drf_start "$SOCK" "$TMPD/fcgi.log" --workers 1 --threads 2 \
    --decks "$DECKS" || bail "drfslides fcgi did not start"
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" || bail "nginx did not start"
for p in "" 4 print glossary/smtp.html; do
	http_get n "$NGINX_URL/slides/net-2_b/$p"
	is "$code $(http_header n Surrogate-Key) | $(http_header n Cache-Tag)" \
	    "200 drfslides deck-net-2_b | drfslides,deck-net-2_b" "nginx + fcgi: /net-2_b/$p has the deck's keys"
	is "$(http_header n Cache-Control)" "$preset" "nginx + fcgi: /net-2_b/$p has the preset"
done
done_testing
