# serve-lib.sh: the setup of the serve-*.sh tests of "drfslides serve": a
# scratch tree (the deck directory, copies of the templates and the assets)
# with canary files beside the deck directory that no answer may hold, the
# dev and --plain servers on it, requests saved for the canary check, and
# "drfslides fcgi" run as plain CGI on the same tree. Source it first (it
# sources lib.sh and starts the two servers); end the script with
# serve_canary, then done_testing.
# shellcheck shell=bash disable=SC2034,SC2154

# Bash for /dev/tcp and arrays: under another shell, start again in bash
# (before lib.sh makes its scratch directory).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/lib.sh"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
command -v timeout >/dev/null 2>&1 || skip_all "timeout is not installed"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"

export LC_ALL=C

HTTP_OUT=$TMPD/r			# where get (http_get) saves NAME.h and NAME.b
HTTP_TIMEOUT=5
site_tree && cp "$decks/smtp.drf" "$TMPD/smtp.orig" || exit 99
# The deck's pictures, when it has them (a missing one would draw a warning).
if [ -d "$top_srcdir/decks/smtp" ]; then
	cp -R "$top_srcdir/decks/smtp" "$decks/smtp" || exit 99
fi
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

# get NAME URL [CURL-ARGS...]: http_get into $out (NAME.h, NAME.b); sets code.
get() {
	http_get "$@"
}

# start NAME ARGS...: "drfslides serve --port 0" on the scratch tree with
# ARGS (serve_start); sets pid, port and url (without the final slash).
start() {
	local name=$1
	shift
	serve_start "$name" "${opts[@]}" "$@" || bail "serve $name did not start"
	pid=$spid port=$sport url=$surl
}

# start_both: the dev server (20 connections, 2 s idle timeout) in $dev, on
# $dport, and a --plain one in $plain, on $pport.
start_both() {
	start dev --per-ip 200 --max-connections 20 --timeout 2
	dev_pid=$pid dport=$port dev=$url
	start plain --plain --timeout 2
	plain_pid=$pid pport=$port plain=$url
}

# headset FILE: the headers of an answer that both front ends must agree on,
# sorted: no status line, Date, Content-Length or Connection.
headset() {
	tr -d '\r' <"$1" | grep ':' | grep -iv '^\(status\|date\|content-length\|connection\):' |
	    sort
}

# same_heads HEAD1 HEAD2 DESCRIPTION: the two answers' headset is the same.
same_heads() {
	headset "$1" >"$TMPD/hs1"
	headset "$2" >"$TMPD/hs2"
	same "$TMPD/hs1" "$TMPD/hs2" "$3"
}

# serve_canary: no answer this script received held the canary beside the
# deck directory; the check would see it: with the canary's own directory as
# the decks, fcgi does serve it.
serve_canary() {
	env -u PATH_INFO REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/canary/1 \
	    "$DRFSLIDES" fcgi --decks "$site" --templates "$tpl" --static "$stat" \
	    </dev/null >"$TMPD/canary-self" 2>/dev/null
	contains "$TMPD/canary-self" "$canary" \
	    "the canary deck is served from its own directory (the check can fail)"
	grep -rlF "$canary" "$out" >"$TMPD/leaks" 2>/dev/null
	check "no answer ever held the canary file outside the deck directory" \
	    test ! -s "$TMPD/leaks"
	sed 's/^/#   leaked in: /' "$TMPD/leaks"
}

start_both
