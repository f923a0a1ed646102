#!/bin/sh
# cdn.sh: the per-request cost of the CDN answer and of a decks root that is
# a release link, against the plain path, side by side in one run. Prints,
# does not judge; "make check" never runs it. Four "drfslides serve --plain
# --threads 1" on the same cached page (decks/smtp.drf, page 3):
#   plain  a decks folder, the default Cache-Control;
#   cdn    the same with --cache-control cdn (s-maxage, stale-while-revalidate;
#          every deck answer also carries Surrogate-Key and Cache-Tag);
#   link   the decks root a symbolic link to a release folder, as a release
#          tool flips it: each request takes the root (its lock and a
#          reference), resolved again once per --stat-interval (1000);
#   both   cdn and link.
# Two measures:
#   1. instructions per request (valgrind --tool=callgrind): drfslides' own
#      code and the whole process, the difference of a run of N and one of
#      3N requests on one kept connection, over 2N (start-up and exit cancel);
#      unlike time, the count does not move with the machine's load;
#   2. requests per second with wrk (1 connection, then 16), -r ROUNDS rounds
#      of -d SECONDS each, the four in turn in each round: the median.
# usage: cdn.sh [-k] [-d SECONDS] [-r ROUNDS] [-n N] [-C]  (from the build directory)
#   -k  keep bench/out/cdn/      -C  skip the callgrind count
# Needs curl and wrk; valgrind for the count. PORT_LO and PORT_SPAN choose the
# ports (a random one in [PORT_LO, PORT_LO + PORT_SPAN); default 20000, 30000).

set -eu

srcdir=${srcdir:-$(dirname "$0")/..}
keep=0
secs=5
rounds=3
ncount=1000
count=1
while getopts kd:r:n:C opt; do
	case $opt in
	k) keep=1 ;;
	d) secs=$OPTARG ;;
	r) rounds=$OPTARG ;;
	n) ncount=$OPTARG ;;
	C) count=0 ;;
	*) echo "usage: cdn.sh [-k] [-d SECONDS] [-r ROUNDS] [-n N] [-C]" >&2
	   exit 2 ;;
	esac
done
for t in curl wrk; do
	command -v $t >/dev/null 2>&1 || { echo "cdn.sh: $t is missing" >&2; exit 1; }
done
if [ "$count" -eq 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	echo "cdn.sh: valgrind is missing; counting skipped" >&2
	count=0
fi

out=bench/out/cdn
rm -rf "$out" && mkdir -p "$out/folder" "$out/releases/r1"
out=$(cd "$out" && pwd)
. "$srcdir/bench/lib.sh"

for d in "$out/folder" "$out/releases/r1"; do
	cp "$src/decks/smtp.drf" "$d/" && cp -R "$src/decks/glossary" "$d/"
	[ -d "$src/decks/smtp" ] && cp -R "$src/decks/smtp" "$d/"
done
ln -s releases/r1 "$out/link"
page=3
names="plain cdn link both"

# args NAME: the options of one configuration.
args() {
	case $1 in
	plain) echo "--decks $out/folder" ;;
	cdn) echo "--decks $out/folder --cache-control cdn" ;;
	link) echo "--decks $out/link" ;;
	both) echo "--decks $out/link --cache-control cdn" ;;
	esac
}

# start PREFIX NAME: "PREFIX drfslides serve" of configuration NAME; sets
# $spid and $url (of the page), once the page answers.
start() {
	BENCH_WRAP=$1
	# shellcheck disable=SC2046
	bench_serve "$2" --threads 1 --stat-interval 1000 $(args "$2")
	url=$url/smtp/$page
	bench_wait 600 curl -sf -o /dev/null "$url" ||
		{ echo "cdn.sh: $2 did not answer $url" >&2; exit 1; }
}

# The answers differ only as configured.
for n in $names; do
	start "" "$n"
	curl -s -D "$out/$n.h" -o "$out/$n.b" "$url"
	bench_stop "$spid"
done
for n in cdn link both; do
	cmp -s "$out/plain.b" "$out/$n.b" ||
	    { echo "cdn.sh: $n's page differs from plain's" >&2; exit 1; }
done
cc() { tr -d '\r' <"$out/$1.h" | awk -F': ' 'tolower($1) == "cache-control" { print $2 }'; }

# ----------------------------------------------------------- instructions
# count N NAME: "own total" instructions of NAME's server over N requests.
count() {
	cgo=$out/callgrind-$2-$1.out
	start "valgrind --tool=callgrind --callgrind-out-file=$cgo" "$2"
	awk -v n="$1" -v u="$url" 'BEGIN { for (i = 0; i < n; i++)
	    printf "url = \"%s\"\noutput = \"/dev/null\"\n", u }' >"$out/curl.cfg"
	curl -s -K "$out/curl.cfg"
	bench_stop "$spid"
	callgrind_annotate --inclusive=no --threshold=100 "$cgo" 2>/dev/null |
	    awk -v bin="$drf" '/^ *[0-9,]+ .*\[/ { v = $1; gsub(/,/, "", v)
		t += v; if (index($0, "[" bin "]")) s += v }
		END { printf "%.0f %.0f\n", s, t }'
}
: >"$out/instr"
if [ "$count" -eq 1 ]; then
	for n in $names; do
		r1=$(count "$ncount" "$n")
		r2=$(count $((ncount * 3)) "$n")
		echo "$n $r1 $r2" | awk -v n="$ncount" '{ printf "%s %.0f %.0f\n",
		    $1, ($4 - $2) / (2 * n), ($5 - $3) / (2 * n) }' >>"$out/instr"
	done
fi

# ----------------------------------------------------------- wrk
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$out/rps"
r=1
while [ $r -le "$rounds" ]; do
	for n in $names; do
		start "" "$n"
		for c in 1 16; do
			wrk -t1 -c$c -d"${secs}s" "$url" 2>/dev/null |
			    awk -v n="$n" -v c=$c '/^Requests\/sec/ { print n, c, $2 }' \
			    >>"$out/rps"
		done
		bench_stop "$spid"
	done
	r=$((r + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# median NAME C: the median requests per second of NAME at C connections.
median() {
	awk -v n="$1" -v c="$2" '$1 == n && $2 == c { print $3 }' "$out/rps" |
	    sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }'
}
echo "| smtp page $page, cached | Cache-Control | instructions / request, own code | all code | req/s, 1 conn. | req/s, 16 conn. |"
echo "|---|---|---|---|---|---|"
for n in $names; do
	i=$(awk -v n="$n" '$1 == n { print $2 " | " $3 }' "$out/instr")
	echo "| $n | $(cc "$n") | ${i:-n/a | n/a} | $(median "$n" 1) | $(median "$n" 16) |"
done
echo
echo "wrk: $rounds rounds of ${secs} s, median; callgrind: runs of $ncount and $((ncount * 3)) requests; load average before: $load_before, after: $load_after"
