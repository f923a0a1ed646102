#!/bin/sh
# engine.sh: the engine benchmark. Generates a ~50 MiB deck (ten #defines, a
# GLS() call on every line), times bench/bench-engine on it (read, decode,
# parse, expand, then render every page) and GNU sed doing the same
# substitutions on the same file, checks that both produce the same text, and
# prints the figures as a Markdown table. Not a test: it prints, it does not
# judge, and "make check" never runs it.
#
# usage: engine.sh [-k] [-r ROUNDS] [-s MIB]     (normally through "make bench")
#   -k         keep the generated files in bench/out/
#   -r ROUNDS  interleaved rounds of engine and sed runs (default 5)
#   -s MIB     size of the generated deck in MiB (default 50)
# Run from the build directory (binaries ./drfslides, ./bench/bench-engine);
# srcdir, the source tree, defaults to the directory above this script.

set -eu

srcdir=${srcdir:-$(dirname "$0")/..}
keep=0
mib=50
rounds=5
while getopts kr:s: opt; do
	case $opt in
	k)	keep=1 ;;
	r)	rounds=$OPTARG ;;
	s)	mib=$OPTARG ;;
	*)	echo "usage: engine.sh [-k] [-r ROUNDS] [-s MIB]" >&2; exit 2 ;;
	esac
done

engine=./bench/bench-engine
drfslides=./drfslides
templates=$srcdir/templates
for f in "$engine" "$drfslides"; do
	if [ ! -x "$f" ]; then
		echo "engine.sh: $f is not built; run 'make bench'" >&2
		exit 1
	fi
done

out=bench/out
mkdir -p "$out"
deck=$out/bench.drf
script=$out/bench.sed
cleanup() {
	if [ "$keep" -eq 0 ]; then
		rm -f "$deck" "$script" "$out"/*.txt "$out"/*.html
		rmdir "$out" 2>/dev/null || :
	fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# --- The deck: deterministic, built from fixed phrases by line number. ------
LC_ALL=C awk -v target="$mib" '
BEGIN {
	target = target * 1024 * 1024
	print "作成者 : ベンチマーク"
	print "題名 : 電子メールとインターネットのしくみ (benchmark deck)"
	print "#title メール送信のしくみ (benchmark)"
	print "#header"
	print "#footer"
	print "#define < <"
	print "#define > >"
	print "#define _TCP_ <abbr title=\"Transmission Control Protocol\">TCP</abbr>"
	print "#define _IP_ <abbr title=\"Internet Protocol\">IP</abbr>"
	print "#define _SMTP_ <abbr title=\"Simple Mail Transfer Protocol\">SMTP</abbr>"
	print "#define _POP_ <abbr title=\"Post Office Protocol\">POP</abbr>"
	print "#define _BR_ <br>"
	print "#define -> &rarr;"
	print "#define (C) &copy;"
	print "#define 〜 ～"
	print "#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")"
	n = split("電子メールを送受信するためには、まず|あなたのパソコンを|" \
	    "メールサーバは相手のサーバに|送信されたメッセージは|" \
	    "この図では、クライアントからサーバへの|ここで重要なのは、|" \
	    "ダイアルアップ接続の場合でも|プロバイダのサーバを経由して|" \
	    "宛先のアドレスを調べるために|受信したメールは", a, "|")
	m = split("の接続が必要です。|につながった状態にする必要があります。|" \
	    "を使って配送します。|の順に処理されます。|" \
	    "ヘッダとボディの区別です。|ポート番号 25 番で待ち受けています。|" \
	    "経路上のルータを次々に経由して届きます。|" \
	    "サーバに一時的に保存されます。|の流れを示しています。|" \
	    "を確認してから送ります。", b, "|")
	k = split("HELO mail.example.ac.jp|MAIL FROM:<t-kita@example.ac.jp>|" \
	    "RCPT TO:<student@example.ac.jp>|DATA|250 OK|" \
	    "Subject: lecture notes|QUIT|220 smtp.example.ac.jp ESMTP|" \
	    "<b>port 25</b>|<code>telnet mail 110</code>", c, "|")
	f = split("_TCP_|_IP_|_SMTP_|_POP_|_BR_|->|(C)|〜", d, "|")
	g = split("メールサーバ|プロトコル|インターネット|ルータ|" \
	    "ドメイン名|クライアント|パケット|ポート番号", t, "|")
	size = 0
	for (line = 0; size < target; line++) {
		if (line % 20 == 0) {
			s = sprintf("---------------------------- %d", line / 20)
			if (line % 100 != 0)
				s = "--------------------------------"
			print s
			size += length(s) + 1
		}
		s = sprintf("%s%s%s %s %s <a href='\''GLS(term%d)'\''>%s</a>" \
		    "%s %s%s", a[line % n + 1], d[line % f + 1],
		    b[(line * 7) % m + 1], d[(line * 3 + 1) % f + 1],
		    c[(line * 11) % k + 1], (line * 13) % 64, t[line % g + 1],
		    b[(line * 3) % m + 1], d[(line * 5 + 2) % f + 1],
		    (line % 4 == 3) ? "<br>" : "")
		print s
		size += length(s) + 1
	}
}' > "$deck"

bytes=$(wc -c < "$deck" | tr -d ' ')
lines=$(wc -l < "$deck" | tr -d ' ')

# --- The equivalent sed program, longest FROM first. -------------------------
# Plain defines become s/FROM/TO/g with FROM's BRE and TO's replacement
# characters escaped; NAME() macros become s/NAME(\([^)]*\))/TEMPLATE/g with
# $1 as \1. Run one after another, longest first, they give the same text as
# the engine's single longest-match pass for this deck (no TO produces a
# FROM other than the self-maps, checked below anyway).
LC_ALL=C awk '
function esc(s, chars,    o, i, ch) {
	o = ""
	for (i = 1; i <= length(s); i++) {
		ch = substr(s, i, 1)
		if (index(chars, ch))
			o = o "\\"
		o = o ch
	}
	return o
}
/^---/ { exit }
/^#define[ \t]/ {
	sub(/^#define[ \t]+/, "")
	from = $0; sub(/[ \t].*/, "", from)
	to = substr($0, length(from) + 1)
	sub(/^[ \t]+/, "", to); sub(/[ \t]+$/, "", to)
	if (from ~ /..\(\)$/) {
		name = substr(from, 1, length(from) - 2)
		to = esc(to, "\\/&")
		gsub(/\$1/, "\\1", to)
		cmd = "s/" esc(name, "\\/.*[]^$") "(\\([^)]*\\))/" to "/g"
		len = length(name) + 1
	} else {
		cmd = "s/" esc(from, "\\/.*[]^$") "/" esc(to, "\\/&") "/g"
		len = length(from)
	}
	printf "%d\t%s\n", len, cmd
}' "$deck" | LC_ALL=C sort -t "$(printf '\t')" -k1,1nr -s | cut -f2- > "$script"

set --
while IFS= read -r cmd; do
	set -- "$@" -e "$cmd"
done < "$script"

# --- Timing helpers. --------------------------------------------------------
now() {
	date +%s.%N
}
elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'
}
field() {
	# field NAME LINE: the value of NAME=... in a bench-engine report
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# median LIST: the middle value of whitespace-separated numbers.
median() {
	echo "$1" | tr ' ' '\n' | sed '/^$/d' | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# least LIST: the smallest.
least() {
	echo "$1" | tr ' ' '\n' | sed '/^$/d' | sort -n | head -1
}

# sed over the whole file once, in the locale given; prints the seconds.
time_sed() {
	loc=$1
	shift
	t0=$(now)
	LC_ALL=$loc sed "$@" "$deck" > /dev/null
	t1=$(now)
	elapsed "$t0" "$t1"
}

utf8_locale=C.UTF-8
if ! LC_ALL=C.UTF-8 sed -n 1p "$deck" > /dev/null 2>&1 ||
    ! locale -a 2>/dev/null | grep -qi '^c\.utf-*8$'; then
	echo "engine.sh: warning: the C.UTF-8 locale may be missing" >&2
fi

# --- Side by side: rounds of engine, sed (C.UTF-8), sed (C). ----------------
# The freshly written deck is flushed and read once first, so that no run
# competes with its writeback; interleaving the three puts any other
# disturbance on all of them alike. Reported: the best and the median.
sync
cat "$deck" > /dev/null
eng_all= su_all= sc_all= load_all= render_all=
best=
rss=0
round=0
while [ "$round" -lt "$rounds" ]; do
	round=$((round + 1))
	r=$("$engine" "$deck" "$templates")
	t=$(field total_s "$r")
	m=$(field maxrss_kib "$r")
	[ "$m" -gt "$rss" ] && rss=$m
	eng_all="$eng_all $t"
	load_all="$load_all $(field load_s "$r")"
	render_all="$render_all $(field render_s "$r")"
	best=$r
	# time_sed takes the locale first, then sed's arguments.
	su_all="$su_all $(set -- "$utf8_locale" "$@"; time_sed "$@")"
	sc_all="$sc_all $(set -- C "$@"; time_sed "$@")"
done
eng_total=$(least "$eng_all")
eng_med=$(median "$eng_all")
eng_load=$(median "$load_all")
eng_render=$(median "$render_all")
sed_utf8=$(least "$su_all")
sed_utf8_med=$(median "$su_all")
sed_c=$(least "$sc_all")
sed_c_med=$(median "$sc_all")
pages=$(field pages "$best")
expanded=$(field expanded_bytes "$best")
rendered=$(field rendered_bytes "$best")

# --- Honesty: the engine and sed must produce the same text. -----------------
# The page lines of the deck (after the first separator, without separators,
# directives or comments), run through the same sed program, must equal the
# page bodies: all of them as bench-engine -d writes them, and page 0 as
# "drfslides render" shows it inside <main>.
LC_ALL=C awk 'seen && !/^---/ && !/^#/ { print } /^---/ { seen = 1 }' \
    "$deck" | LC_ALL=$utf8_locale sed "$@" > "$out/sed.txt"
"$engine" -d "$deck" "$templates" > "$out/engine.txt" 2> /dev/null
if cmp -s "$out/sed.txt" "$out/engine.txt"; then
	verdict_all="identical"
else
	verdict_all="DIFFERENT"
fi
LC_ALL=C awk 'n == 1 && !/^---/ && !/^#/ { print } /^---/ { n++ }' \
    "$deck" | LC_ALL=$utf8_locale sed "$@" > "$out/sed0.txt"
"$drfslides" render --templates "$templates" --max-source 1G \
    --max-expanded 4G "$deck" 0 > "$out/page0.html"
LC_ALL=C awk '
/^<\/main>/ { exit }
inbody && !/^<h1 class="slide-label">/ { print }
/<main class="slide-body"/ { inbody = 1 }' "$out/page0.html" > "$out/page0.txt"
if cmp -s "$out/sed0.txt" "$out/page0.txt"; then
	verdict_0="identical"
else
	verdict_0="DIFFERENT"
fi
if [ "$(wc -l < "$out/sed0.txt")" -eq 0 ]; then
	verdict_0="EMPTY"
fi

# --- The figures. -----------------------------------------------------------
awk -v bytes="$bytes" -v lines="$lines" -v pages="$pages" \
    -v expanded="$expanded" -v rendered="$rendered" -v rss="$rss" \
    -v et="$eng_total" -v el="$eng_load" -v er="$eng_render" \
    -v emt="$eng_med" -v sum="$sed_utf8_med" -v scm="$sed_c_med" \
    -v su="$sed_utf8" -v sc="$sed_c" -v ul="$utf8_locale" -v rounds="$rounds" \
    -v v0="$verdict_0" -v va="$verdict_all" -v mib="$mib" 'BEGIN {
	in_mib = bytes / 1048576
	e = in_mib / et; u = in_mib / su; c = in_mib / sc
	em = in_mib / emt; um = in_mib / sum; cm = in_mib / scm
	printf "engine benchmark: %.1f MiB deck, %d lines, %d pages, " \
	    "10 #defines + GLS() on every line; %d interleaved rounds\n\n",
	    in_mib, lines, pages, rounds
	printf "| measure | best | median |\n|---|---|---|\n"
	printf "| input | %.1f MiB (%d bytes) | |\n", in_mib, bytes
	printf "| engine: load (read+decode+parse+expand) | | %.3f s |\n", el
	printf "| engine: render all %d pages | | %.3f s |\n", pages, er
	printf "| engine throughput | %.0f MiB/s | %.0f MiB/s |\n", e, em
	printf "| sed, LC_ALL=%s | %.1f MiB/s (%.2f s) | %.1f MiB/s |\n", ul, u, su, um
	printf "| sed, LC_ALL=C | %.1f MiB/s (%.2f s) | %.1f MiB/s |\n", c, sc, cm
	printf "| ratio engine / sed (%s) | %.1fx | %.1fx (target >= 10x) |\n", ul, e / u, em / um
	printf "| ratio engine / sed (C) | %.1fx | %.1fx |\n", e / c, em / cm
	printf "| engine peak RSS (largest) | %.1f MiB = %.2fx the deck (target < 3x) | |\n",
	    rss / 1024, rss * 1024 / bytes
	printf "| expanded bodies / rendered HTML | %.1f MiB / %.1f MiB | |\n",
	    expanded / 1048576, rendered / 1048576
	printf "| engine output = sed output | all pages: %s; page 0 via " \
	    "drfslides render: %s | |\n", va, v0
	printf "\nreproduce: make bench   (or: srcdir=SRC sh SRC/bench/engine.sh " \
	    "[-k] [-r %d] [-s %d] from the build directory)\n", rounds, mib
}'

if [ "$verdict_all" != identical ] || [ "$verdict_0" != identical ]; then
	echo "engine.sh: the engine and sed disagree; see $out (kept)" >&2
	keep=1
	exit 1
fi
