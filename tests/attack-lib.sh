# attack-lib.sh: the setup of the attack-*.sh tests: a deck directory that
# holds traps (symbolic links out of it and to /dev/zero, a FIFO, a directory
# named like a deck, names of 100 and 101 characters) with canary files
# beside it; the servers, traced with strace when it works; raw requests.
# Source it first (it sources lib.sh); every script starts its own servers.
# shellcheck shell=bash disable=SC1091,SC2016,SC2034,SC2154
# Bash for /dev/tcp and arrays: under another shell, start again in bash
# (before lib.sh makes its scratch directory).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/lib.sh"
command -v timeout >/dev/null 2>&1 || skip_all "timeout is not installed"
. "$top_srcdir/tests/nginx-lib.sh"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"

export LC_ALL=C

# ============================================================ the tree
#
# $site/decks is the deck directory; the canaries are beside it, in $site.
site_tree || exit 99
canary=CANARY-7f3a$$e1c9
echo "$canary" >"$site/canary.html"
echo "$canary" >"$site/canary.txt"
printf '#title %s\n---\n%s page 0\n---\n%s page 1\n' "$canary" "$canary" \
    "$canary" >"$site/canary.drf"
ln -s ../canary.drf "$decks/evil.drf" &&
	ln -s /dev/zero "$decks/zero.drf" &&
	ln -s ../../canary.html "$decks/glossary/leak.html" &&
	mkdir "$decks/dir.drf" || exit 99
mkfifo "$decks/fifo.drf" 2>/dev/null
# Deck assets (decks/NAME/PATH): a real picture, and links out of the deck.
echo "$canary" >"$site/canary.png"
mkdir -p "$decks/smtp" && printf '\211PNG\r\n\032\nasset\n' >"$decks/smtp/pic.png" &&
	ln -s ../../canary.png "$decks/smtp/leak.png" &&
	ln -s ../.. "$decks/smtp/up" || exit 99
n100=$(printf '%0100d' 0 | tr 0 n)
n101=${n100}x
cp "$decks/smtp.drf" "$decks/$n100.drf" && cp "$decks/smtp.drf" "$decks/$n101.drf" || exit 99

opts=(--decks "$decks" --templates "$tpl" --static "$stat")

# ============================================================ tracing

STRACE=$(command -v strace 2>/dev/null)
if [ -n "$STRACE" ] && ! "$STRACE" -f -qq -o /dev/null true >/dev/null 2>&1; then
	echo "# strace cannot trace here (ptrace refused): no open() checks"
	STRACE=
fi
[ -n "$STRACE" ] || echo "# strace is not installed: the open() checks are skipped"
# traced NAME: the command prefix that traces into $TMPD/NAME.trace (or
# nothing). LeakSanitizer cannot work under ptrace: a sanitizer build checks
# leaks in the other tests, not under strace.
traced() {
	[ -n "$STRACE" ] &&
		echo "env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		    "$STRACE -f -y -qq -e trace=openat,open,connect -o $TMPD/$1.trace"
}

# serve_traced NAME ARGS...: serve_start, traced into $TMPD/NAME.trace when
# strace works; sets port, tracer and spid (the process to signal: drfslides,
# not strace).
serve_traced() {
	SERVE_WRAP=$(traced "$1") serve_start "$@" || return 1
	tracer=$spid port=$sport
	if [ -n "$STRACE" ]; then
		spid=$(pgrep -P "$tracer" | head -1)
		[ -n "$spid" ] && nl_track "$spid"
	fi
	[ -n "$port" ]
}

# server_stop PID TRACER: SIGTERM to the server, then waits for both.
server_stop() {
	kill -TERM "$1" 2>/dev/null
	nl_wait_until 10 nl_gone "$1"
	nl_stop "$1" 1
	[ "$2" != "$1" ] && nl_wait_until 10 nl_gone "$2"
	nl_stop "$2" 1
}

# ============================================================ requests

# send NAME PORT DATA: sends DATA (printf %b escapes) on a new connection; the
# answer's head goes to NAME.h (CR removed), its body to NAME.b; sets code
# (000 for no answer) and by ("drf" when drfslides answered, by its nosniff
# header, "other" when the web server did).
send() {
	local n=$1 fd hlen
	rm -f "$out/$n".*
	code=000 by=none
	if exec {fd}<>"/dev/tcp/127.0.0.1/$2"; then
		# In a subshell: a server that closes first kills it, not us (SIGPIPE).
		(printf '%b' "$3" >&"$fd") 2>/dev/null
		timeout 5 cat <&"$fd" >"$out/$n.raw" 2>/dev/null
		exec {fd}>&-
	fi
	touch "$out/$n.raw"
	hlen=$(awk '{ n += length($0) + 1 } /^\r?$/ { print n; exit }' "$out/$n.raw")
	head -c "${hlen:-0}" "$out/$n.raw" | tr -d '\r' >"$out/$n.h"
	tail -c +"$((${hlen:-0} + 1))" "$out/$n.raw" >"$out/$n.b"
	code=$(sed -n '1s|^HTTP/1\.[01] \([0-9][0-9][0-9]\).*|\1|p' "$out/$n.h")
	[ -n "$code" ] || code=000
	if grep -qi '^X-Content-Type-Options: nosniff' "$out/$n.h"; then
		by=drf
	elif [ "$code" != 000 ]; then
		by=other
	fi
}

# raw_get NAME PORT TARGET [HEADER-LINES]: a GET of TARGET (sent as it is).
raw_get() {
	send "$1" "$2" "GET $3 HTTP/1.1\r\nHost: 127.0.0.1\r\n$4Connection: close\r\n\r\n"
}

# attack_servers: drfslides fcgi behind nginx (port $NP, $fpid traced by
# $ftracer), "serve --plain" ($PP, $ppid, $ptracer) and a dev-mode "serve"
# ($DP, $dpid, $dtracer), all on the trap directory.
attack_servers() {
	SOCK=$TMPD/drf.sock
	FLOG=$TMPD/fcgi.log
	BAIL_LOGS="$BAIL_LOGS $FLOG"
	# shellcheck disable=SC2046
	$(traced fcgi) "$DRFSLIDES" fcgi --listen "$SOCK" --workers 0 --threads 2 \
	    --stat-interval 0 "${opts[@]}" 2>>"$FLOG" </dev/null &
	ftracer=$!
	nl_track "$ftracer"
	fcgi_up() { grep -q '^drfslides\[[0-9]*\]: serving ' "$FLOG" 2>/dev/null && [ -S "$SOCK" ]; }
	nl_wait_until 15 fcgi_up || bail "drfslides fcgi did not start"
	fpid=$(sed -n 's/^drfslides\[\([0-9]*\)\]: serving .*/\1/p' "$FLOG" | head -1)
	[ "$fpid" != "$ftracer" ] && nl_track "$fpid"
	nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
	sed -i -e "s|$top_srcdir/static/|$stat/|" -e "s|root /srv/drfslides/decks;|root $decks;|" "$TMPD/site.conf"
	nginx_start "" "$TMPD/site.conf" || bail "nginx did not start"
	NP=$NGINX_PORT

	serve_traced plain "${opts[@]}" --plain --timeout 5 ||
		bail "drfslides serve --plain did not start"
	PP=$port ppid=$spid ptracer=$tracer
	serve_traced dev "${opts[@]}" --timeout 5 ||
		bail "drfslides serve (dev) did not start"
	DP=$port dpid=$spid dtracer=$tracer
	echo "# nginx on $NP (drfslides fcgi under /slides/), serve --plain on $PP, dev serve on $DP"

	# Both front ends work before the attacks start.
	raw_get ok_n "$NP" /slides/smtp/1
	raw_get ok_p "$PP" /smtp/1
	is "$code/$(cmp -s "$out/ok_n.b" "$out/ok_p.b" && echo same)" 200/same \
	    "nginx+fcgi and serve --plain answer /smtp/1 with the same page"
}
