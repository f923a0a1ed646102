#!/bin/sh
# tsan.sh: the threaded servers of a ThreadSanitizer build (./configure
# --enable-tsan) under concurrent load while their files change: "drfslides
# fcgi" (two workers of eight threads) behind a private nginx, and "drfslides
# serve --plain" (libmicrohttpd's threads), each read by 64 connections while
# the deck is renamed over, rewritten in place and emptied, and the templates
# are touched (reloaded). Any ThreadSanitizer report in a server's log fails
# the test. Skipped unless the binary is built with ThreadSanitizer.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

command -v nm >/dev/null 2>&1 || skip_all "nm is not installed"
nm "$DRFSLIDES" 2>/dev/null | grep -q __tsan_init ||
	skip_all "drfslides is not built with ThreadSanitizer (./configure --enable-tsan)"
command -v wrk >/dev/null 2>&1 || skip_all "wrk is not installed"
. "$top_srcdir/tests/nginx-lib.sh"

# Reports go to the servers' stderr; the first one stops the process.
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
export TSAN_OPTIONS
SECS=${TSAN_SECONDS:-10}
SITE=$TMPD/site
DECKS=$SITE/decks
TPL=$SITE/templates
DECK=$DECKS/smtp.drf
SOCK=$TMPD/s.sock
LOG=$TMPD/fcgi.log
SLOG=$TMPD/serve.log
BAIL_LOGS="$BAIL_LOGS $LOG $SLOG"
BAIL_TAIL=20
mkdir -p "$DECKS" || exit 99
cp "$top_srcdir/decks/smtp.drf" "$DECK" && cp -R "$top_srcdir/decks/glossary" "$DECKS/" &&
	cp -R "$top_srcdir/templates" "$TPL" || exit 99
chmod -R u+w "$SITE"
cp "$DECK" "$TMPD/smtp.a"
sed 's/(SMTP)/(XMTP)/' "$DECK" >"$TMPD/smtp.b"
export DRFSLIDES_DECKS="$DECKS" DRFSLIDES_TEMPLATES="$TPL"

# changes: every 0.2 s a rename, a rewrite in place, an emptied deck, or
# touched templates (a reload of every template under the readers).
changes() {
	rm -f "$TMPD/stop"
	(
		i=0
		while [ ! -e "$TMPD/stop" ]; do
			if [ $((i % 2)) -eq 0 ]; then v=b; else v=a; fi
			case $((i % 4)) in
			0) cp "$TMPD/smtp.$v" "$DECKS/.t" && mv -f "$DECKS/.t" "$DECK" ;;
			1) cat "$TMPD/smtp.$v" >"$DECK" ;;
			2) : >"$DECK"; sleep 0.05; cat "$TMPD/smtp.$v" >"$DECK" ;;
			3) touch "$TPL/page.html" "$TPL/error.html" ;;
			esac
			i=$((i + 1))
			echo "$i" >"$TMPD/changes"
			sleep 0.2
		done
	) &
	ch_pid=$!
	nl_track "$ch_pid"
}
changes_stop() {
	touch "$TMPD/stop"
	nl_wait_until 5 nl_gone "$ch_pid"
	nl_stop "$ch_pid"
}

nl_wrk_script "$TMPD/paths.lua" /slides/smtp/glossary/nosuch.html \
    /slides/nosuch/ /slides/smtp3.html

# tsan_clean LOG WHAT: no ThreadSanitizer report in LOG.
tsan_clean() {
	if grep -q 'WARNING: ThreadSanitizer\|ThreadSanitizer:' "$1"; then
		ok 1 "$2: no ThreadSanitizer report"
		grep -A30 'WARNING: ThreadSanitizer\|ThreadSanitizer:' "$1" | head -60 | sed 's/^/#   /'
	else
		ok 0 "$2: no ThreadSanitizer report"
	fi
}

# load NAME URL SCRIPT: wrk's 64 connections for $SECS s on URL (the paths
# of the Lua SCRIPT) while the files change; it ran, and saw no socket error.
load() {
	changes
	wrk -t 2 -c 64 -d "${SECS}s" --timeout 10s -s "$3" "$2" >"$TMPD/wrk.out" 2>&1
	ld_rc=$?
	changes_stop
	sed -n "s/^ *\([0-9]* requests in .*\)/# $1: \1/p" "$TMPD/wrk.out"
	echo "# $(cat "$TMPD/changes") changes of the files"
	is "$ld_rc" 0 "$1: wrk ran 64 connections for $SECS s"
	lacks "$TMPD/wrk.out" 'Socket errors' "$1: no socket error under load"
}

# ============================================================ drfslides fcgi

drf_start "$SOCK" "$LOG" --workers 2 --threads 8 --stat-interval 0 ||
	bail "drfslides fcgi did not start"
F_PID=$DRF_PID
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/main.conf" "$SOCK"
nginx_start "" "$TMPD/main.conf" || bail "nginx did not start"
workers=$(drf_workers "$F_PID")
load fcgi "$NGINX_URL" "$TMPD/paths.lua"
# 404s are expected (missing glossary entry, missing deck): only 5xx count.
curl -s -o /dev/null -w '%{http_code}' "$NGINX_URL/slides/smtp/3" >"$TMPD/code"
is "$(cat "$TMPD/code")" 200 "fcgi: a page answers after the load"
left=
for w in $workers; do nl_alive "$w" || left="$left $w"; done
is "$left" "" "fcgi: no worker stopped (halt_on_error ends a worker at its first report)"
drf_stop "$F_PID" 10
ok $? "fcgi: SIGTERM stops the server (threads woken and joined)"
tsan_clean "$LOG" "fcgi"

# ============================================================ drfslides serve

"$DRFSLIDES" serve --plain --port 0 --threads 8 --stat-interval 0 \
    --max-connections 256 --per-ip 128 >"$TMPD/serve.out" 2>"$SLOG" </dev/null &
S_PID=$!
nl_track "$S_PID"
nl_wait_until 10 serve_url || bail "drfslides serve did not start"
SURL=$(sed 's|/$||' "$TMPD/surl")
sed 's|/slides/|/|g' "$TMPD/paths.lua" >"$TMPD/spaths.lua"
load serve "$SURL" "$TMPD/spaths.lua"
nl_alive "$S_PID"
ok $? "serve: the server is alive after the load"
drf_stop "$S_PID" 10
ok $? "serve: SIGTERM stops the server"
tsan_clean "$SLOG" "serve"

done_testing
