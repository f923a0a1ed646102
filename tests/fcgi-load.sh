#!/bin/sh
# fcgi-load.sh: "drfslides fcgi" with two workers behind nginx under 64
# connections (wrk, or parallel curl clients) while the deck is rewritten:
# no error status, no worker dies, memory stays flat.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"

fcgi_servers --threads 8 --stat-interval 0
B_PID=$A_PID
# The versions the rewrite swaps: the seed deck, and one with a byte changed.
off=$(grep -bo '(SMTP)' "$DECK" | head -1 | cut -d: -f1)
cp "$DECK" "$TMPD/smtp.edited"
printf X | dd of="$TMPD/smtp.edited" bs=1 seek=$((off + 1)) conv=notrunc 2>/dev/null
cmp -s "$TMPD/smtp.edited" "$DECK" && bail "the edited version is the same as the deck"

# ============================================================ concurrency

cp "$TMPD/smtp.orig" "$DECK"
cp "$TMPD/smtp.edited" "$TMPD/smtp.b"
# rewrite: every second, a new version moved over the deck, or a byte changed in place.
rewrite() {
	rm -f "$TMPD/stop-rewrite"
	(
		i=0
		while [ ! -e "$TMPD/stop-rewrite" ]; do
			case $((i % 3)) in
			0) cp "$TMPD/smtp.b" "$DECKS/.smtp.tmp" && mv "$DECKS/.smtp.tmp" "$DECK" ;;
			1) cp "$TMPD/smtp.orig" "$DECKS/.smtp.tmp" && mv "$DECKS/.smtp.tmp" "$DECK" ;;
			2) printf Y | dd of="$DECK" bs=1 seek=$((off + 1)) conv=notrunc 2>/dev/null ;;
			esac
			i=$((i + 1))
			echo "$i" >"$TMPD/rewrites"
			sleep 1
		done
	) &
	rw_pid=$!
	nl_track "$rw_pid"
}
kills_before=$(grep -c 'killed by signal\|exited with' "$LOG")
workers_before=$(drf_workers "$B_PID" | sort | tr '\n' ' ')

if command -v wrk >/dev/null 2>&1; then
	nl_wrk_script "$TMPD/paths.lua"
	wrk -t 2 -c 16 -d 1s -s "$TMPD/paths.lua" "$U" >"$TMPD/warm.out" 2>&1
	rss0=$(drf_rss_kib "$B_PID")
	rewrite
	wrk -t 4 -c 64 -d 10s --timeout 5s -s "$TMPD/paths.lua" "$U" >"$TMPD/wrk.out" 2>&1
	wrk_rc=$?
	touch "$TMPD/stop-rewrite"
	rss1=$(drf_rss_kib "$B_PID")
	sed 's/^/#   /' "$TMPD/wrk.out"
	is "$wrk_rc" 0 "wrk: 64 connections for 10 s through nginx"
	grep -q 'requests in' "$TMPD/wrk.out"
	ok $? "wrk completed requests"
	lacks "$TMPD/wrk.out" 'Non-2xx' "under load while the deck is rewritten: no error status"
	lacks "$TMPD/wrk.out" 'Socket errors' "under load while the deck is rewritten: no socket error"
else
	echo "# wrk is not installed: 16 parallel curl clients instead"
	n=0
	while [ "$n" -lt 4000 ]; do
		echo "$U/slides/smtp/$((n % 13))"
		n=$((n + 1))
	done >"$TMPD/urls"
	xargs -P 16 -n 50 curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' \
	    <"$TMPD/urls" >/dev/null 2>&1
	rss0=$(drf_rss_kib "$B_PID")
	rewrite
	xargs -P 16 -n 50 curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' \
	    <"$TMPD/urls" >"$TMPD/codes" 2>&1
	touch "$TMPD/stop-rewrite"
	rss1=$(drf_rss_kib "$B_PID")
	is "$(wc -l <"$TMPD/codes" | tr -d ' ')" 4000 "parallel clients: every request got an answer"
	is "$(grep -cv '^200$' "$TMPD/codes")" 0 "under load while the deck is rewritten: no error status"
fi
nl_wait_until 5 nl_gone "$rw_pid"
nl_stop "$rw_pid"
echo "# $(cat "$TMPD/rewrites" 2>/dev/null) rewrites of the deck"
[ "$(cat "$TMPD/rewrites" 2>/dev/null)" -ge 5 ]
ok $? "the deck was rewritten during the load"
is "$(grep -c 'killed by signal\|exited with' "$LOG")" "$kills_before" "no worker died under load"
is "$(drf_workers "$B_PID" | sort | tr '\n' ' ')" "$workers_before" "the same workers serve after the load"
echo "# workers' RSS: ${rss0} KiB before the load, ${rss1} KiB after"
if nm "$DRFSLIDES" 2>/dev/null | grep -q __asan_init; then
	# AddressSanitizer keeps freed memory in quarantine: RSS says nothing here.
	echo "ok $((tap_n += 1)) - the workers' memory stays flat under load # SKIP AddressSanitizer build"
else
	[ "$rss0" -gt 0 ] && [ "$rss1" -le $((rss0 * 2 + 20480)) ]
	ok $? "the workers' memory stays flat under load (after <= 2 x before + 20 MiB)"
fi

done_testing
