#!/bin/sh
# fcgi-stop.sh: stopping "drfslides fcgi" (SIGTERM with kept-alive
# connections, SIGINT), the upstream example failing over to its TCP backend,
# and drfslides under spawn-fcgi on a unix socket and on TCP.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"

fcgi_servers
fcgi_page3

# ============================================================ stop, spawn-fcgi, failover

cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "$SOCK" </dev/null >/dev/null 2>&1
fetch -H 'Host: upstream.invalid' "$U/slides/smtp/1"
drf_stop "$A_PID" 5
ok $? "SIGTERM stops a server that holds kept-alive connections within 5 s"
[ ! -e "$SOCK" ]
ok $? "the stopped server removes its --listen socket"
fetch -H 'Host: upstream.invalid' "$U/slides/smtp/3"
is "$code" 200 "upstream.conf: with the unix backend down, the TCP backend answers"
same "$TMPD/b" "$TMPD/page3" "upstream.conf: the TCP backend's page is the same"

spawn-fcgi -s "$SOCK" -M 0660 -n -- "$DRFSLIDES" fcgi --workers 1 --stat-interval 0 \
    </dev/null >/dev/null 2>>"$TMPD/spawn.log" &
sp_pid=$!
nl_track "$sp_pid"
nl_serving "$sp_pid" "$TMPD/spawn.log"
ok $? "spawn-fcgi -s SOCKET -n starts drfslides fcgi on fd 0"
fetch "$U/slides/smtp/3"
is "$code" 200 "nginx reaches drfslides under spawn-fcgi"
same "$TMPD/b" "$TMPD/page3" "drfslides under spawn-fcgi serves the same page"
drf_stop "$sp_pid" 5
ok $? "drfslides under spawn-fcgi stops on SIGTERM"
rm -f "$SOCK"

r=1
try=0
while [ "$try" -lt 10 ] && [ "$r" -ne 0 ]; do
	try=$((try + 1))
	sp_port=$(nl_random_port)
	spawn-fcgi -a 127.0.0.1 -p "$sp_port" -n -- "$DRFSLIDES" fcgi --workers 0 --threads 2 \
	    </dev/null >/dev/null 2>>"$TMPD/spawn-tcp.log" &
	sp_pid=$!
	nl_track "$sp_pid"
	nl_serving "$sp_pid" "$TMPD/spawn-tcp.log" && r=0
done
ok $r "spawn-fcgi -a 127.0.0.1 -p PORT starts drfslides fcgi (no supervisor)"
cgi_env GET /smtp/3 $tmo cgi-fcgi -bind -connect "127.0.0.1:$sp_port" </dev/null \
    >"$TMPD/cf" 2>>"$TMPD/cf.err"
split_cgi "$TMPD/cf"
same "$TMPD/b" "$TMPD/page3" "drfslides under spawn-fcgi on TCP serves the same page"
drf_stop "$sp_pid" 5
ok $? "a --workers 0 server stops on SIGTERM"

kill -INT "$T_PID"
nl_wait_until 5 nl_gone "$T_PID"
ok $? "SIGINT stops the server"
nl_stop "$T_PID"

done_testing
