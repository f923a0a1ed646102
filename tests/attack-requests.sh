#!/bin/bash
# attack-requests.sh: hostile requests against both front ends, nginx + "drfslides
# fcgi" (mounted at /slides/) and "drfslides serve" (--plain, and a dev-mode
# one for the reflected names), on the trap directory of attack-lib.sh. Every
# case has its expected status per front end, and no answer may hold the
# canary files that sit outside the deck directory. With strace, the servers
# run traced and the trace must show no open of a canary and nothing outside
# the deck, template and static directories but the system's libraries and
# locale files.
# shellcheck disable=SC1091,SC2016,SC2034,SC2154
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/attack-lib.sh"

attack_servers

# ============================================================ the case table
#
# name | raw target (after the mount point) | status via nginx+fcgi | status
# via serve --plain | who answers through nginx: drf (drfslides, by its
# nosniff header), nginx (nginx itself) or any. A status list means any of
# them. The table with the statuses received is printed after the check.
#
# Through nginx: nginx removes dot segments (also %2e%2e and ..%2f) before
# routing, so a path that climbs out of /slides/ meets no location and nginx
# answers 404 itself (or 400 above the root); one that stays inside reaches
# drfslides already normalised (dotdot-mid, gloss-up). The shipped
# fastcgi_split_path_info matches with (?s), so a decoded CR or LF reaches
# drfslides in PATH_INFO and is refused with 400 (crlf-redir, crlf-old,
# lf-page), like the dev server does.
long=$(head -c 9000 /dev/zero | tr '\0' a)
cases=(
	'dotdot'	'/../canary.txt'			'404'		'400'		nginx
	'dotdot-deck'	'/smtp/../../canary.html'		'404'		'400'		nginx
	'dotdot-mid'	'/smtp/../smtp/1'			'200'		'400'		drf
	'pct2e2e'	'/%2e%2e/canary.txt'			'404'		'400'		nginx
	'pct2E2e'	'/smtp/%2E%2e/%2E%2e/canary.html'	'404'		'400'		nginx
	'dot2fslash'	'/..%2f..%2fcanary.txt'			'400'		'400'		nginx
	'pct2F'		'/smtp%2F1'				'200'		'200'		drf
	'pct2F-up'	'/smtp%2F..%2F..%2Fcanary.html'		'404'		'400'		nginx
	'overlong'	'/smtp/%C0%AE%C0%AE/%C0%AE%C0%AE/canary.html' '404'	'404'		drf
	'overlong-dk'	'/%C0%AE%C0%AE%C0%AFcanary/0'		'404'		'404'		drf
	'nul'		'/smtp/%00'				'400'		'400'		any
	'nul-ext'	'/evil.drf%00/0'			'400'		'400'		any
	'backslash'	'/smtp\1'				'400'		'400'		nginx
	'pct5c'		'/smtp%5C..%5C..%5Ccanary.html'		'400'		'400'		drf
	'empty-name'	'//1'					'404'		'404'		drf
	'empty-name2'	'//'					'200'		'404'		drf
	'name-100'	"/$n100/1"				'200'		'200'		drf
	'name-101'	"/$n101/1"				'404'		'404'		drf
	'symlink'	'/evil/0'				'404'		'404'		drf
	'symlink-e'	'/evil/'				'404'		'404'		drf
	'symlink-old'	'/evil1.html'				'404'		'404'		drf
	'fifo'		'/fifo/0'				'404'		'404'		drf
	'directory'	'/dir/0'				'404'		'404'		drf
	'devzero'	'/zero/0'				'404'		'404'		drf
	'devzero-e'	'/zero/'				'404'		'404'		drf
	'gloss-link'	'/smtp/glossary/leak.html'		'404'		'404'		drf
	'gloss-up'	'/smtp/glossary/..%2f..%2fcanary.html'	'404'		'400'		drf
	'static-up'	'/static/..%2f..%2fcanary.txt'		'404'		'400'		nginx
	'page-neg'	'/smtp/-1'				'404'		'404'		drf
	'page-plus'	'/smtp/+1'				'404'		'404'		drf
	'page-abc'	'/smtp/1abc'				'404'		'404'		drf
	'page-hex'	'/smtp/0x10'				'404'		'404'		drf
	'page-exp'	'/smtp/1e3'				'404'		'404'		drf
	'page-zeros'	'/smtp/007'				'404'		'404'		drf
	'page-huge'	'/smtp/99999999999999999999'		'404'		'404'		drf
	'page-last1'	'/smtp/13'				'404'		'404'		drf
	'page-last'	'/smtp/12'				'200'		'200'		drf
	'qpage-neg'	'/smtp/?page=-1'			'404'		'404'		drf
	'qpage-huge'	'/smtp/?page=99999999999999999999'	'404'		'404'		drf
	'qpage-last1'	'/smtp/?page=13'			'404'		'404'		drf
	'crlf-redir'	'/smtp%0d%0aSet-Cookie:%20x=1'		'400'		'400'		drf
	'crlf-old'	'/smtp3.html%0d%0aX:%20y'		'400'		'400'		drf
	'crlf-query'	'/smtp3.html?%0d%0aX:%20y'		'301'		'301'		drf
	'lf-page'	'/smtp/%0a1'				'400'		'400'		drf
	'xss-name'	'/<script>alert(1)</script>/'		'404'		'404'		drf
	'xss-page'	'/smtp/%3Cimg%20src=x%20onerror=alert(1)%3E' '404'	'404'		drf
	'xss-gloss'	'/smtp/glossary/%3Cimg%20src=x%3E.html'	'404'		'404'		drf
	'asset-link'	'/smtp/leak.png'			'404'		'404'		any
	'asset-updir'	'/smtp/up/canary.png'			'404'		'404'		any
	'asset-dotdot'	'/smtp/..%2f..%2fcanary.png'		'400 404'	'400'		any
	'long-url'	"/smtp/$long"				'414'		'414'		any
)

n_cases=$((${#cases[@]} / 5))
table=$TMPD/table
printf '%-12s %-46s %-6s %-6s\n' case target nginx serve >"$table"
bad_status=
bad_by=
i=0
while [ $i -lt ${#cases[@]} ]; do
	name=${cases[$i]} target=${cases[$((i + 1))]} wn=${cases[$((i + 2))]}
	wp=${cases[$((i + 3))]} wby=${cases[$((i + 4))]}
	i=$((i + 5))
	raw_get "n_$name" "$NP" "/slides$target"
	cn=$code bn=$by
	raw_get "p_$name" "$PP" "$target"
	cp=$code
	in_set "$cn" $wn >/dev/null || bad_status="$bad_status $name(nginx:$cn want $wn)"
	in_set "$cp" $wp >/dev/null || bad_status="$bad_status $name(serve:$cp want $wp)"
	case $wby in
	drf) [ "$bn" = drf ] || bad_by="$bad_by $name(by $bn)" ;;
	nginx) [ "$bn" = other ] || bad_by="$bad_by $name(by $bn)" ;;
	esac
	[ "$wby" = nginx ] && cn="$cn*"
	t=$target
	[ ${#t} -gt 46 ] && t="${t:0:30}...(${#target} bytes)"
	printf '%-12s %-46s %-6s %-6s\n' "$name" "$t" "$cn" "$cp" >>"$table"
done
is "$bad_status" "" "all $n_cases cases answer their expected status through nginx+fcgi and serve --plain"
is "$bad_by" "" "each case is answered by the expected program (drfslides, or nginx itself where marked *)"
sed 's/^/# /' "$table"
echo "# (* nginx itself answers; drfslides never sees the request)"

# The raw ones: bytes curl would not send.
raw_case() {
	local name=$1 data=$2 wn=$3 wp=$4
	send "n_$name" "$NP" "$data"
	cn=$code
	send "p_$name" "$PP" "${data/\/slides/}"
	in_set "$cn" $wn >/dev/null && in_set "$code" $wp >/dev/null
	ok $? "raw $name: nginx+fcgi answers $wn ($cn), serve answers $wp ($code)"
}
# raw-lf: nginx takes "GET /slides/smtp" for an HTTP/0.9 request and answers
# without a status line (000 here). raw-nul: libmicrohttpd hands over the
# target cut at the NUL ("/smtp/"), a shorter path the client could ask for.
raw_case raw-cr 'GET /slides/smtp\rX-Injected: 1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' '400' '400'
raw_case raw-lf 'GET /slides/smtp\nX-Injected: 1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' '000 400' '400'
raw_case raw-bs 'GET /slides/smtp\\..\\..\\canary.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' '400' '400'
raw_case raw-nul 'GET /slides/smtp/\0/1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' '400' '200 400'

# ============================================================ details

# Redirects: a Location of validated parts only, no injected header.
for f in "$out"/*.h; do
	grep -il '^\(Set-Cookie\|X\|X-Injected\):' "$f"
done >"$TMPD/injected"
is "$(cat "$TMPD/injected")" "" "no answer carries an injected Set-Cookie:, X: or X-Injected: header"
for s in n p; do
	[ $s = n ] && pre=/slides || pre=
	is "$(sed -n 's/^Location: //p' "$out/${s}_crlf-query.h")" "$pre/smtp/?page=3" \
	    "$s: /smtp3.html?<CR><LF>X: y redirects to $pre/smtp/?page=3, the query dropped"
done
for n in crlf-redir crlf-old lf-page; do
	grep -qi '^\(set-cookie\|x\):' "$out/n_$n.h"
	[ $? -ne 0 ]
	ok $? "nginx+fcgi: $n injects no header"
done
raw_get n_redir "$NP" '/slides/smtp'
is "$code $(sed -n 's/^Location: //p' "$out/n_redir.h")" "301 /slides/smtp/" \
    "nginx+fcgi: the old-name redirect is a path under the mount point"

raw_get n_pic "$NP" /slides/smtp/pic.png
raw_get p_pic "$PP" /smtp/pic.png
echo "# a real deck asset, /smtp/pic.png: nginx $(sed -n 1p "$out/n_pic.h"), serve $(sed -n 1p "$out/p_pic.h")"

# The 100-character name is a deck; 101 is not, and the index lists neither
# the long one nor any trap.
raw_get n_index "$NP" /slides/
raw_get p_index "$PP" /
for s in n p; do
	grep -o 'href="[^"]*/"' "$out/${s}_index.b" | sort >"$TMPD/links_$s"
	is "$(tr '\n' ' ' <"$TMPD/links_$s")" "href=\"$n100/\" href=\"smtp/\" " \
	    "$s: the index lists smtp and the 100-character deck, no trap and not the 101-character one"
done

# Reflected names are escaped, or not reflected at all, on every server.
for n in xss-name xss-page xss-gloss; do
	t=$(i=0; while [ $i -lt ${#cases[@]} ]; do [ "${cases[$i]}" = $n ] && echo "${cases[$((i + 1))]}"; i=$((i + 5)); done)
	raw_get "d_$n" "$DP" "$t"
	is "$code" 404 "dev: $n answers 404"
done
cat "$out"/*_xss-*.b >"$TMPD/xss"
lacks "$TMPD/xss" '<script>alert' "no answer to the XSS paths holds a raw <script>"
lacks "$TMPD/xss" '<img src=x' "no answer to the XSS paths holds a raw <img src=x"
lacks "$TMPD/xss" 'onerror=alert' "no answer to the XSS paths holds onerror=alert"
raw_get d_nodeck "$DP" '/nosuch-deck_X/'
contains "$out/d_nodeck.b" 'nosuch-deck_X' "dev: an unknown deck's name is shown (plain letters only)"
raw_get d_term "$DP" '/smtp/glossary/%C3%A9t%C3%A9.html'
contains "$out/d_term.b" '<h2>été</h2>' "dev: a non-ASCII glossary term is shown as text"
# A broken deck on the dev server: the error names the file, escaped.
printf -- '---\n<script>alert(1)</script> \377\376\n' >"$decks/broken.drf"
raw_get d_broken "$DP" /broken/0
is "$code" 500 "dev: a broken deck answers 500"
contains "$out/d_broken.b" 'broken.drf:2:' "dev: the error page names broken.drf:2:"
lacks "$out/d_broken.b" '<script>alert(1)' "dev: the offending line is escaped on the error page"
raw_get p_broken "$PP" /broken/0
is "$code" 500 "--plain: a broken deck answers 500"
lacks "$out/p_broken.b" "$decks" "--plain: its 500 names no path"
rm -f "$decks/broken.drf"

# Methods: 405 with Allow from drfslides (nginx may answer TRACE itself).
bad=
for m in POST PUT OPTIONS TRACE DELETE PROPFIND; do
	send "n_m$m" "$NP" "$m /slides/smtp/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nx=1"
	[ "$code" = 405 ] || bad="$bad nginx:$m:$code"
	[ "$m" = TRACE ] || grep -q '^Allow: GET, HEAD$' "$out/n_m$m.h" || bad="$bad nginx:$m:no-Allow"
	send "p_m$m" "$PP" "$m /smtp/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nx=1"
	[ "$code" = 405 ] || bad="$bad serve:$m:$code"
	grep -q '^Allow: GET, HEAD$' "$out/p_m$m.h" || bad="$bad serve:$m:no-Allow"
done
is "$bad" "" "POST, PUT, OPTIONS, TRACE, DELETE and PROPFIND answer 405 with Allow: GET, HEAD on both"
lacks "$out/p_mTRACE.b" 'Connection: close' "TRACE does not echo the request"

# A Proxy: header (httpoxy) changes nothing.
for s in n p; do
	[ $s = n ] && { prt=$NP pre=/slides; } || { prt=$PP pre=; }
	raw_get "${s}_px0" "$prt" "$pre/smtp/2"
	raw_get "${s}_px1" "$prt" "$pre/smtp/2" 'Proxy: http://127.0.0.1:9/\r\n'
	grep -v '^Date:' "$out/${s}_px0.h" >"$TMPD/px0"
	grep -v '^Date:' "$out/${s}_px1.h" >"$TMPD/px1"
	cmp -s "$TMPD/px0" "$TMPD/px1" && cmp -s "$out/${s}_px0.b" "$out/${s}_px1.b"
	ok $? "$s: an answer with a Proxy: header is the one without it"
done

# A forged Host never reaches a redirect.
raw_get n_host "$NP" /slides/smtp 'X-Forwarded-Host: evil.invalid\r\n'
send p_host "$PP" 'GET /smtp HTTP/1.1\r\nHost: evil.invalid\r\nConnection: close\r\n\r\n'
cat "$out/n_host.h" "$out/p_host.h" >"$TMPD/hosts"
lacks "$TMPD/hosts" 'evil.invalid' "a forged Host or X-Forwarded-Host is in no Location"

# The servers are all still up and serving.
raw_get n_after "$NP" /slides/smtp/1
raw_get p_after "$PP" /smtp/1
raw_get d_after "$DP" /smtp/1
is "$(nl_alive "$fpid" && echo up) $code" "up 200" "drfslides fcgi is still up after the attacks"
is "$(nl_alive "$ppid" && nl_alive "$dpid" && echo up)" up "both dev servers are still up"

# ============================================================ the canary

grep -rlF "$canary" "$out" >"$TMPD/leaks"
is "$(cat "$TMPD/leaks")" "" "no answer (head or body) holds the canary"
# The check can fail: fcgi with the canary's own directory as decks serves it.
env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/canary/0 \
    "$DRFSLIDES" fcgi --decks "$site" --templates "$tpl" --static "$stat" \
    </dev/null >"$out/control.cgi" 2>/dev/null
grep -rlF "$canary" "$out" >"$TMPD/leaks"
contains "$TMPD/leaks" control.cgi "control: the canary check does see a canary (the canary deck served from its own directory)"
rm -f "$out/control.cgi"

# ============================================================ the traces

server_stop "$fpid" "$ftracer"
server_stop "$ppid" "$ptracer"
server_stop "$dpid" "$dtracer"
nginx_pid=$NGINX_PID
nl_stop "$nginx_pid"

# violations TRACE: the paths a trace opened (asked for, or reached through a
# link) outside the deck, template and static directories and the system's
# files; also any path naming a canary, and any connect().
violations() {
	awk -v decks="$decks" -v tpl="$tpl" -v stat="$stat" -v site="$site" '
	function allowed(p) {
		if (p == decks || index(p, decks "/") == 1 ||
		    index(p, tpl "/") == 1 || p == tpl ||
		    index(p, stat "/") == 1 || p == stat)
			return 1
		return p ~ /^\/etc\/ld\.so\.(cache|preload)$/ ||
		    p ~ /^\/(usr\/)?lib(32|64|x32)?\// ||
		    p ~ /^\/usr\/share\/locale(-langpack)?\// ||
		    p ~ /^\/usr\/share\/zoneinfo\// || p == "/etc/localtime" ||
		    p ~ /^\/usr\/lib\/locale\// || p == "/usr/share/locale/locale.alias" ||
		    p ~ /^\/proc\/self\// || p ~ /^\/proc\/[0-9]+\/(task\/[0-9]+\/)?(maps|smaps|status|stat|comm|cmdline|environ|auxv|exe)$/ ||
		    p ~ /^\/sys\/devices\/system\/cpu\// ||
		    p == "/dev/urandom" || p == "/dev/null" ||
		    p ~ /^\/etc\/gnutls\// || p ~ /^\/etc\/ssl\/openssl\.cnf$/ ||
		    p ~ /^\/usr\/lib\/x86_64-linux-gnu\/gconv\//
	}
	/ connect\(/ { print "connect: " $0; next }
	/open(at)?\(/ || /<\.\.\. open(at)? resumed>/ {
		# The directory a relative path starts from: the cwd, or the
		# directory of the descriptor openat() was given.
		cwd = ""
		if (match($0, /openat\(AT_FDCWD<[^>]*>/))
			cwd = substr($0, RSTART + 16, RLENGTH - 17)
		else if (match($0, /openat\([0-9]+<[^>]*>/)) {
			cwd = substr($0, RSTART, RLENGTH - 1)
			sub(/^openat\([0-9]+</, "", cwd)
		}
		if (match($0, /open(at)?\([^"]*"([^"\\]|\\.)*"/)) {
			s = substr($0, RSTART, RLENGTH)
			sub(/^[^"]*"/, "", s)
			sub(/"$/, "", s)
			if (s !~ /^\//)
				s = cwd "/" s
			if (index(s, site "/canary") == 1 || !allowed(s))
				print "asked: " s
		}
		if (match($0, /= [0-9]+<[^>]*>/)) {
			r = substr($0, RSTART, RLENGTH)
			sub(/^= [0-9]+</, "", r)
			sub(/>$/, "", r)
			if (index(r, site "/canary") == 1 || !allowed(r))
				print "opened: " r
		}
	}' "$1" | sort -u
}

if [ -n "$STRACE" ]; then
	# The control: the same filter on a trace of "cat" opening the canary.
	$STRACE -f -y -qq -e trace=openat,open,connect -o "$TMPD/control.trace" \
	    cat "$site/canary.drf" >/dev/null 2>&1
	violations "$TMPD/control.trace" >"$TMPD/control.v"
	contains "$TMPD/control.v" "opened: $site/canary.drf" \
	    "control: the trace filter catches cat opening the canary"
	# And on a traced clean run of a server: normal requests only.
	serve_traced clean "${opts[@]}" --plain
	for u in / /smtp/ /smtp/1 /smtp/display /smtp/glossary/ppp.html /static/slide.js /nosuch/; do
		raw_get clean "$port" "$u"
	done
	server_stop "$spid" "$tracer"
	violations "$TMPD/clean.trace" >"$TMPD/clean.v"
	is "$(cat "$TMPD/clean.v")" "" "control: a clean run of serve opens nothing outside the allowlist"
	sed 's/^/#   /' "$TMPD/clean.v" | head -10
	grep -o '= [0-9]*<[^>]*>' "$TMPD/clean.trace" | sed 's/^= [0-9]*<//; s/>$//' |
	    grep -v "^$site" | sed 's|/[^/]*$||' | sort -u | sed 's/^/#   clean run opened files in: /'

	for t in fcgi plain dev; do
		[ -s "$TMPD/$t.trace" ]
		ok $? "$t: traced"
		contains "$TMPD/$t.trace" "<$decks/smtp.drf>" "$t: the trace shows the deck opened (strace saw the work)"
		violations "$TMPD/$t.trace" >"$TMPD/$t.v"
		is "$(head -10 "$TMPD/$t.v")" "" "$t: no open of a canary, nothing outside the allowed directories, no connect()"
		# The traps were at most tried without following them.
		grep -E "\"$decks/(evil|zero)\.drf\"|\"$decks/glossary/leak\.html\"|<$decks/smtp>, \"(leak\.png|up)\"" \
		    "$TMPD/$t.trace" | grep -v 'O_NOFOLLOW.*= -1 E' >"$TMPD/$t.links"
		is "$(head -5 "$TMPD/$t.links")" "" "$t: a symbolic link in the deck directory is never opened through"
		grep "\"$decks/fifo\.drf\"" "$TMPD/$t.trace" | grep -v 'O_NONBLOCK' >"$TMPD/$t.fifo"
		is "$(head -5 "$TMPD/$t.fifo")" "" "$t: the FIFO is never opened blocking"
	done
else
	skip "the servers open no canary and nothing outside their directories" "strace is not installed"
fi


done_testing
