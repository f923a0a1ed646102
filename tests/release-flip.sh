#!/bin/sh
# release-flip.sh: a decks root that is a symbolic link, flipped from one
# release folder to the next as release tools do ("ln -s r2 tmp && mv -T tmp
# decks"), under load through nginx and "drfslides fcgi" (two workers): every
# page, glossary entry, file and index says which release it is from, and no
# answer fails or mixes two releases (a print view: the pages and the
# glossary of one release); a flip is picked up within the stat interval;
# a symbolic link inside a release is never followed out of it.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_CONTROL LISTEN_FDS LISTEN_PID

# release N: the folder rN, each of whose answers names release-N.
mkdir -p "$TMPD/outside" || exit 99
printf 'canary-3f1e outside\n' >"$TMPD/outside/leak.txt"
printf '#title canary-3f1e\n--- x\ncanary-3f1e\n' >"$TMPD/outside/leak.drf"
release() {
	r=$TMPD/r$1
	mkdir -p "$r/glossary" "$r/alpha" "$r/beta" || exit 99
	for d in alpha beta; do
		{
			printf '#title %s of release-%s\n' "$d" "$1"
			printf '#define GLS() glossary/$1.html\n'
			for p in 0 1 2 3; do
				printf -- '--- page %s\nrelease-%s, %s page %s: <a href="GLS(%s)">term</a>\n' \
				    "$p" "$1" "$d" "$p" "t$p"
			done
		} >"$r/$d.drf"
		printf 'file of release-%s\n' "$1" >"$r/$d/notes.txt"
		ln -s ../../outside/leak.txt "$r/$d/leak.txt"
	done
	for t in t0 t1 t2 t3; do
		printf '<p>%s of release-%s</p>\n' "$t" "$1" >"$r/glossary/$t.html"
	done
	ln -s ../outside/leak.drf "$r/leak.drf"
}
release 1
release 2
release 3
ln -s r1 "$TMPD/decks" || exit 99

# flip N: points the root at rN in one rename.
flip() {
	rm -f "$TMPD/next"
	ln -s "r$1" "$TMPD/next" && mv -T "$TMPD/next" "$TMPD/decks"
}

SOCK=$TMPD/s.sock
LOG=$TMPD/drf.log
BAIL_LOGS="$LOG"
drf_start "$SOCK" "$LOG" --workers 2 --threads 4 --stat-interval 200 \
    --decks "$TMPD/decks" || bail "drfslides fcgi did not start"
nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
nginx_start "" "$TMPD/site.conf" || bail "nginx did not start"
U=$NGINX_URL/slides

# judge OUT: one line per answer of an http_load: "STATUS URL N RELEASES",
# N the number of releases its body names.
judge() {
	cat "$1".[0-9]* | awk '
	/^@@ / {
		n = 0; list = ""
		for (m in seen) { n++; list = list m " " }
		print $2, $NF, n, list
		delete seen
		next
	}
	{
		s = $0
		while (match(s, /release-[0-9]+/)) {
			seen[substr(s, RSTART, RLENGTH)] = 1
			s = substr(s, RSTART + RLENGTH)
		}
	}'
}

fetch "$U/alpha/print"
is "$code" 200 "the print view of release 1"
is "$(grep -c 'release-1, alpha page [0-3]' "$TMPD/b") $(grep -c 't[0-3] of release-1' "$TMPD/b")" \
    "4 4" "it holds the four pages and four glossary entries of release 1"
is "$(grep -o 'release-[0-9]*' "$TMPD/b" | sort -u)" release-1 "and names no other release"

urls=
for d in alpha beta; do
	urls="$urls $U/$d/0 $U/$d/3 $U/$d/print $U/$d/glossary/t1.html $U/$d/notes.txt $U/$d/view"
done
urls="$urls $U/ $U/alpha/leak.txt $U/leak/0"

# Load while the root flips every 0.4 s, 1 -> 2 -> 3 -> 1 ..., 15 times (at
# most 60 s on a busy machine).
http_load "$TMPD/load" 90 3 X-None $urls &
loadpid=$!
flips=0
t_end=$(($(date +%s) + 60))
while [ "$flips" -lt 15 ] && [ "$(date +%s)" -lt "$t_end" ]; do
	sleep 0.4
	flips=$((flips + 1))
	flip $((flips % 3 + 1))
done
touch "$TMPD/load.stop"
wait "$loadpid"
judge "$TMPD/load" >"$TMPD/answers"
total=$(lines "$TMPD/answers")
leaks=$(grep -c '/slides/alpha/leak\.txt \|/slides/leak/0 ' "$TMPD/answers")
echo "# $flips flips, $total answers"
check "load through the flips ($total answers, $flips flips)" test "$total" -gt 100 -a "$flips" -eq 15
grep -v '/slides/alpha/leak\.txt \|/slides/leak/0 ' "$TMPD/answers" >"$TMPD/good"
is "$(grep -vc '^200 ' "$TMPD/good")" 0 "no answer failed"
grep -v '^200 ' "$TMPD/good" | head -3 | sed 's/^/#   /'
# Why, if some did: what nginx and drfslides said of it.
if grep -qv '^200 ' "$TMPD/good"; then
	grep -h 'upstream\|connect()' "$NL_DIR/error.log" 2>/dev/null | head -5 | sed 's/^/#   nginx: /'
	grep -v 'serving ' "$LOG" | head -10 | sed 's/^/#   drfslides: /'
fi
is "$(awk '$3 != 1' "$TMPD/good" | wc -l)" 0 "every answer names exactly one release: none mixes two"
awk '$3 != 1' "$TMPD/good" | head -3 | sed 's/^/#   /'
for r in 1 2 3; do
	n=$(grep -c " release-$r $" "$TMPD/good")
	check "answers from release $r ($n)" test "$n" -gt 0
done
for p in print glossary/t1.html notes.txt; do
	n=$(grep -c "/slides/alpha/$p 1 " "$TMPD/good")
	check "alpha/$p answered through the flips ($n times)" test "$n" -gt 5
done
check "the root's links out of a release were asked ($leaks times)" test "$leaks" -gt 0
is "$(grep '/slides/alpha/leak\.txt \|/slides/leak/0 ' "$TMPD/answers" | grep -vc '^404 ')" 0 \
    "a link out of the release, a file or a deck, is 404 every time"
cat "$TMPD"/load.[0-9]* >"$TMPD/bodies"
lacks "$TMPD/bodies" canary-3f1e "nothing outside the releases was sent"

# Picked up within the interval: the last flip, then every answer of the
# next second names it.
flip 2
sleep 0.5
http_batch "$TMPD/after" X-None "$U/alpha/0" "$U/beta/3" "$U/alpha/notes.txt" \
    "$U/alpha/glossary/t2.html"
is "$(grep -c '^200 ' "$TMPD/after")" 4 "after the last flip, four answers"
for u in alpha/0 beta/3 alpha/notes.txt alpha/glossary/t2.html; do
	fetch "$U/$u"
	contains "$TMPD/b" "release-2" "$u: release 2, 0.5 s after the flip (interval 0.2 s)"
done
fetch "$U/"
contains "$TMPD/b" "alpha of release-2" "the index: release 2"
lacks "$TMPD/b" "release-1" "the index names no other release"
lacks "$TMPD/b" "release-3" "... neither release 3"
lacks "$LOG" "error" "the server logged no error"
check "no worker died and was replaced" sh -c '! grep -q "killed by signal\|exited with" "$1"' sh "$LOG"
done_testing
