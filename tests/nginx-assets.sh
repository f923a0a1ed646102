#!/bin/sh
# nginx-assets.sh: with the shipped nginx server block, nginx sends a deck's
# recordings and archives (zip, mp4, webm, mp3, ogg) itself, as it does its
# pictures: a slow reader of a file of gigabytes holds no drfslides thread,
# and a symbolic link is still not followed.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"

DECKS=$TMPD/decks
SOCK=$TMPD/s.sock
LOG=$TMPD/drf.log
mkdir -p "$DECKS/media/sub" "$TMPD/outside" || exit 99
printf '#title Media\n----\n<a href="big.zip">z</a> <video src="sub/clip.mp4"></video>\n<a href="leak.zip">l</a>\n' >"$DECKS/media.drf"
# 3 GiB, sparse, with a known end: larger than anything nginx would buffer.
truncate -s 3G "$DECKS/media/big.zip" && printf 'THE-END' >>"$DECKS/media/big.zip" || exit 99
printf 'not really a video\n' >"$DECKS/media/sub/clip.mp4"
printf 'canary-5d21 outside\n' >"$TMPD/outside/leak.zip"
ln -s ../../outside/leak.zip "$DECKS/media/leak.zip"

drf_start "$SOCK" "$LOG" --workers 1 --threads 2 --decks "$DECKS" ||
	{ echo "Bail out! drfslides fcgi did not start"; exit 1; }
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
sed -i "s|root /srv/drfslides/decks;|root $DECKS;|" "$TMPD/site.conf"
nginx_start "" "$TMPD/site.conf" || { echo "Bail out! nginx did not start"; exit 1; }
U=$NGINX_URL/slides

fetch "$U/media/sub/clip.mp4"
is "$code" 200 "an mp4 of a deck is served"
is "$(header_of "$TMPD/h" Content-Type)" "video/mp4" "as video/mp4"
is "$(header_of "$TMPD/h" X-Content-Type-Options)" "nosniff" "with nosniff"
header_of "$TMPD/h" ETag | grep -q -- '^"[0-9a-f]*-[0-9a-f]*"$'
ok $? "by nginx (its ETag says so)"
fetch "$U/media/big.zip" -r 3221225472-
is "$code" 206 "the end of a 3 GiB zip is served as a range"
is "$(cat "$TMPD/b")" "THE-END" "with the right bytes"
is "$(header_of "$TMPD/h" Content-Type)" "application/zip" "as application/zip"
fetch "$U/media/leak.zip"
is "$code" 404 "a zip that is a symbolic link out of the deck's folder is 404"
lacks "$TMPD/b" "canary-5d21" "and its target is not sent"

# Without drfslides, nginx still sends the deck's files: they never go through FastCGI.
drf_stop "$DRF_PID"
fetch "$U/media/big.zip" -r 0-6
is "$code" 206 "with drfslides stopped, the 3 GiB zip is still served"
fetch "$U/media/sub/clip.mp4"
is "$code" 200 "and so is the mp4"
fetch "$U/media/1"
is "$code" 502 "while a page, which only drfslides makes, is not"
done_testing
