#!/bin/bash
# serve-routes.sh: "drfslides serve", the libmicrohttpd dev server, and its
# --plain form: the port it picks, every route with its status, headers and
# body, HEAD, the validators, keep-alive, and bad paths answered as fcgi
# answers them; no answer holds the canary beside the deck directory.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/serve-lib.sh"

# ---------------------------------------------------------------------------
# Start (serve-lib.sh): port 0 picks a free port, and the URL line tells it.
check "serve --port 0 prints 'drfslides: serving DIR at http://127.0.0.1:PORT/'" \
    grep -q '^drfslides: serving .* at http://127\.0\.0\.1:[0-9]*/$' "$TMPD/dev.out"
check "the printed port is a real one, not 0" test "${dport:-0}" -gt 0
contains "$TMPD/dev.out" "drfslides: serving $decks at " \
    "the URL line names the deck directory"
check "serve --plain --port 0 starts and prints its port" test "${pport:-0}" -gt 0

# ---------------------------------------------------------------------------
# Every route: its status, and the headers and body that make it that route.
html='text/html; charset=UTF-8'
get index "$dev/"
is "$code $(http_header index Content-Type)" "200 $html" "GET / answers 200, HTML"
contains "$out/index.b" 'smtp/' "the index lists the smtp deck"
lacks "$out/index.b" 'leak' "the index does not list a deck that is a symlink out of the deck directory"
get entry "$dev/smtp/"
is "$code" 200 "GET /smtp/ answers 200"
contains "$out/entry.b" '<frameset' "/smtp/ is the frameset"
contains "$out/entry.b" '<frame name="slide" src="0"' "/smtp/ starts at page 0"
get entry3 "$dev/smtp/?page=3"
is "$code" 200 "GET /smtp/?page=3 answers 200"
contains "$out/entry3.b" '<frame name="slide" src="3"' "/smtp/?page=3 is a frameset starting at page 3"
bad=
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
	get "page$n" "$dev/smtp/$n"
	[ "$code" = 200 ] || bad="$bad $n:$code"
	[ "$(http_header "page$n" Content-Type)" = "$html" ] || bad="$bad $n:type"
	grep -q '</html>' "$out/page$n.b" || bad="$bad $n:body"
done
is "$bad" "" "GET /smtp/0 .. /smtp/12 each answer 200 with a whole HTML page"
get page13 "$dev/smtp/13"
is "$code" 404 "GET /smtp/13 (past the last page) answers 404"
contains "$out/page13.b" '該当するページはありません。' \
    "... its page says there is no such page, in the Japanese deck's language"
is "$(http_header page13 Cache-Control)" no-store "... and is not cached"
get page01 "$dev/smtp/01"
is "$code" 404 "GET /smtp/01 (leading zero) answers 404"
contains "$out/page01.b" '<span class="status">404</span>' "... with the 404 page"
get display "$dev/smtp/display"
is "$code" 200 "GET /smtp/display answers 200"
contains "$out/display.b" '<title>用語解説 — ' "/smtp/display is the glossary frame"
get gloss "$dev/smtp/glossary/ppp.html"
is "$code" 200 "GET /smtp/glossary/ppp.html answers 200"
contains "$out/gloss.b" '<title>ppp — ' "/smtp/glossary/ppp.html is the entry for ppp"
get nogloss "$dev/smtp/glossary/nosuchterm.html"
is "$code" 404 "a missing glossary entry answers 404"
contains "$out/nogloss.b" '<article class="entry missing">' "... with the deck's 'missing entry' page"
contains "$out/nogloss.b" '<h2>nosuchterm</h2>' "... which names the term"
get compat "$dev/smtp3.html"
is "$code" 301 "GET /smtp3.html (the 2001 name) answers 301"
is "$(http_header compat Location)" "/smtp/?page=3" "/smtp3.html redirects to /smtp/?page=3"
get noslash "$dev/smtp"
is "$code" 301 "GET /smtp answers 301"
is "$(http_header noslash Location)" "/smtp/" "/smtp redirects to /smtp/"
get css "$dev/static/drfslides.css"
is "$code" 200 "GET /static/drfslides.css answers 200"
is "$(http_header css Content-Type)" "text/css; charset=UTF-8" "/static/drfslides.css is text/css"
same "$out/css.b" "$stat/drfslides.css" "/static/drfslides.css is the file, byte for byte"
get livejs "$dev/static/live.js"
is "$code" 200 "GET /static/live.js answers 200 on the dev server"
same "$out/livejs.b" "$stat/live.js" "/static/live.js is the file, byte for byte"
get nosuch "$dev/nosuch/"
is "$code" 404 "GET /nosuch/ answers 404"
contains "$out/nosuch.b" 'There is no deck named:' "... and says there is no such deck"
contains "$out/nosuch.b" '<pre class="detail">nosuch</pre>' "... and names the missing deck"
get nostatic "$dev/static/nosuch.css"
is "$code" 404 "GET /static/nosuch.css answers 404"
contains "$out/nostatic.b" 'There is no such file.' "... and says there is no such file"
is "$(http_header nostatic Content-Type)" "$html" "... as an HTML page, not as CSS"
for m in POST PUT OPTIONS DELETE; do
	get "m$m" "$dev/smtp/1" -X "$m"
	is "$code" 405 "$m /smtp/1 answers 405"
	is "$(http_header "m$m" Allow)" "GET, HEAD" "$m /smtp/1 names GET, HEAD in Allow"
done
contains "$out/mPOST.b" '<span class="status">405</span>' "the 405 has the error page"
get post_body "$dev/smtp/1" --data-binary 'a=1&b=2'
is "$code" 405 "POST with a body answers 405"

# HEAD: the headers of GET, with Content-Length, and no body after them.
for s in dev plain; do
	[ $s = dev ] && p=$dport || p=$pport
	get "hget_$s" "http://127.0.0.1:$p/smtp/1"
	http_raw "$out/head_$s" "$p" 'HEAD /smtp/1 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'
	hlen=$(awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' "$out/head_$s")
	check "$s: HEAD /smtp/1 answers 200" \
	    grep -q '^HTTP/1\.[01] 200 OK' "$out/head_$s"
	is "$(wc -c <"$out/head_$s" | tr -d ' ')" "${hlen:-none}" \
	    "$s: HEAD /smtp/1 sends no body"
	same_heads "$out/head_$s" "$out/hget_$s.h" "$s: HEAD /smtp/1 sends the headers of GET"
	is "$(header_of "$out/head_$s" Content-Length)" "$(wc -c <"$out/hget_$s.b" | tr -d ' ')" \
	    "$s: HEAD /smtp/1 gives the Content-Length of the GET body"
done

# Validators: dev pages are rendered with their dev part (not rewritten), so
# they keep the router's validators, as --plain ones do.
etag_form='^"[0-9a-f]{16}"$'
get dev_etag "$dev/smtp/1"
detag=$(http_header dev_etag ETag)
check "dev: a page carries its ETag, a quoted hash ($detag)" grep -Eq "$etag_form" <<<"$detag"
is "$(http_header dev_etag Cache-Control)" "no-cache" "dev: a page has the configured Cache-Control"
get dev_304 "$dev/smtp/1" -H "If-None-Match: $detag"
is "$code" 304 "dev: If-None-Match with the dev page's ETag answers 304"
get p_etag "$plain/smtp/1"
etag=$(http_header p_etag ETag)
check "--plain: /smtp/1 carries an ETag, a quoted hash ($etag)" grep -Eq "$etag_form" <<<"$etag"
check "--plain: the ETag is not the dev page's" test "$etag" != "$detag"
get p_304 "$plain/smtp/1" -H "If-None-Match: $etag"
is "$code" 304 "--plain: If-None-Match with the ETag answers 304"
check "--plain: the 304 has no body" test ! -s "$out/p_304.b"
is "$(http_header p_304 ETag)" "$etag" "--plain: the 304 names the ETag"
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
get p_ims_old "$plain/smtp/1" -H 'If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT'
is "$code" 200 "--plain: If-Modified-Since before Last-Modified answers 200"
get css_etag "$dev/static/drfslides.css"
cetag=$(http_header css_etag ETag)
get css_304 "$dev/static/drfslides.css" -H "If-None-Match: $cetag"
is "$code" 304 "dev: a static file (not rewritten) keeps its ETag and answers 304"
lacks "$out/css.b" 'live.js' "dev: a CSS file is not rewritten"

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
	get "bad_p_$i" "$plain$rawu"
	pcode=$code
	get "bad_d_$i" "$dev$rawu"
	dcode=$code
	if [ "$pi" = - ]; then
		cgi_plain "bad_c_$i" REQUEST_URI="$rawu"
	else
		cgi_plain "bad_c_$i" PATH_INFO="$pi" REQUEST_URI="$rawu"
	fi
	# shellcheck disable=SC2086
	check "bad path $name: --plain answers $want" in_set "$pcode" $want
	is "$dcode" "$pcode" "bad path $name: the dev server answers as --plain does"
	is "$ccode" "$pcode" "bad path $name: fcgi (CGI) answers as --plain does"
done
# The same requests over one raw connection, bytes as sent (no curl).
http_raw "$out/bad_raw" "$pport" 'GET /%2e%2e/%2e%2e/canary.txt HTTP/1.0\r\n\r\n'
check "a raw GET /%2e%2e/%2e%2e/canary.txt answers 400 or 404" \
    grep -q '^HTTP/1\.[01] 40[04] ' "$out/bad_raw"

serve_canary
done_testing
