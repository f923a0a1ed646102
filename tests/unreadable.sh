#!/bin/sh
# unreadable.sh: a decks folder that cannot be read for a while (EACCES) is
# not a deleted one: the decks keep their last good version, the index still
# lists them, and the server log says why, as for one unreadable deck file.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/proc-lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"

# As root, the server runs as an unprivileged user, for whom chmod counts.
RUN=
if [ "$(id -u)" = 0 ]; then
	for u in www-data nobody; do
		id "$u" >/dev/null 2>&1 && RUN=$u && break
	done
	[ -n "$RUN" ] || skip_all "running as root, and no www-data or nobody user"
	command -v setpriv >/dev/null 2>&1 || skip_all "running as root, and no setpriv"
	chmod 711 "$TMPD" || exit 99
fi

# The server reads only what is below $TMPD.
mkdir -p "$TMPD/decks" "$TMPD/bin" &&
	cp "$top_srcdir/decks/smtp.drf" "$TMPD/decks/" &&
	cp "$DRFSLIDES" "$TMPD/bin/drfslides" &&
	cp -R "$DRFSLIDES_TEMPLATES" "$TMPD/templates" &&
	cp -R "$DRFSLIDES_STATIC" "$TMPD/static" &&
	chmod -R a+rX "$TMPD/decks" "$TMPD/bin" "$TMPD/templates" "$TMPD/static" || exit 99

# as_run COMMAND...: becomes COMMAND, run as the server's user (call it in
# the background: the PID of that job is then the server's).
as_run() {
	if [ -n "$RUN" ]; then
		exec setpriv --reuid="$RUN" --regid="$(id -gn "$RUN")" --clear-groups -- "$@"
	fi
	exec "$@"
}

as_run "$TMPD/bin/drfslides" serve --port 0 --plain --stat-interval 50 \
    --decks "$TMPD/decks" --templates "$TMPD/templates" --static "$TMPD/static" \
    >"$TMPD/out" 2>"$TMPD/log" </dev/null &
PID=$!
nl_track "$PID"
nl_wait_until 5 grep -q '^drfslides: serving .* at http://' "$TMPD/out" ||
	{ echo "Bail out! the server did not start"; cat "$TMPD/log"; exit 1; }
URL=$(sed -n 's|^drfslides: serving .* at \(http://[^ ]*\)/$|\1|p' "$TMPD/out" | head -1)

# code PATH: the status of a GET; the body in $TMPD/b.
code() {
	curl -s --max-time 5 -o "$TMPD/b" -w '%{http_code}' "$URL$1"
}

is "$(code /smtp/1)" 200 "a deck is served"
cp "$TMPD/b" "$TMPD/page1"
chmod 000 "$TMPD/decks"
sleep 0.2
is "$(code /smtp/1)" 200 "with its folder unreadable, the deck keeps its last good version"
cmp -s "$TMPD/b" "$TMPD/page1"
ok $? "the same page as before"
is "$(code /smtp/)" 200 "its entry page too"
is "$(code /)" 200 "the index is served"
contains "$TMPD/b" 'href="smtp/"' "and still lists the deck"
contains "$TMPD/log" "Permission denied (serving the last good version)" "the server log says why"
is "$(code /nosuchdeck/1)" 404 "a deck never loaded is still 404"
chmod 755 "$TMPD/decks"
sleep 0.2
is "$(code /smtp/1)" 200 "readable again, the deck is served"
nl_stop "$PID"
done_testing
