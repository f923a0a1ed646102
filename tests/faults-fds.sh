#!/bin/sh
# faults-fds.sh: "drfslides fcgi" under "ulimit -n 16": it runs the threads
# that fit and says so, answers under load, and recovers when the limit is
# raised.
# shellcheck disable=SC1091,SC2016,SC2086,SC3045
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/faults-lib.sh"
faults_servers
# A second deck; the two-worker backend is not needed here.
cp "$TMPD/A.drf" "$DECKS/w.drf" || exit 99
drf_stop "$B_PID" 10

# ============================================================ too few descriptors

# One process (--workers 0) asked for 16 threads under "ulimit -n 16". A
# thread waiting in accept() holds a descriptor, and one serving may open a
# file besides its connection: the server runs only the threads that fit
# (about 6 here) and says so, rather than leave no descriptor for the decks.
is "$(awk '/^Max open files/ { print $4 }' "/proc/$F_PID/limits")" 16 "ulimit -n 16: the server runs with 16 descriptors"
matches "$FLOG" "only 16 descriptors \(ulimit -n\), [0-9]+ in use: running [0-9]+ threads, not 16" \
    "ulimit -n 16: the server logs that it runs fewer threads than asked"
fetch -H 'Host: fd.invalid' "$U/slides/v/1"
is "$code" 200 "ulimit -n 16: a page answers"
# More connections than descriptors: 64 at once through nginx, 640 requests,
# to both decks; the excess waits in the listen backlog.
curl -s --parallel --parallel-immediate --parallel-max 64 --max-time 20 -H 'Host: fd.invalid' \
    -w '%{http_code}\n' -o /dev/null "$U/slides/v/[0-9]?n=[1-32]" \
    -o /dev/null "$U/slides/w/[0-9]?n=[1-32]" >"$TMPD/fdcodes" 2>/dev/null
is "$(grep -c '^200$' "$TMPD/fdcodes")" 640 "ulimit -n 16: 64 connections at once, 640 requests: all 200"
lacks "$FLOG" "Too many open files" "ulimit -n 16: no descriptor ran out"

# Then the limit drops under the process (prlimit) to the descriptors it has
# open: every accept() fails with EMFILE. Requests through nginx wait and fail
# (504 after fastcgi_read_timeout 3s); the server must log why, must not spin,
# and must serve again once the limit is back.
if command -v prlimit >/dev/null 2>&1; then
	# The lowest descriptor not open (those held by threads waiting in
	# accept() are taken already, though /proc does not list them).
	lim=$(ls "/proc/$F_PID/fd" | awk '{ open[$1] = 1 }
	    END { for (n = 0; n in open; n++); print n }')
	prlimit --pid "$F_PID" --nofile="$lim:16"
	ok $? "prlimit: the descriptor limit drops to $lim, the descriptors open"
	curl -s --parallel --parallel-immediate --parallel-max 64 --max-time 10 \
	    -H 'Host: fd.invalid' -o /dev/null -w '%{http_code}\n' \
	    "$U/slides/v/[0-9]?m=[1-6]" >"$TMPD/fdcodes" 2>/dev/null
	echo "# 60 requests with no descriptor free:$(sort "$TMPD/fdcodes" | uniq -c | tr '\n' ' ' | tr -s ' ')"
	t0=$(cpu_ticks "$F_PID")
	sleep 2
	t1=$(cpu_ticks "$F_PID")
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	echo "# CPU with no descriptor free: $((t1 - t0)) ticks in 2 s (CLK_TCK $hz)"
	[ $((t1 - t0)) -lt $((hz / 2)) ]
	ok $? "out of descriptors: the server does not spin (< 25% of a CPU)"
	nl_alive "$F_PID"
	ok $? "out of descriptors: the server is alive"
	matches "$FLOG" 'accept: Too many open files; retrying' \
	    "out of descriptors: the log says why it cannot accept"
	lines=$(grep -c 'Too many open files' "$FLOG")
	[ "$lines" -le 20 ]
	ok $? "out of descriptors: the cause is logged at most once a second ($lines lines)"
	prlimit --pid "$F_PID" --nofile=16:16
	fd_ok() {
		fetch -H 'Host: fd.invalid' "$U/slides/v/2"
		[ "$code" = 200 ]
	}
	nl_wait_until 10 fd_ok
	is "$code" 200 "limit back to 16: the server answers 200 again"
	curl -s --parallel --parallel-max 64 --max-time 10 -H 'Host: fd.invalid' -w '%{http_code}\n' \
	    -o /dev/null "$U/slides/v/[0-9]" -o /dev/null "$U/slides/w/?page=[1-9]" \
	    >"$TMPD/fdcodes2" 2>/dev/null
	is "$(grep -c '^200$' "$TMPD/fdcodes2")" 19 "limit back to 16: 19 requests at once all answer 200"
else
	skip "a worker out of file descriptors" "prlimit is not installed"
fi
nl_alive "$F_PID"
ok $? "ulimit -n 16: the server never crashed"
drf_stop "$F_PID" 10
ok $? "ulimit -n 16: SIGTERM stops the server"

done_testing

