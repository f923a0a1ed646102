#!/bin/bash
# assets-paths.sh: the path rules of a deck's files on every front end and in
# CGI mode: traversal, encoded dots and slashes, symbolic links, dotfiles,
# folders and FIFOs are refused alike, and no answer holds the canary.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/assets-lib.sh"

# ---------------------------------------------------------------------------
# Path rules. Columns: the raw path, the PATH_INFO a web server would give
# for it (for the CGI run), the statuses allowed. Every front end must agree.
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
	get bp_$i plain "$rawp"
	pcode=$code
	get bd_$i dev "$rawp"
	dcode=$code
	cgi_plain bc_$i PATH_INFO="$pi" REQUEST_URI="$rawp"
	is "$pcode" "$want" "path $rawp: serve --plain answers $want"
	is "$dcode $ccode" "$pcode $pcode" "path $rawp: the dev server and fcgi answer as --plain does"
	# A front end that hangs runs into its time limit: no status (000, or no head).
	hung=
	[ "$pcode" = 000 ] && hung="$hung plain"
	[ "$dcode" = 000 ] && hung="$hung dev"
	[ -n "$ccode" ] || hung="$hung fcgi-as-CGI"
	# nginx normalizes '.', '..' and '//' itself: then a 4xx or the normalized file.
	for f in fcgi direct; do
		get bn_${f}_$i $f "$rawp"
		[ "$code" = 000 ] && hung="$hung nginx-$f"
		case $rawp in
		*/../pics/img/a.png | */./img/a.png | *//a.png) in_set "$code" 200 400 404 >/dev/null ;;
		*) in_set "$code" 400 404 >/dev/null ;;
		esac
		ok $? "path $rawp: nginx ($f) answers 4xx ($code)"
	done
	is "$hung" "" "path $rawp: every front end answered before its time limit (no hang)"
done
get enc plain /pics/img%2fa.png
cgi_plain enc_c PATH_INFO=/pics/img/a.png REQUEST_URI=/pics/img%2fa.png
is "$code $ccode" "200 200" "an encoded '/' (%2F) is a '/' on both front ends"
assets_no_leak


done_testing
