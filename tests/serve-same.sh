#!/bin/bash
# serve-same.sh: "drfslides serve --plain" answers byte for byte as
# "drfslides fcgi" run as CGI on the same decks and templates (status, body,
# headers), and the dev server differs only by its dev part: the live reload
# script in every HTML document, and /_drfslides/live, which --plain lacks.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/serve-lib.sh"

# ---------------------------------------------------------------------------
# Byte-identical answers: serve --plain and fcgi as CGI. Columns: path, query.
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
	cgi_plain "id_c_$i" PATH_INFO="$p" QUERY_STRING="$q" REQUEST_URI="$u"
	is "$code" "$ccode" "GET $u: --plain and fcgi answer the same status ($code)"
	same "$out/id_p_$i.b" "$out/id_c_$i.cb" "GET $u: --plain and fcgi send the same body"
	same_heads "$out/id_p_$i.h" "$out/id_c_$i.ch" "GET $u: --plain and fcgi send the same headers"
done
get id_405 "$plain/smtp/1" -X POST
cgi_plain id_405c REQUEST_METHOD=POST PATH_INFO=/smtp/1 REQUEST_URI=/smtp/1
is "$code $ccode" "405 405" "POST /smtp/1: --plain and fcgi both answer 405"
same "$out/id_405.b" "$out/id_405c.cb" "POST /smtp/1: --plain and fcgi send the same body"
same_heads "$out/id_405.h" "$out/id_405c.ch" "POST /smtp/1: --plain and fcgi send the same headers (Allow)"
get p_etag "$plain/smtp/1"
etag=$(http_header p_etag ETag)
get id_304 "$plain/smtp/1" -H "If-None-Match: $etag"
cgi_plain id_304c PATH_INFO=/smtp/1 REQUEST_URI=/smtp/1 HTTP_IF_NONE_MATCH="$etag"
is "$code $ccode" "304 304" "If-None-Match: --plain and fcgi both answer 304 with the same ETag"
is "$(header_of "$out/id_304c.ch" ETag)" "$etag" "If-None-Match: fcgi's 304 names the ETag --plain gave"
get live_plain "$plain/_drfslides/live"
is "$code" 404 "--plain has no /_drfslides/live (404)"

# ---------------------------------------------------------------------------
# Dev extras on, --plain off: the live reload script in every HTML document.
for u in / /smtp/1 /smtp/display /smtp/glossary/ppp.html /nosuch/; do
	get dx "$dev$u"
	contains "$out/dx.b" '<script src="/static/live.js"' \
	    "dev: GET $u holds the live reload script"
	awk '/static\/live\.js/ { s = NR } /<\/body>/ { b = NR } END { exit !(s && b && s <= b) }' \
	    "$out/dx.b"
	ok $? "dev: GET $u has the script before </body>"
	get px "$plain$u"
	lacks "$out/px.b" '/static/live.js' "--plain: GET $u has no live reload script"
done
get dcss "$dev/static/drfslides.css"
lacks "$out/dcss.b" 'live.js' "dev: a CSS file is not rewritten"
get dlive "$dev/_drfslides/live"
is "$code" 200 "dev: GET /_drfslides/live answers 200"
check "dev: the live token is one line of letters and digits" \
    grep -Eqx '[0-9A-Za-z]+' "$out/dlive.b"

serve_canary
done_testing
