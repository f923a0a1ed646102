#!/bin/sh
# fcgi.sh: "drfslides fcgi" behind a private nginx with the shipped server
# blocks: routes and statuses, validators, reload, CGI and FastCGI modes,
# spawn-fcgi, systemd sockets, the supervisor, signals and load.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi (libfcgi-bin) is not installed"

deploy=$top_srcdir/deploy
DECKS=$TMPD/decks
DECK=$DECKS/smtp.drf
SOCK=$TMPD/s.sock
LOG=$TMPD/drf.log
mkdir -p "$DECKS" && cp "$top_srcdir/decks/smtp.drf" "$DECK" &&
	cp -R "$top_srcdir/decks/glossary" "$DECKS/" || exit 99
# A distributed tree may be read-only: the test edits its copies.
chmod -R u+w "$DECKS"
cp "$DECK" "$TMPD/smtp.orig"
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_CONTROL LISTEN_FDS LISTEN_PID
export DRFSLIDES_DECKS="$DECKS"

tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout 20"

bail() {
	echo "Bail out! $1"
	for f in "$LOG" "$NL_DIR/error.log" "$NL_DIR/stderr"; do
		[ -s "$f" ] && sed 's/^/#   /' "$f" | tail -10
	done
	exit 1
}

# fetch [CURL_OPTION...] URL: headers in $TMPD/h, body in $TMPD/b, status in $code.
fetch() {
	rm -f "$TMPD/h" "$TMPD/b"
	code=$(curl -s --max-time 10 -D "$TMPD/h" -o "$TMPD/b" -w '%{http_code}' "$@")
	[ -n "$code" ] || code=000
	touch "$TMPD/b" "$TMPD/h"
}

# header NAME: a header of the last answer (fetch, or split_cgi), without CR.
header() {
	header_of "$TMPD/h" "$1"
}

# route PATH STATUS DESCRIPTION: drfslides answers PATH (under /slides) through
# nginx with STATUS; its Content-Type is noted for the check of all of them.
route() {
	fetch "$U/slides$1"
	is "$code" "$2" "$3"
	echo "$1 $code $(header Content-Type)" >>"$TMPD/types"
}

# split_cgI FILE: a CGI answer's head to $TMPD/h and body to $TMPD/b.
split_cgi() {
	sed '/^\r$/q' "$1" >"$TMPD/h"
	sed '1,/^\r$/d' "$1" >"$TMPD/b"
}

# cgi_env METHOD PATH_INFO [VAR=VALUE...]: the plain environment of one request.
cgi_env() {
	m=$1 pi=$2
	shift 2
	env -i PATH="$PATH" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
	    ${LSAN_OPTIONS:+LSAN_OPTIONS="$LSAN_OPTIONS"} \
	    DRFSLIDES_DECKS="$DECKS" DRFSLIDES_TEMPLATES="$DRFSLIDES_TEMPLATES" \
	    DRFSLIDES_STATIC="$DRFSLIDES_STATIC" GATEWAY_INTERFACE=CGI/1.1 \
	    REQUEST_METHOD="$m" SCRIPT_NAME=/slides PATH_INFO="$pi" \
	    REQUEST_URI="/slides$pi" QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 "$@"
}

# same FILE1 FILE2 DESCRIPTION: the files are byte-identical.
same() {
	if cmp -s "$1" "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		cmp "$1" "$2" 2>&1 | sed 's/^/#   /'
	fi
}

# lines FILE: how many lines FILE has.
lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# ============================================================ the servers

# A: one worker (deterministic reloads), immediate change checks.
drf_start "$SOCK" "$LOG" --workers 1 --threads 4 --stat-interval 0 ||
	bail "drfslides fcgi --listen $SOCK did not start"
A_PID=$DRF_PID
is "$(stat -c %a "$SOCK")" 660 "--listen PATH makes a unix socket of mode 0660"

# T: the TCP backend of the upstream example.
drf_start_tcp "$TMPD/tcp.log" --workers 1 --threads 16 ||
	bail "drfslides fcgi --listen 127.0.0.1:PORT did not start"
T_PID=$DRF_PID
T_PORT=$DRF_PORT
ok 0 "--listen 127.0.0.1:PORT listens on TCP"

# The shipped server blocks: plain, with the optional cache, and the upstream.
nl_site "$deploy/nginx/drfslides.conf" "$TMPD/main.conf" "$SOCK"
nl_site "$deploy/nginx/drfslides.conf" "$TMPD/cached.conf" "$SOCK" cached.invalid
sed -i "s|#include /etc/nginx/snippets/drfslides-cache.conf;|include $deploy/nginx/drfslides-cache.conf;|" \
    "$TMPD/cached.conf"
nl_site "$deploy/nginx/upstream.conf" "$TMPD/upstream.conf" "$SOCK" upstream.invalid
sed -i "s|192\.0\.2\.10:9000|127.0.0.1:$T_PORT|" "$TMPD/upstream.conf"
cache_path=$(sed -n 's/^# *\(fastcgi_cache_path .*\)$/\1/p' "$deploy/nginx/drfslides-cache.conf" |
    sed "s|/var/cache/nginx/drfslides|$NL_DIR/cache|")
grep -q "include $deploy/nginx/drfslides-cache.conf;" "$TMPD/cached.conf" &&
	grep -q "127.0.0.1:$T_PORT" "$TMPD/upstream.conf" && [ -n "$cache_path" ]
ok $? "the shipped nginx files adapt to the test (socket, port, cache zone)"

nginx_configtest "    $cache_path" "$TMPD/main.conf" "$TMPD/cached.conf" "$TMPD/upstream.conf"
r=$?
ok $r "nginx -t accepts drfslides.conf, drfslides-cache.conf and upstream.conf"
[ $r -eq 0 ] || sed 's/^/#   /' "$NL_DIR/configtest.out"

# The systemd units, where systemd-analyze is installed (the lighttpd and
# Apache snippets: tests/webservers.sh).
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
	ok 0 "# SKIP systemd-analyze is not installed"
fi

nginx_start "    $cache_path" "$TMPD/main.conf" "$TMPD/cached.conf" "$TMPD/upstream.conf" ||
	bail "nginx did not start"
U=$NGINX_URL
echo "# nginx on port $NGINX_PORT, TCP backend on port $T_PORT"

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

# ============================================================ CGI and FastCGI without nginx

cgi_env GET /smtp/3 $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>"$TMPD/cgi.err"
is "$?" 0 "CGI mode (fd 0 not a socket) exits 0"
split_cgi "$TMPD/cgi"
is "$(head -1 "$TMPD/h" | tr -d '\r')" "Status: 200 OK" "CGI mode answers with a Status header"
is "$(header Content-Type)" "text/html; charset=UTF-8" "CGI mode sends the Content-Type"
same "$TMPD/b" "$TMPD/page3" "CGI mode sends the same body as FastCGI through nginx"
is "$(header Content-Length)" "$(wc -c <"$TMPD/page3" | tr -d ' ')" "CGI mode's Content-Length counts the body"

cgi_env GET /smtp3.html $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>>"$TMPD/cgi.err"
split_cgi "$TMPD/cgi"
is "$(head -1 "$TMPD/h" | tr -d '\r') $(header Location)" \
    "Status: 301 Moved Permanently /slides/smtp/?page=3" "CGI mode redirects a 2001 name"
cgi_env POST /smtp/3 $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>>"$TMPD/cgi.err"
split_cgi "$TMPD/cgi"
is "$(head -1 "$TMPD/h" | tr -d '\r') $(header Allow)" \
    "Status: 405 Method Not Allowed GET, HEAD" "CGI mode answers 405 to POST"
# A server that sends no PATH_INFO: the path comes from REQUEST_URI.
env -i PATH="$PATH" DRFSLIDES_DECKS="$DECKS" DRFSLIDES_TEMPLATES="$DRFSLIDES_TEMPLATES" \
    REQUEST_METHOD=GET SCRIPT_NAME=/slides REQUEST_URI=/slides/smtp/3 \
    $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>>"$TMPD/cgi.err"
split_cgi "$TMPD/cgi"
same "$TMPD/b" "$TMPD/page3" "CGI mode without PATH_INFO takes the path from REQUEST_URI"

cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "$SOCK" </dev/null >"$TMPD/cf" 2>"$TMPD/cf.err"
split_cgi "$TMPD/cf"
is "$(head -1 "$TMPD/h" | tr -d '\r')" "Status: 200 OK" "cgi-fcgi -connect SOCKET gets 200"
same "$TMPD/b" "$TMPD/page3" "FastCGI through cgi-fcgi sends the same body"
cgi_env HEAD /smtp/3 $tmo cgi-fcgi -bind -connect "$SOCK" </dev/null >"$TMPD/cf" 2>>"$TMPD/cf.err"
split_cgi "$TMPD/cf"
[ ! -s "$TMPD/b" ] && [ "$(header Content-Length)" = "$(wc -c <"$TMPD/page3" | tr -d ' ')" ]
ok $? "HEAD over FastCGI: no body, the Content-Length of GET"
cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "127.0.0.1:$T_PORT" </dev/null \
    >"$TMPD/cf" 2>>"$TMPD/cf.err"
split_cgi "$TMPD/cf"
same "$TMPD/b" "$TMPD/page3" "--listen 127.0.0.1:PORT answers FastCGI over TCP"

# ============================================================ reload

now=$(date +%s)
touch -d "@$now.100000000" "$DECK"
fetch "$U/slides/smtp/0"
contains "$TMPD/b" '(SMTP)' "the deck is served before the edit"
before=$(stat -c '%s %i %Y' "$DECK")
etag=$(header ETag)
off=$(grep -bo '(SMTP)' "$DECK" | head -1 | cut -d: -f1)
printf X | dd of="$DECK" bs=1 seek=$((off + 1)) conv=notrunc 2>/dev/null
touch -d "@$now.200000000" "$DECK"
is "$(stat -c '%s %i %Y' "$DECK")" "$before" "the edit keeps size, inode and second (only ns differ)"
fetch "$U/slides/smtp/0"
contains "$TMPD/b" '(XMTP)' "an edit in place (same size, same second) is seen by the next request"
[ "$(header ETag)" != "$etag" ]
ok $? "the edited page has a new ETag"
cp "$DECK" "$TMPD/smtp.edited"

printf 'broken\000line\n' >>"$DECK"
fetch "$U/slides/smtp/0"
is "$code" 200 "a broken deck is still served"
contains "$TMPD/b" '(XMTP)' "a broken deck is served in its last good version"
grep -Eq 'smtp\.drf:[0-9]+:' "$LOG"
r=$?
ok $r "the log names the error with file:line"
[ $r -eq 0 ] || sed 's/^/#   /' "$LOG" | tail -5
contains "$LOG" 'serving the last good version' "the log says the last good version is served"

rm -f "$DECK"
route /smtp/0 404 "a deleted deck's pages are 404"
route /smtp/ 404 "a deleted deck's entry page is 404"
route / 200 "the index answers without the deleted deck"
lacks "$TMPD/b" 'href="smtp/"' "the index no longer lists the deleted deck"
cp "$TMPD/smtp.orig" "$DECK"
route /smtp/0 200 "a restored deck is served again"
contains "$TMPD/b" '(SMTP)' "the restored deck is its new content"

# ============================================================ systemd socket activation

if command -v systemd-socket-activate >/dev/null 2>&1; then
	systemd-socket-activate -l "$TMPD/sd.sock" -E DRFSLIDES_DECKS="$DECKS" \
	    -E DRFSLIDES_TEMPLATES="$DRFSLIDES_TEMPLATES" -E DRFSLIDES_WORKERS=1 \
	    "$DRFSLIDES" fcgi </dev/null >/dev/null 2>"$TMPD/sd.log" &
	sd_pid=$!
	nl_track "$sd_pid"
	nl_wait_until 10 test -S "$TMPD/sd.sock"
	cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "$TMPD/sd.sock" </dev/null \
	    >"$TMPD/cf" 2>>"$TMPD/cf.err"
	split_cgi "$TMPD/cf"
	same "$TMPD/b" "$TMPD/page3" "systemd socket activation (LISTEN_FDS, fd 3) serves pages"
	drf_stop "$sd_pid" 5
	ok $? "the socket-activated server stops on SIGTERM"
else
	ok 0 "# SKIP systemd-socket-activate is not installed"
fi

# ============================================================ stop, spawn-fcgi, failover

cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "$SOCK" </dev/null >/dev/null 2>&1
fetch -H 'Host: upstream.invalid' "$U/slides/smtp/1"
drf_stop "$A_PID" 5
ok $? "SIGTERM stops a server that holds kept-alive connections within 5 s"
[ ! -e "$SOCK" ]
ok $? "the stopped server removes its --listen socket"
fetch -H 'Host: upstream.invalid' "$U/slides/smtp/3"
is "$code" 200 "upstream.conf: with the unix backend down, the TCP backend answers"
same "$TMPD/b" "$TMPD/page3" "upstream.conf: the TCP backend's page is the same"

spawn-fcgi -s "$SOCK" -M 0660 -n -- "$DRFSLIDES" fcgi --workers 1 --stat-interval 0 \
    </dev/null >/dev/null 2>>"$TMPD/spawn.log" &
sp_pid=$!
nl_track "$sp_pid"
nl_wait_until 10 nl_ready "$TMPD/spawn.log" "$sp_pid"
nl_logged "$TMPD/spawn.log" "$sp_pid"
ok $? "spawn-fcgi -s SOCKET -n starts drfslides fcgi on fd 0"
fetch "$U/slides/smtp/3"
is "$code" 200 "nginx reaches drfslides under spawn-fcgi"
same "$TMPD/b" "$TMPD/page3" "drfslides under spawn-fcgi serves the same page"
drf_stop "$sp_pid" 5
ok $? "drfslides under spawn-fcgi stops on SIGTERM"
rm -f "$SOCK"

r=1
try=0
while [ "$try" -lt 10 ] && [ "$r" -ne 0 ]; do
	try=$((try + 1))
	sp_port=$(nl_random_port)
	spawn-fcgi -a 127.0.0.1 -p "$sp_port" -n -- "$DRFSLIDES" fcgi --workers 0 --threads 2 \
	    </dev/null >/dev/null 2>>"$TMPD/spawn-tcp.log" &
	sp_pid=$!
	nl_track "$sp_pid"
	nl_wait_until 10 nl_ready "$TMPD/spawn-tcp.log" "$sp_pid"
	if nl_logged "$TMPD/spawn-tcp.log" "$sp_pid"; then r=0; else nl_stop "$sp_pid"; fi
done
ok $r "spawn-fcgi -a 127.0.0.1 -p PORT starts drfslides fcgi (no supervisor)"
cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "127.0.0.1:$sp_port" </dev/null \
    >"$TMPD/cf" 2>>"$TMPD/cf.err"
split_cgi "$TMPD/cf"
same "$TMPD/b" "$TMPD/page3" "drfslides under spawn-fcgi on TCP serves the same page"
drf_stop "$sp_pid" 5
ok $? "a --workers 0 server stops on SIGTERM"

kill -INT "$T_PID"
nl_wait_until 5 nl_gone "$T_PID"
ok $? "SIGINT stops the server"
nl_stop "$T_PID"

# ============================================================ the supervisor

drf_start "$SOCK" "$LOG" --threads 8 --stat-interval 0 ||
	bail "drfslides fcgi with two workers did not start"
B_PID=$DRF_PID
is "$(drf_workers "$B_PID" | wc -l | tr -d ' ')" 2 "the supervisor runs two workers by default"
is "$(stat -c %a "$SOCK")" 660 "the socket has mode 0660"

# load N: N loops of requests through nginx until $TMPD/stop exists; one status a line.
load() {
	rm -f "$TMPD/stop"
	i=0
	while [ "$i" -lt "$1" ]; do
		(
			n=0
			while [ ! -e "$TMPD/stop" ]; do
				curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' \
				    "$U/slides/smtp/$((n % 13))"
				n=$((n + 1))
			done
		) >"$TMPD/load.$i" 2>/dev/null &
		load_pids="$load_pids $!"
		nl_track $!
		i=$((i + 1))
	done
}
load_stop() {
	touch "$TMPD/stop"
	for p in $load_pids; do
		nl_wait_until 15 nl_gone "$p"
		nl_stop "$p"
	done
	load_pids=
}
grown() {
	[ "$(cat "$TMPD"/load.* | wc -l)" -ge "$1" ]
}

load 4
nl_wait_until 10 grown 40
victim=$(drf_workers "$B_PID" | head -1)
kill -KILL "$victim"
respawned() {
	grep -q "worker $victim killed by signal 9; starting another" "$LOG" &&
	    [ "$(drf_workers "$B_PID" | grep -cv "^$victim\$")" -eq 2 ]
}
nl_wait_until 10 respawned
r=$?
ok $r "the supervisor logs the killed worker and starts another"
[ $r -eq 0 ] || sed 's/^/#   /' "$LOG" | tail -5
mark=$(cat "$TMPD"/load.* | wc -l)
nl_wait_until 10 grown $((mark + 100))
load_stop
total=$(cat "$TMPD"/load.* | wc -l)
errors=$(cat "$TMPD"/load.* | grep -cv '^200$')
echo "# $total requests under load, $errors not 200 (requests the killed worker held)"
after=$(for f in "$TMPD"/load.*; do tail -20 "$f"; done | grep -cv '^200$')
[ "$total" -ge $((mark + 100)) ] && [ "$after" -eq 0 ]
ok $? "the service keeps answering 200 after a worker is killed under load"
fetch "$U/slides/smtp/4"
is "$code" 200 "a page answers after the re-spawn"

# ============================================================ concurrency

cp "$TMPD/smtp.orig" "$DECK"
cp "$TMPD/smtp.edited" "$TMPD/smtp.b"
# rewrite: every second, a new version moved over the deck, or a byte changed in place.
rewrite() {
	rm -f "$TMPD/stop-rewrite"
	(
		i=0
		while [ ! -e "$TMPD/stop-rewrite" ]; do
			case $((i % 3)) in
			0) cp "$TMPD/smtp.b" "$DECKS/.smtp.tmp" && mv "$DECKS/.smtp.tmp" "$DECK" ;;
			1) cp "$TMPD/smtp.orig" "$DECKS/.smtp.tmp" && mv "$DECKS/.smtp.tmp" "$DECK" ;;
			2) printf Y | dd of="$DECK" bs=1 seek=$((off + 1)) conv=notrunc 2>/dev/null ;;
			esac
			i=$((i + 1))
			echo "$i" >"$TMPD/rewrites"
			sleep 1
		done
	) &
	rw_pid=$!
	nl_track "$rw_pid"
}
kills_before=$(grep -c 'killed by signal\|exited with' "$LOG")
workers_before=$(drf_workers "$B_PID" | sort | tr '\n' ' ')

if command -v wrk >/dev/null 2>&1; then
	nl_wrk_script "$TMPD/paths.lua"
	wrk -t 2 -c 16 -d 1s -s "$TMPD/paths.lua" "$U" >"$TMPD/warm.out" 2>&1
	rss0=$(drf_rss_kib "$B_PID")
	rewrite
	wrk -t 4 -c 64 -d 10s --timeout 5s -s "$TMPD/paths.lua" "$U" >"$TMPD/wrk.out" 2>&1
	wrk_rc=$?
	touch "$TMPD/stop-rewrite"
	rss1=$(drf_rss_kib "$B_PID")
	sed 's/^/#   /' "$TMPD/wrk.out"
	is "$wrk_rc" 0 "wrk: 64 connections for 10 s through nginx"
	grep -q 'requests in' "$TMPD/wrk.out"
	ok $? "wrk completed requests"
	lacks "$TMPD/wrk.out" 'Non-2xx' "under load while the deck is rewritten: no error status"
	lacks "$TMPD/wrk.out" 'Socket errors' "under load while the deck is rewritten: no socket error"
else
	echo "# wrk is not installed: 16 parallel curl clients instead"
	n=0
	while [ "$n" -lt 4000 ]; do
		echo "$U/slides/smtp/$((n % 13))"
		n=$((n + 1))
	done >"$TMPD/urls"
	xargs -P 16 -n 50 curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' \
	    <"$TMPD/urls" >/dev/null 2>&1
	rss0=$(drf_rss_kib "$B_PID")
	rewrite
	xargs -P 16 -n 50 curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' \
	    <"$TMPD/urls" >"$TMPD/codes" 2>&1
	touch "$TMPD/stop-rewrite"
	rss1=$(drf_rss_kib "$B_PID")
	is "$(wc -l <"$TMPD/codes" | tr -d ' ')" 4000 "parallel clients: every request got an answer"
	is "$(grep -cv '^200$' "$TMPD/codes")" 0 "under load while the deck is rewritten: no error status"
fi
nl_wait_until 5 nl_gone "$rw_pid"
nl_stop "$rw_pid"
echo "# $(cat "$TMPD/rewrites" 2>/dev/null) rewrites of the deck"
[ "$(cat "$TMPD/rewrites" 2>/dev/null)" -ge 5 ]
ok $? "the deck was rewritten during the load"
is "$(grep -c 'killed by signal\|exited with' "$LOG")" "$kills_before" "no worker died under load"
is "$(drf_workers "$B_PID" | sort | tr '\n' ' ')" "$workers_before" "the same workers serve after the load"
echo "# workers' RSS: ${rss0} KiB before the load, ${rss1} KiB after"
if nm "$DRFSLIDES" 2>/dev/null | grep -q __asan_init; then
	# AddressSanitizer keeps freed memory in quarantine: RSS says nothing here.
	echo "ok $((tap_n += 1)) - the workers' memory stays flat under load # SKIP AddressSanitizer build"
else
	[ "$rss0" -gt 0 ] && [ "$rss1" -le $((rss0 * 2 + 20480)) ]
	ok $? "the workers' memory stays flat under load (after <= 2 x before + 20 MiB)"
fi

# ============================================================ SIGTERM

workers=$(drf_workers "$B_PID")
drf_stop "$B_PID" 5
ok $? "SIGTERM stops the supervisor within 5 s"
left=
for w in $workers; do nl_alive "$w" && left="$left $w"; done
is "$left" "" "SIGTERM stops every worker"
[ ! -e "$SOCK" ]
ok $? "SIGTERM removes the socket"
contains "$LOG" "drfslides[$B_PID]: stopped" "the supervisor logs that it stopped"

# ============================================================ workers that cannot start

# A configuration no worker can start with stops the supervisor at once.
BLOG=$TMPD/bad.log
"$DRFSLIDES" fcgi --listen "$TMPD/bad.sock" --workers 2 \
    --templates "$TMPD/no-templates" 2>"$BLOG" </dev/null &
bpid=$!
nl_track "$bpid"
nl_wait_until 10 nl_gone "$bpid"
ok $? "missing templates: the supervisor exits at once"
wait "$bpid"
is "$?" 1 "missing templates: with status 1"
contains "$BLOG" "$TMPD/no-templates" "missing templates: the log names the directory"
is "$(grep -c 'starting another' "$BLOG")" 0 "missing templates: no worker is started over and over"

# Workers that die as they start (the templates went away after the
# supervisor started) are started again 1, 2, 4 ... s apart, not in a loop;
# but the only slot is tried every second, so that the socket is never
# without a worker for longer. They serve again once the templates are back.
cp -R "$top_srcdir/templates" "$TMPD/tpl2"
drf_start "$TMPD/bo.sock" "$TMPD/bo.log" --workers 1 --templates "$TMPD/tpl2" ||
	bail "drfslides fcgi --templates $TMPD/tpl2 did not start"
BO_PID=$DRF_PID
mv "$TMPD/tpl2" "$TMPD/tpl2.gone"
kill -KILL "$(drf_workers "$BO_PID")"
waited() {
	[ "$(grep -c 'starting another in' "$TMPD/bo.log")" -ge 3 ]
}
nl_wait_until 15 waited
ok $? "the only slot, its workers dying at start, is tried again and again"
grep -o 'starting another in [0-9]* s' "$TMPD/bo.log" | sed 's/^/#   /'
is "$(grep -o 'starting another in [0-9]* s' "$TMPD/bo.log" | tr -dc '0-9\n' | sort -u | tr '\n' ' ')" \
    "1 " "every wait is 1 s: the socket is never without a worker for longer"
mv "$TMPD/tpl2.gone" "$TMPD/tpl2"
serves() {
	[ -n "$(drf_workers "$BO_PID")" ] &&
	    cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "$TMPD/bo.sock" </dev/null 2>/dev/null |
	    head -1 | grep -q '^Status: 200'
}
nl_wait_until 15 serves
ok $? "templates back: the next worker starts and serves"
drf_stop "$BO_PID" 5
ok $? "that supervisor stops on SIGTERM"

done_testing
