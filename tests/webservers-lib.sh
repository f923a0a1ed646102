# webservers-lib.sh: the setup of webservers-lighttpd.sh and
# webservers-apache.sh: a copy of what the servers read and run (as root,
# readable by the user they run as), the reference page from plain CGI,
# starting a server on a free port, and the checks every server must pass.
# Source it after lib.sh.
# shellcheck shell=sh disable=SC1091,SC2034,SC2086,SC2154

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"

deploy=$top_srcdir/deploy
tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout 20"

# ============================================================ processes

. "$top_srcdir/tests/proc-lib.sh"

WS_BINS=

# ws_procs BIN: the processes running the program BIN (a copy of drfslides
# that only this test runs), one PID a line.
ws_procs() {
	pgrep -f "^$(printf '%s\n' "$1" | sed 's/[].[^$*+?(){}|\\]/\\&/g')( |\$)" 2>/dev/null
}

# ws_no_procs BIN: no process runs BIN.
ws_no_procs() {
	[ -z "$(ws_procs "$1")" ]
}

# ws_cleanup: kills any drfslides a stopped server left behind; at exit,
# after the tracked processes are stopped.
ws_cleanup() {
	for ws_b in $WS_BINS; do
		for ws_p in $(ws_procs "$ws_b"); do
			kill -KILL "$ws_p" 2>/dev/null
		done
	done
}
trap 'nl_cleanup; ws_cleanup; rm -rf "$TMPD"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ============================================================ what the servers read

# As root, the servers switch to an unprivileged user, which must be able to
# read and run everything below $TMPD (never the source or build tree).
RUN_USER=
RUN_GROUP=
if [ "$(id -u)" = 0 ]; then
	for u in www-data nobody; do
		if id "$u" >/dev/null 2>&1; then
			RUN_USER=$u
			break
		fi
	done
	[ -n "$RUN_USER" ] || skip_all "running as root, and no www-data or nobody user to serve as"
	RUN_GROUP=$(id -gn "$RUN_USER")
	chmod 711 "$TMPD" || exit 99
fi

# The program's static files and the web server's copy are two directories:
# a file only in the server's copy shows that its alias answers /slides/static/.
SITE=$TMPD/site
mkdir -p "$SITE/share" &&
	cp -R "$top_srcdir/decks" "$SITE/decks" &&
	cp -R "$DRFSLIDES_TEMPLATES" "$SITE/templates" &&
	cp -R "$DRFSLIDES_STATIC" "$SITE/static" &&
	cp -R "$DRFSLIDES_STATIC" "$SITE/share/static" &&
	echo "from the web server" >"$SITE/share/static/alias-only.txt" || exit 99
# A distributed tree may be read-only; the server's user reads everything.
chmod -R u+w,a+rX "$SITE" || exit 99

# as_run_user COMMAND...: runs COMMAND as the servers' user (as is, if not root).
as_run_user() {
	if [ -z "$RUN_USER" ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$RUN_USER" -- "$@"
	elif command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid="$RUN_USER" --regid="$RUN_GROUP" --clear-groups -- "$@"
	else
		"$@"
	fi
}

# The servers' user must reach $TMPD: with a TMPDIR it cannot traverse, each
# server is skipped.
unreachable=
if ! as_run_user test -r "$SITE/decks/smtp.drf"; then
	unreachable="$RUN_USER cannot read $TMPD (set TMPDIR to a directory it can traverse)"
fi

# ws_server_dir NAME: makes $TMPD/NAME (ws_dir) with a copy of the drfslides
# binary, a document root holding the readiness token and a run directory.
ws_server_dir() {
	ws_dir=$TMPD/$1
	mkdir -p "$ws_dir/www" "$ws_dir/run" &&
		cp "$DRFSLIDES" "$ws_dir/drfslides" &&
		echo "drfslides-test-$$-$1" >"$ws_dir/www/ping.txt" &&
		chmod -R a+rX "$ws_dir" && chmod 755 "$ws_dir/drfslides" || exit 99
	# The directory of the server's sockets belongs to the server's user.
	[ -z "$RUN_USER" ] || chown "$RUN_USER:$RUN_GROUP" "$ws_dir/run" || exit 99
	WS_BINS="$WS_BINS $ws_dir/drfslides"
}

# ws_snippet NAME TITLE SED-ARG...: the server's directory $TMPD/NAME
# (ws_server_dir) with the shipped deploy/NAME/drfslides.conf in it, its
# paths changed by sed SED-ARG... (and checked: only its paths changed).
ws_snippet() {
	wn_name=$1 wn_title=$2
	shift 2
	ws_server_dir "$wn_name"
	sed "$@" "$deploy/$wn_name/drfslides.conf" >"$ws_dir/drfslides.conf"
	adapted "$deploy/$wn_name/drfslides.conf" "$ws_dir/drfslides.conf" "$wn_title"
}

# ============================================================ the checks

# The reference: page 3 from "drfslides fcgi" as plain CGI (fd 0 not a socket).
cgi_env GET /smtp/3 DRFSLIDES_DECKS="$SITE/decks" DRFSLIDES_TEMPLATES="$SITE/templates" \
    DRFSLIDES_STATIC="$SITE/static" \
    $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi3" 2>"$TMPD/cgi3.err"
split_cgi "$TMPD/cgi3" "$TMPD/cgi3.h" "$TMPD/cgi3.b"
[ "$ccode" = 200 ] && [ -s "$TMPD/cgi3.b" ]
r=$?
ok $r "plain CGI answers GET /slides/smtp/3 (the reference for the servers)"
[ $r -eq 0 ] || sed 's/^/#   /' "$TMPD/cgi3" "$TMPD/cgi3.err" | head -10

# web_checks NAME URL: the routes under /slides/ through the server at URL.
web_checks() {
	n=$1
	u=$2

	fetch "$u/slides/"
	is "$code" 200 "$n: GET /slides/ answers the deck index"
	contains "$TMPD/b" 'href="smtp/"' "$n: the index lists the smtp deck"
	contains "$TMPD/b" 'class="count">13 ' "$n: the index shows the deck's 13 pages"

	fetch "$u/slides"
	loc=$(header Location)
	case $loc in /slides/ | "$u/slides/") loc=ok ;; esac
	is "$code $loc" "301 ok" "$n: GET /slides redirects to /slides/, as nginx does"

	fetch "$u/slides/smtp/"
	is "$code" 200 "$n: GET /slides/smtp/ answers the entry page"
	contains "$TMPD/b" '<frameset' "$n: the entry page is a frameset"

	fetch "$u/slides/smtp/3"
	is "$code" 200 "$n: GET /slides/smtp/3 answers 200"
	contains "$TMPD/b" 'data-page="3"' "$n: /slides/smtp/3 holds page 3"
	is "$(header Content-Type)" "text/html; charset=UTF-8" "$n: a page is text/html; charset=UTF-8"
	same "$TMPD/b" "$TMPD/cgi3.b" "$n: /slides/smtp/3 is byte-identical to the plain CGI answer"
	len3=$(header Content-Length)

	fetch "$u/slides/smtp/display"
	is "$code" 200 "$n: GET /slides/smtp/display answers 200"
	contains "$TMPD/b" 'display.js' "$n: the display frame loads display.js"

	fetch "$u/slides/smtp/glossary/ppp.html"
	is "$code" 200 "$n: GET /slides/smtp/glossary/ppp.html answers 200"
	contains "$TMPD/b" 'Point-to-Point Protocol' "$n: the glossary page holds the entry's text"

	fetch "$u/slides/smtp/scene-01.svg"
	is "$code $(header Content-Type)" "200 image/svg+xml" \
	    "$n: GET /slides/smtp/scene-01.svg answers 200 image/svg+xml"
	same "$TMPD/b" "$SITE/decks/smtp/scene-01.svg" "$n: the picture is the deck's file"

	fetch "$u/slides/smtp3.html"
	is "$code $(header Location)" "301 /slides/smtp/?page=3" \
	    "$n: the 2001 name /slides/smtp3.html redirects to /slides/smtp/?page=3"

	fetch "$u/slides/static/drfslides.css"
	is "$code" 200 "$n: GET /slides/static/drfslides.css answers 200"
	case $(header Content-Type) in text/css*) r=0 ;; *) r=1 ;; esac
	ok $r "$n: the style sheet is text/css"
	[ $r -eq 0 ] || echo "#   Content-Type: $(header Content-Type)"
	same "$TMPD/b" "$SITE/share/static/drfslides.css" "$n: the style sheet is the static file"
	fetch "$u/slides/static/alias-only.txt"
	is "$code" 200 "$n: /slides/static/ is the server's alias (a file only in its directory answers)"

	fetch "$u/slides/nosuch/"
	is "$code" 404 "$n: GET /slides/nosuch/ (no such deck) is 404"

	# Only /slides and what is below /slides/ is the mount point, as with nginx.
	fetch "$u/slidesx/smtp/3"
	is "$code" 404 "$n: GET /slidesx/smtp/3 (not below /slides/) is 404, not the deck"

	# HEAD, then a GET on the same connection: a body after the HEAD's
	# headers would spoil the second answer.
	rm -f "$TMPD/hh" "$TMPD/hb"
	res=$(curl -s --max-time 10 -I -o "$TMPD/hh" -w '%{http_code} %{size_download}' \
	    "$u/slides/smtp/3" --next -s --max-time 10 -o "$TMPD/hb" \
	    -w ' %{http_code} %{num_connects}' "$u/slides/smtp/3")
	is "$res" "200 0 200 0" "$n: HEAD /slides/smtp/3 answers 200 without a body (a GET follows on its connection)"
	is "$(header_of "$TMPD/hh" Content-Length)" "$len3" "$n: HEAD has the Content-Length of GET"
	touch "$TMPD/hb"
	same "$TMPD/hb" "$TMPD/cgi3.b" "$n: the GET after HEAD gets the whole page"

	fetch -d x "$u/slides/smtp/3"
	is "$code $(header Allow)" "405 GET, HEAD" "$n: POST is 405 with Allow: GET, HEAD"
}

# log_problems FILE...: the lines of the servers' logs about the FastCGI
# application that are not its "serving" and "stopped" notes (or the line
# about a wrong presenter key, which the presenter checks send).
log_problems() {
	cat "$@" 2>/dev/null | grep -E 'drfslides|fcgid|fastcgi|gw_backend|Sanitizer|runtime error' |
	    grep -vE 'drfslides\[[0-9]+\]: (serving .*|stopped|a wrong presenter key for .*)$' |
	    grep -vE '\[(mpm_[a-z]+|core):notice\]'
}

# adapted SHIPPED COPY NAME: the copy of a shipped snippet names the test's
# program and no path of an installed system outside comments.
adapted() {
	grep -qF "$(dirname "$2")/drfslides" "$2" &&
		! grep -v '^[[:space:]]*#' "$2" | grep -qE '(^|[" ])/(usr|srv|run|var|etc)/'
	r=$?
	ok $r "$3: the shipped ${1#"$top_srcdir"/} adapts to the test (only its paths changed)"
	[ $r -eq 0 ] || diff "$1" "$2" | sed 's/^/#   /'
}

# ws_pinged URL TOKEN: the server at URL is this test's.
ws_pinged() {
	[ "$(curl -s --max-time 2 "$1/ping.txt" 2>/dev/null)" = "$2" ]
}

# ws_start DIR WRITE_CONF COMMAND...: writes the configuration for a free
# port (WRITE_CONF PORT) and runs COMMAND in the background until the server
# answers its token; sets SRV_PID and SRV_URL. A port found in use is tried
# again; returns non-zero if the server does not start.
ws_start() {
	ws_d=$1
	ws_conf=$2
	shift 2
	ws_try=0
	while [ "$ws_try" -lt 20 ]; do
		ws_try=$((ws_try + 1))
		ws_port=$(nl_random_port)
		$ws_conf "$ws_port"
		"$@" >"$ws_d/stderr" 2>&1 </dev/null &
		SRV_PID=$!
		nl_track "$SRV_PID"
		SRV_URL=http://127.0.0.1:$ws_port
		nl_await "$SRV_PID" 15 ws_pinged "$SRV_URL" "$(cat "$ws_d/www/ping.txt")" &&
			return 0
		nl_stop "$SRV_PID" 5
		cat "$ws_d/stderr" "$ws_d/run/error.log" 2>/dev/null |
		    grep -qi 'address already in use' || break
		rm -f "$ws_d/run/error.log"
	done
	echo "# the server did not start:"
	tail -5 "$ws_d/stderr" "$ws_d/run/error.log" 2>/dev/null | sed 's/^/#   /'
	return 1
}

# ws_finish NAME DIR LOG...: stops the server, then checks its logs and that
# no drfslides process is left.
ws_finish() {
	nl_stop "$SRV_PID" 15
	nl_gone "$SRV_PID"
	ok $? "$1: the server stops on SIGTERM"
	nl_wait_until 10 ws_no_procs "$2/drfslides"
	r=$?
	ok $r "$1: no drfslides process is left once the server has stopped"
	[ $r -eq 0 ] || ps -o pid,ppid,user,args -p "$(ws_procs "$2/drfslides" | tr '\n' ',' | sed 's/,$//')" |
	    sed 's/^/#   /'
	n=$1
	shift 2
	is "$(log_problems "$@")" "" "$n: the error log has no error about the FastCGI application"
}

# ws_serve NAME DIR WRITE_CONF SERVING SETTING COMMAND...: starts the server
# with the shipped snippet (ws_start), runs the web checks on it (and
# $WS_MORE_CHECKS NAME URL when set), checks that the program says "serving
# SERVING" (the snippet's SETTING reached it), then stops it and checks its
# logs (ws_finish).
ws_serve() {
	wv_name=$1 wv_dir=$2 wv_conf=$3 wv_serving=$4 wv_setting=$5
	shift 5
	ws_start "$wv_dir" "$wv_conf" "$@"
	wv_r=$?
	ok $wv_r "$wv_name: starts with the shipped snippet"
	[ $wv_r -eq 0 ] || return 0
	echo "# $wv_name on port ${SRV_URL##*:}"
	web_checks "$wv_name" "$SRV_URL"
	[ -z "${WS_MORE_CHECKS:-}" ] || "$WS_MORE_CHECKS" "$wv_name" "$SRV_URL"
	cat "$wv_dir/stderr" "$wv_dir/run/error.log" >"$wv_dir/logs" 2>/dev/null
	contains "$wv_dir/logs" "serving $wv_serving" \
	    "$wv_name: the program runs with the snippet's $wv_setting"
	ws_finish "$wv_name" "$wv_dir" "$wv_dir/run/error.log" "$wv_dir/stderr"
}
