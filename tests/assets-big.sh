#!/bin/bash
# assets-big.sh: a deck's 200 MiB file streamed by "serve --plain" and by
# "fcgi" behind nginx: the whole file, a range at its end, and the servers'
# memory stays flat.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/assets-lib.sh"

# ---------------------------------------------------------------------------
# A 200 MiB file, streamed: the server's memory stays flat.
truncate -s 200M "$pics/big.bin" && printf 'THE-END' >>"$pics/big.bin" || exit 99
bigsize=$(wc -c <"$pics/big.bin" | tr -d ' ')
# hwm PID: the peak resident memory of a process, in KiB.
hwm() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}
worker=$(drf_workers "$FCGI_PID" | head -1)
for f in plain fcgi; do
	[ $f = plain ] && p=$plain_pid || p=$worker
	before=$(hwm "$p")
	case $f in
	plain) u=$plain/pics/big.bin ;;
	fcgi) u=$ngx/pics/big.bin ;;
	esac
	got=$(curl -s --max-time 120 -o /dev/null -w '%{http_code} %{size_download}' "$u")
	after=$(hwm "$p")
	is "$got" "200 $bigsize" "$f: the 200 MiB file is sent whole"
	if [ -n "$before" ] && [ -n "$after" ]; then
		[ $((after - before)) -lt 40960 ]
		ok $? "$f: the server's peak memory grew by $(((after - before) / 1024)) MiB (< 40 MiB)"
	else
		skip "$f: the server's peak memory stays flat" "no /proc/PID/status to read the memory from"
	fi
	get tail_$f $f /pics/big.bin -H 'Range: bytes=-7'
	is "$code $(cat "$out/tail_$f.b")" "206 THE-END" "$f: a range at the end of the large file"
done
rm -f "$pics/big.bin"

assets_no_leak

done_testing
