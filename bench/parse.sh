#!/bin/sh
# parse.sh: the parse benchmark. Generates decks of five shapes (an ordinary
# lecture deck and four built to make a define table expensive) at several
# sizes, times bench/bench-engine's load (read, decode, parse, expand) on each
# with one or more builds side by side (CPU time of the load, which other
# jobs on the machine disturb less than the clock), and prints the seconds
# per MiB and the
# ratio time(largest) / time(smallest) per shape and build: a linear parser
# has a ratio near largest / smallest (16 for 16 MiB against 1 MiB). Not a
# test: it prints, it does not judge, and "make check" never runs it.
#
# usage: parse.sh [-k] [-r ROUNDS] [-s "SIZES"] [-t SECONDS] [-b BUILD]...
#   -k          keep the generated decks in bench/out/parse/
#   -r ROUNDS   runs per deck and build, the best counts (default 3)
#   -s SIZES    deck sizes in MiB (default "1 4 16")
#   -t SECONDS  give up a run after this long (default 300); shown as ">SECONDS"
#   -b BUILD    a build directory holding bench/bench-engine (default "."),
#               repeatable: "-b OLD -b ." compares two builds
# Run from the build directory (normally through "make bench-parse"); srcdir,
# the source tree, defaults to the directory above this script.

set -eu

srcdir=${srcdir:-$(dirname "$0")/..}
keep=0
rounds=3
sizes="1 4 16"
limit=300
builds=
while getopts kr:s:t:b: opt; do
	case $opt in
	k)	keep=1 ;;
	r)	rounds=$OPTARG ;;
	s)	sizes=$OPTARG ;;
	t)	limit=$OPTARG ;;
	b)	builds="$builds $OPTARG" ;;
	*)	echo "usage: parse.sh [-k] [-r ROUNDS] [-s SIZES] [-t SECONDS] [-b BUILD]..." >&2
		exit 2 ;;
	esac
done
[ -n "$builds" ] || builds=.
for b in $builds; do
	if [ ! -x "$b/bench/bench-engine" ]; then
		echo "parse.sh: $b/bench/bench-engine is not built; run 'make bench/bench-engine' there" >&2
		exit 1
	fi
done
command -v timeout >/dev/null 2>&1 || { echo "parse.sh: needs timeout(1)" >&2; exit 1; }

out=bench/out/parse
mkdir -p "$out"
cleanup() {
	if [ "$keep" -eq 0 ]; then
		rm -f "$out"/*.drf
		rmdir "$out" bench/out 2>/dev/null || :
	fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# gen SHAPE MIB FILE: writes a deck of about MIB MiB, deterministically.
#   ordinary     ten #defines and GLS(), then pages of 20 lines of lecture text
#   many         distinct #defines (half the deck), then text that uses them
#   alternating  a #define, a text line using it and the first, in turn
#   prefix       #defines ab, abab, ababab ... (a quarter of the deck), then
#                16 KB lines of "ab" runs of 1 to 64 "ab"s, and "abab..." lines
#   deep         #define a, and a...ab of 256 to 4096 a's: every position of
#                the "aaaa..." lines nearly matches the long ones
gen() {
	LC_ALL=C awk -v shape="$1" -v target="$2" '
	function out(s) { print s; size += length(s) + 1 }
	function rep(u, n,    s) { s = ""; while (n-- > 0) s = s u; return s }
	BEGIN {
		target = target * 1024 * 1024
		out("#title " shape " (benchmark)")
		if (shape == "ordinary") {
			out("#define < <")
			out("#define > >")
			out("#define _TCP_ <abbr title=\"Transmission Control Protocol\">TCP</abbr>")
			out("#define _IP_ <abbr title=\"Internet Protocol\">IP</abbr>")
			out("#define _SMTP_ <abbr>SMTP</abbr>")
			out("#define -> &rarr;")
			out("#define (C) &copy;")
			out("#define 〜 ～")
			out("#define ... &hellip;")
			out("#define _BR_ <br>")
			out("#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")")
			for (l = 0; size < target; l++) {
				if (l % 20 == 0)
					out("--- page " l / 20)
				out(sprintf("電子メールは _SMTP_ で送られ、_TCP_ -> _IP_ の順に〜 " \
				    "<a href='\''GLS(term%d)'\''>term %d</a> line %d ... <b>%d</b>%s",
				    l % 97, l % 97, l, l * 7 % 1000, l % 4 == 3 ? " _BR_" : ""))
			}
		} else if (shape == "many") {
			n = int(target / 2 / 34)
			for (k = 0; k < n; k++)
				out(sprintf("#define k%07d <b>%07d</b>", k, k))
			for (l = 0; size < target; l++) {
				if (l % 50 == 0)
					out("--- page " l / 50)
				out(sprintf("see k%07d and k%07d here", (l * 7919) % n, (l * 104729 + 3) % n))
			}
		} else if (shape == "alternating") {
			out("--- one page")
			for (k = 0; size < target; k++) {
				out(sprintf("#define w%07d x%07d", k, k))
				out(sprintf("a w%07d b w0000000 c", k))
			}
		} else if (shape == "prefix") {
			n = int(sqrt(target / 4))
			for (k = 1; k <= n; k++)
				out("#define " rep("ab", k) " <" k ">")
			for (l = 0; size < target; l++) {
				if (l % 20 == 0)
					out("--- page " l / 20)
				if (l % 8 == 7) {
					out(rep("ab", 2048))
					continue
				}
				s = ""
				for (g = 0; length(s) < 16000; g++)
					s = s rep("ab", (l * 7 + g * 13) % 64 + 1) " "
				out(s)
			}
		} else if (shape == "deep") {
			out("#define a 1")
			for (k = 1; k <= 16; k++)
				out("#define " rep("a", 256 * k) "b <" k ">")
			line = rep("a", 4000)
			for (l = 0; size < target; l++) {
				if (l % 20 == 0)
					out("--- page " l / 20)
				out(line)
			}
		}
	}' > "$3"
}

# run BUILD DECK: the best load time of the rounds (CPU seconds), or
# ">LIMIT"; sets rss to the peak RSS in MiB of the last run.
run() {
	best=
	rss=?
	r=0
	while [ "$r" -lt "$rounds" ]; do
		if ! line=$(timeout "$limit" "$1/bench/bench-engine" "$2" \
		    "$srcdir/templates" 2>/dev/null); then
			[ -n "$best" ] || best=">$limit"
			break
		fi
		t=$(echo "$line" | tr ' ' '\n' | sed -n 's/^load_cpu_s=//p')
		rss=$(echo "$line" | tr ' ' '\n' | sed -n 's/^maxrss_kib=//p')
		rss=$((rss / 1024))
		best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
		r=$((r + 1))
	done
}

shapes="ordinary many alternating prefix deep"
first=${sizes%% *}
last=${sizes##* }
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || uptime)"
printf '| shape | build |'
for s in $sizes; do printf ' %s MiB: s (s/MiB) |' "$s"; done
printf ' ratio %s/%s MiB | peak RSS at %s MiB |\n|---|---|' "$last" "$first" "$last"
for s in $sizes; do printf -- '---|'; done
printf -- '---|---|\n'
for shape in $shapes; do
	for s in $sizes; do
		gen "$shape" "$s" "$out/$shape-$s.drf"
	done
	# A freshly written deck is read once so that no run competes with its writeback.
	sync
	cat "$out/$shape"-*.drf > /dev/null
	for b in $builds; do
		printf '| %s | %s |' "$shape" "$b"
		tfirst= tlast=
		for s in $sizes; do
			f=$out/$shape-$s.drf
			mib=$(awk -v n="$(wc -c < "$f")" 'BEGIN { printf "%.2f", n / 1048576 }')
			run "$b" "$f"
			t=$best
			case $t in
			">"*)	printf ' %s |' "$t" ;;
			*)	printf ' %.3f (%.3f) |' "$t" "$(awk -v t="$t" -v m="$mib" 'BEGIN { print t / m }')" ;;
			esac
			[ "$s" = "$first" ] && tfirst=$t
			[ "$s" = "$last" ] && tlast=$t
		done
		case $tfirst in
		">"*)	ratio="n/a" ;;
		*)	ratio=$(awk -v a="$tfirst" -v b="${tlast#>}" -v c="${tlast%%[0-9]*}" \
			    'BEGIN { printf "%s%.1f", c, b / a }') ;;
		esac
		printf ' %s | %s MiB |\n' "$ratio" "$rss"
	done
done
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || uptime)"
echo "reproduce: make bench-parse   (or: srcdir=SRC sh SRC/bench/parse.sh [-k] [-r $rounds] [-s \"$sizes\"] [-t $limit] [-b BUILD]... from the build directory)"
