#!/bin/sh
# valgrind.sh: valgrind memcheck over the servers serving a fixed mix of
# requests: "drfslides fcgi" (one process, two threads) through cgi-fcgi, and
# "drfslides serve --plain" through curl. Every route and status (index, entry
# page and ?page=, pages, display, view, print, glossary hit and miss, deck
# asset, static asset, oEmbed, 301, 304, 404, 405), a deck edited and
# reloaded, a broken version, the deck deleted and restored, the templates
# reloaded; then SIGTERM. Zero errors and zero leaks (definite, indirect),
# exit status 0. Skipped without valgrind, or for a sanitizer build.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/proc-lib.sh"	# nl_wait_until; its exit trap is replaced below

command -v valgrind >/dev/null 2>&1 || skip_all "valgrind is not installed"
command -v nm >/dev/null 2>&1 || skip_all "nm is not installed"
nm "$DRFSLIDES" 2>/dev/null | grep -q '__asan_init\|__tsan_init' &&
	skip_all "drfslides is a sanitizer build (valgrind cannot run it)"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
command -v cgi-fcgi >/dev/null 2>&1 || skip_all "cgi-fcgi (libfcgi-bin) is not installed"

export LC_ALL=C
SITE=$TMPD/site
DECKS=$SITE/decks
TPL=$SITE/templates
DECK=$DECKS/smtp.drf
SOCK=$TMPD/s.sock
mkdir -p "$DECKS" || exit 99
cp "$top_srcdir/decks/smtp.drf" "$DECK" && cp -R "$top_srcdir/decks/glossary" "$DECKS/" &&
	cp -R "$top_srcdir/templates" "$TPL" || exit 99
[ -d "$top_srcdir/decks/smtp" ] && { cp -R "$top_srcdir/decks/smtp" "$DECKS/" || exit 99; }
chmod -R u+w "$SITE"
cp "$DECK" "$TMPD/smtp.orig"
asset=$(ls "$DECKS/smtp" 2>/dev/null | head -1)
export DRFSLIDES_DECKS="$DECKS" DRFSLIDES_TEMPLATES="$TPL"

VG="valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-fds=no --num-callers=30
    --suppressions=$top_srcdir/tests/valgrind.supp"

pids=
cleanup() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do
		n=0
		while kill -0 "$p" 2>/dev/null && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# stop PID: SIGTERM and the exit status (124 if it did not end in 60 s).
stop() {
	kill -TERM "$1" 2>/dev/null
	n=0
	while kill -0 "$1" 2>/dev/null && [ "$n" -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		rc=124
	else
		wait "$1"
		rc=$?
	fi
	p=" $pids "
	pids=${p% "$1" *}${p#* "$1" }
}

# clean LOG WHAT: valgrind's summary says no error and no leak.
clean() {
	contains "$1" "ERROR SUMMARY: 0 errors" "$2: ERROR SUMMARY: 0 errors"
	if grep -q "definitely lost:" "$1"; then
		contains "$1" "definitely lost: 0 bytes" "$2: definitely lost: 0 bytes"
		contains "$1" "indirectly lost: 0 bytes" "$2: indirectly lost: 0 bytes"
	else
		contains "$1" "All heap blocks were freed" "$2: all heap blocks were freed"
	fi
	grep -q 'ERROR SUMMARY: [1-9]' "$1" && grep -B2 -A25 '^==[0-9]*== [A-Z].*\(Invalid\|uninitialised\|definitely\|indirectly\)' "$1" |
	    head -60 | sed 's/^/#   /'
}

# The fixed mix: "METHOD PATH[?QUERY] STATUS" a line; @ETAG is the ETag of
# the previous answer. Run against a function that requests and prints the status.
mix() {
	cat <<EOF
GET / 200
GET /smtp 301
GET /smtp/ 200
GET /smtp/?page=3 200
GET /smtp/?page=99 404
EOF
	for n in 0 1 2 3 4 5 6 7 8 9 10 11 12; do echo "GET /smtp/$n 200"; done
	cat <<EOF
GET /smtp/3 200
GET /smtp/3 304 @ETAG
GET /smtp/13 404
GET /smtp/display 200
GET /smtp/view 200
GET /smtp/print 200
GET /smtp/glossary/ppp.html 200
GET /smtp/glossary/nosuch.html 404
GET /static/drfslides.css 200
GET /static/nosuch.css 404
GET /smtp3.html 301
GET /nosuch/ 404
GET /nosuch3.html 404
POST /smtp/3 405
HEAD /smtp/2 200
EOF
	[ -n "$asset" ] && echo "GET /smtp/$asset 200"
	:
}

# run_mix REQUEST_FN TAG: every request of the mix; mismatches in $TMPD/TAG.bad.
run_mix() {
	: >"$TMPD/$2.bad"
	mix | while read -r m p want etag; do
		if [ "$etag" = @ETAG ]; then etag=$(cat "$TMPD/etag"); else etag=; fi
		got=$($1 "$m" "$p" "$etag")
		[ "$got" = "$want" ] || echo "$m $p: $got, not $want" >>"$TMPD/$2.bad"
	done
}

# ============================================================ drfslides fcgi

# cgi METHOD PATH [IF_NONE_MATCH]: one request over the socket; prints the
# status and keeps the ETag in $TMPD/etag.
cgi() {
	case $2 in
	*\?*) pi=${2%%\?*} q=${2#*\?} ;;
	*) pi=$2 q= ;;
	esac
	env -i PATH="$PATH" REQUEST_METHOD="$1" SCRIPT_NAME=/slides PATH_INFO="$pi" \
	    REQUEST_URI="/slides$2" QUERY_STRING="$q" SERVER_PROTOCOL=HTTP/1.1 \
	    GATEWAY_INTERFACE=CGI/1.1 ${3:+HTTP_IF_NONE_MATCH="$3"} \
	    cgi-fcgi -bind -connect "$SOCK" </dev/null >"$TMPD/cgi.out" 2>/dev/null
	tr -d '\r' <"$TMPD/cgi.out" | sed -n 's/^ETag: //p' >"$TMPD/etag"
	head -1 "$TMPD/cgi.out" | tr -d '\r' | sed -n 's/^Status: \([0-9]*\).*/\1/p'
}

FLOG=$TMPD/fcgi.log
$VG --log-file="$TMPD/vg-fcgi.log" "$DRFSLIDES" fcgi --listen "$SOCK" --workers 0 \
    --threads 2 --stat-interval 0 2>"$FLOG" </dev/null &
F_PID=$!
pids="$pids $F_PID"
serving() { grep -q 'serving ' "$FLOG"; }
nl_wait_until 60 serving || { echo "Bail out! drfslides fcgi under valgrind did not start"; cat "$FLOG" "$TMPD/vg-fcgi.log" | sed 's/^/#   /'; exit 1; }

run_mix cgi fcgi
is "$(cat "$TMPD/fcgi.bad")" "" "fcgi under valgrind: the fixed mix of routes answers as it should"

# Changes under the server: an edit, a broken version, the templates, a
# deletion, the restored deck.
sed 's/(SMTP)/(XMTP)/' "$TMPD/smtp.orig" >"$DECKS/.t" && mv "$DECKS/.t" "$DECK"
r=$(cgi GET /smtp/0)
grep -q '(XMTP)' "$TMPD/cgi.out"
ok $? "fcgi under valgrind: an edited deck is reloaded ($r)"
printf 'broken\000line\n' >>"$DECK"
r="$(cgi GET /smtp/0) $(cgi GET /smtp/5)"
grep -q '(XMTP)' "$TMPD/cgi.out" || grep -q 'data-page="5"' "$TMPD/cgi.out"
is "$r" "200 200" "fcgi under valgrind: a broken version keeps the last good one"
: >"$DECK"
is "$(cgi GET /smtp/4)" 200 "fcgi under valgrind: an emptied deck keeps the last good one"
cp "$TMPD/smtp.orig" "$DECK"
touch "$TPL/page.html"
is "$(cgi GET /smtp/4)" 200 "fcgi under valgrind: the templates are reloaded"
rm -f "$DECK"
is "$(cgi GET /smtp/4) $(cgi GET /)" "404 200" "fcgi under valgrind: a deleted deck is 404"
printf '#title broken\n----\nbad\000\n' >"$DECKS/bad.drf"
is "$(cgi GET /bad/0)" 500 "fcgi under valgrind: a deck broken from the start is 500"
cp "$TMPD/smtp.orig" "$DECK"
run_mix cgi fcgi2
is "$(cat "$TMPD/fcgi2.bad")" "" "fcgi under valgrind: the restored deck answers the mix again"
rm -f "$DECKS/bad.drf"

stop "$F_PID"
is "$rc" 0 "fcgi under valgrind: SIGTERM, exit status 0 (99: valgrind found errors)"
clean "$TMPD/vg-fcgi.log" "fcgi under valgrind"

# ============================================================ drfslides serve --plain

# http METHOD PATH [IF_NONE_MATCH]: one request with curl; prints the status.
http() {
	set -- "$1" "$2" "${3:-}"
	if [ "$1" = HEAD ]; then mo=-I; else mo="-X $1"; fi
	curl -s --max-time 30 $mo -D "$TMPD/h" -o "$TMPD/body" -w '%{http_code}' \
	    ${3:+-H "If-None-Match: $3"} "$SURL$2" 2>/dev/null
	tr -d '\r' <"$TMPD/h" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p' >"$TMPD/etag"
}

SLOG=$TMPD/serve.log
$VG --log-file="$TMPD/vg-serve.log" "$DRFSLIDES" serve --plain --port 0 --threads 2 \
    --stat-interval 0 --public-url https://slides.example.org/slides \
    >"$TMPD/serve.out" 2>"$SLOG" </dev/null &
S_PID=$!
pids="$pids $S_PID"
nl_wait_until 60 serve_url || { echo "Bail out! drfslides serve under valgrind did not start"; cat "$SLOG" "$TMPD/vg-serve.log" | sed 's/^/#   /'; exit 1; }
SURL=$(sed 's|/$||' "$TMPD/surl")
run_mix http serve
is "$(cat "$TMPD/serve.bad")" "" "serve under valgrind: the fixed mix of routes answers as it should"
r=$(http GET '/oembed?url=https://slides.example.org/slides/smtp/&format=json')
is "$r" 200 "serve under valgrind: oEmbed answers"
sed 's/(SMTP)/(XMTP)/' "$TMPD/smtp.orig" >"$DECKS/.t" && mv "$DECKS/.t" "$DECK"
http GET /smtp/0 >/dev/null
grep -q '(XMTP)' "$TMPD/body"
ok $? "serve under valgrind: an edited deck is reloaded"
rm -f "$DECK"
is "$(http GET /smtp/0)" 404 "serve under valgrind: a deleted deck is 404"
cp "$TMPD/smtp.orig" "$DECK"
stop "$S_PID"
is "$rc" 0 "serve under valgrind: SIGTERM, exit status 0 (99: valgrind found errors)"
clean "$TMPD/vg-serve.log" "serve under valgrind"

done_testing
