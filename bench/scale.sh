#!/bin/sh
# scale.sh: the scale benchmark (issue 15). Prints, does not judge; "make
# check" never runs it. Three parts, each against "drfslides serve --plain":
#   1. a 50 MiB deck (-s MIB), 200 different page requests one after the
#      other, at the default --cache-mb (64) and with --cache-mb 4096 (large
#      enough to hold it), three rounds in turn: the median total seconds
#      (the first request parses the deck), the server's CPU seconds (user
#      and system, from /proc: what the server did, whatever else the
#      machine runs), with and without the first request, and the ratios;
#   2. the largest deck the default limits allow (64 MiB of source that
#      expands to 192 MiB), eight concurrent /print requests: peak RSS
#      (VmHWM) of serve and of one "drfslides fcgi" worker (through cgi-fcgi),
#      and the statuses, against the bound drfslides(1) states for the
#      default settings (see "bound" below);
#   3. 2,000 decks of 93 KB (-n N): the first GET /, then p50 and p99 of 200
#      later ones, the server's CPU seconds over them, and RSS above the idle
#      size; and, as a control, p50, p99 and CPU with no change check during
#      the run (a stat interval of an hour).
# usage: scale.sh [-k] [-p PARTS] [-s MIB] [-n DECKS]   (from the build directory)
#   -k  keep the generated files in bench/out/scale/
#   -p  the parts to run, e.g. 13 (default 123)
# Needs curl, awk, and cgi-fcgi (libfcgi-bin) for the fcgi figure.

set -eu

srcdir=${srcdir:-$(dirname "$0")/..}
keep=0
mib=50
ndecks=2000
parts=123
while getopts kp:s:n: opt; do
	case $opt in
	k) keep=1 ;;
	p) parts=$OPTARG ;;
	s) mib=$OPTARG ;;
	n) ndecks=$OPTARG ;;
	*) echo "usage: scale.sh [-k] [-p PARTS] [-s MIB] [-n DECKS]" >&2; exit 2 ;;
	esac
done
out=bench/out/scale
rm -rf "$out" && mkdir -p "$out/big" "$out/huge" "$out/many"
. "$srcdir/bench/lib.sh"

# gen_deck FILE KIB PAGES: a deck of about KIB KiB in PAGES labelled pages.
gen_deck() {
	awk -v kib="$2" -v pages="$3" 'BEGIN {
		print "Lecture notes, generated for the benchmark."
		print "#title A generated lecture"
		print "#define _TCP_ <abbr title=\"Transmission Control Protocol\">TCP</abbr>"
		line = "Mail goes from the client to its server over _TCP_, then on to the next one.";
		per = int(kib * 1024 / pages / (length(line) + 1)) + 1
		for (p = 0; p < pages; p++) {
			printf "--- Part %d\n", p
			for (l = 0; l < per; l++)
				print line
		}
	}' >"$1"
}

# gen_huge FILE: 64 MiB of source less 64 KiB, expanding 3 times.
gen_huge() {
	awk 'BEGIN {
		print "#title The largest allowed deck"
		print "#define @@ <b>x</b>"
		line = "@@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@ @@"
		n = int((64 * 1048576 - 65536) / (length(line) + 1))
		for (l = 0; l < n; l++) {
			if (l % 2000 == 0)
				printf "--- Part %d\n", l / 2000
			print line
		}
	}' >"$1"
}

# serve DIR NAME [OPTION...]: starts serve on the decks of DIR (bench_serve NAME).
serve() {
	d=$1 name=$2
	shift 2
	bench_serve "$name" --decks "$d" --stat-interval 1000 "$@"
}

kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
# cpu PID: the process's user and system time so far, in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }

# part N: whether part N is to run.
part() { case $parts in *"$1"*) return 0 ;; esac; return 1; }

# ----------------------------------------------------------- 1. big deck
part 1 && {
gen_deck "$out/big/big.drf" $((mib * 1024)) 2000
# Three rounds, the two sizes in turn, so that the machine's drift falls on both.
: >"$out/rounds"
for round in 1 2 3; do
	for mb in 64 4096; do
		serve "$out/big" "big-$mb" --cache-mb "$mb"
		: >"$out/times"
		c0=$(cpu "$spid")
		i=0
		while [ $i -lt 200 ]; do
			curl -s -o /dev/null -w '%{time_total} %{http_code}\n' \
			    "$url/big/$((i * 9 % 2000))" >>"$out/times"
			[ $i -eq 0 ] && c1=$(cpu "$spid")
			i=$((i + 1))
		done
		c2=$(cpu "$spid")
		grep -qv ' 200$' "$out/times" && echo "some page requests failed" >&2
		awk -v mb="$mb" -v hwm="$(kib "$spid" VmHWM)" -v hz="$hz" \
		    -v all=$((c2 - c0)) -v later=$((c2 - c1)) '
		    { t += $1 } NR == 1 { f = $1 } NR > 1 && $1 > m { m = $1 }
		    END { printf "%s %.2f %.2f %.3f %d %.2f %.2f\n", mb, t, f, m,
		        hwm / 1024, all / hz, later / hz }' \
		    "$out/times" >>"$out/rounds"
		bench_stop "$spid"
	done
done
# median MB FIELD: the median of a field over the rounds of one size.
median() {
	awk -v mb="$1" -v f="$2" '$1 == mb { print $f }' "$out/rounds" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# ratio FIELD: the median of a field at 64 over its median at 4096.
ratio() {
	awk -v a="$(median 64 "$1")" -v b="$(median 4096 "$1")" \
	    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}
echo "| $mib MiB deck, 200 page requests (median of 3) | seconds | first (the parse) | slowest later one | server CPU s | same, later 199 | peak RSS |"
echo "|---|---|---|---|---|---|---|"
for mb in 64 4096; do
	echo "| --cache-mb $mb | $(median $mb 2) | $(median $mb 3) | $(median $mb 4) | $(median $mb 6) | $(median $mb 7) | $(median $mb 5) MiB |"
done
echo "| ratio 64 / 4096 | $(ratio 2) | $(ratio 3) | | $(ratio 6) | $(ratio 7) | |"
sed 's/^/rounds: /' "$out/rounds" >&2
echo
}

# ----------------------------------------------------------- 2. print
# bound MIB_SOURCE_COPIES: the stated bound above the idle size at the
# defaults (--cache-mb 64, --max-source 64M, --max-expanded 256M, --threads
# 8), in MiB: the cache, one deck larger than it with a quarter of the cache
# of its pages, two parses (the source, once more for a state directory's
# copy, and the expanded pages), one document of at most a quarter of the
# cache per thread.
bound() {
	echo $((64 + 256 + 64 / 4 + 2 * ($1 * 64 + 256) + 8 * 64 / 4))
}
part 2 && {
gen_huge "$out/huge/huge.drf"
serve "$out/huge" huge
idle=$(kib "$spid" VmRSS)
: >"$out/codes"
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o /dev/null -w '%{http_code}\n' "$url/huge/print" >>"$out/codes" &
done
wait_for() { while [ "$(wc -l <"$out/codes")" -lt "$1" ]; do sleep 0.2; done; }
wait_for 8
codes=$(sort "$out/codes" | uniq -c | awk '{ printf "%s%s x%s", s, $2, $1; s = ", " }')
serve_hwm=$(kib "$spid" VmHWM)
bench_stop "$spid"
echo "| 8 concurrent /print of the largest deck | statuses | idle RSS | peak RSS | stated bound |"
echo "|---|---|---|---|---|"
echo "| serve | $codes | $((idle / 1024)) MiB | $((serve_hwm / 1024)) MiB | $((idle / 1024 + $(bound 1))) MiB |"
if command -v cgi-fcgi >/dev/null 2>&1; then
	bench_port
	p=$bport
	DRFSLIDES_DECKS=$out/huge "$drf" fcgi --listen "127.0.0.1:$p" --workers 1 \
	    --templates "$src/templates" --static "$src/static" 2>"$out/fcgi.log" &
	fpid=$!
	bench_track "$fpid"
	sleep 1
	w=$(pgrep -P "$fpid" | head -1)
	widle=$(kib "$w" VmRSS)
	: >"$out/codes"
	for i in 1 2 3 4 5 6 7 8; do
		( REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/huge/print \
		    REQUEST_URI=/huge/print cgi-fcgi -bind -connect "127.0.0.1:$p" |
		    sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -1 >>"$out/codes" ) &
	done
	wait_for 8
	codes=$(sort "$out/codes" | uniq -c | awk '{ printf "%s%s x%s", s, $2, $1; s = ", " }')
	echo "| fcgi worker (a state directory) | $codes | $((widle / 1024)) MiB | $(($(kib "$w" VmHWM) / 1024)) MiB | $((widle / 1024 + $(bound 2))) MiB |"
	bench_stop "$fpid"
fi
echo
}

# ----------------------------------------------------------- 3. index
part 3 || exit 0
i=0
gen_deck "$out/d.drf" 93 30
while [ $i -lt "$ndecks" ]; do
	sed "s/^#title .*/#title Lecture $i/" "$out/d.drf" >"$out/many/lec$i.drf"
	i=$((i + 1))
done
# index_run MS: a fresh server with --stat-interval MS, the first GET /,
# then 200 later ones; sets first, p50, p99, cpu (the server's CPU seconds
# over the 200), idle, rss, hwm and size.
index_run() {
	serve "$out/many" "many-$1" --stat-interval "$1"
	sleep 1
	idle=$(kib "$spid" VmRSS)
	first=$(curl -s -o /dev/null -w '%{time_total}' "$url/")
	i=0
	: >"$out/times"
	c0=$(cpu "$spid")
	while [ $i -lt 200 ]; do
		curl -s -o /dev/null -w '%{time_total}\n' "$url/" >>"$out/times"
		i=$((i + 1))
	done
	cpu=$(awk -v t=$(($(cpu "$spid") - c0)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
	rss=$(kib "$spid" VmRSS)
	hwm=$(kib "$spid" VmHWM)
	size=$(curl -s "$url/" | wc -c)
	bench_stop "$spid"
	sort -n "$out/times" >"$out/sorted"
	p50=$(awk 'NR == 100' "$out/sorted")
	p99=$(awk 'NR == 198' "$out/sorted")
}
# A control: the same with no change check during the run, so that what the
# check costs stands apart from what the machine's load does to every request.
index_run 3600000
p50_nc=$p50 p99_nc=$p99 cpu_nc=$cpu
index_run 1000
echo "| GET / over $ndecks decks of 93 KB | |"
echo "|---|---|"
echo "| first request | $first s |"
echo "| later 200: p50 / p99 | $p50 / $p99 s |"
echo "| same, server CPU seconds over the 200 | $cpu s |"
echo "| control, no change check during the run: p50 / p99, CPU | $p50_nc / $p99_nc s, $cpu_nc s |"
echo "| index size | $((size / 1024)) KiB |"
echo "| RSS idle / after / above idle | $((idle / 1024)) / $((rss / 1024)) / $(((rss - idle) / 1024)) MiB (peak $((hwm / 1024)) MiB) |"
