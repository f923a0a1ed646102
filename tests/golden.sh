#!/bin/sh
# golden.sh: every page of the seed deck renders byte for byte as its golden file.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

# After a deliberate change of the templates or the renderer, read the new
# pages and run "make update-golden".
deck=$top_srcdir/decks/smtp.drf
n=0
while [ "$n" -le 12 ]; do
	golden=$top_srcdir/tests/golden/smtp-$n.html
	"$DRFSLIDES" render "$deck" "$n" >"$TMPD/page" 2>"$TMPD/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$TMPD/err" ] && cmp -s "$golden" "$TMPD/page"; then
		ok 0 "page $n renders as tests/golden/smtp-$n.html"
	else
		ok 1 "page $n renders as tests/golden/smtp-$n.html"
		echo "#   exit status $rc"
		sed 's/^/#   stderr: /' "$TMPD/err" | head -5
		diff -u "$golden" "$TMPD/page" | head -40 | sed 's/^/#   /'
	fi
	n=$((n + 1))
done
"$DRFSLIDES" render "$deck" 13 >"$TMPD/page" 2>/dev/null
[ $? -ne 0 ] && [ ! -s "$TMPD/page" ] && [ ! -e "$top_srcdir/tests/golden/smtp-13.html" ]
ok $? "the seed deck has no page 13, and no golden file for one"

done_testing
