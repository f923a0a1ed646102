# http-lib.sh: the HTTP checks' helpers: requests saved to files, headers and
# statuses, bailing out with the servers' logs, the dev server started and
# stopped by its PID, CGI answers split, raw requests. Sourced by lib.sh.
# shellcheck shell=sh disable=SC2034,SC2154

[ -n "${HTTP_LIB_LOADED:-}" ] && return 0
HTTP_LIB_LOADED=1
. "$top_srcdir/tests/proc-lib.sh"

# Where http_get saves its answers (NAME.h, NAME.b); a script may set it.
: "${HTTP_OUT:=$TMPD}"
# The log files bail shows (space-separated paths); a script adds its own.
: "${BAIL_LOGS:=}"

# http_save HEAD BODY [CURL_OPTION...] URL: one request, its head in HEAD and
# its body in BODY (both exist afterwards); the status in $code (000: none).
http_save() {
	hs_h=$1 hs_b=$2
	shift 2
	rm -f "$hs_h" "$hs_b"
	code=$(curl -s --max-time "${HTTP_TIMEOUT:-10}" -D "$hs_h" -o "$hs_b" \
	    -w '%{http_code}' "$@" 2>/dev/null)
	[ -n "$code" ] || code=000
	touch "$hs_h" "$hs_b"
}

# fetch [CURL_OPTION...] URL: headers in $TMPD/h, body in $TMPD/b, status in $code.
fetch() {
	http_save "$TMPD/h" "$TMPD/b" "$@"
}

# header NAME: a header of the last fetch (or split_cgi), without CR.
header() {
	header_of "$TMPD/h" "$1"
}

# http_get NAME URL [CURL_OPTION...]: the target sent as written (no dot
# segments removed); head in $HTTP_OUT/NAME.h, body in NAME.b, status in $code.
http_get() {
	hg_n=$1 hg_u=$2
	shift 2
	http_save "$HTTP_OUT/$hg_n.h" "$HTTP_OUT/$hg_n.b" --path-as-is "$@" "$hg_u"
}

# http_header NAME FIELD: a header of the answer http_get saved as NAME.
http_header() {
	header_of "$HTTP_OUT/$1.h" "$2"
}

# http_status HEAD: the status code in the first line of a saved head
# (an HTTP status line, or a CGI "Status:" line).
http_status() {
	sed -n '1{s/\r$//;s/^HTTP\/[0-9.]* \([0-9][0-9]*\).*/\1/p;s/^Status: \([0-9][0-9]*\).*/\1/p;}' "$1"
}

# split_cgi FILE [HEAD BODY]: a CGI answer's head (up to the blank line) to
# HEAD and its body, byte for byte, to BODY ($TMPD/h and $TMPD/b by default);
# sets $ccode to the Status line's code, empty when the answer has no head.
split_cgi() {
	sc_h=${2:-$TMPD/h} sc_b=${3:-$TMPD/b}
	sc_n=$(awk '{ n += length($0) + 1 } /^\r$/ { print n; exit }' "$1")
	ccode=
	if [ -n "$sc_n" ]; then
		head -c "$sc_n" "$1" >"$sc_h"
		tail -c +"$((sc_n + 1))" "$1" >"$sc_b"
		ccode=$(http_status "$sc_h")
	else
		cp "$1" "$sc_h"
		: >"$sc_b"
	fi
}

# cgi_env METHOD PATH_INFO [VAR=VALUE...] COMMAND...: runs COMMAND in the
# plain environment of one request under /slides (the decks, templates and
# static files of DRFSLIDES_*, the sanitizers' options; VAR=VALUE override).
cgi_env() {
	ce_m=$1 ce_pi=$2
	shift 2
	env -i PATH="$PATH" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
	    ${LSAN_OPTIONS:+LSAN_OPTIONS="$LSAN_OPTIONS"} \
	    ${DRFSLIDES_DECKS:+DRFSLIDES_DECKS="$DRFSLIDES_DECKS"} \
	    DRFSLIDES_TEMPLATES="$DRFSLIDES_TEMPLATES" \
	    DRFSLIDES_STATIC="$DRFSLIDES_STATIC" GATEWAY_INTERFACE=CGI/1.1 \
	    REQUEST_METHOD="$ce_m" SCRIPT_NAME=/slides PATH_INFO="$ce_pi" \
	    REQUEST_URI="/slides$ce_pi" QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 "$@"
}

# cgi_plain NAME VAR=VALUE...: one GET to "drfslides fcgi" on the scratch
# tree ($decks, and $tpl and $stat when set) as plain CGI (fd 0 is not a
# socket), with the request's variables given and none of the environment's;
# the answer in $out/NAME.cgi, its head in NAME.ch and its body in NAME.cb
# (split_cgi: $ccode), stderr in $TMPD/NAME.cerr.
cgi_plain() {
	cp_n=$1
	shift
	env -u PATH_INFO -u REQUEST_URI -u QUERY_STRING -u HTTP_IF_NONE_MATCH \
	    -u HTTP_IF_MODIFIED_SINCE -u HTTP_RANGE REQUEST_METHOD=GET SCRIPT_NAME= "$@" \
	    timeout 20 "$DRFSLIDES" fcgi --decks "$decks" ${tpl:+--templates "$tpl"} \
	    ${stat:+--static "$stat"} </dev/null >"$out/$cp_n.cgi" 2>"$TMPD/$cp_n.cerr"
	split_cgi "$out/$cp_n.cgi" "$out/$cp_n.ch" "$out/$cp_n.cb"
}

# fcgi_status PATH_INFO [SOCKET]: one GET under /slides straight to a FastCGI
# socket ($SOCK by default) through cgi-fcgi, within $FCGI_TIMEOUT seconds
# (10); prints the answer's Status line without CR.
fcgi_status() {
	cgi_env GET "$1" timeout "${FCGI_TIMEOUT:-10}" cgi-fcgi -bind -connect "${2:-$SOCK}" \
	    </dev/null 2>/dev/null | head -1 | tr -d '\r'
}

# bail MESSAGE: stops the script with a TAP "Bail out!" and the last lines of
# every log of $BAIL_LOGS (and of the nginx of nginx-lib.sh) that has some.
bail() {
	echo "Bail out! $1"
	for bl_f in $BAIL_LOGS ${NL_DIR:+"$NL_DIR/error.log" "$NL_DIR/stderr"}; do
		[ -s "$bl_f" ] && tail -"${BAIL_TAIL:-10}" "$bl_f" | sed "s|^|#   ${bl_f##*/}: |"
	done
	exit 1
}

# serve_start NAME [OPTION...]: starts "drfslides serve --port 0 OPTION..."
# (under $SERVE_WRAP, a command prefix, when set), its output in
# $TMPD/NAME.out and .err, stopped at exit. Waits until it says where it
# serves; sets $spid, $surl (without the final slash), $sport and $SERVE_URL.
serve_start() {
	ss_name=$1
	shift
	# shellcheck disable=SC2086
	$SERVE_WRAP "$DRFSLIDES" serve --port 0 "$@" >"$TMPD/$ss_name.out" \
	    2>"$TMPD/$ss_name.err" </dev/null &
	spid=$!
	nl_track "$spid"
	BAIL_LOGS="$BAIL_LOGS $TMPD/$ss_name.err"
	nl_await "$spid" "${SERVE_WAIT:-10}" serve_listening "$ss_name"
	SERVE_URL=$(sed -n 's|^drfslides: serving .* at \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' \
	    "$TMPD/$ss_name.out" | head -1)
	surl=${SERVE_URL%/}
	sport=${surl##*:}
	[ -n "$surl" ]
}

# serve_listening NAME: the server NAME said where it serves.
serve_listening() {
	grep -q '^drfslides: serving .* at http://127\.0\.0\.1:[0-9]*/$' "$TMPD/$1.out" 2>/dev/null
}

# serve_url: the address in $TMPD/serve.out (a server started by hand, under a
# sanitizer or valgrind) to $TMPD/surl; fails until there is one.
serve_url() {
	grep -m 1 -o 'http://127\.0\.0\.1:[0-9]*/' "$TMPD/serve.out" >"$TMPD/surl" 2>/dev/null
}

# serve_stop [PID]: stops a server serve_start started ($spid by default).
serve_stop() {
	nl_stop "${1:-$spid}"
}

# same FILE1 FILE2 DESCRIPTION: the files hold the same bytes; on failure the
# sizes and the first difference are shown.
same() {
	if cmp -s "$1" "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   $(wc -c <"$1" | tr -d ' ') bytes vs $(wc -c <"$2" | tr -d ' ') bytes"
		cmp "$1" "$2" 2>&1 | head -1 | sed 's/^/#   /'
		diff "$1" "$2" 2>&1 | head -10 | sed 's/^/#   /'
	fi
}

# in_set VALUE WORD...: VALUE is one of the words (else says which it is not).
in_set() {
	is_v=$1
	shift
	for is_w in "$@"; do
		[ "$is_v" = "$is_w" ] && return 0
	done
	echo "#   '$is_v' is not one of: $*"
	return 1
}

# now_ms: the time in milliseconds.
now_ms() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		nm_t=$(echo "$EPOCHREALTIME" | tr -d '.,')
		echo $((nm_t / 1000))
	else
		date +%s%3N
	fi
}

# http_raw FILE PORT DATA (bash): sends DATA (printf %b escapes) to
# 127.0.0.1:PORT on a new connection and saves everything received in FILE
# until the server closes it ($RAW_WAIT seconds at most, 5 by default).
http_raw() {
	exec 9<>"/dev/tcp/127.0.0.1/$2" || return 1
	printf '%b' "$3" >&9
	timeout "${RAW_WAIT:-5}" cat <&9 >"$1"
	exec 9>&-
}

# site_tree: the scratch tree servers serve, $site: the deck directory
# $decks (the smtp deck and its glossary), copies of the templates ($tpl) and
# static files ($stat), all writable; $out, for every answer received.
site_tree() {
	site=$TMPD/site
	decks=$site/decks
	tpl=$site/templates
	stat=$site/static
	out=$TMPD/r
	mkdir -p "$decks" "$out" &&
		cp "$top_srcdir/decks/smtp.drf" "$decks/" &&
		cp -R "$top_srcdir/decks/glossary" "$decks/glossary" &&
		cp -R "$top_srcdir/templates" "$tpl" &&
		cp -R "$top_srcdir/static" "$stat" &&
		chmod -R u+w "$site"
}

# lines FILE: how many lines FILE has (0 when it does not exist).
lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# http_batch OUT HEADER URL...: one curl process asks for the URLs in turn
# on one kept-alive connection; OUT gets, for each, "STATUS VALUE URL", VALUE
# being the response header HEADER's (empty when absent).
http_batch() {
	hb_out=$1 hb_h=$2
	shift 2
	for hb_u in "$@"; do
		printf 'url = "%s"\noutput = "/dev/null"\n' "$hb_u"
	done >"$hb_out.cfg"
	curl -s --max-time 30 -K "$hb_out.cfg" \
	    -w "%{http_code} %header{$hb_h} %{url_effective}\\n" >"$hb_out" 2>/dev/null
}

# http_load OUT SECONDS PARALLEL HEADER URL...: load: PARALLEL curl processes
# ask for the URLs in turn, over and over, for SECONDS or until the file
# OUT.stop exists (each process on its kept-alive connection); "@R@" in a URL becomes a number of its own in each
# round (past a response cache). Every answer goes to OUT.N (N from 1 to
# PARALLEL): its body, then a line "@@ STATUS VALUE URL", VALUE being the
# response header HEADER's (empty when absent); STATUS 000: no answer.
http_load() {
	hl_out=$1 hl_secs=$2 hl_par=$3
	hl_w="\\n@@ %{http_code} %header{$4} %{url_effective}\\n"
	shift 4
	: >"$hl_out.urls"
	for hl_u in "$@"; do
		printf 'url = "%s"\n' "$hl_u" >>"$hl_out.urls"
	done
	hl_end=$(($(date +%s) + hl_secs))
	hl_i=0 hl_pids=
	while [ "$hl_i" -lt "$hl_par" ]; do
		hl_i=$((hl_i + 1))
		(
			: >"$hl_out.$hl_i"
			hl_r=0
			while [ "$(date +%s)" -lt "$hl_end" ] && [ ! -e "$hl_out.stop" ]; do
				hl_r=$((hl_r + 1))
				sed "s/@R@/$hl_i-$hl_r-$(date +%s%N)/g" "$hl_out.urls" >"$hl_out.cfg$hl_i"
				curl -s --max-time 10 -K "$hl_out.cfg$hl_i" -w "$hl_w" \
				    >>"$hl_out.$hl_i" 2>/dev/null
			done
		) &
		hl_pids="$hl_pids $!"
	done
	for hl_p in $hl_pids; do
		wait "$hl_p"
	done
}

# http_load_answers OUT: the "@@ STATUS VALUE URL" lines of an http_load.
http_load_answers() {
	cat "$1".[0-9]* 2>/dev/null | sed -n 's/^@@ //p'
}
