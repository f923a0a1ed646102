#!/bin/sh
# cli.sh: the drfslides command line: help, subcommands, exit statuses, export.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

deck=$top_srcdir/decks/smtp.drf

# empty FILE DESCRIPTION: FILE has no bytes.
empty() {
	if [ -s "$1" ]; then
		ok 1 "$2"
		sed 's/^/#   /' "$1" | head -10
	else
		ok 0 "$2"
	fi
}

# nonempty FILE DESCRIPTION: FILE has some bytes.
nonempty() {
	[ -s "$1" ]
	ok $? "$2"
}

# failed DESCRIPTION: the last run failed, with a message on stderr only.
failed() {
	[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ]
	ok $? "$1: non-zero exit (got $rc)"
	nonempty "$TMPD/err" "$1: an error on stderr"
	empty "$TMPD/out" "$1: nothing on stdout"
}

# --- the program as a whole

run --help
is "$rc" 0 "--help exits 0"
contains "$TMPD/out" "usage: drfslides" "--help prints the usage on stdout"
for c in check notes render export; do
	grep -q "^  $c " "$TMPD/out"
	ok $? "--help lists the $c command"
done
empty "$TMPD/err" "--help writes nothing on stderr"

run --version
is "$rc" 0 "--version exits 0"
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' \
    "$top_builddir/config.h" 2>/dev/null)
is "$(cat "$TMPD/out")" "drfslides ${version:-0.1.0}" \
    "--version prints the package name and version"
empty "$TMPD/err" "--version writes nothing on stderr"

run
is "$rc" 2 "no command exits 2"
contains "$TMPD/err" "usage: drfslides" "no command prints the usage on stderr"

run frobnicate
is "$rc" 2 "an unknown command exits 2"
contains "$TMPD/err" "unknown command 'frobnicate'" \
    "an unknown command is named on stderr"
empty "$TMPD/out" "an unknown command prints nothing on stdout"

for c in check notes render export; do
	run "$c" --help
	is "$rc" 0 "$c --help exits 0"
	contains "$TMPD/out" "usage: drfslides $c " "$c --help prints its usage on stdout"
	contains "$TMPD/out" "--max-expanded SIZE" "$c --help lists its options"
	empty "$TMPD/err" "$c --help writes nothing on stderr"
	run "$c" --no-such-option
	is "$rc" 2 "$c with an unknown option exits 2"
	contains "$TMPD/err" "usage: drfslides $c " \
	    "$c with an unknown option prints its usage on stderr"
done
run check
is "$rc" 2 "check without a deck exits 2"
run render "$deck"
is "$rc" 2 "render without a page number exits 2"
run export "$deck"
is "$rc" 2 "export without an output directory exits 2"
run notes "$deck" "$deck"
is "$rc" 2 "notes with two decks exits 2"
run check --max-expanded 12x "$deck"
is "$rc" 2 "a size that is not a size exits 2"
contains "$TMPD/err" "--max-expanded: '12x' is not a size" \
    "a bad size is named on stderr"

# --- which command takes which option

# refused COMMAND OPTION: the last run refused OPTION of COMMAND: exit 2,
# the first line of stderr names both, nothing on stdout.
refused() {
	is "$rc" 2 "$1 $2 exits 2"
	case $(head -n 1 "$TMPD/err") in
	"drfslides $1: "*"$2"*)
		ok 0 "$1 $2: the error names the command and the option" ;;
	*)
		ok 1 "$1 $2: the error names the command and the option"
		head -n 1 "$TMPD/err" | sed 's/^/#   /' ;;
	esac
	empty "$TMPD/out" "$1 $2 prints nothing on stdout"
}

# An option a command does not take is refused, never ignored.
run notes -q "$deck"
refused notes -q
is "$(head -n 1 "$TMPD/err")" "drfslides notes: -q, --quiet is not an option of notes" \
    "notes -q says it is not an option of notes"
run notes --templates "$top_srcdir/templates" "$deck"
refused notes --templates
run notes --katex "$TMPD" "$deck"
refused notes --katex
run check --templates "$top_srcdir/templates" "$deck"
refused check --templates
run check --static "$top_srcdir/static" "$deck"
refused check --static
run check -f "$deck"
refused check -f
run render -q "$deck" 0
refused render -q
run render --static "$top_srcdir/static" "$deck" 0
refused render --static
run render --notes "$deck" 0
refused render --notes
run serve --listen "$TMPD/sock" --help
refused serve --listen
is "$(head -n 1 "$TMPD/err")" "drfslides serve: --listen is not an option of serve" \
    "serve --listen says it is not an option of serve"
run fcgi --port 42999 --help
refused fcgi --port
run fcgi --plain --help
refused fcgi --plain
run serve --force --help
refused serve --force
run check --no-such-option "$deck"
is "$(head -n 1 "$TMPD/err")" "drfslides check: unknown option '--no-such-option'" \
    "an unknown option is named as unknown"
run export "$deck" "$TMPD/site" --decks
is "$rc" 2 "an option without its value exits 2"
is "$(head -n 1 "$TMPD/err")" "drfslides export: --decks needs a value" \
    "an option without its value is named"

# run_env VAR=VALUE... PROGRAM ARG...: run, in an environment with VAR set.
run_env() {
	$tmo env "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
}

# The servers' variables are read by the servers that take their options
# only: a bad value for one does not make another command fail.
run_env DRFSLIDES_DECKS="$TMPD/none" DRFSLIDES_PORT=x DRFSLIDES_WORKERS=x \
    DRFSLIDES_CACHE_MB=x DRFSLIDES_THREADS=x DRFSLIDES_PLAIN=x \
    DRFSLIDES_STATE_DIR="$TMPD/none" "$DRFSLIDES" check -q "$deck"
is "$rc" 0 "check ignores the servers' variables"
run_env DRFSLIDES_PORT=x DRFSLIDES_WORKERS=x DRFSLIDES_THREADS=x \
    DRFSLIDES_CACHE_MB=x "$DRFSLIDES" export -q "$deck" "$TMPD/env-site"
is "$rc" 0 "export ignores the servers' variables"
# (The environment is read before the command line: a bad value on the
# command line is the first error only when no variable was refused.)
run_env DRFSLIDES_WORKERS=x DRFSLIDES_LISTEN=x "$DRFSLIDES" serve --cache-mb q
is "$rc" 2 "serve: a bad --cache-mb is a usage error"
contains "$TMPD/err" "drfslides serve: --cache-mb: 'q' is not a number" \
    "serve ignores fcgi's own variables (the error is its option's)"
run_env DRFSLIDES_PORT=x DRFSLIDES_BIND=x DRFSLIDES_TIMEOUT=x "$DRFSLIDES" fcgi --cache-mb q
is "$rc" 2 "fcgi: a bad --cache-mb is a usage error"
contains "$TMPD/err" "drfslides fcgi: --cache-mb: 'q' is not a number" \
    "fcgi ignores serve's own variables (the error is its option's)"
run_env DRFSLIDES_MAX_SOURCE=12x "$DRFSLIDES" check "$deck"
is "$rc" 2 "a bad DRFSLIDES_MAX_SOURCE, every command's, is a usage error of check"
contains "$TMPD/err" "drfslides check: DRFSLIDES_MAX_SOURCE: '12x' is not a size" \
    "the error names the variable"
for c in serve fcgi; do
	run_env DRFSLIDES_CACHE_MB=x "$DRFSLIDES" $c --cache-mb q
	is "$rc" 2 "$c: a bad DRFSLIDES_CACHE_MB is a usage error"
	contains "$TMPD/err" "drfslides $c: DRFSLIDES_CACHE_MB: 'x' is not a number" \
	    "$c: the error names the variable, not the option"
done

# Asked for the help, a command answers it whatever its variables hold.
for c in serve fcgi check export; do
	run_env DRFSLIDES_CACHE_MB=x DRFSLIDES_MAX_SOURCE=12x "$DRFSLIDES" $c --help
	is "$rc" 0 "$c --help with bad variables"
	contains "$TMPD/out" "usage: drfslides $c" "$c --help prints the usage"
done
run_env DRFSLIDES_CACHE_MB=x "$DRFSLIDES" serve -h
is "$rc" 0 "serve -h with a bad variable"

# The options drfslides(1)'s SYNOPSIS gives command $1, one a line: "-x"
# or "--name ARG".
man_opts() {
	sed -n '/^\.Sh SYNOPSIS$/,/^\.Sh DESCRIPTION$/p' \
	    "$top_srcdir/man/drfslides.1" | awk -v c="$1" '
		$1 == ".Nm" { cmd = ""; next }
		$1 == ".Cm" && cmd == "" { cmd = $2; next }
		cmd == c && $1 == ".Op" && $2 == "Fl" {
			o = $3
			gsub(/\\-/, "-", o)
			if (o !~ /^-/) {
				for (i = 1; i <= length(o); i++)
					print "-" substr(o, i, 1)
				next
			}
			print "-" o ($4 == "Ar" ? " " $5 : "")
		}'
}

# A value of the kind an option's argument names, valid for every command.
opt_value() {
	case $1 in
	size) echo 1M ;;
	n) echo 1 ;;
	ms) echo 100 ;;
	seconds) echo 5 ;;
	addr) echo 127.0.0.1 ;;
	list) echo "'self'" ;;
	url) echo https://example.org/slides ;;
	value) echo no-cache ;;
	*) echo "$TMPD" ;;
	esac
}

: >"$TMPD/all-opts"
for c in check notes render export serve fcgi; do
	man_opts "$c" >"$TMPD/man-$c"
	nonempty "$TMPD/man-$c" "drfslides.1's SYNOPSIS lists options of $c"
	cat "$TMPD/man-$c" >>"$TMPD/all-opts"
done
sort -u "$TMPD/all-opts" -o "$TMPD/all-opts"
for c in check notes render export serve fcgi; do
	# Every option the manual gives the command is taken; --help after
	# it stops the command before it does anything.
	while read -r o a; do
		# shellcheck disable=SC2046
		run "$c" "$o" $([ -n "$a" ] && opt_value "$a") --help
		is "$rc" 0 "$c takes $o${a:+ $a}, as drfslides.1 says"
		empty "$TMPD/err" "$c $o: nothing on stderr"
	done <"$TMPD/man-$c"
	# Every other command's option is refused, before --help.
	while read -r o a; do
		grep -qx -- "$o${a:+ $a}" "$TMPD/man-$c" && continue
		# shellcheck disable=SC2046
		run "$c" "$o" $([ -n "$a" ] && opt_value "$a") --help
		refused "$c" "$o"
	done <"$TMPD/all-opts"
	# --help lists exactly the options of the SYNOPSIS.
	run "$c" --help
	sed -n 's/^  \(-[a-zA-Z]\), --.*/\1/p; s/^  \(--[a-z][a-z-]*\).*/\1/p' \
	    "$TMPD/out" | sort >"$TMPD/help-$c"
	sed 's/ .*//' "$TMPD/man-$c" | sort >"$TMPD/want-$c"
	same "$TMPD/help-$c" "$TMPD/want-$c" \
	    "$c --help lists the options drfslides.1's SYNOPSIS gives it"
done

# --- check, notes and render on the seed deck

run check "$deck"
is "$rc" 0 "check of the seed deck exits 0"
is "$(cat "$TMPD/out")" "$deck: 13 pages, 0 errors, 0 warnings" \
    "check of the seed deck reports 13 pages and no problems"
run check -q "$deck"
is "$rc" 0 "check -q of a clean deck exits 0"
empty "$TMPD/out" "check -q prints no summary"

run notes "$deck"
is "$rc" 0 "notes exits 0"
head -n 3 "$deck" >"$TMPD/want-notes"
same "$TMPD/out" "$TMPD/want-notes" "notes prints exactly the three preamble lines"

run render "$deck" 1
is "$rc" 0 "render of page 1 exits 0"
empty "$TMPD/err" "render writes nothing on stderr"
contains "$TMPD/out" \
    "<a href='JavaScript:parent.display.openglossary(\"ppp.html\")'>" \
    "render expands GLS(ppp) inside the link's href"
contains "$TMPD/out" "電子メールを送受信するためには" "render shows the page's text"
lacks "$TMPD/out" "GLS(" "render leaves no GLS call unexpanded"
is "$(head -n 1 "$TMPD/out")" "<!DOCTYPE html>" "render starts with the doctype"
is "$(tail -n 1 "$TMPD/out")" "</html>" "render ends with </html>"
contains "$TMPD/out" ">2 / 13<" "render shows the page counter"

for n in 13 -1 1abc 0x1 "" " 1"; do
	run render "$deck" "$n"
	failed "render of page '$n'"
done
run render -- "$deck" -1
failed "render of page -1 after --"
run render "$deck" 13
contains "$TMPD/err" "no page 13" "render of a page out of range says so"

run render "$TMPD/missing.drf" 0
failed "render of a missing deck"
contains "$TMPD/err" "$TMPD/missing.drf" "render of a missing deck names the file"
run notes "$TMPD/missing.drf"
failed "notes of a missing deck"
contains "$TMPD/err" "$TMPD/missing.drf" "notes of a missing deck names the file"
run render --templates "$TMPD/no-templates" "$deck" 0
failed "render without templates"

# --- check of decks with problems

printf '#define M() <b>$1</b>\n---\nfine M(x) here\nbroken M(y here\n' \
    >"$TMPD/unterminated.drf"
run check "$TMPD/unterminated.drf"
is "$rc" 1 "check of a deck with an error exits 1"
contains "$TMPD/out" "$TMPD/unterminated.drf:4: error:" \
    "check reports an error as file:LINE: error:"
contains "$TMPD/out" "$TMPD/unterminated.drf: 1 page, 1 error, 0 warnings" \
    "check counts the error in its summary"

printf '#tilte x\n---\nhello\n' >"$TMPD/typo.drf"
run check "$TMPD/typo.drf"
is "$rc" 0 "check of a deck with only a warning exits 0"
contains "$TMPD/out" "$TMPD/typo.drf:1: warning:" \
    "check reports a misspelt directive as file:LINE: warning:"
contains "$TMPD/out" "'#title'" "the warning suggests the directive"
run check -q "$TMPD/typo.drf"
contains "$TMPD/out" "$TMPD/typo.drf:1: warning:" "check -q still prints diagnostics"
lacks "$TMPD/out" "0 errors" "check -q prints no summary line"

gls='#define GLS() JavaScript:parent.display.openglossary("$1.html")'
mkdir -p "$TMPD/with/glossary" "$TMPD/without"
echo '<p>known</p>' >"$TMPD/with/glossary/known.html"
for d in with without; do
	printf '%s\n---\n<a href='"'"'GLS(known)'"'"'>k</a>\n<a href='"'"'GLS(nothere)'"'"'>n</a>\n' \
	    "$gls" >"$TMPD/$d/terms.drf"
done
run check "$TMPD/with/terms.drf"
is "$rc" 0 "a missing glossary entry is not an error"
contains "$TMPD/out" "$TMPD/with/terms.drf:4: warning: glossary term 'nothere' has no entry" \
    "check warns about a term without an entry when glossary/ exists"
lacks "$TMPD/out" "'known'" "check does not warn about a term that has an entry"
run export -q "$TMPD/with/terms.drf" "$TMPD/with-site"
is "$rc" 0 "export of a deck with a missing glossary entry exits 0"
[ ! -s "$TMPD/out" ]
ok $? "export -q prints nothing"
contains "$TMPD/with-site/glossary/known.html" "<p>known</p>" "export wraps an existing entry"
contains "$TMPD/with-site/glossary/nothere.html" "no glossary entry" "export writes a 'no entry' page for a missing entry"
run check "$TMPD/without/terms.drf"
is "$rc" 0 "check of a deck without glossary/ exits 0"
lacks "$TMPD/out" "warning:" "check does not warn about entries without glossary/"

run check "$deck" "$TMPD/typo.drf" "$TMPD/missing.drf" "$TMPD/unterminated.drf"
is "$rc" 1 "check of several decks exits 1 when one has errors"
contains "$TMPD/out" "$deck: 13 pages, 0 errors, 0 warnings" "check of several decks reports the first"
contains "$TMPD/out" "$TMPD/typo.drf: 1 page, 0 errors, 1 warning" "check of several decks reports the second"
contains "$TMPD/out" "$TMPD/missing.drf: failed to load" "check of several decks reports one that cannot be read"
contains "$TMPD/out" "$TMPD/unterminated.drf: 1 page, 1 error" "check goes on after a deck that cannot be read"
run check "$deck" "$TMPD/typo.drf"
is "$rc" 0 "check of several decks exits 0 when none has errors"

run check --max-expanded 1k "$deck"
is "$rc" 1 "check with --max-expanded 1k fails on the seed deck"
contains "$TMPD/out" "limit of 1024 bytes (--max-expanded)" \
    "the failure names the --max-expanded limit"
grep -q "^$deck:[0-9][0-9]*: error:" "$TMPD/out"
ok $? "the failure names the line where the limit was crossed"
DRFSLIDES_MAX_EXPANDED=1k "$DRFSLIDES" check "$deck" >"$TMPD/out" 2>&1
is "$?" 1 "DRFSLIDES_MAX_EXPANDED sets the limit too"
run check --max-source 100 "$deck"
is "$rc" 1 "check with a --max-source below the deck's size fails"
contains "$TMPD/out" "limit of 100 bytes (--max-source)" "the failure names the --max-source limit"

# --- export

out=$TMPD/site/sub
run export "$deck" "$out"
is "$rc" 0 "export exits 0"
contains "$TMPD/out" "13 pages written to $out/" "export says what it wrote"
missing=
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
	[ -s "$out/smtp$n.html" ] || missing="$missing smtp$n.html"
done
is "$missing" "" "export writes smtp0.html to smtp12.html"
[ ! -e "$out/smtp13.html" ]
ok $? "export writes no page beyond the last"
head -n 1 "$out/index.html" >"$TMPD/doctype"
contains "$TMPD/doctype" \
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN" "http://www.w3.org/TR/html4/frameset.dtd">' \
    "index.html has the HTML 4.01 Frameset doctype"
contains "$out/index.html" "<frameset" "index.html is a frameset"
contains "$out/index.html" '<frame name="slide" src="smtp0.html"' \
    "index.html has a frame named slide showing page 0"
contains "$out/index.html" '<frame name="display" src="display.html"' \
    "index.html has a frame named display showing display.html"
contains "$out/index.html" "<title>メール送信のしくみ (SMTP)</title>" \
    "index.html has the deck's title"
# openglossary is defined in display.html or in a script it loads.
defines=$out/display.html
for s in $(sed -n 's/.*<script src="\([^"]*\)".*/\1/p' "$out/display.html"); do
	defines="$defines $out/$s"
done
# shellcheck disable=SC2086
cat $defines 2>/dev/null | grep -q 'function openglossary('
ok $? "display.html defines or loads openglossary"
contains "$out/display.html" 'name="entry"' "display.html has the frame openglossary fills"
[ -f "$out/glossary/ppp.html" ]
ok $? "export writes glossary/ppp.html"
if grep -vxFf "$out/glossary/ppp.html" "$top_srcdir/decks/glossary/ppp.html" >"$TMPD/notfound"; then
	ok 1 "glossary/ppp.html holds the entry from decks/glossary/ppp.html"
	sed 's/^/#   missing: /' "$TMPD/notfound"
else
	ok 0 "glossary/ppp.html holds the entry from decks/glossary/ppp.html"
fi
for t in internet pop popserver smtp smtpserver; do
	[ -f "$out/glossary/$t.html" ] || missing="$missing $t"
done
is "$missing" "" "export writes an entry for every term the deck uses"
cmp -s "$out/static/drfslides.css" "$top_srcdir/static/drfslides.css"
ok $? "export copies static/drfslides.css"
cmp -s "$out/static/display.js" "$top_srcdir/static/display.js"
ok $? "export copies static/display.js"
contains "$out/smtp1.html" 'href="smtp0.html"' "smtp1.html links to smtp0.html"
contains "$out/smtp1.html" 'href="smtp2.html"' "smtp1.html links to smtp2.html"
contains "$out/smtp1.html" 'href="static/drfslides.css"' "exported pages use the copied style sheet"
lacks "$out/smtp12.html" 'smtp13.html' "the last page links to no page after it"
contains "$out/smtp1.html" 'openglossary("ppp.html")' "exported pages keep their glossary links"
# The print view: every page and every glossary entry in one document.
[ -s "$out/print.html" ]
ok $? "export writes print.html"
is "$(grep -c 'class="print-page[ "]' "$out/print.html")" 13 "print.html holds the 13 pages"
is "$(grep -c '<article class="entry"' "$out/print.html")" 6 "print.html holds the 6 glossary entries"
grep -vxFf "$out/print.html" "$top_srcdir/decks/glossary/pop.html" >"$TMPD/notfound"
is "$(wc -l <"$TMPD/notfound" | tr -d ' ')" 0 "print.html holds the text of glossary/pop.html"
contains "$out/print.html" '<a href="index.html">' "print.html links back to the exported slides"
# The view, where the frameset sends a phone (frames.js).
contains "$out/index.html" 'class="drf-phone" href="view.html"' "the exported frameset sends a phone to view.html"
contains "$out/view.html" 'src="smtp0.html"' "view.html shows the exported pages"
for doc in print.html view.html; do
	lacks "$out/$doc" 'href="../"' "$doc has no link out of the exported site"
	missing=
	for f in $(sed -n 's/.*\(src\|href\)="\([^"#:]*\)".*/\2/p' "$out/$doc"); do
		[ -f "$out/$f" ] || missing="$missing $f"
	done
	is "$missing" "" "every file $doc refers to is in the export"
done
is "$(grep -c 'src="scene-' "$out/print.html")" 12 "print.html shows the 12 pictures"

mkdir -p "$TMPD/pages0"
printf 'only notes\n' >"$TMPD/pages0/empty.drf"
run export "$TMPD/pages0/empty.drf" "$TMPD/site0"
is "$rc" 0 "export of a deck without pages exits 0"
[ -f "$TMPD/site0/index.html" ] && [ ! -e "$TMPD/site0/empty0.html" ]
ok $? "export of a deck without pages writes an index and no page"

echo 'a file' >"$TMPD/plainfile"
run export "$deck" "$TMPD/plainfile/site"
failed "export into a path that cannot be created"
contains "$TMPD/err" "$TMPD/plainfile" "the export error names the path"
run export "$deck" "$TMPD/plainfile"
failed "export onto a regular file"

done_testing
