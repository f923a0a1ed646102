#!/bin/bash
# serve-robust.sh: "drfslides serve" under clients that do not behave: idle
# and slowloris connections closed by the idle timeout without holding up a
# real request, an oversized header, more connections than
# --max-connections, the per-IP limit, and a clean stop on SIGTERM and SIGINT
# even with a client connected.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/serve-lib.sh"

# served_again NAME URL SECONDS: asks for URL until it answers 200 (SECONDS
# at most); the last status in $code.
served_again() {
	local deadline=$(($(now_ms) + $3 * 1000))
	while :; do
		get "$1" "$2" --max-time 2
		[ "$code" = 200 ] && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# stop_by SIGNAL PID: sends SIGNAL and waits 5 s for PID to end; its exit
# status in $rc (124 if it did not end).
stop_by() {
	kill -"$1" "$2"
	if nl_wait_until 5 nl_gone "$2"; then
		wait "$2"
		rc=$?
		nl_untrack "$2"
	else
		rc=124
	fi
}

# ---------------------------------------------------------------------------
# Robust serving: idle and slow clients, memory, the connection limits.
idle=()
for n in $(seq 19); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$dport" && idle+=("$fd")
done
is "${#idle[@]}" 19 "idle: 19 idle connections are open (--max-connections 20)"
sleep 0.2
t0=$(now_ms)
get idle_req "$dev/smtp/1" --max-time 2
t1=$(now_ms)
is "$code" 200 "idle: a request with 19 idle connections open is answered 200"
check "idle: it is answered within the idle timeout ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 2000
for fd in "${idle[@]}"; do
	exec {fd}>&-
done

# A slowloris client (half a request line) and a silent one are both closed
# by the idle timeout (2 s) and do not hold up a real request meanwhile.
exec {slow}<>"/dev/tcp/127.0.0.1/$dport"
exec {silent}<>"/dev/tcp/127.0.0.1/$dport"
printf 'GET /smtp/1 HTT' >&"$slow"
t0=$(now_ms)
get slow_req "$dev/smtp/2" --max-time 2
is "$code" 200 "slowloris: a real request is answered while a client stalls"
timeout 6 cat <&"$slow" >"$out/slow.out"
rc=$? t1=$(now_ms)
is "$rc" 0 "slowloris: the stalled connection is closed by the server"
check "slowloris: it is closed after the 2 s timeout, not before 1 s nor after 5 s ($((t1 - t0)) ms)" \
    test $((t1 - t0)) -ge 1000 -a $((t1 - t0)) -le 5000
lacks "$out/slow.out" '200 OK' "slowloris: the half request got no page"
timeout 6 cat <&"$silent" >"$out/silent.out"
rc=$? t1=$(now_ms)
is "$rc" 0 "idle: a silent connection is closed by the server"
check "idle: it is closed within 5 s ($((t1 - t0)) ms)" test $((t1 - t0)) -le 5000
exec {slow}>&- {silent}>&-

# Per-connection memory limit: an oversized header is refused, then all is well.
big=$(head -c 100000 /dev/zero | tr '\0' b)
get bighdr "$dev/smtp/1" -H "X-Big: $big"
check "memory: a 100 KB header is refused with a 4xx or a close ($code)" \
    in_set "$code" 000 400 413 414 431
get after_big "$dev/smtp/1"
is "$code" 200 "memory: the server answers normally afterwards"

# More connections than --max-connections: once they go, requests are served.
over=()
for n in $(seq 25); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$dport" 2>/dev/null && over+=("$fd")
done
for fd in "${over[@]}"; do
	exec {fd}>&-
done
served_again over_req "$dev/smtp/1" 4
is "$code" 200 "limits: after more connections than --max-connections close, requests are served"

# Per-IP limit: two held connections are all one address may have.
start perip --per-ip 2 --timeout 10
perip_pid=$pid
held=()
for n in 1 2; do
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" && held+=("$fd")
	printf 'HEAD /static/drfslides.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&"$fd"
	line=
	read -r -t 3 line <&"$fd"
	is "${line%$'\r'}" "HTTP/1.1 200 OK" "per-ip: held connection $n is served and kept"
done
get perip3 "$url/smtp/1" --max-time 3
check "per-ip: a third connection from the address is refused ($code)" test "$code" != 200
for fd in "${held[@]}"; do
	exec {fd}>&-
done
served_again perip4 "$url/smtp/1" 3
is "$code" 200 "per-ip: once they are released a request is served"

# ---------------------------------------------------------------------------
# Clean shutdown: SIGTERM and SIGINT, even with a client connected.
exec {hold}<>"/dev/tcp/127.0.0.1/$port"
stop_by TERM "$perip_pid"
is "$rc" 0 "SIGTERM stops the server within 5 s with status 0 (a client connected)"
exec {hold}>&-
stop_by INT "$plain_pid"
is "$rc" 0 "SIGINT stops the server within 5 s with status 0"
stop_by TERM "$dev_pid"
is "$rc" 0 "SIGTERM stops the dev server within 5 s with status 0"
get gone "$dev/"
is "$code" 000 "the stopped server no longer answers"

serve_canary
done_testing
