#!/bin/sh
# man.sh: the manuals are clean mdoc, and drfslides(1) covers every command and option.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

command -v mandoc >/dev/null 2>&1 || skip_all "mandoc is not installed"

for page in man/drf.5 man/drfslides.1; do
	mandoc -Tlint -Wwarning "$top_srcdir/$page" >"$TMPD/lint" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$TMPD/lint" ]; then
		ok 0 "mandoc -Tlint -Wwarning finds nothing in $page"
	else
		ok 1 "mandoc -Tlint -Wwarning finds nothing in $page"
		sed "s|$top_srcdir/||; s/^/#   /" "$TMPD/lint" | head -20
	fi
done

# The manual as a reader sees it, without the overstrike of bold and underline.
bs=$(printf '\b')
mandoc -Tascii "$top_srcdir/man/drfslides.1" | sed "s/.$bs//g" >"$TMPD/man.txt"
[ -s "$TMPD/man.txt" ]
ok $? "drfslides.1 renders"

"$DRFSLIDES" --help >"$TMPD/help"
ok $? "drfslides --help runs"
cmds=$(sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$TMPD/help")
[ -n "$cmds" ]
ok $? "drfslides --help lists commands"
for c in $cmds; do
	grep -q "drfslides $c\( \|$\)" "$TMPD/man.txt"
	ok $? "drfslides.1 documents the $c command"
	"$DRFSLIDES" "$c" --help >"$TMPD/chelp"
	ok $? "drfslides $c --help runs"
	for o in $(grep -o -- '--[a-z][a-z-]*' "$TMPD/chelp" | sort -u) \
	    $(sed -n 's/^ *\(-[a-zA-Z]\),.*/\1/p' "$TMPD/chelp"); do
		grep -q -- "\(^\|[ [|]\)$o\([] ,.]\|$\)" "$TMPD/man.txt"
		ok $? "drfslides.1 documents $o, which $c --help lists"
	done
done
for v in DRFSLIDES_TEMPLATES DRFSLIDES_STATIC DRFSLIDES_MAX_SOURCE DRFSLIDES_MAX_EXPANDED; do
	grep -q "$v" "$TMPD/man.txt"
	ok $? "drfslides.1 documents $v"
done
for s in NAME SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES DIAGNOSTICS "SEE ALSO"; do
	grep -q "^$s\$" "$TMPD/man.txt"
	ok $? "drfslides.1 has a $s section"
done

done_testing
