# assets-lib.sh: the setup of the assets-*.sh tests: a scratch deck "pics"
# with its folder of pictures and hostile files, canary files beside the deck
# directory that no answer may hold, and the front ends that serve them.
# Source it first: it sources lib.sh and starts the servers of the script.
# shellcheck shell=bash disable=SC1091,SC2016,SC2034,SC2086,SC2154
# Bash for /dev/tcp and arrays: under another shell, start again in bash
# (before lib.sh makes its scratch directory).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"

command -v timeout >/dev/null 2>&1 || skip_all "timeout is not installed"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"
export LC_ALL=C

# ---------------------------------------------------------------------------
# The scratch tree: a deck "pics" with its folder, and canary files beside
# the deck directory that no answer may ever hold.
site=$TMPD/site
decks=$site/decks
pics=$decks/pics
out=$TMPD/r
HTTP_OUT=$out
BAIL_LOGS="$BAIL_LOGS $TMPD/drf.log"
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

# assets_servers: "serve --plain" at $plain ($plain_pid), "serve" at $dev,
# "drfslides fcgi" ($FCGI_PID) behind nginx at $ngx with the shipped server
# block twice; $direct_root is 0 when the block's asset root could be set.
assets_servers() {
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
	direct_root=$?
	# nginx would otherwise buffer the 200 MiB answer in a temporary file.
	nginx_start "    fastcgi_max_temp_file_size 0;" "$TMPD/fcgi.conf" "$TMPD/direct.conf" ||
		bail "nginx did not start"
	ngx=$NGINX_URL/slides
}

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
	http_get "$n" "$base$p" "${host[@]}" "$@"
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

# assets_no_leak: no answer this script saved holds the canary.
assets_no_leak() {
	grep -rlF "$canary" "$out" >"$TMPD/leaks" 2>/dev/null
	check "no answer ever held the canary outside the deck's folder" test ! -s "$TMPD/leaks"
	sed 's/^/#   leaked in: /' "$TMPD/leaks"
}

assets_servers
