#!/bin/sh
# faults-missing.sh: ten thousand names of decks that do not exist: 404s, flat
# memory, the same workers, and the server stops on SIGTERM.
# shellcheck disable=SC1091,SC2016,SC2086,SC3045
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/faults-lib.sh"
faults_servers

# ============================================================ ten thousand missing decks

workers=$(drf_workers "$B_PID")
# Warm up both workers' 404 path and allocator arenas first.
curl -s --parallel --parallel-max 16 -o /dev/null "$U/slides/warm[1-400]/" 2>/dev/null
rss0=$(rss_kib $workers)
curl -s --parallel --parallel-max 8 --max-time 60 -o /dev/null -w '%{http_code}\n' \
    "$U/slides/nosuch[1-10000]/" >"$TMPD/missing" 2>/dev/null
rss1=$(rss_kib $workers)
is "$(grep -c '^404$' "$TMPD/missing")" 10000 "10,000 distinct missing deck names: 10,000 404s"
echo "# workers' RSS: $rss0 KiB before, $rss1 KiB after"
if nm "$DRFSLIDES" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
	# A sanitizer's quarantine and shadow memory are not the program's.
	skip "the workers' memory stays flat" "RSS of a sanitizer build"
else
	[ "$rss0" -gt 0 ] && [ "$rss1" -lt $((rss0 + 8192)) ]
	ok $? "10,000 missing deck names: the workers' RSS grew by less than 8 MiB ($((rss1 - rss0)) KiB)"
fi
is "$(drf_workers "$B_PID" | sort | tr '\n' ' ')" "$(echo "$workers" | sort | tr '\n' ' ')" \
    "10,000 missing deck names: the same workers serve"
fetch "$U/slides/v/1"
is "$code" 200 "after 10,000 missing names the decks answer"

drf_stop "$B_PID" 10
ok $? "SIGTERM stops the server"

tmark

done_testing
