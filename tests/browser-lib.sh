# browser-lib.sh: what the tests that drive node scripts of tests/browser
# share. Source it after lib.sh.
# shellcheck shell=sh

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# shellcheck disable=SC2154
bdir=$top_srcdir/tests/browser

# browser_ready MODULE...: skips the whole test unless chromium, node and the
# npm packages MODULE... of tests/browser are installed.
browser_ready() {
	[ -x "$CHROMIUM" ] ||
		skip_all "$CHROMIUM is missing (apt-get install chromium fonts-noto-cjk)"
	command -v node >/dev/null 2>&1 || skip_all "node is not installed"
	for br_m in "$@"; do
		[ -d "$bdir/node_modules/$br_m" ] ||
			skip_all "tests/browser/node_modules/$br_m is missing (run 'npm ci --ignore-scripts' in tests/browser)"
	done
}

# node_tap SECONDS SCRIPT WHAT: runs tests/browser/SCRIPT (TAP numbered after
# $tap_n, environment as set by the caller) for at most SECONDS and counts
# its results; WHAT names it if it does not run to the end.
node_tap() {
	TAP_START=$tap_n CHROMIUM=$CHROMIUM timeout "$1" node "$bdir/$2" >"$TMPD/node.out" 2>&1
	nt_rc=$?
	grep -v '^1\.\.' "$TMPD/node.out"
	tap_n=$((tap_n + $(grep -c '^ok \|^not ok ' "$TMPD/node.out")))
	tap_failed=$((tap_failed + $(grep -c '^not ok ' "$TMPD/node.out")))
	[ $nt_rc -eq 0 ] || {
		tap_n=$((tap_n + 1))
		echo "not ok $tap_n - $3 ran to the end (exit $nt_rc)"
		tap_failed=$((tap_failed + 1))
	}
}
