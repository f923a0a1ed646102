#!/bin/sh
# follow.sh: the follow benchmark. "drfslides fcgi" (two workers, a presenter
# key, a state directory) behind nginx configured with the shipped
# deploy/nginx/drfslides.conf and drfslides-position.conf (only the port,
# socket and cache path changed); bench/follow-load simulates N followers,
# each asking for /slides/talk/position every 400 ms as follow.js does, while
# the presenter POSTs a new page every 3 s. Prints: the followers' answers and
# their latency at nginx (p50, p99), the requests that reached drfslides per
# second (counted by nginx: those with an upstream, background updates
# included), and for each POST the time until the first follower answer with
# the new page. Loopback only; bounded by -d. Not a test: it prints, it does
# not judge, and "make check" never runs it.
#
# usage: follow.sh [-c FOLLOWERS] [-d SECONDS] [-i POLL_MS] [-x NGINX_WORKERS]
#                  [-T THREADS] [-j JITTER] [-P]
#   -c  simulated followers (default 10000)
#   -d  seconds of the run (default 20)
#   -i  the wait after an answer before the next request (default 400, as
#       static/follow.js waits)
#   -x  nginx worker_processes (default 2)
#   -T  threads of the load generator (default 2)
#   -j  each follower's own delay before its next request: a random 0 to
#       JITTER ms, as devices' timers and round trips differ (default 20;
#       0: all wait exactly POLL_MS)
#   -P  pinned: nginx's workers on the first CPUs, the load generator on the
#       last one, each kept off the other's CPU, as if the followers were on
#       another machine (needs 2 CPUs or more and taskset)
# Run from the build directory (./drfslides); srcdir defaults to the
# directory above this script; PORT picks nginx's port (default: random).
# Needs nginx and a C compiler.

set -eu

srcdir=${srcdir:-$(dirname "$0")/..}
srcdir=$(cd "$srcdir" && pwd)
followers=10000
secs=20
nginx_workers=2
threads=2
pin=0
jitter=20
poll=400
while getopts c:d:i:x:T:j:P opt; do
	case $opt in
	c)	followers=$OPTARG ;;
	d)	secs=$OPTARG ;;
	i)	poll=$OPTARG ;;
	x)	nginx_workers=$OPTARG ;;
	T)	threads=$OPTARG ;;
	j)	jitter=$OPTARG ;;
	P)	pin=1 ;;
	*)	echo "usage: follow.sh [-c FOLLOWERS] [-d SECONDS] [-i POLL_MS] [-x NGINX_WORKERS] [-T THREADS] [-j JITTER] [-P]" >&2; exit 2 ;;
	esac
done
NGINX=$(command -v nginx 2>/dev/null || :)
[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
[ -n "$NGINX" ] || { echo "follow.sh: nginx is missing" >&2; exit 1; }
[ -x drfslides ] || { echo "follow.sh: run it from the build directory" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/drf-follow.XXXXXX")
keep=0
. "$srcdir/bench/lib.sh"

${CC:-cc} -O2 -pthread -o "$out/follow-load" "$srcdir/bench/follow-load.c"
mkdir -p "$out/decks" "$out/state" "$out/cache" "$out/tmp"
cp "$srcdir/tests/data/presenter/talk.drf" "$out/decks/"
key=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
printf '%s\n' "$key" >"$out/key"

"$drf" fcgi --listen "$out/s.sock" --workers 2 --threads 8 \
    --decks "$out/decks" --presenter-key-file "$out/key" --state-dir "$out/state" \
    2>"$out/drf.log" &
bench_track $!
bench_wait 100 test -S "$out/s.sock" ||
	{ echo "follow.sh: drfslides fcgi did not start" >&2; cat "$out/drf.log" >&2; exit 1; }

# The shipped server block, on a free port, with the position cache included
# and the requests that reached drfslides logged (upstream set).
# Below the ephemeral ports (32768 up): the followers' 10,000 connections use
# those, and their closed ones linger.
PORT_SPAN=${PORT_SPAN:-12000}
bench_port
port=${PORT:-$bport}
sed -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$port backlog=16384;|" \
    -e '/^ *listen \[::\]:80;/d' \
    -e "s|unix:/run/drfslides/drfslides.sock|unix:$out/s.sock|" \
    -e "s|#include /etc/nginx/snippets/drfslides-position.conf;|include $srcdir/deploy/nginx/drfslides-position.conf;\n        access_log $out/backend.log backend if=\$drf_upstream;\n        log_subrequest on;|" \
    "$srcdir/deploy/nginx/drfslides.conf" >"$out/site.conf"
zone=$(sed -n 's/^# *\(fastcgi_cache_path .*\)$/\1/p' "$srcdir/deploy/nginx/drfslides-position.conf" |
    sed "s|/var/cache/nginx/|$out/cache/|")
params=/etc/nginx/fastcgi_params
user=
[ "$(id -u)" = 0 ] && user="user root;"
# -P: nginx on CPUs 0 to N-2 (the mask's rightmost digit is CPU 0), the
# load generator on CPU N-1.
affinity= gen_cpu=
if [ "$pin" = 1 ]; then
	ncpu=$(nproc)
	[ "$ncpu" -ge 2 ] && command -v taskset >/dev/null ||
		{ echo "follow.sh: -P needs 2 CPUs or more and taskset" >&2; exit 1; }
	mask=0
	i=1
	while [ $i -lt "$ncpu" ]; do mask="${mask}1"; i=$((i + 1)); done
	affinity="worker_cpu_affinity auto $mask;"
	gen_cpu=$((ncpu - 1))
fi
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=65536
cat >"$out/nginx.conf" <<EOC
daemon off;
$user
worker_processes $nginx_workers;
$affinity
worker_rlimit_nofile $nofile;
pid $out/nginx.pid;
error_log $out/error.log warn;
events { worker_connections 32768; }
http {
    access_log off;
    client_body_temp_path $out/tmp;
    fastcgi_temp_path $out/tmp;
    proxy_temp_path $out/tmp;
    uwsgi_temp_path $out/tmp;
    scgi_temp_path $out/tmp;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    log_format backend '\$msec \$upstream_cache_status';
    map \$upstream_addr \$drf_upstream { "" 0; default 1; }
    $zone
    include $out/site.conf;
}
EOC
sed -i "s|include fastcgi_params;|include $params;|" "$out/site.conf"
"$NGINX" -p "$out/" -c "$out/nginx.conf" -e "$out/error.log" &
bench_track $!
sleep 1
curl -sf "http://127.0.0.1:$port/slides/talk/position" >/dev/null ||
	{ echo "follow.sh: nginx does not answer" >&2; cat "$out/error.log" >&2; exit 1; }

ulimit -n "$nofile" 2>/dev/null || :
echo "load average before: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null)"
${gen_cpu:+taskset -c "$gen_cpu"} "$out/follow-load" -c "$followers" -d "$secs" -i "$poll" -p "$port" \
    -u /slides/talk/position -k "$key" -t 4 -T "$threads" -j "$jitter" >"$out/result"
cat "$out/result"
echo "load average after: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null)"
# Requests that reached drfslides, per second of the run. A follower served
# the old answer while nginx updates it in the background is logged with the
# background request's upstream (STALE): not counted; the presenter's POSTs
# have no cache status (-).
awk -v s="$secs" '
	$2 == "-" { posts++; next }
	$2 != "STALE" { n++; sec[int($1)]++ }
	END {
		for (k in sec) if (sec[k] > m) m = sec[k]
		printf "backend GETs of the position %d in %s s: %.2f/s (busiest second: %d); POSTs %d\n", n, s, n / s, m, posts
	}' "$out/backend.log"
awk '{ c[$2]++ } END { for (k in c) printf "  %s %d\n", k, c[k] }' "$out/backend.log"
