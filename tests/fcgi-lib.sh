# fcgi-lib.sh: the setup of the fcgi-*.sh tests: a copy of the seed deck,
# "drfslides fcgi" on a unix socket and on TCP, and a private nginx with the
# shipped server blocks (plain, with the optional cache, and the upstream).
# Source it after lib.sh; every script starts its own servers.
# shellcheck shell=sh disable=SC1091,SC2034,SC2086,SC2154
. "$top_srcdir/tests/nginx-lib.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi (libfcgi-bin) is not installed"

deploy=$top_srcdir/deploy
DECKS=$TMPD/decks
DECK=$DECKS/smtp.drf
SOCK=$TMPD/s.sock
LOG=$TMPD/drf.log
BAIL_LOGS="$BAIL_LOGS $LOG"
mkdir -p "$DECKS" && cp "$top_srcdir/decks/smtp.drf" "$DECK" &&
	cp -R "$top_srcdir/decks/glossary" "$DECKS/" || exit 99
# A distributed tree may be read-only: the test edits its copies.
chmod -R u+w "$DECKS"
cp "$DECK" "$TMPD/smtp.orig"
export DRFSLIDES_DECKS="$DECKS"

tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout 20"

# route PATH STATUS DESCRIPTION: drfslides answers PATH (under /slides) through
# nginx with STATUS; its Content-Type is noted for the check of all of them.
route() {
	fetch "$U/slides$1"
	is "$code" "$2" "$3"
	echo "$1 $code $(header Content-Type)" >>"$TMPD/types"
}

# fcgi_servers [OPTION...]: "drfslides fcgi --listen $SOCK OPTION..." (by
# default one worker, which makes reloads deterministic, and immediate change
# checks) as $A_PID, the TCP backend of the upstream example as $T_PID on
# $T_PORT, and nginx with the three shipped server blocks at $U.
fcgi_servers() {
	[ $# -gt 0 ] || set -- --workers 1 --threads 4 --stat-interval 0
	drf_start "$SOCK" "$LOG" "$@" ||
		bail "drfslides fcgi --listen $SOCK did not start"
	A_PID=$DRF_PID
	drf_start_tcp "$TMPD/tcp.log" --workers 1 --threads 16 ||
		bail "drfslides fcgi --listen 127.0.0.1:PORT did not start"
	T_PID=$DRF_PID
	T_PORT=$DRF_PORT
	BAIL_LOGS="$BAIL_LOGS $TMPD/tcp.log"
	fcgi_sites
	nginx_start "    $cache_path" "$TMPD/main.conf" "$TMPD/cached.conf" "$TMPD/upstream.conf" ||
		bail "nginx did not start"
	U=$NGINX_URL
	echo "# nginx on port $NGINX_PORT, TCP backend on port $T_PORT"
}

# fcgi_sites: the shipped server blocks adapted to the test's socket, TCP
# port and cache zone ($cache_path).
fcgi_sites() {
	nl_site "$deploy/nginx/drfslides.conf" "$TMPD/main.conf" "$SOCK"
	nl_site "$deploy/nginx/drfslides.conf" "$TMPD/cached.conf" "$SOCK" cached.invalid
	sed -i "s|#include /etc/nginx/snippets/drfslides-cache.conf;|include $deploy/nginx/drfslides-cache.conf;|" \
	    "$TMPD/cached.conf"
	nl_site "$deploy/nginx/upstream.conf" "$TMPD/upstream.conf" "$SOCK" upstream.invalid
	sed -i "s|192\.0\.2\.10:9000|127.0.0.1:$T_PORT|" "$TMPD/upstream.conf"
	cache_path=$(sed -n 's/^# *\(fastcgi_cache_path .*\)$/\1/p' "$deploy/nginx/drfslides-cache.conf" |
	    sed "s|/var/cache/nginx/drfslides|$NL_DIR/cache|")
}

# fcgi_page3: page 3 through nginx, the reference the other ways are compared
# with, in $TMPD/page3 (head in page3.h).
fcgi_page3() {
	fetch "$U/slides/smtp/3"
	[ "$code" = 200 ] || bail "page 3 through nginx answers $code"
	cp "$TMPD/b" "$TMPD/page3"
	cp "$TMPD/h" "$TMPD/page3.h"
}
