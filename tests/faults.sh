#!/bin/sh
# faults.sh: "drfslides fcgi" behind a private nginx when things go wrong
# around it: a deck truncated, rewritten and renamed over while 64 connections
# read it; the templates and static directories removed at run time; too few
# file descriptors; ten thousand names of decks that do not exist.
# (A worker killed under load is in fcgi.sh.)
# shellcheck disable=SC1091,SC2016,SC2086,SC3045
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
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
OUT=$TMPD/out
mkdir -p "$DECKS" "$OUT" || exit 99
cp -R "$top_srcdir/templates" "$TPL" && cp -R "$top_srcdir/static" "$STATIC" || exit 99
chmod -R u+w "$SITE"
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_CONTROL DRFSLIDES_CACHE_MB LISTEN_FDS LISTEN_PID
export DRFSLIDES_DECKS="$DECKS" DRFSLIDES_TEMPLATES="$TPL" DRFSLIDES_STATIC="$STATIC"

T0=$(date +%s)
tmark() {
	echo "# $(($(date +%s) - T0)) s"
}

bail() {
	echo "Bail out! $1"
	for f in "$LOG" "$NL_DIR/error.log" "$NL_DIR/stderr"; do
		[ -s "$f" ] && sed 's/^/#   /' "$f" | tail -10
	done
	exit 1
}

# fetch [CURL_OPTION...] URL: body in $TMPD/b, status in $code.
fetch() {
	rm -f "$TMPD/b"
	code=$(curl -s --max-time 10 -o "$TMPD/b" -w '%{http_code}' "$@")
	[ -n "$code" ] || code=000
	touch "$TMPD/b"
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
	nl_wait_until 10 nl_ready "$FLOG" "$F_PID"
	nl_logged "$FLOG" "$F_PID" || { nl_stop "$F_PID"; F_PID=; }
done
[ -n "$F_PID" ] || bail "drfslides fcgi under ulimit -n 16 did not start"
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/fd.conf" "$SOCK" fd.invalid
sed -i -e "s|unix:$SOCK|127.0.0.1:$F_PORT|" \
    -e 's|^\( *\)fastcgi_pass |\1fastcgi_read_timeout 3s;\n\1fastcgi_pass |' "$TMPD/fd.conf"
nginx_start "" "$TMPD/main.conf" "$TMPD/fd.conf" || bail "nginx did not start"
U=$NGINX_URL
echo "# nginx on port $NGINX_PORT"

tmark
# ============================================================ torn reads

# The URLs read under load: every page of both versions (10 to 13 exist only
# in B), the entry page, the display frame and the index.
urls() {
	for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 13; do echo "/slides/v/$n"; done
	echo /slides/v/
	echo /slides/v/display
	echo /slides/
}
urls >"$TMPD/urls"

# snapshot TAG: fetches every URL once; "URL STATUS MD5" lines in $TMPD/TAG.
snapshot() {
	: >"$TMPD/$1"
	while read -r u; do
		fetch "$U$u"
		echo "$u $code $(md5sum <"$TMPD/b" | cut -c1-32)" >>"$TMPD/$1"
		cp "$TMPD/b" "$TMPD/$1.$(echo "$u" | tr '/' '_')"
	done <"$TMPD/urls"
}
snapshot A
install_deck "$TMPD/B.drf"
snapshot B
install_deck "$TMPD/A.drf"
bad=$(awk '$2 != 200 && !($1 ~ /\/1[0-3]$/ && $2 == 404)' "$TMPD/A" "$TMPD/B")
is "$bad" "" "both versions answer (A's pages 10 to 13 are 404)"
# Every expected body holds its version's mark and never the other's.
bad=
for f in "$TMPD"/A._slides_v_* "$TMPD"/B._slides_v_*; do
	v=${f##*/}
	v=${v%%.*}
	o=A
	[ "$v" = A ] && o=B
	case $f in *_1[0-3]) [ "$v" = A ] && continue ;; esac
	grep -q "version-$v" "$f" && ! grep -q "version-$o" "$f" || bad="$bad ${f##*/}"
done
is "$bad" "" "every page, entry page and display frame carries its version's mark only"
bad=
for n in 0 1 2 3 4 5 6 7 8 9; do
	grep -q "version-A page $n of 10<" "$TMPD/A._slides_v_$n" &&
	    grep -q "data-page=\"$n\" data-total=\"10\"" "$TMPD/A._slides_v_$n" || bad="$bad A$n"
done
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 13; do
	grep -q "version-B page $n of 14<" "$TMPD/B._slides_v_$n" &&
	    grep -q "data-page=\"$n\" data-total=\"14\"" "$TMPD/B._slides_v_$n" || bad="$bad B$n"
done
is "$bad" "" "each page's text and counter agree with its version's page count"

# The writer: every 0.3 s one of three saves, with the server checking the
# file on every request:
#   rename:   a new version moved over the deck (what careful editors do);
#   rewrite:  the other version written in place with one write(2);
#   truncate: the deck emptied, left empty for 0.3 s, then written in place.
# An empty deck is an editor between truncating and writing: the server keeps
# the last good version (it would otherwise be a deck of no pages, and every
# page a 404). An in-place write is one write(2) of the whole file, but the
# kernel grows the file a page at a time: a reader between two pages sees a
# shorter deck of 4096 or 8192 bytes, and the server, which does not take a
# deck of whole 4 KiB blocks until it is a second old if it has an older
# version, must not serve it. (The versions' own sizes are not such sizes.)
writer() {
	rm -f "$TMPD/stop-writer"
	(
		i=0
		while [ ! -e "$TMPD/stop-writer" ]; do
			if [ $((i % 2)) -eq 0 ]; then v=B; else v=A; fi
			case $((i % 3)) in
			0) install_deck "$TMPD/$v.drf" ;;
			1) cat "$TMPD/$v.drf" >"$DECK" ;;
			2) : >"$DECK"; sleep 0.3; cat "$TMPD/$v.drf" >"$DECK" ;;
			esac
			i=$((i + 1))
			echo "$i" >"$TMPD/writes"
			sleep 0.3
		done
	) &
	wr_pid=$!
	nl_track "$wr_pid"
}

# One round: 1,700 requests (100 of each URL) through 64 parallel connections.
n=0
while [ "$n" -lt 100 ]; do
	while read -r u; do
		echo "url = \"$U$u\""
		echo "output = \"$OUT/r$n$(echo "$u" | tr '/' '_')\""
	done <"$TMPD/urls"
	n=$((n + 1))
done >"$TMPD/round.cfg"

writer
t_end=$(($(date +%s) + 8))
round=0
: >"$TMPD/results"
while [ "$(date +%s)" -lt "$t_end" ] || [ "$round" -lt 3 ]; do
	round=$((round + 1))
	mkdir -p "$OUT/$round"
	sed "s|$OUT/|$OUT/$round/|" "$TMPD/round.cfg" >"$TMPD/round.$round.cfg"
	curl -s --parallel --parallel-immediate --parallel-max 64 --max-time 10 \
	    -w '%{http_code} %{filename_effective}\n' -K "$TMPD/round.$round.cfg" \
	    >>"$TMPD/results" 2>/dev/null
done
touch "$TMPD/stop-writer"
nl_wait_until 5 nl_gone "$wr_pid"
nl_stop "$wr_pid"
writes=$(cat "$TMPD/writes")
total=$(wc -l <"$TMPD/results" | tr -d ' ')
echo "# $total requests in $round rounds of 64 connections; $writes saves of the deck"
[ "$writes" -ge 15 ] && [ "$total" -ge 5000 ]
ok $? "the deck was saved at least 15 times under at least 5,000 requests"

# Every answer is one version's rendering, whole: its status and its bytes are
# those of A or of B for the same URL (pages 10 to 13: B's, or A's 404).
awk '{ print $1, $2 " " $3 }' "$TMPD/A" "$TMPD/B" | sort -u >"$TMPD/expected"
awk '{ print $2 }' "$TMPD/results" | (cd / && xargs md5sum 2>/dev/null) >"$TMPD/sums"
awk 'FILENAME == ARGV[1] { sum[$2] = $1; next }
    {
	u = $2; sub(/^.*\/r[0-9]+_/, "", u); gsub(/_/, "/", u)
	print "/" u, $1, ($2 in sum) ? sum[$2] : "none"
    }' "$TMPD/sums" "$TMPD/results" >"$TMPD/got"
awk 'NR == FNR { want[$0] = 1; next } !($0 in want)' "$TMPD/expected" "$TMPD/got" \
    >"$TMPD/torn"
is "$(wc -l <"$TMPD/torn" | tr -d ' ')" 0 "no error status and no torn body: every answer is version A's or B's, whole"
head -5 "$TMPD/torn" | sed 's/^/#   /'
grep -c ' 200 ' "$TMPD/got" | sed 's/^/# answers 200: /'
is "$(awk '$2 != 200 && $2 != 404' "$TMPD/got" | wc -l | tr -d ' ')" 0 "no status but 200 and 404 (A's missing pages)"
seen=$(awk '$1 == "/slides/v/3" { print $3 }' "$TMPD/got" | sort -u | wc -l | tr -d ' ')
is "$seen" 2 "both versions were served during the load"
grep -q 'the file is empty (serving the last good version)' "$LOG"
ok $? "the log says an emptied deck is not loaded and the last good version is served"
is "$(grep -c 'killed by signal\|exited with' "$LOG")" 0 "no worker died"
install_deck "$TMPD/A.drf"
rm -rf "${OUT:?}"/*

# A save caught between two pages, made by hand: B's first 4096 bytes written
# in place, then the rest. The half-written deck is not served; the whole one
# is. (Each worker keeps its own last good version: A's or B's.)
for _ in 1 2 3 4 5 6; do fetch "$U/slides/v/3"; done
head -c 4096 "$TMPD/B.drf" >"$DECK"
bad=
for _ in 1 2 3 4 5 6; do
	fetch "$U/slides/v/3"
	cmp -s "$TMPD/b" "$TMPD/A._slides_v_3" || cmp -s "$TMPD/b" "$TMPD/B._slides_v_3" ||
		bad="$bad $code:$(grep -o 'data-total="[0-9]*"' "$TMPD/b")"
	fetch "$U/slides/v/9"
	[ "$code" = 200 ] || bad="$bad page9:$code"
done
is "$bad" "" "half-saved (4096 bytes of B, just written): pages 3 and 9 are a whole version's, not the half deck's"
tail -c +4097 "$TMPD/B.drf" >>"$DECK"
fetch "$U/slides/v/3"
cmp -s "$TMPD/b" "$TMPD/B._slides_v_3"
ok $? "the save completed: page 3 is B's at once"
head -c 4096 "$TMPD/B.drf" >"$DECK"
short=$(head -c 4096 "$TMPD/B.drf" | grep -c '^----')
sleep 1.2
fetch "$U/slides/v/3"
contains "$TMPD/b" "data-total=\"$short\"" \
    "a deck of 4096 bytes left alone for more than a second is taken as it is ($short pages)"
install_deck "$TMPD/A.drf"

tmark
# ============================================================ templates removed

# Cached now: page 0 of version A (and display, entry) rendered by the test above.
fetch "$U/slides/v/0"
is "$code" 200 "before: page 0 answers"
cp "$TMPD/b" "$TMPD/p0.before"
before=$(grep -c 'templates' "$LOG")
mv "$TPL" "$TPL.gone"
sleep 0.2
bad=
for _ in 1 2 3 4; do
	# Several requests, so that both workers notice.
	fetch "$U/slides/v/0"
	[ "$code" = 200 ] && cmp -s "$TMPD/b" "$TMPD/p0.before" || bad="$bad cached:$code"
done
is "$bad" "" "templates removed: a cached page still answers 200, the same bytes"
# Not cached: a deck added after the templates went away, and the index,
# which is rendered on every request; the error pages need a template too.
install_deck "$TMPD/B.drf"
cp "$TMPD/A.drf" "$DECKS/w.drf"
fetch "$U/slides/w/7"
is "$code" 200 "templates removed: a page of a new deck renders (the old templates stay in use)"
contains "$TMPD/b" 'version-A page 7 of 10<' "templates removed: the new deck's page is its page"
fetch "$U/slides/v/12"
is "$code" 200 "templates removed: a page of a changed deck renders"
fetch "$U/slides/"
is "$code" 200 "templates removed: the index renders"
contains "$TMPD/b" 'href="w/"' "templates removed: the index lists the new deck"
fetch "$U/slides/nosuch/"
is "$code" 404 "templates removed: a missing deck is still a 404"
contains "$TMPD/b" 'nosuch' "templates removed: the 404 page is rendered from the kept error template"
grep "templates" "$LOG" | sed -n "$((before + 1)),\$p" >"$TMPD/tlog"
grep -q "$TPL" "$TMPD/tlog"
r=$?
ok $r "templates removed: the log names the templates that failed to load"
[ $r -eq 0 ] || sed 's/^/#   /' "$LOG" | tail -5
lines=$(grep -c "$TPL" "$TMPD/tlog")
[ "$lines" -ge 1 ] && [ "$lines" -le 2 ]
ok $? "templates removed: logged once by each worker that noticed, not on every request ($lines)"
mv "$TPL.gone" "$TPL"
touch "$TPL/page.html"
sleep 0.2
for _ in 1 2 3 4; do fetch "$U/slides/v/0"; done
contains "$LOG" "$TPL: templates reloaded" "templates back: they are loaded again"
is "$code" 200 "templates back: pages answer"

# A deck that breaks, then a template that changes: the last good version is
# still served (rendered with the templates it was rendered with), and once
# the deck is repaired its pages carry the new template.
install_deck "$TMPD/A.drf"
for _ in 1 2 3 4 5 6; do fetch "$U/slides/v/4"; done
{ cat "$TMPD/A.drf"; printf 'broken \377 line\n'; } >"$DECKS/.v.tmp" && mv -f "$DECKS/.v.tmp" "$DECK"
for _ in 1 2 3 4 5 6; do fetch "$U/slides/v/4"; done
cmp -s "$TMPD/b" "$TMPD/A._slides_v_4"
ok $? "broken deck: the last good page is served"
bl=$(($(wc -l <"$TMPD/A.drf") + 1))
contains "$LOG" "v.drf:$bl: error" "broken deck: the error is logged with file:line"
before=$(grep -c "v.drf:$bl: error" "$LOG")
cp "$TPL/page.html" "$TMPD/page.html.orig"
sed 's|</body>|<!-- TPL-MARK-2 --></body>|' "$TMPD/page.html.orig" >"$TPL/page.html"
sleep 0.2
bad=
for _ in 1 2 3 4 5 6; do
	fetch "$U/slides/v/4"
	[ "$code" = 200 ] && grep -q 'version-A page 4 of 10<' "$TMPD/b" || bad="$bad $code"
done
is "$bad" "" "broken deck, templates changed: its last good version is still served"
after=$(grep -c "v.drf:$bl: error" "$LOG")
[ "$after" -ge 1 ] && [ $((after - before)) -le 2 ]
ok $? "broken deck, templates changed: the error is logged at most once more by each worker ($before -> $after)"
install_deck "$TMPD/A.drf"
bad=
for _ in 1 2 3 4 5 6; do
	fetch "$U/slides/v/4"
	grep -q 'TPL-MARK-2' "$TMPD/b" && grep -q 'version-A page 4 of 10<' "$TMPD/b" || bad="$bad $code"
done
is "$bad" "" "deck repaired: its pages carry the new template"
cp "$TMPD/page.html.orig" "$TPL/page.html"

# The static assets (here read by drfslides itself, not nginx): a removed
# directory makes them 404, nothing else.
cgi_get() {
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME=/slides PATH_INFO="$1" \
	    REQUEST_URI="/slides$1" QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 \
	    GATEWAY_INTERFACE=CGI/1.1 cgi-fcgi -bind -connect "$SOCK" </dev/null 2>/dev/null |
	    head -1 | tr -d '\r'
}
is "$(cgi_get /static/drfslides.css)" "Status: 200 OK" "a static asset answers from --static"
mv "$STATIC" "$STATIC.gone"
is "$(cgi_get /static/drfslides.css)" "Status: 404 Not Found" "static directory removed: the asset is 404"
is "$(cgi_get /v/1)" "Status: 200 OK" "static directory removed: pages still answer"
mv "$STATIC.gone" "$STATIC"
is "$(cgi_get /static/drfslides.css)" "Status: 200 OK" "static directory back: the asset answers again"

tmark
# ============================================================ ten thousand missing decks

workers=$(drf_workers "$B_PID")
# Warm up both workers' 404 path and allocator arenas first.
curl -s --parallel --parallel-max 16 -o /dev/null "$U/slides/warm[1-400]/" 2>/dev/null
rss0=$(rss_kib $workers)
curl -s --parallel --parallel-max 8 --max-time 60 -o /dev/null -w '%{http_code}\n' \
    "$U/slides/nosuch[1-10000]/" >"$TMPD/missing" 2>/dev/null
rss1=$(rss_kib $workers)
is "$(grep -c '^404$' "$TMPD/missing")" 10000 "10,000 distinct missing deck names: 10,000 404s"
echo "# workers' RSS: $rss0 KiB before, $rss1 KiB after"
if nm "$DRFSLIDES" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
	# A sanitizer's quarantine and shadow memory are not the program's.
	ok 0 "# SKIP RSS of a sanitizer build"
else
	[ "$rss0" -gt 0 ] && [ "$rss1" -lt $((rss0 + 8192)) ]
	ok $? "10,000 missing deck names: the workers' RSS grew by less than 8 MiB ($((rss1 - rss0)) KiB)"
fi
is "$(drf_workers "$B_PID" | sort | tr '\n' ' ')" "$(echo "$workers" | sort | tr '\n' ' ')" \
    "10,000 missing deck names: the same workers serve"
fetch "$U/slides/v/1"
is "$code" 200 "after 10,000 missing names the decks answer"

drf_stop "$B_PID" 10
ok $? "SIGTERM stops the server"

tmark
# ============================================================ too few descriptors

# One process (--workers 0) asked for 16 threads under "ulimit -n 16". A
# thread waiting in accept() holds a descriptor, and one serving may open a
# file besides its connection: the server runs only the threads that fit
# (about 6 here) and says so, rather than leave no descriptor for the decks.
is "$(awk '/^Max open files/ { print $4 }' "/proc/$F_PID/limits")" 16 "ulimit -n 16: the server runs with 16 descriptors"
grep -Eq "only 16 descriptors \(ulimit -n\), [0-9]+ in use: running [0-9]+ threads, not 16" "$FLOG"
r=$?
ok $r "ulimit -n 16: the server logs that it runs fewer threads than asked"
[ $r -eq 0 ] || sed 's/^/#   /' "$FLOG" | tail -5
fetch -H 'Host: fd.invalid' "$U/slides/v/1"
is "$code" 200 "ulimit -n 16: a page answers"
# More connections than descriptors: 64 at once through nginx, 640 requests,
# to both decks; the excess waits in the listen backlog.
curl -s --parallel --parallel-immediate --parallel-max 64 --max-time 20 -H 'Host: fd.invalid' \
    -w '%{http_code}\n' -o /dev/null "$U/slides/v/[0-9]?n=[1-32]" \
    -o /dev/null "$U/slides/w/[0-9]?n=[1-32]" >"$TMPD/fdcodes" 2>/dev/null
is "$(grep -c '^200$' "$TMPD/fdcodes")" 640 "ulimit -n 16: 64 connections at once, 640 requests: all 200"
lacks "$FLOG" "Too many open files" "ulimit -n 16: no descriptor ran out"

# Then the limit drops under the process (prlimit) to the descriptors it has
# open: every accept() fails with EMFILE. Requests through nginx wait and fail
# (504 after fastcgi_read_timeout 3s); the server must log why, must not spin,
# and must serve again once the limit is back.
if command -v prlimit >/dev/null 2>&1; then
	# The lowest descriptor not open (those held by threads waiting in
	# accept() are taken already, though /proc does not list them).
	lim=$(ls "/proc/$F_PID/fd" | awk '{ open[$1] = 1 }
	    END { for (n = 0; n in open; n++); print n }')
	prlimit --pid "$F_PID" --nofile="$lim:16"
	ok $? "prlimit: the descriptor limit drops to $lim, the descriptors open"
	curl -s --parallel --parallel-immediate --parallel-max 64 --max-time 10 \
	    -H 'Host: fd.invalid' -o /dev/null -w '%{http_code}\n' \
	    "$U/slides/v/[0-9]?m=[1-6]" >"$TMPD/fdcodes" 2>/dev/null
	echo "# 60 requests with no descriptor free:$(sort "$TMPD/fdcodes" | uniq -c | tr '\n' ' ' | tr -s ' ')"
	t0=$(cpu_ticks "$F_PID")
	sleep 2
	t1=$(cpu_ticks "$F_PID")
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	echo "# CPU with no descriptor free: $((t1 - t0)) ticks in 2 s (CLK_TCK $hz)"
	[ $((t1 - t0)) -lt $((hz / 2)) ]
	ok $? "out of descriptors: the server does not spin (< 25% of a CPU)"
	nl_alive "$F_PID"
	ok $? "out of descriptors: the server is alive"
	grep -q 'accept: Too many open files; retrying' "$FLOG"
	r=$?
	ok $r "out of descriptors: the log says why it cannot accept"
	[ $r -eq 0 ] || sed 's/^/#   /' "$FLOG" | tail -5
	lines=$(grep -c 'Too many open files' "$FLOG")
	[ "$lines" -le 20 ]
	ok $? "out of descriptors: the cause is logged at most once a second ($lines lines)"
	prlimit --pid "$F_PID" --nofile=16:16
	fd_ok() {
		fetch -H 'Host: fd.invalid' "$U/slides/v/2"
		[ "$code" = 200 ]
	}
	nl_wait_until 10 fd_ok
	is "$code" 200 "limit back to 16: the server answers 200 again"
	curl -s --parallel --parallel-max 64 --max-time 10 -H 'Host: fd.invalid' -w '%{http_code}\n' \
	    -o /dev/null "$U/slides/v/[0-9]" -o /dev/null "$U/slides/w/?page=[1-9]" \
	    >"$TMPD/fdcodes2" 2>/dev/null
	is "$(grep -c '^200$' "$TMPD/fdcodes2")" 19 "limit back to 16: 19 requests at once all answer 200"
else
	ok 0 "# SKIP prlimit is not installed"
fi
nl_alive "$F_PID"
ok $? "ulimit -n 16: the server never crashed"
drf_stop "$F_PID" 10
ok $? "ulimit -n 16: SIGTERM stops the server"

done_testing
