#!/bin/bash
# assets-types.sh: a deck's own files (decks/NAME/PATH at /NAME/PATH) on both
# front ends, "serve --plain" and nginx + "fcgi", and nginx serving them
# directly with the shipped location: types, bodies and headers, validators
# and 304, HEAD and ranges, the dev server's live token.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/assets-lib.sh"

ok $direct_root "the shipped nginx block has an asset location with a root to set"
# ---------------------------------------------------------------------------
# Types, bodies and headers, on every front end.
types=(
	img/a.png		'image/png'
	b.svg			'image/svg+xml'
	c.jpg			'image/jpeg'
	d.gif			'image/gif'
	sub/deeper/e.PNG	'image/png'
	f.webp			'image/webp'
	g.pdf			'application/pdf'
)
svgcsp="default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
for f in plain fcgi direct; do
	i=0
	while [ $i -lt ${#types[@]} ]; do
		p=${types[$i]} t=${types[$((i + 1))]}
		i=$((i + 2))
		get "t_$f" $f "/pics/$p"
		is "$code $(http_header "t_$f" Content-Type)" "200 $t" "$f: /pics/$p answers 200 as $t"
		same "$out/t_$f.b" "$pics/$p" "$f: /pics/$p is the file, byte for byte"
		is "$(http_header "t_$f" Content-Length)" "$(wc -c <"$pics/$p" | tr -d ' ')" \
		    "$f: /pics/$p has its Content-Length"
		is "$(http_header "t_$f" X-Content-Type-Options)" nosniff "$f: /pics/$p is nosniff"
	done
	get svg_$f $f /pics/b.svg
	is "$(http_header svg_$f Content-Security-Policy)" "$svgcsp" \
	    "$f: an SVG carries the policy that stops its script"
	get png_$f $f /pics/img/a.png
	is "$(http_header png_$f Content-Security-Policy)" "" "$f: a PNG carries no policy"
	# nginx's own ETags are "MTIME-SIZE"; drfslides' are 16 hex digits.
	case $f in
	direct) http_header png_$f ETag | grep -q -- '^"[0-9a-f]*-[0-9a-f]*"$' ;;
	*) http_header png_$f ETag | grep -q '^"[0-9a-f]\{16\}"$' ;;
	esac
	ok $? "$f: the PNG came from $([ $f = direct ] && echo nginx || echo drfslides) (its ETag says so)"
done
# The types nginx does not serve itself: drfslides answers them on both.
for f in plain fcgi; do
	get txt_$f $f /pics/h.txt
	is "$code $(http_header txt_$f Content-Type)" "200 text/plain; charset=UTF-8" "$f: .txt is text/plain"
	get js_$f $f /pics/i.js
	is "$code $(http_header js_$f Content-Type)" "200 text/plain; charset=UTF-8" \
	    "$f: .js is text/plain, never a script"
	get bin_$f $f /pics/j.bin
	is "$code $(http_header bin_$f Content-Type)" "200 application/octet-stream" \
	    "$f: an unknown type is application/octet-stream"
	is "$(http_header bin_$f Content-Disposition)" attachment "$f: ... sent as an attachment"
	same "$out/bin_$f.b" "$pics/j.bin" "$f: ... byte for byte (a NUL in it)"
	is "$(http_header bin_$f Accept-Ranges)" bytes "$f: assets say Accept-Ranges: bytes"
	get view_$f $f /pics/view
	is "$code $(http_header view_$f Content-Type)" "200 text/html; charset=UTF-8" \
	    "$f: a file named like a route (view) is shadowed by the route"
done

# Validators and 304, HEAD, ranges: drfslides on both front ends.
size=$(wc -c <"$pics/img/a.png" | tr -d ' ')
for f in plain dev fcgi; do
	get v_$f $f /pics/img/a.png
	etag=$(http_header v_$f ETag)
	lm=$(http_header v_$f Last-Modified)
	[ -n "$etag" ] && [ -n "$lm" ]
	ok $? "$f: an asset has ETag and Last-Modified"
	get v304_$f $f /pics/img/a.png -H "If-None-Match: $etag"
	is "$code" 304 "$f: If-None-Match with its ETag is 304"
	check "$f: the 304 has no body" test ! -s "$out/v304_$f.b"
	get v304l_$f $f /pics/img/a.png -H "If-None-Match: \"0\", W/$etag"
	is "$code" 304 "$f: an If-None-Match list holding the (weak) ETag is 304"
	get vims_$f $f /pics/img/a.png -H "If-Modified-Since: $lm"
	is "$code" 304 "$f: If-Modified-Since with its Last-Modified is 304"
	get vold_$f $f /pics/img/a.png -H 'If-Modified-Since: Mon, 05 Mar 2001 00:00:00 GMT'
	is "$code" 200 "$f: If-Modified-Since before the file's date is 200"
	get vother_$f $f /pics/img/a.png -H 'If-None-Match: "0000000000000000"'
	is "$code" 200 "$f: If-None-Match with another ETag is 200"

	get h_$f $f /pics/img/a.png -I
	is "$code $(http_header h_$f Content-Length)" "200 $size" "$f: HEAD is 200 with the file's Content-Length"
	is "$(http_header h_$f ETag)" "$etag" "$f: HEAD has the ETag of GET"

	get r_$f $f /pics/img/a.png -H 'Range: bytes=1-3'
	is "$code $(http_header r_$f Content-Range)" "206 bytes 1-3/$size" "$f: Range bytes=1-3 is 206 with Content-Range"
	is "$(http_header r_$f Content-Length)" 3 "$f: ... and Content-Length 3"
	head -c 4 "$pics/img/a.png" | tail -c 3 >"$TMPD/want"
	same "$out/r_$f.b" "$TMPD/want" "$f: ... and those three bytes"
	get rs_$f $f /pics/img/a.png -H 'Range: bytes=-4'
	tail -c 4 "$pics/img/a.png" >"$TMPD/want"
	is "$code $(http_header rs_$f Content-Range)" "206 bytes $((size - 4))-$((size - 1))/$size" \
	    "$f: Range bytes=-4 is the last four bytes"
	same "$out/rs_$f.b" "$TMPD/want" "$f: ... byte for byte"
	get ro_$f $f /pics/img/a.png -H 'Range: bytes=60-'
	is "$code $(http_header ro_$f Content-Range)" "206 bytes 60-$((size - 1))/$size" "$f: Range bytes=60- runs to the end"
	get r416_$f $f /pics/img/a.png -H "Range: bytes=$size-"
	is "$code $(http_header r416_$f Content-Range)" "416 bytes */$size" \
	    "$f: a range past the end is 416 with Content-Range: bytes */SIZE"
	get rm_$f $f /pics/img/a.png -H 'Range: bytes=0-1,4-5'
	is "$code $(wc -c <"$out/rm_$f.b" | tr -d ' ')" "200 $size" "$f: several ranges are ignored (200, the whole file)"
	get rir_$f $f /pics/img/a.png -H 'Range: bytes=0-1' -H 'If-Range: "stale"'
	is "$code" 200 "$f: If-Range with another ETag sends the whole file"
	get rie_$f $f /pics/img/a.png -H 'Range: bytes=0-1' -H "If-Range: $etag"
	is "$code" 206 "$f: If-Range with the ETag honours the range"
done
# HEAD sends no body, on the wire.
raw_head "${plain##*:}" 127.0.0.1 /pics/img/a.png
hlen=$(awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' "$out/raw")
is "$(wc -c <"$out/raw" | tr -d ' ')" "${hlen:-none}" "plain: HEAD of an asset sends no body"
raw_head "$NGINX_PORT" 127.0.0.1 /slides/pics/j.bin
hlen=$(awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' "$out/raw")
is "$(wc -c <"$out/raw" | tr -d ' ')" "${hlen:-none}" "fcgi: HEAD of an asset sends no body"
get live1 dev /_drfslides/live
touch -t 200103061342.06 "$pics/d.gif"
get live2 dev /_drfslides/live
[ -s "$out/live1.b" ] && ! cmp -s "$out/live1.b" "$out/live2.b"
ok $? "dev: touching a deck's picture changes the live reload token"
get dev_svg dev /pics/b.svg
lacks "$out/dev_svg.b" 'live.js' "dev: an SVG is not rewritten by the dev server"

assets_no_leak

done_testing
