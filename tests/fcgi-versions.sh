#!/bin/sh
# fcgi-versions.sh: two "drfslides fcgi" workers behind nginx agree on a
# deck's version. Each round saves a good edit, which one request shows (so
# one worker loads it while the other still holds the version before), then
# saves a broken version and sends a burst of concurrent requests: every
# answer must be the edit, the last good version, whichever worker answers.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"

command -v xargs >/dev/null 2>&1 || skip_all "xargs is not installed"
mkdir -p "$TMPD/tmp" || exit 99
# The supervisor makes its private state directory here.
TMPDIR=$TMPD/tmp fcgi_servers --workers 2 --threads 4 --stat-interval 0
off=$(grep -bo '(SMTP)' "$DECK" | head -1 | cut -d: -f1)

# burst N: N requests of page 0 by 8 clients at once; bodies in $TMPD/burst/,
# statuses in $TMPD/codes.
burst() {
	rm -rf "$TMPD/burst" && mkdir "$TMPD/burst" && : >"$TMPD/codes"
	seq "$1" | xargs -P 8 -I{} curl -s -o "$TMPD/burst/{}" \
	    -w '%{http_code}\n' "$U/slides/smtp/0" >>"$TMPD/codes"
}

# save_version K: the seed deck with (SMTP) made (KMTP), moved over the deck.
save_version() {
	cp "$TMPD/smtp.orig" "$DECKS/.smtp.tmp" &&
	printf '%s' "$1" | dd of="$DECKS/.smtp.tmp" bs=1 seek=$((off + 1)) \
	    conv=notrunc 2>/dev/null &&
	mv "$DECKS/.smtp.tmp" "$DECK"
}

burst 64
is "$(grep -vc '^200$' "$TMPD/codes")" 0 "both workers serve the seed deck"

mixed=0 failed=0 both=0
for k in 1 2 3 4 5; do
	save_version "$k"
	fetch "$U/slides/smtp/0"
	contains "$TMPD/b" "(${k}MTP)" "round $k: one request sees the edit"
	start=$(wc -l <"$LOG")
	printf 'broken\000line %s\n' "$k" >>"$DECK"
	burst 100
	n=$(grep -L "(${k}MTP)" "$TMPD"/burst/* | wc -l)
	echo "# round $k: $n of 100 answers are not the last good version"
	grep -L "(${k}MTP)" "$TMPD"/burst/* | head -3 | xargs -r grep -h '<title>' | sed 's/^/#   /' 
	mixed=$((mixed + n))
	failed=$((failed + $(grep -vc '^200$' "$TMPD/codes")))
	# Each worker that answered logged the broken file once, with its pid.
	pids=$(tail -n +$((start + 1)) "$LOG" | grep 'serving the last good version' |
	    sed -n 's/^drfslides\[\([0-9]*\)\].*/\1/p' | sort -u | wc -l)
	[ "$pids" -ge 2 ] && both=$((both + 1))
done
is "$failed" 0 "no failed answer while the deck is broken"
is "$mixed" 0 "no answer mixes versions: every worker serves the last good one"
ok "$([ "$both" -ge 1 ]; echo $?)" "both workers answered while the deck was broken ($both of 5 rounds)"
matches "$LOG" 'smtp\.drf:[0-9]+: error' "the broken file is logged with file:line"

save_version 9
fetch "$U/slides/smtp/0"
contains "$TMPD/b" '(9MTP)' "a repaired deck is served"
drf_stop "$A_PID"
ok $? "drfslides stops"
drf_stop "$T_PID"
ok $? "the TCP backend (with its own state directory) stops"
is "$(find "$TMPD/tmp" -name 'drfslides-state-*' | wc -l)" 0 "the private state directory is removed at the end"

done_testing
