# faults-lib.sh: the setup of the faults-*.sh tests: a deck in two versions
# (A of 10 pages, B of 14) in a site of its own, "drfslides fcgi" with two
# workers behind nginx, and a second backend under "ulimit -n 16".
# Source it after lib.sh; every script starts its own servers.
# shellcheck shell=sh disable=SC1091,SC2016,SC2034,SC2086,SC2154,SC3045
. "$top_srcdir/tests/nginx-lib.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi (libfcgi-bin) is not installed"
curl --help all 2>/dev/null | grep -q -- '--parallel-max' ||
	skip_all "curl has no --parallel (7.66 or later is needed)"

export LC_ALL=C
SITE=$TMPD/site
DECKS=$SITE/decks
TPL=$SITE/templates
STATIC=$SITE/static
DECK=$DECKS/v.drf
SOCK=$TMPD/s.sock
LOG=$TMPD/drf.log
BAIL_LOGS="$BAIL_LOGS $LOG"
OUT=$TMPD/out
mkdir -p "$DECKS" "$OUT" || exit 99
cp -R "$top_srcdir/templates" "$TPL" && cp -R "$top_srcdir/static" "$STATIC" || exit 99
chmod -R u+w "$SITE"
export DRFSLIDES_DECKS="$DECKS" DRFSLIDES_TEMPLATES="$TPL" DRFSLIDES_STATIC="$STATIC"

T0=$(date +%s)
tmark() {
	echo "# $(($(date +%s) - T0)) s"
}

# version MARK PAGES: a deck whose title and every page carry MARK and the
# page count, so that a page of one version differs from the other's on
# every line that matters.
version() {
	awk -v m="$1" -v n="$2" 'BEGIN {
		print "#title Faults " m " (" n " pages)"
		for (p = 0; p < n; p++) {
			print "----"
			print "<p>" m " page " p " of " n "</p>"
			for (l = 0; l < 12; l++)
				print m " filler line " l " of page " p " of " n
		}
	}'
}
version version-A 10 >"$TMPD/A.drf"
version version-B 14 >"$TMPD/B.drf"
for v in A B; do
	[ $(($(wc -c <"$TMPD/$v.drf") % 4096)) -ne 0 ] ||
		bail "version $v is a whole number of 4 KiB blocks"
done

# install FILE: a version moved over the deck by rename (an atomic save).
install_deck() {
	cp "$1" "$DECKS/.v.tmp" && mv -f "$DECKS/.v.tmp" "$DECK"
}

# rss_kib PID...: the summed VmRSS of processes, in KiB.
rss_kib() {
	s=0
	for p in "$@"; do
		k=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		s=$((s + ${k:-0}))
	done
	echo "$s"
}

# cpu_ticks PID: user + system clock ticks the process has used.
cpu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}


# faults_servers: version A installed, "drfslides fcgi" with two workers of
# eight threads ($B_PID) behind nginx at $U, and the backend with too few
# descriptors ($F_PID on $F_PORT, server name fd.invalid).
faults_servers() {
	install_deck "$TMPD/A.drf"

	# Two workers of eight threads, every request checks the file (--stat-interval 0).
	drf_start "$SOCK" "$LOG" --workers 2 --threads 8 --stat-interval 0 ||
		bail "drfslides fcgi --listen $SOCK did not start"
	B_PID=$DRF_PID

	nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/main.conf" "$SOCK"
	sed -i "s|$top_srcdir/static/|$STATIC/|" "$TMPD/main.conf"
	# A second backend with too few descriptors (see the end), on its own server
	# name and port, started now so that nginx knows its port.
	FLOG=$TMPD/fd.log
	F_PID=
	try=0
	while [ "$try" -lt 10 ] && [ -z "$F_PID" ]; do
		try=$((try + 1))
		F_PORT=$(nl_random_port)
		(
			ulimit -n 16 || exit 99
			exec "$DRFSLIDES" fcgi --listen "127.0.0.1:$F_PORT" --workers 0 \
			    --threads 16 --stat-interval 0
		) 2>>"$FLOG" </dev/null &
		F_PID=$!
		nl_track "$F_PID"
		nl_serving "$F_PID" "$FLOG" || F_PID=
	done
	[ -n "$F_PID" ] || bail "drfslides fcgi under ulimit -n 16 did not start"
	nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/fd.conf" "$SOCK" fd.invalid
	sed -i -e "s|unix:$SOCK|127.0.0.1:$F_PORT|" \
	    -e 's|^\( *\)fastcgi_pass |\1fastcgi_read_timeout 3s;\n\1fastcgi_pass |' "$TMPD/fd.conf"
	nginx_start "" "$TMPD/main.conf" "$TMPD/fd.conf" || bail "nginx did not start"
	U=$NGINX_URL
	echo "# nginx on port $NGINX_PORT"

	tmark
}
