#!/bin/sh
# fcgi-supervisor.sh: the supervisor of "drfslides fcgi": two workers by default,
# a worker killed under load is replaced while the service keeps answering,
# SIGTERM stops it all, and workers that cannot start are retried with
# growing waits instead of in a loop.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"

fcgi_servers --threads 8 --stat-interval 0
B_PID=$A_PID
is "$(drf_workers "$B_PID" | wc -l | tr -d ' ')" 2 "the supervisor runs two workers by default"
is "$(stat -c %a "$SOCK")" 660 "the socket has mode 0660"

# load N: N loops of requests through nginx until $TMPD/stop exists; one status a line.
load() {
	rm -f "$TMPD/stop"
	i=0
	while [ "$i" -lt "$1" ]; do
		(
			n=0
			while [ ! -e "$TMPD/stop" ]; do
				curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' \
				    "$U/slides/smtp/$((n % 13))"
				n=$((n + 1))
			done
		) >"$TMPD/load.$i" 2>/dev/null &
		load_pids="$load_pids $!"
		nl_track $!
		i=$((i + 1))
	done
}
load_stop() {
	touch "$TMPD/stop"
	for p in $load_pids; do
		nl_wait_until 15 nl_gone "$p"
		nl_stop "$p"
	done
	load_pids=
}
grown() {
	[ "$(cat "$TMPD"/load.* | wc -l)" -ge "$1" ]
}

load 4
nl_wait_until 10 grown 40
victim=$(drf_workers "$B_PID" | head -1)
kill -KILL "$victim"
respawned() {
	grep -q "worker $victim killed by signal 9; starting another" "$LOG" &&
	    [ "$(drf_workers "$B_PID" | grep -cv "^$victim\$")" -eq 2 ]
}
nl_wait_until 10 respawned
r=$?
ok $r "the supervisor logs the killed worker and starts another"
[ $r -eq 0 ] || sed 's/^/#   /' "$LOG" | tail -5
mark=$(cat "$TMPD"/load.* | wc -l)
nl_wait_until 10 grown $((mark + 100))
load_stop
total=$(cat "$TMPD"/load.* | wc -l)
errors=$(cat "$TMPD"/load.* | grep -cv '^200$')
echo "# $total requests under load, $errors not 200 (requests the killed worker held)"
after=$(for f in "$TMPD"/load.*; do tail -20 "$f"; done | grep -cv '^200$')
[ "$total" -ge $((mark + 100)) ] && [ "$after" -eq 0 ]
ok $? "the service keeps answering 200 after a worker is killed under load"
fetch "$U/slides/smtp/4"
is "$code" 200 "a page answers after the re-spawn"

# ============================================================ SIGTERM

workers=$(drf_workers "$B_PID")
drf_stop "$B_PID" 5
ok $? "SIGTERM stops the supervisor within 5 s"
left=
for w in $workers; do nl_alive "$w" && left="$left $w"; done
is "$left" "" "SIGTERM stops every worker"
[ ! -e "$SOCK" ]
ok $? "SIGTERM removes the socket"
contains "$LOG" "drfslides[$B_PID]: stopped" "the supervisor logs that it stopped"

# ============================================================ workers that cannot start

# A configuration no worker can start with stops the supervisor at once.
BLOG=$TMPD/bad.log
"$DRFSLIDES" fcgi --listen "$TMPD/bad.sock" --workers 2 \
    --templates "$TMPD/no-templates" 2>"$BLOG" </dev/null &
bpid=$!
nl_track "$bpid"
nl_wait_until 10 nl_gone "$bpid"
ok $? "missing templates: the supervisor exits at once"
wait "$bpid"
is "$?" 1 "missing templates: with status 1"
contains "$BLOG" "$TMPD/no-templates" "missing templates: the log names the directory"
is "$(grep -c 'starting another' "$BLOG")" 0 "missing templates: no worker is started over and over"

# Workers that die as they start (the templates went away after the
# supervisor started) are started again 1, 2, 4 ... s apart, not in a loop;
# but the only slot is tried every second, so that the socket is never
# without a worker for longer. They serve again once the templates are back.
cp -R "$top_srcdir/templates" "$TMPD/tpl2"
drf_start "$TMPD/bo.sock" "$TMPD/bo.log" --workers 1 --templates "$TMPD/tpl2" ||
	bail "drfslides fcgi --templates $TMPD/tpl2 did not start"
BO_PID=$DRF_PID
mv "$TMPD/tpl2" "$TMPD/tpl2.gone"
kill -KILL "$(drf_workers "$BO_PID")"
waited() {
	[ "$(grep -c 'starting another in' "$TMPD/bo.log")" -ge 3 ]
}
nl_wait_until 15 waited
ok $? "the only slot, its workers dying at start, is tried again and again"
grep -o 'starting another in [0-9]* s' "$TMPD/bo.log" | sed 's/^/#   /'
is "$(grep -o 'starting another in [0-9]* s' "$TMPD/bo.log" | tr -dc '0-9\n' | sort -u | tr '\n' ' ')" \
    "1 " "every wait is 1 s: the socket is never without a worker for longer"
mv "$TMPD/tpl2.gone" "$TMPD/tpl2"
serves() {
	[ -n "$(drf_workers "$BO_PID")" ] &&
	    [ "$(fcgi_status /smtp/3 "$TMPD/bo.sock")" = "Status: 200 OK" ]
}
nl_wait_until 15 serves
ok $? "templates back: the next worker starts and serves"
drf_stop "$BO_PID" 5
ok $? "that supervisor stops on SIGTERM"


done_testing
