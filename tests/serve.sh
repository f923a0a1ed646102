#!/bin/bash
# serve.sh: "drfslides serve", the libmicrohttpd dev server: the port it picks,
# every route and status, answers byte-identical to "drfslides fcgi", bad paths,
# live reload, author errors and warnings in the browser, idle and slow clients,
# the per-IP limit, keep-alive and a clean stop on SIGTERM and SIGINT.
# shellcheck disable=SC1091,SC2016
# Bash for /dev/tcp and {fd} redirections: under another shell, start again in bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
command -v timeout >/dev/null 2>&1 || skip_all "timeout is not installed"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"

export LC_ALL=C

# The scratch tree: the deck directory, copies of the templates and the
# assets, and canary files beside the deck directory that no answer may hold.
site=$TMPD/site
decks=$site/decks
tpl=$site/templates
stat=$site/static
out=$TMPD/r			# every answer received, for the canary check
mkdir -p "$decks" "$out" || exit 99
cp "$top_srcdir/decks/smtp.drf" "$decks/" || exit 99
cp -R "$top_srcdir/decks/glossary" "$decks/glossary" || exit 99
# The deck's pictures, when it has them (a missing one would draw a warning).
if [ -d "$top_srcdir/decks/smtp" ]; then
	cp -R "$top_srcdir/decks/smtp" "$decks/smtp" || exit 99
fi
cp -R "$top_srcdir/templates" "$tpl" || exit 99
cp -R "$top_srcdir/static" "$stat" || exit 99
cp "$decks/smtp.drf" "$TMPD/smtp.orig" || exit 99
canary=CANARY-$$-7f3a9c
for f in canary.txt canary.html canary.css; do
	echo "$canary" >"$site/$f"
done
printf '#title %s\n----\n%s page 0\n----\n%s page 1\n' "$canary" "$canary" \
    "$canary" >"$site/canary.drf"
# Symbolic links out of the deck directory must not be followed either.
ln -s ../../canary.html "$decks/glossary/leak.html" 2>/dev/null
ln -s ../canary.drf "$decks/leak.drf" 2>/dev/null

opts=(--decks "$decks" --templates "$tpl" --static "$stat")

# Every server this script starts, stopped on exit; only these PIDs are killed.
pids=
cleanup() {
	local p n
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $pids; do
		for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# now_ms: prints the time in milliseconds.
now_ms() {
	local t
	if [ -n "${EPOCHREALTIME:-}" ]; then
		t=${EPOCHREALTIME/[.,]/}
		echo $((10#$t / 1000))
	else
		date +%s%3N
	fi
}

# start NAME ARGS...: runs "drfslides serve --port 0 ARGS" in the background,
# waits (5 s at most) for its URL line; sets pid, port and url ("" if none).
start() {
	local name=$1 deadline line
	shift
	"$DRFSLIDES" serve --port 0 "$@" >"$TMPD/$name.out" 2>"$TMPD/$name.err" \
	    </dev/null &
	pid=$!
	pids="$pids $pid"
	port=
	deadline=$(($(now_ms) + 5000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		line=$(grep -m 1 '^drfslides: serving .* at http://127\.0\.0\.1:[0-9][0-9]*/$' \
		    "$TMPD/$name.out")
		if [ -n "$line" ]; then
			port=${line##*:}
			port=${port%/}
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	url=http://127.0.0.1:$port
}

# waitexit PID SECONDS: waits for PID to end; sets rc (124 if it did not).
waitexit() {
	local deadline=$(($(now_ms) + $2 * 1000)) p
	while kill -0 "$1" 2>/dev/null; do
		if [ "$(now_ms)" -ge "$deadline" ]; then
			rc=124
			return
		fi
		sleep 0.05
	done
	wait "$1"
	rc=$?
	# Gone: never signal that number again.
	p=" $pids "
	pids=${p/ $1 / }
}

# get NAME URL [CURL-ARGS...]: requests URL as given (no dot-segment removal);
# headers go to NAME.h, the body to NAME.b; sets code (000 if no answer).
get() {
	local n=$1 u=$2
	shift 2
	rm -f "$out/$n.h" "$out/$n.b"
	code=$(curl -s --path-as-is --max-time 5 -o "$out/$n.b" -D "$out/$n.h" \
	    -w '%{http_code}' "$@" "$u" 2>/dev/null)
	[ -n "$code" ] || code=000
	touch "$out/$n.h" "$out/$n.b"
}

# header FILE NAME: prints the value of a header (case-insensitive name).
header() {
	header_of "$1" "$2"
}

# cgi NAME VAR=VALUE...: one request to "drfslides fcgi" as plain CGI (fd 0 is
# not a socket), the variables given and no others of the request's; the head
# goes to NAME.ch, the body to NAME.cb; sets ccode ("" if no head).
cgi() {
	local n=$1 hlen
	shift
	rm -f "$out/$n.ch" "$out/$n.cb"
	env -u PATH_INFO -u REQUEST_URI -u QUERY_STRING -u HTTP_IF_NONE_MATCH \
	    -u HTTP_IF_MODIFIED_SINCE REQUEST_METHOD=GET SCRIPT_NAME= "$@" \
	    timeout 20 "$DRFSLIDES" fcgi "${opts[@]}" </dev/null >"$out/$n.cgi" \
	    2>"$TMPD/$n.cerr"
	hlen=$(awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' "$out/$n.cgi")
	ccode=
	touch "$out/$n.ch" "$out/$n.cb"
	[ -n "$hlen" ] || return 0
	head -c "$hlen" "$out/$n.cgi" >"$out/$n.ch"
	tail -c +"$((hlen + 1))" "$out/$n.cgi" >"$out/$n.cb"
	ccode=$(sed -n '1s/^Status: \([0-9][0-9]*\).*/\1/p' "$out/$n.ch")
}

# headset FILE: the headers of an answer that both front ends must agree on,
# sorted: no status line, Date, Content-Length or Connection.
headset() {
	tr -d '\r' <"$1" | grep ':' | grep -iv '^\(status\|date\|content-length\|connection\):' |
	    sort
}

# same_bytes A B DESCRIPTION: two files hold the same bytes.
same_bytes() {
	if cmp -s "$1" "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   $(wc -c <"$1") bytes vs $(wc -c <"$2") bytes; first difference:"
		cmp "$1" "$2" 2>&1 | head -1 | sed 's/^/#   /'
		diff "$1" "$2" 2>&1 | head -10 | sed 's/^/#   /'
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

# ---------------------------------------------------------------------------
# Start: port 0 picks a free port, and the URL line tells it.

start dev "${opts[@]}" --per-ip 200 --max-connections 20 --timeout 2
dev_pid=$pid dport=$port dev=$url
check "serve --port 0 prints 'drfslides: serving DIR at http://127.0.0.1:PORT/'" \
    test -n "$dport"
check "the printed port is a real one, not 0" test "${dport:-0}" -gt 0
contains "$TMPD/dev.out" "drfslides: serving $decks at " \
    "the URL line names the deck directory"
if [ -z "$dport" ]; then
	sed 's/^/#   /' "$TMPD/dev.err"
	done_testing
	exit 1
fi

start plain "${opts[@]}" --plain --timeout 2
plain_pid=$pid pport=$port plain=$url
check "serve --plain --port 0 starts and prints its port" test -n "$pport"

# ---------------------------------------------------------------------------
# Every route and its status (dev server).

get index "$dev/"
is "$code" 200 "GET / answers 200"
contains "$out/index.b" 'smtp/' "the index lists the smtp deck"
lacks "$out/index.b" 'leak' "the index does not list a deck that is a symlink out of the deck directory"
get entry "$dev/smtp/"
is "$code" 200 "GET /smtp/ answers 200"
contains "$out/entry.b" '<frameset' "/smtp/ is the frameset"
get entry3 "$dev/smtp/?page=3"
is "$code" 200 "GET /smtp/?page=3 answers 200"
contains "$out/entry3.b" '<frame name="slide" src="3"' "/smtp/?page=3 is a frameset starting at page 3"
bad=
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
	get "page$n" "$dev/smtp/$n"
	[ "$code" = 200 ] || bad="$bad $n:$code"
done
is "$bad" "" "GET /smtp/0 .. /smtp/12 each answer 200"
get page13 "$dev/smtp/13"
is "$code" 404 "GET /smtp/13 (past the last page) answers 404"
get page01 "$dev/smtp/01"
is "$code" 404 "GET /smtp/01 (leading zero) answers 404"
get display "$dev/smtp/display"
is "$code" 200 "GET /smtp/display answers 200"
get gloss "$dev/smtp/glossary/ppp.html"
is "$code" 200 "GET /smtp/glossary/ppp.html answers 200"
get nogloss "$dev/smtp/glossary/nosuchterm.html"
is "$code" 404 "a missing glossary entry answers 404"
get compat "$dev/smtp3.html"
is "$code" 301 "GET /smtp3.html (the 2001 name) answers 301"
is "$(header "$out/compat.h" Location)" "/smtp/?page=3" "/smtp3.html redirects to /smtp/?page=3"
get noslash "$dev/smtp"
is "$code" 301 "GET /smtp answers 301"
is "$(header "$out/noslash.h" Location)" "/smtp/" "/smtp redirects to /smtp/"
get css "$dev/static/drfslides.css"
is "$code" 200 "GET /static/drfslides.css answers 200"
is "$(header "$out/css.h" Content-Type)" "text/css; charset=UTF-8" "/static/drfslides.css is text/css"
same_bytes "$out/css.b" "$stat/drfslides.css" "/static/drfslides.css is the file, byte for byte"
get livejs "$dev/static/live.js"
is "$code" 200 "GET /static/live.js answers 200 on the dev server"
get nosuch "$dev/nosuch/"
is "$code" 404 "GET /nosuch/ answers 404"
get nostatic "$dev/static/nosuch.css"
is "$code" 404 "GET /static/nosuch.css answers 404"
for m in POST PUT OPTIONS DELETE; do
	get "m$m" "$dev/smtp/1" -X "$m"
	is "$code" 405 "$m /smtp/1 answers 405"
	is "$(header "$out/m$m.h" Allow)" "GET, HEAD" "$m /smtp/1 names GET, HEAD in Allow"
done
get post_body "$dev/smtp/1" --data-binary 'a=1&b=2'
is "$code" 405 "POST with a body answers 405"

# HEAD: the headers of GET, with Content-Length, and no body after them.
# raw NAME PORT DATA: sends DATA (printf %b escapes) on a new connection and
# keeps everything received until the server closes it (5 s at most).
raw() {
	local fd
	exec {fd}<>"/dev/tcp/127.0.0.1/$2" || return 1
	printf '%b' "$3" >&"$fd"
	timeout 5 cat <&"$fd" >"$out/$1"
	exec {fd}>&-
}
for s in dev plain; do
	[ $s = dev ] && p=$dport || p=$pport
	get "hget_$s" "http://127.0.0.1:$p/smtp/1"
	raw "head_$s" "$p" 'HEAD /smtp/1 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'
	hlen=$(awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' "$out/head_$s")
	check "$s: HEAD /smtp/1 answers 200" \
	    grep -q '^HTTP/1\.[01] 200 OK' "$out/head_$s"
	is "$(wc -c <"$out/head_$s" | tr -d ' ')" "${hlen:-none}" \
	    "$s: HEAD /smtp/1 sends no body"
	headset "$out/hget_$s.h" >"$TMPD/hg"
	headset "$out/head_$s" >"$TMPD/hh"
	same_bytes "$TMPD/hh" "$TMPD/hg" "$s: HEAD /smtp/1 sends the headers of GET"
	is "$(header "$out/head_$s" Content-Length)" "$(wc -c <"$out/hget_$s.b" | tr -d ' ')" \
	    "$s: HEAD /smtp/1 gives the Content-Length of the GET body"
done

# Validators: dev pages are rendered with their dev part (not rewritten), so
# they keep the router's validators, as --plain ones do.
get dev_etag "$dev/smtp/1"
detag=$(header "$out/dev_etag.h" ETag)
check "dev: a page carries its ETag" test -n "$detag"
is "$(header "$out/dev_etag.h" Cache-Control)" "no-cache" "dev: a page has the configured Cache-Control"
get dev_304 "$dev/smtp/1" -H "If-None-Match: $detag"
is "$code" 304 "dev: If-None-Match with the dev page's ETag answers 304"
get p_etag "$plain/smtp/1"
etag=$(header "$out/p_etag.h" ETag)
check "--plain: /smtp/1 carries an ETag" test -n "$etag"
get p_304 "$plain/smtp/1" -H "If-None-Match: $etag"
is "$code" 304 "--plain: If-None-Match with the ETag answers 304"
check "--plain: the 304 has no body" test ! -s "$out/p_304.b"
get p_304w "$plain/smtp/1" -H "If-None-Match: \"x\", W/$etag"
is "$code" 304 "--plain: a weak ETag in an If-None-Match list answers 304"
get p_200 "$plain/smtp/1" -H 'If-None-Match: "nope"'
is "$code" 200 "--plain: If-None-Match with another tag answers 200"
get d_none "$dev/smtp/1" -H "If-None-Match: $etag"
is "$code" 200 "dev: If-None-Match with the --plain ETag is not the dev page's (200)"
contains "$out/d_none.b" '/static/live.js' "dev: ... it gets the dev page instead"
get d_ims "$dev/smtp/1" -H 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT'
is "$code" 304 "dev: If-Modified-Since after Last-Modified answers 304"
get p_ims "$plain/smtp/1" -H 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT'
is "$code" 304 "--plain: If-Modified-Since after Last-Modified answers 304"
get css_etag "$dev/static/drfslides.css"
cetag=$(header "$out/css_etag.h" ETag)
get css_304 "$dev/static/drfslides.css" -H "If-None-Match: $cetag"
is "$code" 304 "dev: a static file (not rewritten) keeps its ETag and answers 304"

# Keep-alive: two URLs in one curl run share the connection.
for s in dev plain; do
	[ $s = dev ] && u=$dev || u=$plain
	curl -sv --max-time 5 -o /dev/null -o /dev/null "$u/smtp/1" "$u/nosuch/" \
	    2>"$TMPD/ka_$s.err"
	contains "$TMPD/ka_$s.err" "Re-using existing connection" \
	    "$s: a second request (after 200, then a 404) reuses the connection"
	curl -sv --max-time 5 -o /dev/null -o /dev/null -X POST "$u/smtp/1" "$u/smtp/1" \
	    2>"$TMPD/ka2_$s.err"
	contains "$TMPD/ka2_$s.err" "Re-using existing connection" \
	    "$s: a request after a 405 reuses the connection"
done

# ---------------------------------------------------------------------------
# Bad paths. curl --path-as-is sends each raw URL unchanged. The FastCGI side
# gets what a web server would pass for it: the path %XX-decoded once into
# PATH_INFO (as nginx's $fastcgi_path_info and Apache do; %2F decoded too,
# nothing normalized: the program must do its own checks). A decoded NUL
# cannot be put in an environment variable (it would cut PATH_INFO short, the
# very bug to avoid), so for those the CGI run gets REQUEST_URI=RAW and no
# PATH_INFO, and decodes it itself. Columns: raw URL, PATH_INFO (or "-" for
# REQUEST_URI), the statuses allowed.
long=$(head -c 9000 /dev/zero | tr '\0' a)
badpaths=(
	'/smtp/../smtp/1'			'/smtp/../smtp/1'		'400 404'
	'/%2e%2e/etc/passwd'			'/../etc/passwd'		'400 404'
	'/smtp/%2E%2e/x'			'/smtp/../x'			'400 404'
	'/static/..%2f..%2fdecks%2fsmtp.drf'	'/static/../../decks/smtp.drf'	'400 404'
	'/smtp/%00'				'-'				'400 404'
	'/smtp/1%00.html'			'-'				'400 404'
	'/static/canary.css%00.css'		'-'				'400 404'
	'/smtp%5C1'				'/smtp\1'			'400 404'
	'/smtp/%C0%AE%C0%AE'			$'/smtp/\xc0\xae\xc0\xae'	'400 404'
	'/smtp/%C0%AE%C0%AE/%C0%AE%C0%AE/canary.html' \
	    $'/smtp/\xc0\xae\xc0\xae/\xc0\xae\xc0\xae/canary.html'	'400 404'
	'/smtp/./1'				'/smtp/./1'			'400 404'
	'/static/..%2fcanary.txt'		'/static/../canary.txt'		'400 404'
	'/static/%2e%2e%5ccanary.txt'		'/static/..\canary.txt'		'400 404'
	'/smtp/glossary/..%2f..%2f..%2fcanary.html' '/smtp/glossary/../../../canary.html' '400 404'
	'/smtp/glossary/leak.html'		'/smtp/glossary/leak.html'	'400 404'
	'/..%2fcanary/1'			'/../canary/1'			'400 404'
	'/leak/1'				'/leak/1'			'400 404'
	'/%252e%252e/canary.txt'		'/%2e%2e/canary.txt'		'400 404'
	'/smtp/%0a1'				$'/smtp/\n1'			'400 404'
	"/smtp/$long"				"/smtp/$long"			'414'
)
i=0
while [ $i -lt ${#badpaths[@]} ]; do
	rawu=${badpaths[$i]} pi=${badpaths[$((i + 1))]} want=${badpaths[$((i + 2))]}
	i=$((i + 3))
	name=${rawu:0:60}
	[ ${#rawu} -gt 60 ] && name="${name}... (${#rawu} bytes)"
	get bad_p "$plain$rawu"
	pcode=$code
	cp "$out/bad_p.b" "$out/bad_p_$i.b"
	get bad_d "$dev$rawu"
	dcode=$code
	cp "$out/bad_d.b" "$out/bad_d_$i.b"
	if [ "$pi" = - ]; then
		cgi "bad_c_$i" REQUEST_URI="$rawu"
	else
		cgi "bad_c_$i" PATH_INFO="$pi" REQUEST_URI="$rawu"
	fi
	# shellcheck disable=SC2086
	check "bad path $name: --plain answers $want" in_set "$pcode" $want
	is "$dcode" "$pcode" "bad path $name: the dev server answers as --plain does"
	is "$ccode" "$pcode" "bad path $name: fcgi (CGI) answers as --plain does"
done
# The same requests over one raw connection, bytes as sent (no curl).
raw bad_raw "$pport" 'GET /%2e%2e/%2e%2e/canary.txt HTTP/1.0\r\n\r\n'
check "a raw GET /%2e%2e/%2e%2e/canary.txt answers 400 or 404" \
    grep -q '^HTTP/1\.[01] 40[04] ' "$out/bad_raw"

# ---------------------------------------------------------------------------
# Byte-identical answers: serve --plain and fcgi as CGI, same decks and templates.
ident=(
	'/'				''
	'/smtp/'			''
	'/smtp/'			'page=3'
	'/smtp'				''
	'/smtp3.html'			''
	'/smtp/display'			''
	'/smtp/glossary/ppp.html'	''
	'/smtp/glossary/nosuchterm.html' ''
	'/smtp/13'			''
	'/nosuch/'			''
	'/static/drfslides.css'		''
	'/_drfslides/live'		''
)
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
	ident+=("/smtp/$n" '')
done
i=0
while [ $i -lt ${#ident[@]} ]; do
	p=${ident[$i]} q=${ident[$((i + 1))]}
	i=$((i + 2))
	u=$p
	[ -n "$q" ] && u="$p?$q"
	get "id_p_$i" "$plain$u"
	cgi "id_c_$i" PATH_INFO="$p" QUERY_STRING="$q" REQUEST_URI="$u"
	is "$code" "$ccode" "GET $u: --plain and fcgi answer the same status ($code)"
	same_bytes "$out/id_p_$i.b" "$out/id_c_$i.cb" "GET $u: --plain and fcgi send the same body"
	headset "$out/id_p_$i.h" >"$TMPD/hp"
	headset "$out/id_c_$i.ch" >"$TMPD/hc"
	same_bytes "$TMPD/hp" "$TMPD/hc" "GET $u: --plain and fcgi send the same headers"
done
get id_405 "$plain/smtp/1" -X POST
cgi id_405c REQUEST_METHOD=POST PATH_INFO=/smtp/1 REQUEST_URI=/smtp/1
is "$code $ccode" "405 405" "POST /smtp/1: --plain and fcgi both answer 405"
same_bytes "$out/id_405.b" "$out/id_405c.cb" "POST /smtp/1: --plain and fcgi send the same body"
get id_304 "$plain/smtp/1" -H "If-None-Match: $etag"
cgi id_304c PATH_INFO=/smtp/1 REQUEST_URI=/smtp/1 HTTP_IF_NONE_MATCH="$etag"
is "$code $ccode" "304 304" "If-None-Match: --plain and fcgi both answer 304 with the same ETag"
get live_plain "$plain/_drfslides/live"
is "$code" 404 "--plain has no /_drfslides/live (404)"

# Dev extras on, --plain off: the live reload script in every HTML document.
for u in / /smtp/1 /smtp/display /smtp/glossary/ppp.html /nosuch/; do
	get dx "$dev$u"
	contains "$out/dx.b" '<script src="/static/live.js"></script>' \
	    "dev: GET $u holds the live reload script"
	awk '/static\/live\.js/ { s = NR } /<\/body>/ { b = NR } END { exit !(s && b && s <= b) }' \
	    "$out/dx.b"
	ok $? "dev: GET $u has the script before </body>"
	get px "$plain$u"
	lacks "$out/px.b" '/static/live.js' "--plain: GET $u has no live reload script"
done
lacks "$out/css.b" 'live.js' "dev: a CSS file is not rewritten"

# ---------------------------------------------------------------------------
# Live reload: the token stays while nothing changes and changes with any
# deck, glossary entry, template or asset.
get live1 "$dev/_drfslides/live"
is "$code" 200 "dev: GET /_drfslides/live answers 200"
tok=$(cat "$out/live1.b")
check "dev: the live token is not empty" test -n "$tok"
get live2 "$dev/_drfslides/live"
is "$(cat "$out/live2.b")" "$tok" "dev: two polls with nothing changed give the same token"

# changed DESCRIPTION: the token differs from $tok within 1 s; keeps the new one.
changed() {
	local deadline=$(($(now_ms) + 1000)) t=$tok
	while :; do
		get livex "$dev/_drfslides/live"
		t=$(cat "$out/livex.b")
		[ -n "$t" ] && [ "$t" != "$tok" ] && break
		[ "$(now_ms)" -ge "$deadline" ] && break
		sleep 0.05
	done
	isnt=1
	[ -n "$t" ] && [ "$t" != "$tok" ] && isnt=0
	ok $isnt "$1"
	tok=$t
}
printf 'LIVE-EDIT-MARK\n' >>"$decks/smtp.drf"
changed "live: appending a line to the deck changes the token within 1 s"
sleep 0.25	# live.js waits this long before it reloads (past the 100 ms check)
get live_edit "$dev/smtp/12"
contains "$out/live_edit.b" 'LIVE-EDIT-MARK' "live: the next request shows the edit"
get live3 "$dev/_drfslides/live"
is "$(cat "$out/live3.b")" "$tok" "live: the new token then stays"
touch -t 200103061342.06 "$decks/glossary/ppp.html"
changed "live: touching a glossary entry changes the token"
touch -t 200103061342.06 "$tpl/page.html"
changed "live: touching a template changes the token"
touch -t 200103061342.06 "$stat/drfslides.css"
changed "live: touching a static file changes the token"
cp "$TMPD/smtp.orig" "$decks/other.drf"
changed "live: a new deck changes the token"
rm -f "$decks/other.drf"
changed "live: removing a deck changes the token"

# No symbolic link is followed inside the decks folder: a glossary folder
# replaced by a link to an outside folder is not read, so a change there does
# not change the token.
mkdir "$TMPD/outside"
printf 'outside\n' >"$TMPD/outside/ppp.html"
mv "$decks/glossary" "$TMPD/glossary.real"
ln -s "$TMPD/outside" "$decks/glossary"
changed "live: replacing the glossary folder by a symbolic link changes the token"
touch -t 200203061342.06 "$TMPD/outside/ppp.html"
printf 'outside, changed\n' >"$TMPD/outside/new.html"
sleep 0.3	# past the dev server's 100 ms stat interval
get livel "$dev/_drfslides/live"
is "$(cat "$out/livel.b")" "$tok" "live: a change behind a linked glossary folder leaves the token as it was"
rm -f "$decks/glossary"
mv "$TMPD/glossary.real" "$decks/glossary"
changed "live: the glossary folder put back changes the token"

# A save that may be half-done (whole 4 KiB blocks, changed a moment ago) is
# not shown yet; the token changes when it is written and once more when it
# has settled (after a second), and the page then shows it.
{
	printf '#title K4\n----\nK4-MARK\n'
	i=0
	while [ "$i" -lt 64 ]; do printf '%063d\n' "$i"; i=$((i + 1)); done
} | head -c 4096 >"$TMPD/k4.drf"
check "live: the 4 KiB deck is 4096 bytes" test "$(wc -c <"$TMPD/k4.drf")" -eq 4096
cat "$TMPD/k4.drf" >"$decks/smtp.drf"
t0=$(now_ms)
changed "live: writing a deck of 4096 bytes in place changes the token"
sleep 0.25
get k4a "$dev/smtp/0"
# Judged only when the answer came while the save was under a second old.
if [ $(($(now_ms) - t0)) -lt 900 ]; then
	lacks "$out/k4a.b" 'K4-MARK' "live: a deck of 4096 bytes a moment old is not shown yet"
else
	skip "live: a deck of 4096 bytes a moment old is not shown yet" "the page came more than 0.9 s after the save"
fi
deadline=$(($(now_ms) + 3000)) t=$tok
while [ "$t" = "$tok" ] && [ "$(now_ms)" -lt "$deadline" ]; do
	sleep 0.1
	get livex "$dev/_drfslides/live"
	t=$(cat "$out/livex.b")
done
isnt=1
[ -n "$t" ] && [ "$t" != "$tok" ] && isnt=0
ok $isnt "live: the token changes again once that deck has settled"
tok=$t
sleep 0.25
get k4b "$dev/smtp/0"
contains "$out/k4b.b" 'K4-MARK' "live: the settled deck is then shown"

# ---------------------------------------------------------------------------
# Warnings: a banner in the dev server only.
{
	printf '#tilte x\n#title Warned deck\n'
	printf '#define GLS() JavaScript:parent.display.openglossary("$1.html")\n'
	printf -- '----\nfirst page\n----\n<a href='\''GLS(nosuchterm)'\''>missing</a>\n'
} >"$decks/warn.drf"
get warn "$dev/warn/1"
is "$code" 200 "warnings: a deck with warnings is served (200)"
contains "$out/warn.b" 'drf-dev-banner' "warnings: the dev page has the banner"
contains "$out/warn.b" 'drf-dev-close' "warnings: the banner can be dismissed"
sed -n '/drf-dev-banner/,/<\/div>/p' "$out/warn.b" >"$TMPD/banner"
contains "$TMPD/banner" 'warn.drf:1: warning' "warnings: the banner names file:line and 'warning'"
contains "$TMPD/banner" '#tilte' "warnings: the banner holds the unknown directive"
contains "$TMPD/banner" 'nosuchterm' "warnings: the banner holds the missing glossary entry"
check "warnings: the banner comes before </body>" grep -q '</body>' <(sed -n '/drf-dev-banner/,$p' "$out/warn.b")
get warnp "$plain/warn/1"
lacks "$out/warnp.b" 'drf-dev-banner' "warnings: --plain shows no banner"
cgi warnc PATH_INFO=/warn/1
same_bytes "$out/warnp.b" "$out/warnc.cb" "warnings: --plain sends fcgi's bytes for a deck with warnings"
get nowarn "$dev/smtp/1"
lacks "$out/nowarn.b" 'drf-dev-banner' "warnings: a deck without warnings has no banner"

# ---------------------------------------------------------------------------
# Author errors: a deck that fails to load.
cp "$TMPD/smtp.orig" "$decks/smtp.drf"
sleep 0.3	# past the 100 ms change-check interval
get before_p "$plain/smtp/1"
is "$code" 200 "errors: --plain loads the good deck first"
get before_d "$dev/smtp/1"
{
	sed -n '1,60p' "$TMPD/smtp.orig"
	printf 'BROKEN-LINE-MARK \377\376 tail\n'
	sed -n '61,$p' "$TMPD/smtp.orig"
} >"$TMPD/broken.drf"
cp "$TMPD/broken.drf" "$decks/smtp.drf"
cp "$TMPD/broken.drf" "$decks/never.drf"
# The dev server looks at a deck file at most every 100 ms (--stat-interval).
sleep 0.3
get err_d "$dev/smtp/1"
is "$code" 500 "errors: dev answers 500 for a deck that fails to load"
contains "$out/err_d.b" 'smtp.drf:61:' "errors: the dev page names smtp.drf:LINE:"
sed -n '/<pre/,/<\/pre>/p' "$out/err_d.b" >"$TMPD/pre"
contains "$TMPD/pre" 'BROKEN-LINE-MARK' "errors: the offending line's text is in a <pre>"
contains "$TMPD/pre" '61 | BROKEN-LINE-MARK' "errors: the <pre> numbers the line"
contains "$out/err_d.b" '/static/live.js' "errors: the error page reloads itself when fixed"
get err_de "$dev/smtp/"
is "$code" 500 "errors: dev answers 500 for the broken deck's frameset too"
get err_p "$plain/smtp/1"
is "$code" 200 "errors: --plain keeps serving the last good version (200)"
same_bytes "$out/err_p.b" "$out/before_p.b" "errors: --plain sends the last good page"
get err_n "$plain/never/1"
is "$code" 500 "errors: --plain answers 500 for a broken deck it never loaded"
lacks "$out/err_n.b" "$TMPD" "errors: --plain's 500 shows no file path"
lacks "$out/err_n.b" '.drf:' "errors: --plain's 500 shows no file:line"
lacks "$out/err_n.b" 'BROKEN-LINE-MARK' "errors: --plain's 500 shows no source line"
cgi err_nc PATH_INFO=/never/1
is "$ccode" 500 "errors: fcgi answers 500 for the broken deck"
same_bytes "$out/err_n.b" "$out/err_nc.cb" "errors: --plain's 500 is fcgi's, byte for byte"
get err_dn "$dev/never/1"
is "$code" 500 "errors: dev answers 500 for a deck never good"
contains "$out/err_dn.b" 'never.drf:61:' "errors: dev names never.drf:61: for it"
cp "$TMPD/smtp.orig" "$decks/smtp.drf"
rm -f "$decks/never.drf"
sleep 0.3	# past the 100 ms change-check interval, as above
get fixed "$dev/smtp/1"
is "$code" 200 "errors: fixing the deck brings the page back"
lacks "$out/fixed.b" 'drf-dev-banner' "errors: the fixed page has no banner"

# ---------------------------------------------------------------------------
# Robust serving: idle and slow clients, memory, the connection limits.
idle=()
for n in $(seq 19); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$dport" && idle+=("$fd")
done
is "${#idle[@]}" 19 "idle: 19 idle connections are open (--max-connections 20)"
sleep 0.2
t0=$(now_ms)
get idle_req "$dev/smtp/1" --max-time 2
t1=$(now_ms)
is "$code" 200 "idle: a request with 19 idle connections open is answered 200"
check "idle: it is answered within the idle timeout ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 2000
for fd in "${idle[@]}"; do
	exec {fd}>&-
done

# A slowloris client (half a request line) and a silent one are both closed
# by the idle timeout (2 s) and do not hold up a real request meanwhile.
exec {slow}<>"/dev/tcp/127.0.0.1/$dport"
exec {silent}<>"/dev/tcp/127.0.0.1/$dport"
printf 'GET /smtp/1 HTT' >&"$slow"
t0=$(now_ms)
get slow_req "$dev/smtp/2" --max-time 2
is "$code" 200 "slowloris: a real request is answered while a client stalls"
timeout 6 cat <&"$slow" >"$out/slow.out"
rc=$? t1=$(now_ms)
is "$rc" 0 "slowloris: the stalled connection is closed by the server"
check "slowloris: it is closed after the 2 s timeout, not before 1 s nor after 5 s ($((t1 - t0)) ms)" \
    test $((t1 - t0)) -ge 1000 -a $((t1 - t0)) -le 5000
lacks "$out/slow.out" '200 OK' "slowloris: the half request got no page"
timeout 6 cat <&"$silent" >"$out/silent.out"
rc=$? t1=$(now_ms)
is "$rc" 0 "idle: a silent connection is closed by the server"
check "idle: it is closed within 5 s ($((t1 - t0)) ms)" test $((t1 - t0)) -le 5000
exec {slow}>&- {silent}>&-

# Per-connection memory limit: an oversized header is refused, then all is well.
big=$(head -c 100000 /dev/zero | tr '\0' b)
get bighdr "$dev/smtp/1" -H "X-Big: $big"
check "memory: a 100 KB header is refused with a 4xx or a close ($code)" \
    in_set "$code" 000 400 413 414 431
get after_big "$dev/smtp/1"
is "$code" 200 "memory: the server answers normally afterwards"

# More connections than --max-connections: once they go, requests are served.
over=()
for n in $(seq 25); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$dport" 2>/dev/null && over+=("$fd")
done
for fd in "${over[@]}"; do
	exec {fd}>&-
done
deadline=$(($(now_ms) + 4000))
while :; do
	get over_req "$dev/smtp/1" --max-time 2
	[ "$code" = 200 ] && break
	[ "$(now_ms)" -ge "$deadline" ] && break
	sleep 0.1
done
is "$code" 200 "limits: after more connections than --max-connections close, requests are served"

# Per-IP limit: two held connections are all one address may have.
start perip "${opts[@]}" --per-ip 2 --timeout 10
perip_pid=$pid
held=()
for n in 1 2; do
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" && held+=("$fd")
	printf 'HEAD /static/drfslides.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&"$fd"
	line=
	read -r -t 3 line <&"$fd"
	is "${line%$'\r'}" "HTTP/1.1 200 OK" "per-ip: held connection $n is served and kept"
done
get perip3 "$url/smtp/1" --max-time 3
check "per-ip: a third connection from the address is refused ($code)" test "$code" != 200
for fd in "${held[@]}"; do
	exec {fd}>&-
done
deadline=$(($(now_ms) + 3000))
while :; do
	get perip4 "$url/smtp/1" --max-time 2
	[ "$code" = 200 ] && break
	[ "$(now_ms)" -ge "$deadline" ] && break
	sleep 0.1
done
is "$code" 200 "per-ip: once they are released a request is served"

# ---------------------------------------------------------------------------
# Clean shutdown: SIGTERM and SIGINT, even with a client connected.
exec {hold}<>"/dev/tcp/127.0.0.1/$port"
kill -TERM "$perip_pid"
waitexit "$perip_pid" 5
is "$rc" 0 "SIGTERM stops the server within 5 s with status 0 (a client connected)"
exec {hold}>&-
kill -INT "$plain_pid"
waitexit "$plain_pid" 5
is "$rc" 0 "SIGINT stops the server within 5 s with status 0"
kill -TERM "$dev_pid"
waitexit "$dev_pid" 5
is "$rc" 0 "SIGTERM stops the dev server within 5 s with status 0"
get gone "$dev/"
is "$code" 000 "the stopped server no longer answers"

# ---------------------------------------------------------------------------
# The canary beside the deck directory was never served; the check would see
# it: with the canary's own directory as the decks, fcgi does serve it.
env -u PATH_INFO REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/canary/1 \
    "$DRFSLIDES" fcgi --decks "$site" --templates "$tpl" --static "$stat" \
    </dev/null >"$TMPD/canary-self" 2>/dev/null
contains "$TMPD/canary-self" "$canary" "the canary deck is served from its own directory (the check can fail)"
grep -rlF "$canary" "$out" >"$TMPD/leaks" 2>/dev/null
check "no answer ever held the canary file outside the deck directory" test ! -s "$TMPD/leaks"
sed 's/^/#   leaked in: /' "$TMPD/leaks"

done_testing
