#!/bin/sh
# webservers-lighttpd.sh: the shipped lighttpd snippet (mod_fastcgi) for real.
# Each server runs in the foreground on a free loopback port with a private
# configuration that includes the shipped snippet with only its paths
# changed, and starts "drfslides fcgi" itself. Through it, under /slides/:
# the deck index, the entry page, a page byte-identical to the plain CGI
# answer, the display frame, a glossary entry, a picture, the 2001 name's
# redirect, the style sheet from the server's alias, 404 (also outside the
# mount point), HEAD, 405 to POST, the mount point without its slash; then a
# clean error log, and no drfslides process left once the server has
# stopped. Skipped when the server is not installed.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/webservers-lib.sh"

# ============================================================ lighttpd

LIGHTTPD=$(command -v lighttpd 2>/dev/null)
[ -z "$LIGHTTPD" ] && [ -x /usr/sbin/lighttpd ] && LIGHTTPD=/usr/sbin/lighttpd

# lt_conf PORT: lighttpd.conf for PORT, including the shipped snippet with
# the program, its socket directory, the static files and the decks moved.
lt_conf() {
	{
		echo "server.document-root = \"$LT/www\""
		echo 'server.bind = "127.0.0.1"'
		echo "server.port = $1"
		echo "server.errorlog = \"$LT/run/error.log\""
		echo "server.pid-file = \"$LT/run/lighttpd.pid\""
		echo "server.upload-dirs = ( \"$LT/run\" )"
		if [ -n "$RUN_USER" ]; then
			echo "server.username = \"$RUN_USER\""
			echo "server.groupname = \"$RUN_GROUP\""
		fi
		echo 'mimetype.assign = ( ".css" => "text/css; charset=utf-8",'
		echo '    ".js" => "text/javascript; charset=utf-8", ".txt" => "text/plain" )'
		echo "include \"$LT/drfslides.conf\""
	} >"$LT/lighttpd.conf"
}

if [ -z "$LIGHTTPD" ]; then
	skip "lighttpd: the shipped snippet" "lighttpd is not installed"
elif [ -n "$unreachable" ]; then
	skip "lighttpd: the shipped snippet" "$unreachable"
else
	LT=$TMPD/lighttpd
	ws_snippet lighttpd lighttpd -e "s|/usr/local/bin/drfslides|$LT/drfslides|" \
	    -e "s|/run/lighttpd/|$LT/run/|" \
	    -e "s|/usr/local/share/drfslides/static/|$SITE/share/static/|" \
	    -e "s|/srv/drfslides/decks|$SITE/decks|"
	lt_conf 8080
	check "lighttpd: lighttpd -tt accepts the configuration with the shipped snippet" \
	    "$LIGHTTPD" -tt -f "$LT/lighttpd.conf"
	# lighttpd hands its environment to the program: the copies of the templates.
	ws_serve lighttpd "$LT" lt_conf "$SITE/decks with 2 workers" bin-environment \
	    env DRFSLIDES_TEMPLATES="$SITE/templates" DRFSLIDES_STATIC="$SITE/static" \
	    "$LIGHTTPD" -D -f "$LT/lighttpd.conf"
fi

done_testing
