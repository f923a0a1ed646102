#!/bin/sh
# soak.sh: the soak run. "drfslides fcgi" (default workers and threads,
# --cache-mb 16) behind a private nginx with the shipped server block, read by
# wrk through 64 connections for DURATION seconds (default 300) over the
# index, the entry page, ?page=, every page, the display frame and a glossary
# entry, while the deck changes every second: a new version renamed over it,
# or a byte changed in place. Reports requests, error answers (non-2xx/3xx),
# socket errors and the workers' summed RSS after warm-up and at the end, as
# a Markdown table. Not a timed test ("make check" never runs it), but it
# fails (exit 1) if there was any error, a worker died, or the RSS grew by
# more than the caches' bound (16 MiB per worker).
#
# usage: [DURATION=300] [WARMUP=10] sh bench/soak.sh
# Run from the build directory (./drfslides); srcdir, the source tree,
# defaults to the directory above this script. Needs nginx, wrk and curl
# (and spawn-fcgi, which tests/nginx-lib.sh asks for).
# shellcheck disable=SC1091,SC2016

DURATION=${DURATION:-300}
WARMUP=${WARMUP:-10}
CACHE_MB=16
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_srcdir=$(cd "$srcdir" && pwd)
DRFSLIDES=${DRFSLIDES:-$(pwd)/drfslides}
export top_srcdir DRFSLIDES
[ -x "$DRFSLIDES" ] || { echo "soak.sh: no $DRFSLIDES (run it from the build directory)" >&2; exit 2; }
command -v wrk >/dev/null 2>&1 || { echo "soak.sh: wrk is not installed" >&2; exit 2; }
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"

loadb=$(cut -d' ' -f1-3 /proc/loadavg)
DECKS=$TMPD/decks
DECK=$DECKS/smtp.drf
SOCK=$TMPD/s.sock
LOG=$TMPD/drf.log
mkdir -p "$DECKS" && cp "$top_srcdir/decks/smtp.drf" "$DECK" &&
	cp -R "$top_srcdir/decks/glossary" "$DECKS/" || exit 2
[ -d "$top_srcdir/decks/smtp" ] && cp -R "$top_srcdir/decks/smtp" "$DECKS/"
chmod -R u+w "$DECKS"
cp "$DECK" "$TMPD/smtp.a"
sed 's/(SMTP)/(XMTP)/' "$DECK" >"$TMPD/smtp.b"
off=$(grep -bo '(SMTP)' "$DECK" | head -1 | cut -d: -f1)
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_MB LISTEN_FDS LISTEN_PID
export DRFSLIDES_DECKS="$DECKS"

die() {
	echo "soak.sh: $1" >&2
	tail -5 "$LOG" "$NL_DIR/error.log" 2>/dev/null >&2
	exit 1
}

drf_start "$SOCK" "$LOG" --cache-mb "$CACHE_MB" || die "drfslides fcgi did not start"
B_PID=$DRF_PID
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" || die "nginx did not start"
nworkers=$(drf_workers "$B_PID" | wc -l | tr -d ' ')
threads=$(sed -n 's/.* with [0-9]* workers\{0,1\} of \([0-9]*\) threads.*/\1/p' "$LOG" | head -1)

nl_wrk_script "$TMPD/paths.lua"

# Warm-up: every page rendered and cached, the allocator's arenas in use.
wrk -t 2 -c 64 -d "${WARMUP}s" -s "$TMPD/paths.lua" "$NGINX_URL" >"$TMPD/warm.out" 2>&1
rss0=$(drf_rss_kib "$B_PID")
load0=$(cut -d' ' -f1-3 /proc/loadavg)
workers0=$(drf_workers "$B_PID" | sort | tr '\n' ' ')

# The editor: every second a version renamed over the deck, or a byte
# changed in place (same size; the mtime's nanoseconds tell).
rm -f "$TMPD/stop"
(
	i=0
	while [ ! -e "$TMPD/stop" ]; do
		case $((i % 3)) in
		0) cp "$TMPD/smtp.b" "$DECKS/.t" && mv -f "$DECKS/.t" "$DECK" ;;
		1) cp "$TMPD/smtp.a" "$DECKS/.t" && mv -f "$DECKS/.t" "$DECK" ;;
		2) printf Y | dd of="$DECK" bs=1 seek=$((off + 1)) conv=notrunc 2>/dev/null ;;
		esac
		i=$((i + 1))
		echo "$i" >"$TMPD/edits"
		sleep 1
	done
) &
ed_pid=$!
nl_track "$ed_pid"

# RSS every 10 s, for the peak.
(
	while [ ! -e "$TMPD/stop" ]; do
		drf_rss_kib "$B_PID" >>"$TMPD/rss"
		sleep 10
	done
) &
rs_pid=$!
nl_track "$rs_pid"

echo "soak: $DURATION s, 64 connections, $nworkers workers of $threads threads, --cache-mb $CACHE_MB" >&2
wrk -t 2 -c 64 -d "${DURATION}s" --timeout 10s --latency -s "$TMPD/paths.lua" "$NGINX_URL" \
    >"$TMPD/wrk.out" 2>&1
wrk_rc=$?
touch "$TMPD/stop"
rss1=$(drf_rss_kib "$B_PID")
load1=$(cut -d' ' -f1-3 /proc/loadavg)
nl_wait_until 15 nl_gone "$ed_pid"
nl_stop "$ed_pid"
nl_wait_until 15 nl_gone "$rs_pid"
nl_stop "$rs_pid"
echo "$rss1" >>"$TMPD/rss"
workers1=$(drf_workers "$B_PID" | sort | tr '\n' ' ')
died=$(grep -c 'killed by signal\|exited with' "$LOG")

requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$TMPD/wrk.out")
rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$TMPD/wrk.out")
non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$TMPD/wrk.out")
sockerr=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' \
    "$TMPD/wrk.out" | awk '{ print $1 + $2 + $3 + $4 }')
lat=$(awk '$1 == "Latency" && NF >= 4 { print $2 " avg, " $4 " max"; exit }' "$TMPD/wrk.out")
p50=$(awk '$1 == "50%" { print $2 }' "$TMPD/wrk.out")
p99=$(awk '$1 == "99%" { print $2 }' "$TMPD/wrk.out")
edits=$(cat "$TMPD/edits" 2>/dev/null)
peak=$(sort -n "$TMPD/rss" | tail -1)
bound=$((nworkers * CACHE_MB * 1024))
requests=${requests:-0}
non2xx=${non2xx:-0}
sockerr=${sockerr:-0}
drf_stop "$B_PID" 10

verdict=pass
why=
[ "$wrk_rc" -eq 0 ] && [ "$requests" -gt 0 ] || { verdict=FAIL; why="$why wrk failed;"; }
[ "$non2xx" -eq 0 ] || { verdict=FAIL; why="$why $non2xx error answers;"; }
[ "$sockerr" -eq 0 ] || { verdict=FAIL; why="$why $sockerr socket errors;"; }
[ "$died" -eq 0 ] && [ "$workers0" = "$workers1" ] || { verdict=FAIL; why="$why a worker died;"; }
[ "$rss1" -le $((rss0 + bound)) ] || { verdict=FAIL; why="$why RSS grew beyond the bound;"; }

cat <<EOF
| measure | value |
|---|---|
| duration | $DURATION s (after $WARMUP s of warm-up) |
| load | wrk -t2 -c64 through nginx, 18 URLs in turn |
| server | drfslides fcgi, $nworkers workers x $threads threads, --cache-mb $CACHE_MB |
| deck edits (rename or in place, 1/s) | ${edits:-0} |
| requests | $requests ($rps/s) |
| latency | $lat; p50 $p50, p99 $p99 |
| error answers (non-2xx/3xx) | $non2xx |
| socket errors | $sockerr |
| workers died | $died |
| workers' RSS after warm-up | $rss0 KiB |
| workers' RSS at the end | $rss1 KiB (peak $peak KiB) |
| growth allowed (cache bound x workers) | $bound KiB |
| load average (1, 5, 15 min): before / after warm-up / end | $loadb / $load0 / $load1 |
| result | $verdict$why |
EOF
[ "$verdict" = pass ]
