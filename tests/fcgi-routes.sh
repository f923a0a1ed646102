#!/bin/sh
# fcgi-routes.sh: "drfslides fcgi" behind a private nginx with the shipped server
# blocks: the files adapt and pass "nginx -t", routes and statuses,
# validators, static files, the optional nginx cache and the upstream example.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"

fcgi_servers
is "$(stat -c %a "$SOCK")" 660 "--listen PATH makes a unix socket of mode 0660"
is "$(fcgi_status /smtp/3 "127.0.0.1:$T_PORT")" "Status: 200 OK" \
    "--listen 127.0.0.1:PORT answers FastCGI on TCP"
grep -q "include $deploy/nginx/drfslides-cache.conf;" "$TMPD/cached.conf" &&
	grep -q "127.0.0.1:$T_PORT" "$TMPD/upstream.conf" && [ -n "$cache_path" ]
ok $? "the shipped nginx files adapt to the test (socket, port, cache zone)"

nginx_configtest "    $cache_path" "$TMPD/main.conf" "$TMPD/cached.conf" "$TMPD/upstream.conf"
r=$?
ok $r "nginx -t accepts drfslides.conf, drfslides-cache.conf and upstream.conf"
[ $r -eq 0 ] || sed 's/^/#   /' "$NL_DIR/configtest.out"

# The systemd units, where systemd-analyze is installed (the lighttpd and
# Apache snippets: tests/webservers-*.sh).
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$TMPD/units"
	sed "s|/usr/local/bin/drfslides|$DRFSLIDES|" "$deploy/systemd/drfslides.service" \
	    >"$TMPD/units/drfslides.service"
	cp "$deploy/systemd/drfslides.socket" "$TMPD/units/"
	(cd "$TMPD/units" && $tmo systemd-analyze verify --man=no \
	    ./drfslides.socket ./drfslides.service) >"$TMPD/units.out" 2>&1
	r=$?
	ok $r "systemd-analyze verify accepts drfslides.socket and drfslides.service"
	[ $r -eq 0 ] || sed 's/^/#   /' "$TMPD/units.out"
else
	skip "systemd-analyze verify accepts the units" "systemd-analyze is not installed"
fi

# ============================================================ routes

route / 200 "GET /slides/ answers the deck index"
contains "$TMPD/b" 'href="smtp/"' "the index links the deck"
contains "$TMPD/b" 'class="count">13 ' "the index shows the deck's 13 pages"

fetch "$U/slides"
is "$code" 301 "GET /slides redirects to the mount point with its slash"
case $(header Location) in */slides/) r=0 ;; *) r=1 ;; esac
ok $r "the mount point's redirect goes to /slides/"

route /smtp/ 200 "GET /slides/smtp/ answers the entry page"
cp "$TMPD/b" "$TMPD/entry"
contains "$TMPD/entry" '<frameset' "the entry page is a frameset"
contains "$TMPD/entry" '<frame name="slide" src="0"' "the slide frame starts at page 0"
contains "$TMPD/entry" '<frame name="display" src="display"' "the display frame loads display"
# The frames' relative addresses, resolved against /slides/smtp/, answer.
fetch "$U/slides/smtp/0"
c1=$code
fetch "$U/slides/smtp/display"
is "$c1 $code" "200 200" "both frames of the frameset load under the mount point"
fetch -H 'If-None-Match: "x"' "$U/slides/smtp/"
[ -n "$(header ETag)" ] && [ -n "$(header Last-Modified)" ]
ok $? "the entry page has ETag and Last-Modified"

route '/smtp/?page=3' 200 "GET /slides/smtp/?page=3 answers"
contains "$TMPD/b" '<frame name="slide" src="3"' "?page=3 starts the slide frame at page 3"
route '/smtp/?page=13' 404 "?page= past the last page is 404"
route '/smtp/?page=x' 404 "a malformed ?page= is 404"

bad=
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
	fetch "$U/slides/smtp/$n"
	echo "/smtp/$n $code $(header Content-Type)" >>"$TMPD/types"
	[ "$code" = 200 ] || bad="$bad $n($code)"
	grep -q "data-page=\"$n\"" "$TMPD/b" || bad="$bad $n(body)"
done
is "$bad" "" "pages /slides/smtp/0 to /slides/smtp/12 answer 200 with their page"
fetch "$U/slides/smtp/3"
cp "$TMPD/b" "$TMPD/page3"
cp "$TMPD/h" "$TMPD/page3.h"
etag3=$(header ETag)
lm3=$(header Last-Modified)
route /smtp/13 404 "GET /slides/smtp/13 (past the end) is 404"
route /smtp/-1 404 "GET /slides/smtp/-1 is 404"
route /smtp/007 404 "GET /slides/smtp/007 (leading zeros) is 404"
route /smtp/1abc 404 "GET /slides/smtp/1abc is 404"

route /smtp/display 200 "GET /slides/smtp/display answers 200"
contains "$TMPD/b" 'display.js' "the display frame loads display.js"

route /smtp/glossary/ppp.html 200 "GET /slides/smtp/glossary/ppp.html answers 200"
contains "$TMPD/b" 'Point-to-Point Protocol' "the glossary page holds the entry's text"
route /smtp/glossary/nosuch.html 404 "a missing glossary entry is 404"
contains "$TMPD/b" 'class="entry missing"' "a missing glossary entry gets the friendly page"
contains "$TMPD/b" '<h2>nosuch</h2>' "the friendly page names the term"

route /smtp3.html 301 "GET /slides/smtp3.html (2001 name) redirects"
is "$(header Location)" "/slides/smtp/?page=3" "the 2001 name redirects to /slides/smtp/?page=3"
route /smtp 301 "GET /slides/smtp redirects to the deck's entry page"
is "$(header Location)" "/slides/smtp/" "the deck without its slash redirects to /slides/smtp/"
route /nosuch/ 404 "GET /slides/nosuch/ (no such deck) is 404"
contains "$TMPD/b" 'nosuch' "the 404 page names the missing deck"
route /nosuch3.html 404 "a 2001 name of no deck is 404"
route /smtp/nothing 404 "GET /slides/smtp/nothing is 404"

for m in POST PUT DELETE OPTIONS PATCH; do
	fetch -X "$m" -d x "$U/slides/smtp/3"
	is "$code $(header Allow)" "405 GET, HEAD" "$m is 405 with Allow: GET, HEAD"
	echo "$m $code $(header Content-Type)" >>"$TMPD/types"
done
fetch -X TRACE "$U/slides/smtp/3"
is "$code" 405 "TRACE is 405 (nginx or drfslides)"

fetch -I "$U/slides/smtp/3"
is "$code" 200 "HEAD /slides/smtp/3 answers 200"
is "$(header Content-Length)" "$(wc -c <"$TMPD/page3" | tr -d ' ')" \
    "HEAD has the Content-Length of GET"
is "$(header ETag)" "$etag3" "HEAD has the ETag of GET"

bad=$(awk '$1 != "TRACE" && $0 !~ /text\/html; charset=UTF-8$/' "$TMPD/types")
is "$bad" "" "every HTML answer of drfslides has Content-Type: text/html; charset=UTF-8"

# Validators.
etag=$etag3
lm=$lm3
[ -n "$etag" ] && [ -n "$lm" ]
ok $? "a page has ETag and Last-Modified"
fetch -H "If-None-Match: $etag" "$U/slides/smtp/3"
is "$code" 304 "If-None-Match with the page's ETag is 304"
[ ! -s "$TMPD/b" ]
ok $? "a 304 has no body"
is "$(header ETag)" "$etag" "a 304 repeats the ETag"
fetch -H "If-None-Match: \"0000000000000000\", $etag" "$U/slides/smtp/3"
is "$code" 304 "If-None-Match with a list holding the ETag is 304"
fetch -H 'If-None-Match: "0000000000000000"' "$U/slides/smtp/3"
is "$code" 200 "If-None-Match with another ETag is 200"
fetch -H "If-Modified-Since: $lm" "$U/slides/smtp/3"
is "$code" 304 "If-Modified-Since with the Last-Modified value is 304"
fetch -H "If-Modified-Since: Mon, 05 Mar 2001 00:00:00 GMT" "$U/slides/smtp/3"
is "$code" 200 "If-Modified-Since before the deck's date is 200"
fetch "$U/slides/smtp/display"
etag=$(header ETag)
[ -n "$etag" ] && [ -n "$(header Last-Modified)" ]
ok $? "the display frame has ETag and Last-Modified"
fetch -H "If-None-Match: $etag" "$U/slides/smtp/display"
is "$code" 304 "the display frame answers 304 to If-None-Match"

# Static assets come from nginx, straight from the files.
fetch "$U/slides/static/drfslides.css"
is "$code" 200 "GET /slides/static/drfslides.css answers 200"
case $(header Content-Type) in text/css*) r=0 ;; *) r=1 ;; esac
ok $r "the style sheet is text/css"
same "$TMPD/b" "$top_srcdir/static/drfslides.css" "nginx serves the installed style sheet as it is"
fetch "$U/slides/static/display.js"
is "$code" 200 "GET /slides/static/display.js answers 200"
fetch "$U/slides/static/nosuch.css"
is "$code" 404 "a missing static file is 404"

# ============================================================ the optional nginx cache

fetch -H 'Host: cached.invalid' "$U/slides/smtp/5"
s1="$code $(header X-Cache-Status)"
fetch -H 'Host: cached.invalid' "$U/slides/smtp/5"
s2="$code $(header X-Cache-Status)"
cp "$TMPD/b" "$TMPD/cached5"
fetch "$U/slides/smtp/5"
is "$s1 / $s2" "200 MISS / 200 HIT" "drfslides-cache.conf: a page is stored, then served from the cache"
same "$TMPD/cached5" "$TMPD/b" "drfslides-cache.conf: the cached page is the page"
fetch -I -H 'Host: cached.invalid' "$U/slides/smtp/6"
fetch -H 'Host: cached.invalid' "$U/slides/smtp/6"
[ "$code" = 200 ] && [ -s "$TMPD/b" ]
ok $? "drfslides-cache.conf: a cached HEAD does not empty the GET answer"
fetch -H 'Host: cached.invalid' "$U/slides/smtp/13"
fetch -H 'Host: cached.invalid' "$U/slides/smtp/13"
is "$code $(header X-Cache-Status)" "404 MISS" "drfslides-cache.conf: a 404 is not stored"

# ============================================================ the upstream example

fetch -H 'Host: upstream.invalid' "$U/slides/smtp/3"
is "$code" 200 "upstream.conf: a page through the two-backend upstream"
same "$TMPD/b" "$TMPD/page3" "upstream.conf: the same bytes as the direct socket"

done_testing
