#!/bin/sh
# faults-torn.sh: "drfslides fcgi" behind nginx while 64 connections read a
# deck that is truncated, rewritten in place and renamed over: every answer
# is a whole version, never a torn one.
# shellcheck disable=SC1091,SC2016,SC2086,SC3045
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/faults-lib.sh"
faults_servers

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

# The load goes on for 8 s and 3 rounds at least, and until the writer has
# saved 15 times (a busy machine saves less often), but never past 40 s.
writer
t_end=$(($(date +%s) + 8))
t_cap=$((t_end + 32))
round=0
: >"$TMPD/results"
saves() { cat "$TMPD/writes" 2>/dev/null || echo 0; }
while [ "$(date +%s)" -lt "$t_cap" ] &&
    { [ "$(date +%s)" -lt "$t_end" ] || [ "$round" -lt 3 ] || [ "$(saves)" -lt 15 ]; }; do
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
# Only answers given while the save is under a second old are judged: later,
# the rule takes the file as whole (a slow machine may get there first).
head -c 4096 "$TMPD/B.drf" >"$DECK"
t0=$(now_ms)
bad=
judged=0
for _ in 1 2 3 4 5 6; do
	this=
	fetch "$U/slides/v/3"
	cmp -s "$TMPD/b" "$TMPD/A._slides_v_3" || cmp -s "$TMPD/b" "$TMPD/B._slides_v_3" ||
		this=" $code:$(grep -o 'data-total="[0-9]*"' "$TMPD/b")"
	fetch "$U/slides/v/9"
	[ "$code" = 200 ] || this="$this page9:$code"
	[ $(($(now_ms) - t0)) -lt 900 ] || break
	bad="$bad$this"
	judged=$((judged + 1))
done
if [ "$judged" -gt 0 ]; then
	is "$bad" "" "half-saved (4096 bytes of B, just written): pages 3 and 9 are a whole version's, not the half deck's ($judged rounds)"
else
	skip "half-saved (4096 bytes of B, just written): pages 3 and 9 are a whole version's" "no answer came within 0.9 s of the save"
fi
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

done_testing
