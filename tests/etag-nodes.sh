#!/bin/sh
# etag-nodes.sh: two copies of the same decks, made at different times (other
# inodes, other times), served by two "drfslides serve" processes as two
# nodes behind a balancer would be: every asset has the same ETag on both,
# and a revalidation with one node's ETag answers 304 on the other. Then
# through nginx: with the shipped multi-node configuration (deck files
# through drfslides and nginx's cache) pictures, PDFs and recordings get the
# same ETag from either node and a revalidation answers 304; nginx's own
# ETags (the single-node block's asset locations) are the same only for
# copies that keep the files' times, as deploy/README.md says.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/proc-lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"
export LC_ALL=C

# The two copies: the second made later, its files given another time.
mkdir -p "$TMPD/one" "$TMPD/two" "$TMPD/r" || exit 99
cp -R "$top_srcdir/decks/." "$TMPD/one/" || exit 99
printf 'a download\n' >"$TMPD/one/smtp/notes.txt" || exit 99
printf '%%PDF-1.4 not really\n' >"$TMPD/one/smtp/handout.pdf" || exit 99
printf 'not really a video\n' >"$TMPD/one/smtp/clip.mp4" || exit 99
# A third copy as release tools make it (cp -p, rsync -a, tar): times kept.
cp -Rp "$TMPD/one" "$TMPD/kept" || exit 99
sleep 1
cp -R "$TMPD/one/." "$TMPD/two/" || exit 99
find "$TMPD/two" -type f -exec touch -d '2001-04-01 12:00:00' {} + || exit 99

# node NAME DIR: starts "serve --plain" on DIR; sets url_NAME.
node() {
	"$DRFSLIDES" serve --plain --port 0 --decks "$2" >"$TMPD/$1.out" \
	    2>"$TMPD/$1.err" </dev/null &
	nl_track $!
	nl_wait_until 5 grep -q '^drfslides: serving .* at http://127\.0\.0\.1:[0-9]*/$' \
	    "$TMPD/$1.out"
	u=$(sed -n 's|^drfslides: serving .* at \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' \
	    "$TMPD/$1.out" | head -1)
	eval "url_$1=\$u"
	[ -n "$u" ]
}
check "node one started" node one "$TMPD/one"
check "node two started" node two "$TMPD/two"
[ -n "$url_one" ] && [ -n "$url_two" ] || { echo "Bail out! a node did not start"; exit 1; }

# status_of NAME URL [CURL ARGS]: the answer's head in r/NAME.h; prints the status.
HTTP_OUT=$TMPD/r
status_of() {
	http_get "$@"
	echo "$code"
}

one=$(stat -c '%i %Y' "$TMPD/one/smtp/scene-01.svg")
two=$(stat -c '%i %Y' "$TMPD/two/smtp/scene-01.svg")
check "the copies differ in inode and time ($one / $two)" test "$one" != "$two" -a \
    "${one#* }" != "${two#* }"

for a in smtp/scene-01.svg smtp/scene-06.svg smtp/notes.txt; do
	is "$(status_of a1 "$url_one/$a")" 200 "$a: 200 from node one"
	is "$(status_of a2 "$url_two/$a")" 200 "$a: 200 from node two"
	e1=$(header_of "$TMPD/r/a1.h" ETag)
	e2=$(header_of "$TMPD/r/a2.h" ETag)
	check "$a: node one sends an ETag" test -n "$e1"
	is "$e2" "$e1" "$a: the same ETag on both nodes"
	is "$(status_of c2 "$url_two/$a" -H "If-None-Match: $e1")" 304 \
	    "$a: node one's ETag revalidated on node two: 304"
	is "$(status_of c1 "$url_one/$a" -H "If-None-Match: $e2")" 304 \
	    "$a: node two's ETag revalidated on node one: 304"
	check "$a: the 304 has no body" test ! -s "$TMPD/r/c1.b"
done

# Through nginx, as a balancer would: the multi-node configuration over one
# node of each copy (two sites, so that the test picks the node), and the
# single-node block's own asset locations over the copies.
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
	. "$top_srcdir/tests/nginx-lib.sh"
	drf_start_tcp "$TMPD/fone.log" --workers 1 --threads 2 --decks "$TMPD/one" &&
		fone=$DRF_PORT
	drf_start_tcp "$TMPD/ftwo.log" --workers 1 --threads 2 --decks "$TMPD/two" &&
		ftwo=$DRF_PORT
	for n in one two; do
		eval "port=\$f$n"
		nl_site "$top_srcdir/deploy/nginx/multinode.conf" "$TMPD/multi-$n.conf" none "$n.invalid"
		sed -i -e "s|drfslides_nodes|drfslides_nodes_$n|g" -e "s|drf_node_deck|drf_node_deck_$n|g" \
		    -e "s|drf_first|drf_first_$n|g" \
		    -e "s|server 10\.0\.0\.11:9000|server 127.0.0.1:$port|" -e '/server 10\.0\.0\.1[23]:9000/d' \
		    -e "s|/etc/nginx/snippets/drfslides-cache.conf|$top_srcdir/deploy/nginx/drfslides-cache.conf|" \
		    "$TMPD/multi-$n.conf"
	done
	for n in one two kept; do
		nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/direct-$n.conf" "$TMPD/none.sock" \
		    "direct-$n.invalid"
		sed -i "s|root /srv/drfslides/decks;|root $TMPD/$n;|" "$TMPD/direct-$n.conf"
	done
	mkdir -p "$TMPD/ncache"
	nginx_start "    fastcgi_cache_path $TMPD/ncache levels=1:2 keys_zone=drfslides:1m max_size=16m inactive=1h use_temp_path=off;" \
	    "$TMPD/multi-one.conf" "$TMPD/multi-two.conf" "$TMPD/direct-one.conf" \
	    "$TMPD/direct-two.conf" "$TMPD/direct-kept.conf" || bail "nginx did not start"
	# via SITE NAME PATH [CURL ARGS]: a request to the site SITE.invalid.
	via() {
		vs=$1 vn=$2 vp=$3
		shift 3
		http_get "$vn" "$NGINX_URL/slides/$vp" -H "Host: $vs.invalid" "$@"
	}
	for a in smtp/scene-01.svg smtp/handout.pdf smtp/clip.mp4; do
		via one m1 "$a"
		via two m2 "$a"
		e1=$(header_of "$TMPD/r/m1.h" ETag)
		e2=$(header_of "$TMPD/r/m2.h" ETag)
		echo "$e1" | grep -q '^"[0-9a-f]\{16\}"$'
		ok $? "multinode.conf: $a has drfslides' content ETag ($e1)"
		is "$e2" "$e1" "multinode.conf: $a has the same ETag from the other node"
		via two c2 "$a" -H "If-None-Match: $e1"
		is "$code" 304 "multinode.conf: $a revalidated on the other node: 304"
		via one c1 "$a" -H "If-None-Match: $e2"
		is "$code" 304 "multinode.conf: $a revalidated on the first node: 304"
	done
	via direct-one d1 smtp/scene-01.svg
	via direct-two d2 smtp/scene-01.svg
	via direct-kept d3 smtp/scene-01.svg
	e1=$(header_of "$TMPD/r/d1.h" ETag)
	e2=$(header_of "$TMPD/r/d2.h" ETag)
	e3=$(header_of "$TMPD/r/d3.h" ETag)
	check "nginx's own ETag ($e1) differs on a copy made at another time ($e2)" \
	    test -n "$e1" -a -n "$e2" -a "$e1" != "$e2"
	is "$e3" "$e1" "nginx's own ETag is the same on a copy that kept the times"
	via direct-kept d4 smtp/scene-01.svg -H "If-None-Match: $e1"
	is "$code" 304 "and a revalidation there answers 304"
else
	skip "the checks through nginx" "nginx is not installed"
fi

# Other bytes, another tag: the file changed on node two only.
printf 'another download\n' >"$TMPD/two/smtp/notes.txt"
e1=$(status_of x1 "$url_one/smtp/notes.txt" >/dev/null; header_of "$TMPD/r/x1.h" ETag)
is "$(status_of x2 "$url_two/smtp/notes.txt" -H "If-None-Match: $e1")" 200 \
    "a changed file: node one's ETag no longer matches on node two"
check "a changed file: node two sends the new bytes" grep -q another "$TMPD/r/x2.b"
e2=$(header_of "$TMPD/r/x2.h" ETag)
check "a changed file: another ETag" test -n "$e2" -a "$e2" != "$e1"

done_testing
