#!/bin/bash
# assets.sh: a deck's own files (decks/NAME/PATH at /NAME/PATH) on both front
# ends, "serve --plain" and nginx + "fcgi": types, validators and 304, HEAD,
# ranges, the path rules (traversal, symlinks, dotfiles, folders, FIFOs), a
# 200 MiB file streamed with flat memory, nginx serving them directly with
# the shipped location, and "check" and "export" with the pictures.
# shellcheck disable=SC1091,SC2016,SC2086
# Bash for /dev/tcp: under another shell, start again in bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"

command -v timeout >/dev/null 2>&1 || skip_all "timeout is not installed"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"
export LC_ALL=C
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_CONTROL LISTEN_FDS LISTEN_PID

# ---------------------------------------------------------------------------
# The scratch tree: a deck "pics" with its folder, and canary files beside
# the deck directory that no answer may ever hold.
site=$TMPD/site
decks=$site/decks
pics=$decks/pics
out=$TMPD/r
mkdir -p "$pics/img" "$pics/sub/deeper" "$site/outside" "$out" || exit 99
canary=CANARY-$$-51e7
echo "$canary" >"$site/canary.txt"
echo "$canary" >"$site/outside/canary.png"
PNG=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==
GIF=R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7
echo "$PNG" | base64 -d >"$pics/img/a.png" || exit 99
echo "$GIF" | base64 -d >"$pics/d.gif" || exit 99
echo "$PNG" | base64 -d >"$pics/sub/deeper/e.PNG" || exit 99
printf '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script><rect width="8" height="8"/></svg>\n' \
    >"$pics/b.svg"
printf '\377\330\377\340fake jpeg\n' >"$pics/c.jpg"
printf 'RIFF....WEBPfake\n' >"$pics/f.webp"
printf '%%PDF-1.4 fake\n' >"$pics/g.pdf"
printf 'plain words\n' >"$pics/h.txt"
printf 'alert(1)\n' >"$pics/i.js"
printf 'bytes\0of a download\n' >"$pics/j.bin"
printf 'secret\n' >"$pics/.secret.png"
printf 'shadowed\n' >"$pics/view"
ln -s ../../canary.txt "$pics/leak.png"
ln -s ../../outside "$pics/linkdir"
mkfifo "$pics/fifo.png" || exit 99
# A deck whose folder is itself a symbolic link out of the deck directory.
printf -- '--- x\n<img src="canary.png" alt="c">\n' >"$decks/lnk.drf"
ln -s ../outside "$decks/lnk"
{
	printf '#title Pictures\n'
	printf '#header <img src="img/a.png" alt="logo">\n'
	printf -- '--- one\n'
	printf '<img src="b.svg" alt="a square"> <img src="./d.gif?v=2" alt="dot">\n'
	printf '<img SRC=sub/deeper/e.PNG alt=deep>\n'
	printf '<a href="g.pdf#page=2">the notes</a> <a href="1">next</a> <a href="pics1.html">old</a>\n'
	printf '<a href="http://example.org/x.png">x</a> <a href="mailto:a@example.org">a</a>\n'
	printf -- '--- two\n'
	printf '<img src="missing.png" alt="gone">\n'
	printf '<a href="../elsewhere.pdf">up</a>\n'
	printf '<a href="print">print</a> <a href="?page=1">here</a> <a href="#top">top</a>\n'
} >"$decks/pics.drf"

# Every server this script starts, stopped on exit by nginx-lib.sh.
# now_ms: prints the time in milliseconds.
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((10#$t / 1000))
}

# serve_start NAME ARGS...: "drfslides serve --port 0 ARGS"; sets spid and surl.
serve_start() {
	local name=$1 deadline line
	shift
	"$DRFSLIDES" serve --port 0 "$@" >"$TMPD/$name.out" 2>"$TMPD/$name.err" </dev/null &
	spid=$!
	nl_track "$spid"
	surl=
	deadline=$(($(now_ms) + 5000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		line=$(grep -m 1 '^drfslides: serving .* at http://127\.0\.0\.1:[0-9]*/$' "$TMPD/$name.out")
		if [ -n "$line" ]; then
			surl=${line##* at }
			surl=${surl%/}
			break
		fi
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.05
	done
	[ -n "$surl" ]
}

bail() {
	echo "Bail out! $1"
	for f in "$TMPD"/*.err "$TMPD/drf.log" "$NL_DIR/error.log"; do
		[ -s "$f" ] && tail -5 "$f" | sed 's/^/#   /'
	done
	exit 1
}

serve_start plain --plain --decks "$decks" || bail "serve --plain did not start"
plain_pid=$spid
plain=$surl
serve_start dev --decks "$decks" || bail "serve (dev) did not start"
dev=$surl

SOCK=$TMPD/s.sock
drf_start "$SOCK" "$TMPD/drf.log" --workers 1 --threads 4 --decks "$decks" ||
	bail "drfslides fcgi did not start"
FCGI_PID=$DRF_PID
# The shipped server block twice: as shipped (its asset root does not exist
# here, so every request reaches drfslides), and with the root set to the
# test's deck directory (nginx serves the pictures itself).
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/fcgi.conf" "$SOCK"
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/direct.conf" "$SOCK" direct.invalid
sed -i "s|root /srv/drfslides/decks;|root $decks;|" "$TMPD/direct.conf"
grep -q "root $decks;" "$TMPD/direct.conf"
ok $? "the shipped nginx block has an asset location with a root to set"
# nginx would otherwise buffer the 200 MiB answer in a temporary file.
nginx_start "    fastcgi_max_temp_file_size 0;" "$TMPD/fcgi.conf" "$TMPD/direct.conf" ||
	bail "nginx did not start"
ngx=$NGINX_URL/slides

# get NAME FRONT PATH [CURL-ARGS...]: requests PATH (under the deck top) as
# sent from FRONT (plain, dev, fcgi or direct); headers in NAME.h, body in
# NAME.b; sets code.
get() {
	local n=$1 f=$2 p=$3 base host=()
	shift 3
	case $f in
	plain) base=$plain ;;
	dev) base=$dev ;;
	fcgi) base=$ngx ;;
	direct) base=$ngx host=(-H 'Host: direct.invalid') ;;
	esac
	rm -f "$out/$n.h" "$out/$n.b"
	code=$(curl -s --path-as-is --max-time 10 -o "$out/$n.b" -D "$out/$n.h" \
	    -w '%{http_code}' "${host[@]}" "$@" "$base$p" 2>/dev/null)
	[ -n "$code" ] || code=000
	touch "$out/$n.h" "$out/$n.b"
}

# header NAME FIELD: a header of answer NAME, without CR.
header() {
	header_of "$out/$1.h" "$2"
}

# same A B DESCRIPTION: the files hold the same bytes.
same() {
	if cmp -s "$1" "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		cmp "$1" "$2" 2>&1 | sed 's/^/#   /'
	fi
}

# in_set VALUE WORD...: VALUE is one of the words.
in_set() {
	local v=$1 w
	shift
	for w in "$@"; do
		[ "$v" = "$w" ] && return 0
	done
	echo "'$v' is not one of: $*"
	return 1
}

# raw_head PORT HOST PATH: a HEAD request on a new connection; everything
# received goes to $out/raw.
raw_head() {
	local fd
	exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'HEAD %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$3" "$2" >&"$fd"
	timeout 5 cat <&"$fd" >"$out/raw"
	exec {fd}>&-
}

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
		is "$code $(header "t_$f" Content-Type)" "200 $t" "$f: /pics/$p answers 200 as $t"
		same "$out/t_$f.b" "$pics/$p" "$f: /pics/$p is the file, byte for byte"
		is "$(header "t_$f" Content-Length)" "$(wc -c <"$pics/$p" | tr -d ' ')" \
		    "$f: /pics/$p has its Content-Length"
		is "$(header "t_$f" X-Content-Type-Options)" nosniff "$f: /pics/$p is nosniff"
	done
	get svg_$f $f /pics/b.svg
	is "$(header svg_$f Content-Security-Policy)" "$svgcsp" \
	    "$f: an SVG carries the policy that stops its script"
	get png_$f $f /pics/img/a.png
	is "$(header png_$f Content-Security-Policy)" "" "$f: a PNG carries no policy"
	# nginx's own ETags are "MTIME-SIZE"; drfslides' are 16 hex digits.
	case $f in
	direct) header png_$f ETag | grep -q -- '^"[0-9a-f]*-[0-9a-f]*"$' ;;
	*) header png_$f ETag | grep -q '^"[0-9a-f]\{16\}"$' ;;
	esac
	ok $? "$f: the PNG came from $([ $f = direct ] && echo nginx || echo drfslides) (its ETag says so)"
done
# The types nginx does not serve itself: drfslides answers them on both.
for f in plain fcgi; do
	get txt_$f $f /pics/h.txt
	is "$code $(header txt_$f Content-Type)" "200 text/plain; charset=UTF-8" "$f: .txt is text/plain"
	get js_$f $f /pics/i.js
	is "$code $(header js_$f Content-Type)" "200 text/plain; charset=UTF-8" \
	    "$f: .js is text/plain, never a script"
	get bin_$f $f /pics/j.bin
	is "$code $(header bin_$f Content-Type)" "200 application/octet-stream" \
	    "$f: an unknown type is application/octet-stream"
	is "$(header bin_$f Content-Disposition)" attachment "$f: ... sent as an attachment"
	same "$out/bin_$f.b" "$pics/j.bin" "$f: ... byte for byte (a NUL in it)"
	is "$(header bin_$f Accept-Ranges)" bytes "$f: assets say Accept-Ranges: bytes"
	get view_$f $f /pics/view
	is "$code $(header view_$f Content-Type)" "200 text/html; charset=UTF-8" \
	    "$f: a file named like a route (view) is shadowed by the route"
done

# Validators and 304, HEAD, ranges: drfslides on both front ends.
size=$(wc -c <"$pics/img/a.png" | tr -d ' ')
for f in plain dev fcgi; do
	get v_$f $f /pics/img/a.png
	etag=$(header v_$f ETag)
	lm=$(header v_$f Last-Modified)
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
	is "$code $(header h_$f Content-Length)" "200 $size" "$f: HEAD is 200 with the file's Content-Length"
	is "$(header h_$f ETag)" "$etag" "$f: HEAD has the ETag of GET"

	get r_$f $f /pics/img/a.png -H 'Range: bytes=1-3'
	is "$code $(header r_$f Content-Range)" "206 bytes 1-3/$size" "$f: Range bytes=1-3 is 206 with Content-Range"
	is "$(header r_$f Content-Length)" 3 "$f: ... and Content-Length 3"
	head -c 4 "$pics/img/a.png" | tail -c 3 >"$TMPD/want"
	same "$out/r_$f.b" "$TMPD/want" "$f: ... and those three bytes"
	get rs_$f $f /pics/img/a.png -H 'Range: bytes=-4'
	tail -c 4 "$pics/img/a.png" >"$TMPD/want"
	is "$code $(header rs_$f Content-Range)" "206 bytes $((size - 4))-$((size - 1))/$size" \
	    "$f: Range bytes=-4 is the last four bytes"
	same "$out/rs_$f.b" "$TMPD/want" "$f: ... byte for byte"
	get ro_$f $f /pics/img/a.png -H 'Range: bytes=60-'
	is "$code $(header ro_$f Content-Range)" "206 bytes 60-$((size - 1))/$size" "$f: Range bytes=60- runs to the end"
	get r416_$f $f /pics/img/a.png -H "Range: bytes=$size-"
	is "$code $(header r416_$f Content-Range)" "416 bytes */$size" \
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

# ---------------------------------------------------------------------------
# Path rules. Columns: the raw path, the PATH_INFO a web server would give
# for it (for the CGI run), the statuses allowed. Every front end must agree.
cgi() {
	local n=$1 pi=$2 hlen
	env -u PATH_INFO -u REQUEST_URI -u QUERY_STRING -u HTTP_RANGE \
	    REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO="$pi" REQUEST_URI="$3" \
	    timeout 10 "$DRFSLIDES" fcgi --decks "$decks" </dev/null >"$out/$n.cgi" 2>/dev/null
	hlen=$(awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' "$out/$n.cgi")
	ccode=
	[ -n "$hlen" ] || return 0
	tail -c +"$((hlen + 1))" "$out/$n.cgi" >"$out/$n.cb"
	ccode=$(sed -n '1s/^Status: \([0-9][0-9]*\).*/\1/p' "$out/$n.cgi")
}
badpaths=(
	'/pics/../pics/img/a.png'		'/pics/../pics/img/a.png'		'400'
	'/pics/%2e%2e/canary.txt'		'/pics/../canary.txt'			'400'
	'/pics/img/..%2f..%2f..%2fcanary.txt'	'/pics/img/../../../canary.txt'		'400'
	'/pics/%2E%2E%2F%2E%2E%2Fcanary.txt'	'/pics/../../canary.txt'		'400'
	'/pics/./img/a.png'			'/pics/./img/a.png'			'400'
	'/pics/.secret.png'			'/pics/.secret.png'			'404'
	'/pics/img/.%2e/.secret.png'		'/pics/img/../.secret.png'		'400'
	'/pics/img//a.png'			'/pics/img//a.png'			'404'
	'/pics/img/'				'/pics/img/'				'404'
	'/pics/img'				'/pics/img'				'404'
	'/pics/sub/deeper'			'/pics/sub/deeper'			'404'
	'/pics/leak.png'			'/pics/leak.png'			'404'
	'/pics/linkdir/canary.png'		'/pics/linkdir/canary.png'		'404'
	'/lnk/canary.png'			'/lnk/canary.png'			'404'
	'/pics/fifo.png'			'/pics/fifo.png'			'404'
	'/pics/missing.png'			'/pics/missing.png'			'404'
	'/pics/glossary/a.png'			'/pics/glossary/a.png'			'404'
	'/pics/img%5ca.png'			'/pics/img\a.png'			'400'
	'/pics/a%20b.png'			'/pics/a b.png'				'404'
	'/nosuch/img/a.png'			'/nosuch/img/a.png'			'404'
)
i=0
while [ $i -lt ${#badpaths[@]} ]; do
	rawp=${badpaths[$i]} pi=${badpaths[$((i + 1))]} want=${badpaths[$((i + 2))]}
	i=$((i + 3))
	t0=$(now_ms)
	get bp_$i plain "$rawp"
	pcode=$code
	get bd_$i dev "$rawp"
	dcode=$code
	cgi bc_$i "$pi" "$rawp"
	is "$pcode" "$want" "path $rawp: serve --plain answers $want"
	is "$dcode $ccode" "$pcode $pcode" "path $rawp: the dev server and fcgi answer as --plain does"
	# nginx normalizes '.', '..' and '//' itself: then a 4xx or the normalized file.
	for f in fcgi direct; do
		get bn_${f}_$i $f "$rawp"
		case $rawp in
		*/../pics/img/a.png | */./img/a.png | *//a.png) in_set "$code" 200 400 404 >/dev/null ;;
		*) in_set "$code" 400 404 >/dev/null ;;
		esac
		ok $? "path $rawp: nginx ($f) answers 4xx ($code)"
	done
	[ $(($(now_ms) - t0)) -lt 8000 ]
	ok $? "path $rawp: answered without hanging"
done
get enc plain /pics/img%2fa.png
cgi enc_c /pics/img/a.png /pics/img%2fa.png
is "$code $ccode" "200 200" "an encoded '/' (%2F) is a '/' on both front ends"
grep -rlF "$canary" "$out" >"$TMPD/leaks" 2>/dev/null
check "no answer ever held the canary outside the deck's folder" test ! -s "$TMPD/leaks"
sed 's/^/#   leaked in: /' "$TMPD/leaks"

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
		ok 0 "# SKIP $f: no /proc/PID/status to read the memory from"
	fi
	get tail_$f $f /pics/big.bin -H 'Range: bytes=-7'
	is "$code $(cat "$out/tail_$f.b")" "206 THE-END" "$f: a range at the end of the large file"
done
rm -f "$pics/big.bin"

# ---------------------------------------------------------------------------
# check: a missing picture, with file:line, and nothing for those present.
(cd "$site" && "$DRFSLIDES" check decks/pics.drf) >"$TMPD/check.out" 2>&1
is "$?" 0 "check: warnings alone do not fail"
contains "$TMPD/check.out" "decks/pics.drf:9: warning: 'missing.png' is referenced but decks/pics/missing.png does not exist" \
    "check: the missing picture is named with file:line and where it was looked for"
contains "$TMPD/check.out" "decks/pics.drf:10: warning: '../elsewhere.pdf' leads out of the deck's folder" \
    "check: a reference out of the folder with '..' is named"
for p in img/a.png b.svg d.gif e.PNG g.pdf "'1'" pics1.html example.org mailto print "'?page" "'#top"; do
	lacks "$TMPD/check.out" "$p" "check: nothing about $p"
done
contains "$TMPD/check.out" "decks/pics.drf: 2 pages, 0 errors, 2 warnings" "check: 2 warnings in all"
get banner dev /pics/1
contains "$out/banner.b" "missing.png" "dev: the warnings banner names the missing picture"

# export: the pictures go beside the pages, at their relative paths.
exp=$TMPD/export
"$DRFSLIDES" export -q "$decks/pics.drf" "$exp" 2>"$TMPD/export.err"
is "$?" 0 "export succeeds with a picture missing"
contains "$TMPD/export.err" "pics.drf:9: warning: 'missing.png' is not copied" "export warns about the missing picture"
for p in img/a.png b.svg d.gif sub/deeper/e.PNG g.pdf; do
	same "$exp/$p" "$pics/$p" "export: $p is copied beside the pages"
done
check "export: a file the deck does not use is not copied" test ! -e "$exp/h.txt"
check "export: a link to a page is not copied" test ! -e "$exp/1"
bad=
for n in 0 1; do
	for src in $(grep -o ' [Ss][Rr][Cc]="\?[^" >]*' "$exp/pics$n.html" | sed 's/^ [Ss][Rr][Cc]="\?//; s/[?#].*//'); do
		case $src in ../static/* | static/* | missing.png) continue ;; esac
		[ -f "$exp/$src" ] || bad="$bad pics$n.html:$src"
	done
done
is "$bad" "" "export: every relative img src of the exported pages is a file of the site"
# A reference that would overwrite a generated file is refused with a warning.
printf -- '--- x\n<a href="index.html">i</a> <a href="static/drfslides.css">s</a> <a href="print.html">p</a>\n' >"$decks/clash.drf"
mkdir -p "$decks/clash/static" && echo CLASH-MARK >"$decks/clash/index.html" &&
	echo CLASH-MARK >"$decks/clash/static/drfslides.css" &&
	echo CLASH-MARK >"$decks/clash/print.html"
"$DRFSLIDES" export -q "$decks/clash.drf" "$TMPD/clash" 2>"$TMPD/clash.err"
is "$?" 0 "export: a deck with clashing names still exports"
contains "$TMPD/clash.err" "'index.html' is not copied: export writes" "export: index.html of the folder is not copied over the frameset"
lacks "$TMPD/clash/index.html" CLASH-MARK "export: the frameset stays"
lacks "$TMPD/clash/static/drfslides.css" CLASH-MARK "export: the style sheet stays"
contains "$TMPD/clash.err" "'print.html' is not copied: export writes" "export: print.html of the folder is not copied over the print view"
lacks "$TMPD/clash/print.html" CLASH-MARK "export: the print view stays"

# The print view: one document at /NAME/print, so relative pictures resolve as on the pages.
get print plain /pics/print
contains "$out/print.b" '<img src="b.svg"' "print: the pictures are in the print view with their relative address"

done_testing
