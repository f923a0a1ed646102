#!/bin/sh
# harden-fcgi.sh: "drfslides fcgi" under the attacks of the second hardening
# round: the PARAMS record that makes libfcgi abort, sent again and again
# while honest requests keep coming, and workers killed one after another.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/proc-lib.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi (libfcgi-bin) is not installed"
command -v perl >/dev/null 2>&1 || skip_all "perl is not installed"

DECKS=$TMPD/decks
SOCK=$TMPD/s.sock
LOG=$TMPD/drf.log
mkdir -p "$DECKS" && cp "$top_srcdir/decks/smtp.drf" "$DECKS/" || exit 99
export DRFSLIDES_DECKS="$DECKS"

# start OPTION...: drfslides fcgi on $SOCK; sets PID.
# Every request must be answered within 5 s.
FCGI_TIMEOUT=5

start() {
	rm -f "$SOCK"
	: >"$LOG"
	"$DRFSLIDES" fcgi --listen "$SOCK" "$@" 2>>"$LOG" </dev/null &
	PID=$!
	nl_track "$PID"
	nl_wait_until 10 test -S "$SOCK" && nl_wait_until 10 grep -q serving "$LOG"
}

# poison: sends BEGIN_REQUEST and a PARAMS record whose name and value
# lengths are both 0x7ffffff0, then waits (at most 3 s) for the close.
poison() {
	perl -MIO::Socket::UNIX -e '
		my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 1;
		my $c = "\xff\xff\xff\xf0\xff\xff\xff\xf0" . ("x" x 8);
		print $s pack("CCnnCC", 1, 1, 1, 8, 0, 0), pack("nCx5", 1, 0);
		print $s pack("CCnnCC", 1, 4, 1, length $c, 0, 0), $c;
		$s->flush;
		local $SIG{ALRM} = sub { exit 0 };
		alarm 3;
		my $b;
		1 while sysread($s, $b, 4096);
	' "$SOCK"
}

# workers: the supervisor's worker processes, sorted, on one line.
workers() {
	pgrep -P "$PID" | sort | tr '\n' ' '
}

# 1. The record that aborts libfcgi, 13 times, between honest requests.
start --workers 2 --threads 2
ok $? "drfslides fcgi starts with two workers"
before=$(workers)
answered=0
i=0
while [ $i -lt 13 ]; do
	poison
	[ "$(fcgi_status /smtp/1)" = "Status: 200 OK" ] && answered=$((answered + 1))
	i=$((i + 1))
done
is "$answered" 13 "every request between 13 poisoned records is answered"
is "$(workers)" "$before" "no worker died of the poisoned records"
contains "$LOG" "refused a FastCGI connection: parameter lengths out of bounds" \
    "the refusal is logged"
lacks "$LOG" "killed by signal" "no worker was killed"
nl_stop "$PID"

# 2. Workers that served, killed one after another, are replaced at once.
start --workers 1 --threads 2
ok $? "drfslides fcgi starts with one worker"
answered=0
i=0
while [ $i -lt 6 ]; do
	[ "$(fcgi_status /smtp/2)" = "Status: 200 OK" ] || break
	w=$(workers)
	kill -KILL $w 2>/dev/null
	# A new worker within 2 s (the back-off of a failing one is 1 s at first, then 2, 4, 8 ...).
	nl_wait_until 2 sh -c '[ -n "$(pgrep -P '"$PID"')" ] && [ "$(pgrep -P '"$PID"')" != "'"$w"'" ]' ||
	    break
	answered=$((answered + 1))
	i=$((i + 1))
done
is "$answered" 6 "a worker that served is replaced at once, six times in a row"
is "$(fcgi_status /smtp/2)" "Status: 200 OK" "and the last one answers"
is "$(grep -c 'starting another in 0 s' "$LOG")" 6 "each death is logged with no back-off"
nl_stop "$PID"

# 3. Workers that cannot start (the templates went away) keep their back-off,
# but with none running the next is tried within a second.
cp -R "$DRFSLIDES_TEMPLATES" "$TMPD/tpl" || exit 99
start --workers 1 --threads 2 --templates "$TMPD/tpl"
ok $? "drfslides fcgi starts with its own templates"
is "$(fcgi_status /smtp/3)" "Status: 200 OK" "a page is served"
mv "$TMPD/tpl/page.html" "$TMPD/page.away"
kill -KILL $(workers) 2>/dev/null
sleep 8
mv "$TMPD/page.away" "$TMPD/tpl/page.html"
is "$(FCGI_TIMEOUT=3 fcgi_status /smtp/3)" "Status: 200 OK" "8 s of workers failing to start, then a page within 3 s"
test "$(grep -c 'exited with 1; starting another in 1 s' "$LOG")" -ge 5
ok $? "the failing workers were tried every second (none running meanwhile)"
lacks "$LOG" "starting another in 2 s" "no longer wait while the socket has no worker"
nl_stop "$PID"

done_testing
