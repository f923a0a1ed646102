#!/bin/sh
# fcgi-cgi.sh: "drfslides fcgi" without nginx: CGI mode (fd 0 not a socket),
# FastCGI through cgi-fcgi on a unix socket and on TCP, and systemd socket
# activation; each answer compared with the page nginx gets.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"

fcgi_servers
fcgi_page3

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
	skip "systemd socket activation serves pages" "systemd-socket-activate is not installed"
fi


done_testing
