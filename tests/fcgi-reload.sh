#!/bin/sh
# fcgi-reload.sh: "drfslides fcgi" behind nginx while the deck changes: an edit
# in place within the same second, a broken version (the last good one is
# served and the error logged with file:line), a deleted and a restored deck.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"

fcgi_servers

# ============================================================ reload

now=$(date +%s)
touch -d "@$now.100000000" "$DECK"
fetch "$U/slides/smtp/0"
contains "$TMPD/b" '(SMTP)' "the deck is served before the edit"
before=$(stat -c '%s %i %Y' "$DECK")
etag=$(header ETag)
off=$(grep -bo '(SMTP)' "$DECK" | head -1 | cut -d: -f1)
printf X | dd of="$DECK" bs=1 seek=$((off + 1)) conv=notrunc 2>/dev/null
touch -d "@$now.200000000" "$DECK"
is "$(stat -c '%s %i %Y' "$DECK")" "$before" "the edit keeps size, inode and second (only ns differ)"
fetch "$U/slides/smtp/0"
contains "$TMPD/b" '(XMTP)' "an edit in place (same size, same second) is seen by the next request"
[ "$(header ETag)" != "$etag" ]
ok $? "the edited page has a new ETag"
cp "$DECK" "$TMPD/smtp.edited"

printf 'broken\000line\n' >>"$DECK"
fetch "$U/slides/smtp/0"
is "$code" 200 "a broken deck is still served"
contains "$TMPD/b" '(XMTP)' "a broken deck is served in its last good version"
matches "$LOG" 'smtp\.drf:[0-9]+:' "the log names the error with file:line"
contains "$LOG" 'serving the last good version' "the log says the last good version is served"

rm -f "$DECK"
route /smtp/0 404 "a deleted deck's pages are 404"
route /smtp/ 404 "a deleted deck's entry page is 404"
route / 200 "the index answers without the deleted deck"
lacks "$TMPD/b" 'href="smtp/"' "the index no longer lists the deleted deck"
cp "$TMPD/smtp.orig" "$DECK"
route /smtp/0 200 "a restored deck is served again"
contains "$TMPD/b" '(SMTP)' "the restored deck is its new content"


done_testing
