#!/bin/sh
# search.sh: the search benchmark. Prints, does not judge; "make check" never
# runs it. On N generated decks of 30 pages (-n, default 2,000; English text
# from a vocabulary of 120 words, a Japanese sentence on every third page, a
# rare word per deck, speaker notes, labels):
#   1. in process (bench/bench-search, the engine alone): the time to put
#      every deck, the first query (building the n-gram lists), p50 and p99
#      of later queries, and the index's memory against its text;
#   2. through "drfslides serve --plain --cache-mb 256" and curl: the first
#      search after start (which reads every deck and builds the index), p50
#      and p99 of 200 later searches, the server's RSS before and after, and
#      the index page after warm-up (p50 and p99 of 50).
# usage: search.sh [-k] [-n DECKS]   (from the build directory, after
# "make bench/bench-search")

set -eu

srcdir=${srcdir:-$(dirname "$0")/..}
keep=0
ndecks=2000
while getopts kn: opt; do
	case $opt in
	k) keep=1 ;;
	n) ndecks=$OPTARG ;;
	*) echo "usage: search.sh [-k] [-n DECKS]" >&2; exit 2 ;;
	esac
done
out=bench/out/search
rm -rf "$out" && mkdir -p "$out/decks"
. "$srcdir/bench/lib.sh"

[ -x bench/bench-search ] || { echo "make bench/bench-search first" >&2; exit 1; }

# The decks: one awk run writes them all.
awk -v n="$ndecks" -v dir="$out/decks" 'BEGIN {
	srand(14)
	nw = split("mail server client protocol packet router address network " \
	    "layer transport session message header body queue relay domain " \
	    "name lookup cache record secure channel key certificate signature " \
	    "hash table list tree graph node edge path cost metric link frame " \
	    "bit byte word stream socket port service request response status " \
	    "error retry timeout window buffer flow control congestion loss " \
	    "delay jitter bandwidth latency throughput user agent browser page " \
	    "style script form field value type class object method function " \
	    "variable loop branch compile link load memory disk file folder " \
	    "system kernel process thread lock signal event timer clock time " \
	    "date zone unit test case proof lemma theorem example exercise " \
	    "answer question lecture week course student teacher grade exam", w, " ")
	nj = split("電子メールの送信にはプロトコルが使われます。|" \
	    "経路制御はパケットを宛先まで届けます。|" \
	    "名前解決でドメイン名からアドレスを求めます。|" \
	    "輻輳制御は送信の速さを調整します。|" \
	    "暗号化された通信路で鍵を交換します。", ja, "|")
	for (d = 0; d < n; d++) {
		f = sprintf("%s/lec%04d.drf", dir, d)
		print "Generated lecture " d > f
		printf "#title Lecture %d: %s and %s\n", d, w[1 + d % nw], w[1 + (d * 7) % nw] > f
		print "#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")" > f
		for (p = 0; p < 30; p++) {
			printf "--- Part %d of lecture %d\n", p, d > f
			printf "<h2>%s %s</h2>\n", w[1 + int(rand() * nw)], w[1 + int(rand() * nw)] > f
			for (l = 0; l < 5; l++) {
				s = "<p>"
				for (k = 0; k < 12; k++)
					s = s (k ? " " : "") w[1 + int(rand() * nw)]
				if (l == 2 && p % 7 == 3)
					s = s " <a href=\"GLS(" w[1 + d % nw] ")\">" w[1 + d % nw] "</a>"
				print s ".</p>" > f
			}
			if (p % 3 == 0)
				print "<p>" ja[1 + int(rand() * nj)] "</p>" > f
			if (p == 17)
				printf "<p>The keyword of this lecture is kw%dx.</p>\n", d > f
			print "#note say " w[1 + int(rand() * nw)] " aloud" > f
		}
		close(f)
	}
}'
# The queries: common words, pairs, rare words, Japanese, misses.
{
	for wd in mail server protocol congestion theorem latency; do echo "$wd"; done
	echo "packet router"; echo "flow control"; echo "Retry Timeout"
	for i in 7 123 999 1500 1999 42 77; do echo "kw${i}x"; done
	echo "送信"; echo "経路制御"; echo "ドメイン名"; echo "鍵"; echo "暗号化された通信路"
	echo "zyxwvut"; echo "mail zebra"; echo "qqq"
} >"$out/queries"
kb=$(du -sk "$out/decks" | cut -f1)
echo "decks: $ndecks of 30 pages, $kb KiB of source"
echo

echo "## 1. in process"
bench/bench-search "$out/decks" "$out/queries" 10
echo

echo "## 2. through drfslides serve"
bench_serve serve --decks "$out/decks" --cache-mb 256 --stat-interval 1000
rss() { awk '$1 == "VmRSS:" { print int($2 / 1024) }' "/proc/$spid/status"; }
# ticks: the server's CPU time so far (user and system), in clock ticks;
# what a request costs whatever else the machine runs.
ticks() { awk '{ print $14 + $15 }' "/proc/$spid/stat"; }
hz=$(getconf CLK_TCK)
# cpu_ms T0 N: the server's CPU time since T0 ticks, in ms per request of N.
cpu_ms() { awk -v a="$1" -v b="$(ticks)" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) * 1000 / hz / n }'; }
echo "RSS at start: $(rss) MiB"
t0=$(ticks)
curl -s -o "$out/first" -w 'first search after start (reads every deck, builds the index): %{time_total} s, %{http_code}\n' \
    "$url/search?q=mail"
echo "its CPU time in the server: $(cpu_ms "$t0" 1) ms"
echo "RSS after it: $(rss) MiB"
# urlq: the queries percent-encoded for curl.
urlq() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/%\1/g'; }
: >"$out/times"
t0=$(ticks)
i=0
nq=$(wc -l <"$out/queries")
while [ $i -lt 200 ]; do
	qq=$(sed -n "$((i % nq + 1))p" "$out/queries")
	curl -s -o /dev/null -w '%{time_total} %{http_code}\n' \
	    "$url/search?q=$(urlq "$qq")" >>"$out/times"
	i=$((i + 1))
done
grep -qv ' 200$' "$out/times" && echo "some searches failed" >&2
sort -n "$out/times" | awk '{ v[NR] = $1 } END {
	printf "later searches: 200, p50 %.2f ms, p99 %.2f ms (curl time_total)\n",
	    v[int(NR / 2)] * 1000, v[int(NR * 0.99)] * 1000 }'
echo "their CPU time in the server: $(cpu_ms "$t0" 200) ms a search on average"
curl -s -o /dev/null "$url/"
t0=$(ticks)
: >"$out/itimes"
i=0
while [ $i -lt 50 ]; do
	curl -s -o /dev/null -w '%{time_total}\n' "$url/" >>"$out/itimes"
	i=$((i + 1))
done
sort -n "$out/itimes" | awk '{ v[NR] = $1 } END {
	printf "index page after warm-up: 50, p50 %.2f ms, p99 %.2f ms\n",
	    v[int(NR / 2)] * 1000, v[int(NR * 0.99)] * 1000 }'
echo "its CPU time in the server: $(cpu_ms "$t0" 50) ms a request on average"
echo "RSS at the end: $(rss) MiB"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
