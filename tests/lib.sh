# lib.sh: TAP helpers for the shell tests; source it, call the checks, end with done_testing.
# shellcheck shell=sh

tap_n=0
tap_failed=0
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${DRFSLIDES:=$top_builddir/drfslides}"
export DRFSLIDES_TEMPLATES="${DRFSLIDES_TEMPLATES:-$top_srcdir/templates}"
export DRFSLIDES_STATIC="${DRFSLIDES_STATIC:-$top_srcdir/static}"
# The servers' settings: none from the environment, only the test's own.
unset DRFSLIDES_DECKS DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS \
    DRFSLIDES_STAT_INTERVAL DRFSLIDES_CACHE_CONTROL DRFSLIDES_CACHE_MB \
    DRFSLIDES_PUBLIC_URL LISTEN_FDS LISTEN_PID

# A scratch directory removed on exit.
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/drftest.XXXXXX") || exit 99
trap 'rm -rf "$TMPD"' EXIT INT TERM

# ok COND-STATUS DESCRIPTION: reports a check from the previous command's status.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# check DESCRIPTION COMMAND...: runs a command and reports whether it succeeded.
check() {
	desc=$1
	shift
	if "$@" >"$TMPD/.out" 2>&1; then
		ok 0 "$desc"
	else
		ok 1 "$desc"
		sed 's/^/#   /' "$TMPD/.out" | head -20
	fi
}

# has_line GREP-OPTION FILE PATTERN DESCRIPTION: a line of FILE matches
# PATTERN (-F: a fixed string, -E: an extended regex); on failure the end of
# FILE is shown.
has_line() {
	if grep -q "$1" -- "$3" "$2"; then
		ok 0 "$4"
	else
		ok 1 "$4"
		echo "#   '$3' not found; the end of ${2##*/}:"
		tail -20 "$2" | sed 's/^/#   /'
	fi
}

# contains FILE TEXT DESCRIPTION: FILE holds TEXT (a fixed string).
contains() {
	has_line -F "$@"
}

# matches FILE REGEX DESCRIPTION: a line of FILE matches the extended REGEX.
matches() {
	has_line -E "$@"
}

# lacks FILE TEXT DESCRIPTION: FILE does not hold TEXT.
lacks() {
	if grep -qF -- "$2" "$1"; then
		ok 1 "$3"
		grep -nF -- "$2" "$1" | head -5 | sed 's/^/#   /'
	else
		ok 0 "$3"
	fi
}

# skip DESCRIPTION REASON: reports a check that could not be judged this run.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# is GOT WANT DESCRIPTION: two strings are equal.
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}

# skip_all REASON: the whole script is skipped.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# done_testing: prints the plan and sets the exit status.
done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# run COMMAND...: runs "drfslides COMMAND...", stdout in $TMPD/out, stderr in
# $TMPD/err, the status in $rc; a hung program (60 s, or $tmo: a command
# prefix) fails its check with status 124 instead of hanging the suite.
tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout 60"
run() {
	$tmo "$DRFSLIDES" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
}

# check_deck NAME TEXT: writes deck $TMPD/NAME.drf (TEXT as printf %b reads
# it) and runs "drfslides check" on it: output in $TMPD/out, status in $rc.
check_deck() {
	printf '%b' "$2" >"$TMPD/$1.drf"
	"$DRFSLIDES" check "$TMPD/$1.drf" >"$TMPD/out" 2>&1
	rc=$?
}

# header_of FILE NAME: the value of header NAME (any case) in a saved head, without CR.
header_of() {
	tr -d '\r' <"$1" | awk -v n="$2" 'BEGIN { n = tolower(n) }
	    { i = index($0, ":") }
	    i > 0 && tolower(substr($0, 1, i - 1)) == n {
		v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v; exit }'
}

# The HTTP helpers (fetch, header, bail, serve_start...) and the processes'.
. "$top_srcdir/tests/http-lib.sh"
