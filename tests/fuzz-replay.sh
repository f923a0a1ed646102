#!/bin/sh
# fuzz-replay.sh: every fuzzing harness, linked with the replay driver, runs over its corpus.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

for h in deck tmpl router; do
	bin="$top_builddir/fuzz/replay-$h"
	if [ ! -x "$bin" ]; then
		ok 1 "the $h harness is built (fuzz/replay-$h)"
		continue
	fi
	# The shipped templates are the template harness's corpus too.
	dirs="$top_srcdir/fuzz/corpus/$h"
	[ "$h" = tmpl ] && dirs="$dirs $top_srcdir/templates"
	# shellcheck disable=SC2086
	n=$(find $dirs -type f | wc -l)
	[ "$n" -gt 0 ]
	ok $? "the $h corpus has inputs ($n)"
	# shellcheck disable=SC2086
	out=$("$bin" $dirs 2>&1)
	ok $? "the $h harness replays its corpus without a crash"
	is "$out" "replayed $n inputs" "the $h harness read every input"
done
done_testing
