#!/bin/sh
# servers.sh: the servers benchmark. In one run on this machine, with wrk at
# 64 connections and at 1, the same page (decks/smtp.drf, page 3) from:
#   (a) nginx serving "drfslides export"'s page as a static file;
#   (b) bench/min-fcgi, a minimal libfcgi responder writing the same bytes
#       from memory (the ceiling of any libfcgi program), behind nginx;
#   (c) "drfslides fcgi" with a warm cache, behind nginx;
#   (d) (c) behind the shipped deploy/nginx/drfslides-cache.conf;
#   (e) the same page through plain CGI (fcgiwrap running drfslides);
#   (f) "drfslides serve --plain", directly;
#   (g) bench/min-mhd, a minimal libmicrohttpd server with the same bytes and
#       threading, directly;
#   (h) (f) with --stat-interval 1000 instead of the dev server's 0 (every
#       request stats the deck and the six templates), for comparison.
# (a) to (e) share one nginx and the shipped server block of
# deploy/nginx/drfslides.conf (one per port, only the socket differs). Then
# counts with callgrind the instructions per cached page request in
# drfslides' own code. Prints a Markdown table. Not a test: it prints, it does
# not judge, and "make check" never runs it.
#
# usage: servers.sh [-k] [-d SECONDS] [-w WORKERS] [-t THREADS] [-n N]
#                   [-x NGINX_WORKERS] [-C]    (normally through "make bench-servers")
#   -k     keep the generated files in bench/out/servers/
#   -d     seconds of each 64-connection wrk run (default 10; 1 connection: half)
#   -w -t  drfslides fcgi --workers and --threads (default 1 and 8); min-fcgi
#          gets the same number of threads in one process, serve and min-mhd
#          the same thread pool
#   -n     requests of the smaller callgrind run (default 1000; the larger: 3N)
#   -x     nginx worker_processes (default 1: on a 2-CPU machine wrk, nginx and
#          the responder then share the CPUs the same way for every target)
#   -C     skip the callgrind count
# Run from the build directory (binaries ./drfslides, ./bench/min-fcgi,
# ./bench/min-mhd); srcdir, the source tree, defaults to the directory above
# this script. Needs nginx, wrk, curl, fcgiwrap, and valgrind for the count.

set -eu

srcdir=${srcdir:-$(dirname "$0")/..}
keep=0
secs=10
workers=1
threads=8
ncount=1000
nginx_workers=1
count=1
while getopts kd:w:t:n:x:C opt; do
	case $opt in
	k)	keep=1 ;;
	d)	secs=$OPTARG ;;
	w)	workers=$OPTARG ;;
	t)	threads=$OPTARG ;;
	n)	ncount=$OPTARG ;;
	x)	nginx_workers=$OPTARG ;;
	C)	count=0 ;;
	*)	echo "usage: servers.sh [-k] [-d SECONDS] [-w WORKERS]" \
		    "[-t THREADS] [-n N] [-x NGINX_WORKERS] [-C]" >&2; exit 2 ;;
	esac
done

minfcgi=$(pwd)/bench/min-fcgi
minmhd=$(pwd)/bench/min-mhd
for f in "$(pwd)/drfslides" "$minfcgi" "$minmhd"; do
	if [ ! -x "$f" ]; then
		echo "servers.sh: $f is not built; run 'make bench-servers'" >&2
		exit 1
	fi
done
NGINX=$(command -v nginx 2>/dev/null || :)
[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
FCGIWRAP=$(command -v fcgiwrap 2>/dev/null || :)
[ -z "$FCGIWRAP" ] && [ -x /usr/sbin/fcgiwrap ] && FCGIWRAP=/usr/sbin/fcgiwrap
for t in wrk curl; do
	command -v $t >/dev/null 2>&1 || { echo "servers.sh: $t is missing" >&2; exit 1; }
done
[ -n "$NGINX" ] || { echo "servers.sh: nginx is missing" >&2; exit 1; }
[ -n "$FCGIWRAP" ] || { echo "servers.sh: fcgiwrap is missing" >&2; exit 1; }
if [ "$count" -eq 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	echo "servers.sh: valgrind is missing; counting skipped (-C)" >&2
	count=0
fi

mkdir -p bench/out/servers
out=$(cd bench/out/servers && pwd)
. "$srcdir/bench/lib.sh"

# --- Helpers. ---------------------------------------------------------------
# check NAME URL FILE: answers 200 with FILE's bytes.
check() {
	code=$(curl -s -o "$out/got-$1" -w '%{http_code}' "$2")
	if [ "$code" != 200 ] || ! cmp -s "$out/got-$1" "$3"; then
		echo "servers.sh: ($1) $2 answered $code, not 200 with the" \
		    "bytes of $3" >&2
		keep=1
		exit 1
	fi
}
# bench NAME URL: wrk at 64 connections then 1; leaves the figures in
# $out/wrk-NAME (rps64 p50_64 p99_64 rps1 p50_1 p99_1, latencies in ms).
to_ms() {
	awk '{ v = $1; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
	    f = u == "us" ? 0.001 : u == "ms" ? 1 : u == "s" ? 1000 : 1
	    printf "%.3f", v * f }'
}
bench() {
	half=$(( (secs + 1) / 2 ))
	wrk -c64 -t2 -d"${secs}s" --latency "$2" >"$out/wrk64-$1" 2>&1
	wrk -c1 -t1 -d"${half}s" --latency "$2" >"$out/wrk1-$1" 2>&1
	for c in 64 1; do
		f=$out/wrk$c-$1
		if grep -q 'Non-2xx' "$f" || grep -q 'Socket errors' "$f"; then
			echo "servers.sh: ($1) errors in wrk -c$c:" >&2
			grep -E 'Non-2xx|Socket errors' "$f" >&2
		fi
		rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
		p50=$(awk '$1 == "50%" { print $2 }' "$f" | to_ms)
		p99=$(awk '$1 == "99%" { print $2 }' "$f" | to_ms)
		printf '%s %s %s ' "${rps:-0}" "${p50:-0}" "${p99:-0}"
	done >"$out/wrk-$1"
	echo >>"$out/wrk-$1"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The page, as export writes it and as drfslides serves it. --------------
# A private copy of the data: edits made meanwhile to the source tree must not
# reload templates or decks in the middle of a run.
rm -rf "$out/data" "$out/cache" "$out/export"
mkdir -p "$out/data"
cp -R "$src/decks" "$src/templates" "$src/static" "$out/data/"
export DRFSLIDES_DECKS="$out/data/decks"
export DRFSLIDES_TEMPLATES="$out/data/templates"
export DRFSLIDES_STATIC="$out/data/static"
page=3
"$drf" export "$out/data/decks/smtp.drf" "$out/export" >/dev/null
# The whole CGI answer (head and body), as drfslides writes it: the baselines
# send exactly these bytes.
env REQUEST_METHOD=GET SCRIPT_NAME=/slides PATH_INFO=/smtp/$page \
    REQUEST_URI=/slides/smtp/$page "$drf" fcgi </dev/null >"$out/answer"
headlen=$(LC_ALL=C awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' \
    "$out/answer")
tail -c +$((headlen + 1)) "$out/answer" >"$out/body"
grep -q '^Status: 200' "$out/answer" ||
	{ echo "servers.sh: drfslides does not serve page $page" >&2; exit 1; }

# --- nginx: one server block per target, all made from the shipped one. ------
conf=$(dirname "$("$NGINX" -V 2>&1 | sed -n 's/.*--conf-path=\([^ ]*\).*/\1/p')")
if [ -r "$conf/fastcgi_params" ]; then
	cp "$conf/fastcgi_params" "$out/fastcgi_params"
else
	cp "$src/tests/nginx-fastcgi_params" "$out/fastcgi_params" 2>/dev/null || {
		echo "servers.sh: no fastcgi_params next to nginx.conf" >&2
		exit 1
	}
fi
cache_conf=$src/deploy/nginx/drfslides-cache.conf
if [ -r "$cache_conf" ]; then
	cache_note="shipped deploy/nginx/drfslides-cache.conf"
else
	cache_conf=$out/cache.conf
	cache_note="an equivalent fastcgi_cache block (deploy/nginx/drfslides-cache.conf is missing)"
	cat >"$cache_conf" <<'EOF'
fastcgi_cache drfslides;
fastcgi_cache_key "$scheme$request_method$host$request_uri";
fastcgi_cache_methods GET HEAD;
fastcgi_ignore_headers Cache-Control Expires;
fastcgi_cache_valid 200 301 10s;
fastcgi_cache_revalidate on;
fastcgi_cache_lock on;
fastcgi_cache_use_stale error timeout updating;
fastcgi_cache_background_update on;
EOF
fi
# site SOCKET PORT [EXTRA]: the shipped location /slides/ on PORT, passing to
# SOCKET, with EXTRA (nginx directives) added in the location.
site() {
	sed -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$2;|" \
	    -e '/^ *listen \[::\]:80;/d' \
	    -e "s|unix:/run/drfslides/drfslides.sock;|unix:$1;${3:-}|" \
	    -e "s|/usr/local/share/drfslides/static/|$out/data/static/|" \
	    -e '/^#/d' "$src/deploy/nginx/drfslides.conf"
}
bench_port; pa=$bport; bench_port; pb=$bport; bench_port; pc=$bport
bench_port; pd=$bport; bench_port; pe=$bport; bench_port; pf=$bport
bench_port; pg=$bport; bench_port; ph=$bport
user=
[ "$(id -u)" = 0 ] && user="user root;"
cat >"$out/cgi.sh" <<EOF
#!/bin/sh
DRFSLIDES_DECKS='$out/data/decks' DRFSLIDES_TEMPLATES='$out/data/templates' \\
DRFSLIDES_STATIC='$out/data/static' exec '$drf' fcgi
EOF
chmod +x "$out/cgi.sh"
cat >"$out/nginx-head.conf" <<EOF
daemon off;
master_process on;
worker_processes $nginx_workers;
$user
pid $out/nginx.pid;
error_log $out/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $out/client_body;
    fastcgi_temp_path $out/fastcgi_temp;
    proxy_temp_path $out/proxy_temp;
    uwsgi_temp_path $out/uwsgi_temp;
    scgi_temp_path $out/scgi_temp;
    fastcgi_cache_path $out/cache levels=1:2 keys_zone=drfslides:10m max_size=64m inactive=1h use_temp_path=off;
    types { text/html html; text/css css; }
    default_type application/octet-stream;
EOF
{
	cat "$out/nginx-head.conf"
	cat <<EOF
    server {
        listen 127.0.0.1:$pa;
        root $out/export;
    }
EOF
	site "$out/min.sock" "$pb"
	site "$out/drf.sock" "$pc"
	site "$out/drf.sock" "$pd" " include $cache_conf;"
	site "$out/cgi.sock" "$pe" " fastcgi_param SCRIPT_FILENAME $out/cgi.sh;"
	echo "}"
} >"$out/nginx.conf"

# --- Start everything. -------------------------------------------------------
rm -f "$out"/*.sock
"$minfcgi" -s "$out/min.sock" -t "$threads" "$out/answer" &
bench_track $!
"$drf" fcgi --listen "$out/drf.sock" --workers "$workers" \
    --threads "$threads" 2>"$out/drfslides-fcgi.log" &
bench_track $!
"$FCGIWRAP" -c 2 -s "unix:$out/cgi.sock" >"$out/fcgiwrap.log" 2>&1 </dev/null &
bench_track $!
"$drf" serve --plain --port "$pf" --threads "$threads" \
    >"$out/serve.log" 2>&1 &
bench_track $!
"$minmhd" -p "$pg" -t "$threads" "$out/answer" &
bench_track $!
"$drf" serve --plain --stat-interval 1000 --port "$ph" \
    --threads "$threads" >"$out/serve-h.log" 2>&1 &
bench_track $!
bench_wait 100 test -S "$out/min.sock"
bench_wait 100 test -S "$out/drf.sock"
bench_wait 100 test -S "$out/cgi.sock"
"$NGINX" -p "$out/" -c "$out/nginx.conf" -e "$out/nginx-error.log" &
nginx_pid=$!
bench_track "$nginx_pid"
url_a=http://127.0.0.1:$pa/smtp$page.html
url_b=http://127.0.0.1:$pb/slides/smtp/$page
url_c=http://127.0.0.1:$pc/slides/smtp/$page
url_d=http://127.0.0.1:$pd/slides/smtp/$page
url_e=http://127.0.0.1:$pe/slides/smtp/$page
url_f=http://127.0.0.1:$pf/smtp/$page
url_g=http://127.0.0.1:$pg/smtp/$page
url_h=http://127.0.0.1:$ph/smtp/$page
bench_wait 100 curl -sf -o /dev/null "$url_a" ||
	{ echo "servers.sh: nginx did not start; see $out" >&2; keep=1; exit 1; }
bench_wait 100 curl -sf -o /dev/null "$url_f"
bench_wait 100 curl -sf -o /dev/null "$url_g"
bench_wait 100 curl -sf -o /dev/null "$url_h"

# --- Honesty: every target answers 200 with the same bytes. ------------------
# (a) is export's file (its links name files, "smtp4.html", not "4"); every
# other target must send drfslides' page byte for byte. This also warms (c)
# and fills (d)'s cache.
check a "$url_a" "$out/export/smtp$page.html"
for t in b c d e f g h; do
	eval "check $t \"\$url_$t\" \"$out/body\""
done
check d "$url_d" "$out/body"
cache_status=$(curl -s -D - -o /dev/null "$url_d" | tr -d '\r' |
    awk -F': ' 'tolower($1) == "x-cache-status" { print $2 }')

# --- wrk. --------------------------------------------------------------------
for t in a b c d e f g h; do
	eval "bench $t \"\$url_$t\""
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
for t in b c d e f g h; do
	check "$t" "$(eval echo "\$url_$t")" "$out/body"
done

for p in $bench_pids; do
	bench_stop "$p"
done

# --- callgrind: instructions per cached page request in drfslides' own code. --
# drfslides fcgi (no workers, one thread) under callgrind, behind the same
# nginx block; curl sends N requests on one kept connection; the count is the
# difference of two runs (N and 3N requests) over 2N, which removes start-up,
# warm-up and exit. Only functions whose object is the drfslides binary count
# (not libfcgi, libc, ld.so, libpthread).
instr_per_req=n/a
instr_note="not counted (-C)"
if [ "$count" -eq 1 ]; then
	bench_port
	pk=$bport
	{
		sed "/^worker_processes/s/.*/worker_processes 1;/" \
		    "$out/nginx-head.conf"
		site "$out/cg.sock" "$pk"
		echo "}"
	} >"$out/nginx-cg.conf"
	"$NGINX" -p "$out/" -c "$out/nginx-cg.conf" -e "$out/nginx-error.log" &
	nginx_pid=$!
	bench_track "$nginx_pid"
	url_k=http://127.0.0.1:$pk/slides/smtp/$page
	# count N BINARY ARGS...: "own total" instructions of BINARY serving N
	# requests (and one warm-up) on $out/cg.sock under callgrind: own is
	# what the functions of BINARY itself execute, total is every object.
	count() {
		cn=$1
		shift
		cgo=$out/callgrind-${1##*/}-$cn.out
		rm -f "$out/cg.sock" "$cgo"
		valgrind --tool=callgrind --callgrind-out-file="$cgo" \
		    "$@" >"$out/valgrind.log" 2>&1 &
		vg=$!
		bench_track "$vg"
		bench_wait 100 test -S "$out/cg.sock"
		bench_wait 100 curl -sf -o /dev/null "$url_k"
		awk -v n="$cn" -v u="$url_k" 'BEGIN { for (i = 0; i < n; i++)
		    printf "url = \"%s\"\noutput = \"/dev/null\"\n", u }' \
		    >"$out/curl.cfg"
		curl -s -K "$out/curl.cfg"
		bench_stop "$vg"
		callgrind_annotate --inclusive=no --threshold=100 "$cgo" \
		    2>/dev/null | awk -v bin="$1" '
		    /^ *[0-9,]+ .*\[/ { v = $1; gsub(/,/, "", v); t += v
			if (index($0, "[" bin "]")) s += v }
		    END { printf "%.0f %.0f\n", s, t }'
	}
	# per_request N1 N2 BINARY ARGS...: "own total" per request, start-up removed.
	per_request() {
		n1=$1
		n2=$2
		shift 2
		r1=$(count "$n1" "$@")
		r2=$(count "$n2" "$@")
		echo "$r1 $r2" | awk -v n1="$n1" -v n2="$n2" \
		    '{ printf "%.0f %.0f\n", ($3 - $1) / (n2 - n1), ($4 - $2) / (n2 - n1) }'
	}
	n1=$ncount
	n2=$((ncount * 3))
	r=$(per_request "$n1" "$n2" "$drf" fcgi --listen "$out/cg.sock" \
	    --workers 0 --threads 1)
	instr_per_req=${r% *}
	instr_total=${r#* }
	r=$(per_request "$n1" "$n2" "$minfcgi" -s "$out/cg.sock" -t 1 \
	    "$out/answer")
	instr_min_total=${r#* }
	instr_note="(runs of $n1 and $n2 requests; all code in the process: $instr_total, min-fcgi's: $instr_min_total)"
	bench_stop "$nginx_pid"
fi

# --- The figures. -----------------------------------------------------------
awk -v out="$out" -v secs="$secs" -v w="$workers" -v t="$threads" \
    -v nw="$nginx_workers" -v lb="$load_before" -v la="$load_after" \
    -v ipr="$instr_per_req" -v inote="$instr_note" -v cnote="$cache_note" \
    -v cstat="$cache_status" -v page="$page" \
    -v asize="$(wc -c <"$out/export/smtp$page.html")" \
    -v bsize="$(wc -c <"$out/body")" \
    -v cpus="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')" '
function load(name,    f, line, v) {
	f = out "/wrk-" name
	getline line < f
	close(f)
	split(line, v, " ")
	rps64[name] = v[1]; p50_64[name] = v[2]; p99_64[name] = v[3]
	rps1[name] = v[4]; p50_1[name] = v[5]; p99_1[name] = v[6]
}
function row(name, what) {
	printf "| (%s) %s | %.0f | %.2f | %.2f | %.0f | %.3f | %.3f |\n", name,
	    what, rps64[name], p50_64[name], p99_64[name], rps1[name],
	    p50_1[name], p99_1[name]
}
function ratio(x, y) {
	return rps64[y] > 0 ? sprintf("%.2fx", rps64[x] / rps64[y]) : "n/a"
}
function ratio1(x, y) {
	return rps1[y] > 0 ? sprintf("%.2fx", rps1[x] / rps1[y]) : "n/a"
}
BEGIN {
	split("a b c d e f g h", names, " ")
	for (i = 1; i <= 8; i++)
		load(names[i])
	printf "servers benchmark: decks/smtp.drf page %d (%d bytes served, " \
	    "%d bytes as exported), %s CPUs, nginx worker_processes %s, " \
	    "drfslides fcgi --workers %s --threads %s, wrk -c64 -t2 -d%ds " \
	    "and -c1 -t1 -d%ds --latency\n", page, bsize, asize, cpus, nw, w, t,
	    secs, int((secs + 1) / 2)
	printf "load average before: %s; after the wrk runs: %s\n\n", lb, la
	printf "| target | req/s, 64 conn | p50 ms | p99 ms | req/s, 1 conn " \
	    "| p50 ms | p99 ms |\n|---|---|---|---|---|---|---|\n"
	row("a", "nginx, static file from export")
	row("b", "nginx + bench/min-fcgi (libfcgi ceiling)")
	row("c", "nginx + drfslides fcgi, warm cache")
	row("d", "nginx fastcgi_cache + (c)")
	row("e", "nginx + fcgiwrap + drfslides as CGI")
	row("f", "drfslides serve --plain")
	row("g", "bench/min-mhd (libmicrohttpd ceiling)")
	row("h", "(f) with --stat-interval 1000 (for comparison)")
	printf "\n| measure | value |\n|---|---|\n"
	printf "| (b) / (a) | %s (1 conn: %s) |\n", ratio("b", "a"), ratio1("b", "a")
	printf "| (c) / (b) | %s (1 conn: %s; target >= 0.9x) |\n",
	    ratio("c", "b"), ratio1("c", "b")
	printf "| (d) / (a) | %s (1 conn: %s; target >= 0.8x) |\n",
	    ratio("d", "a"), ratio1("d", "a")
	printf "| (e) / (c) | %s |\n", ratio("e", "c")
	printf "| (f) / (g) | %s (1 conn: %s; target >= 0.9x) |\n",
	    ratio("f", "g"), ratio1("f", "g")
	printf "| (h) / (g) | %s (1 conn: %s) |\n", ratio("h", "g"), ratio1("h", "g")
	printf "| (g) / (a) | %s |\n", ratio("g", "a")
	printf "| (c) p99 at 1 connection | %.3f ms (target <= 0.3 ms) |\n",
	    p99_1["c"]
	printf "| drfslides instructions per cached page request " \
	    "(callgrind, own code) | %s %s (target <= 5000) |\n", ipr, inote
	printf "| (d) cache | %s; X-Cache-Status %s |\n", cnote, cstat
	printf "| bodies | (b)-(h) = drfslides page byte for byte, (a) = " \
	    "export file; all 200 |\n"
	printf "\nreproduce: make bench-servers   (or: srcdir=SRC sh " \
	    "SRC/bench/servers.sh [-k] [-d %d] [-w %s] [-t %s] [-x %s] from the " \
	    "build directory)\n", secs, w, t, nw
}'
