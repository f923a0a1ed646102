# browser-lib.sh: what the tests that drive node scripts of tests/browser
# share. Source it after lib.sh.
# shellcheck shell=sh

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# shellcheck disable=SC2154
bdir=$top_srcdir/tests/browser

# browser_have MODULE...: whether chromium, node and the npm packages
# MODULE... of tests/browser are installed; if not, $browser_why says what
# is missing.
browser_have() {
	browser_why=
	if [ ! -x "$CHROMIUM" ]; then
		browser_why="$CHROMIUM is missing (apt-get install chromium fonts-noto-cjk)"
	elif ! command -v node >/dev/null 2>&1; then
		browser_why="node is not installed"
	fi
	for br_m in "$@"; do
		[ -n "$browser_why" ] || [ -d "$bdir/node_modules/$br_m" ] ||
			browser_why="tests/browser/node_modules/$br_m is missing (run 'npm ci --ignore-scripts' in tests/browser)"
	done
	[ -z "$browser_why" ]
}

# browser_ready MODULE...: skips the whole test unless browser_have MODULE...
browser_ready() {
	browser_have "$@" || skip_all "$browser_why"
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

# browser_decks: makes $decks ($TMPD/decks), where a test writes the decks
# it serves (browser_dev, browser_present_decks).
browser_decks() {
	decks=$TMPD/decks
	mkdir -p "$decks" || exit 99
}

# browser_present_decks NAME...: in $decks (browser_decks), the bundled deck
# with its pictures and glossary, and NAME... of tests/data/present (shell
# patterns: decks and their folders) with the glossary of those.
browser_present_decks() {
	bpd_src=$top_srcdir/tests/data/present
	mkdir -p "$decks/glossary" || exit 99
	cp -R "$top_srcdir/decks/smtp.drf" "$top_srcdir/decks/smtp" "$decks/" &&
		cp "$top_srcdir"/decks/glossary/*.html "$decks/glossary/" &&
		cp "$bpd_src"/glossary/*.html "$decks/glossary/" || exit 99
	for bpd_f in "$@"; do
		# shellcheck disable=SC2086
		cp -R "$bpd_src"/$bpd_f "$decks/" || exit 99
	done
}

# browser_dev [OPTION...]: starts the dev server on $decks (browser_decks)
# with OPTION..., stopped at exit; sets and exports DEV_URL (ending in "/").
browser_dev() {
	serve_start dev "$@" --decks "$decks" || bail "the dev server did not start"
	DEV_URL=$SERVE_URL
	export DEV_URL
}

# browser_servers DECKS: the servers a browser test drives, each stopped at
# exit: another origin (a dev server with no decks whose static directory,
# $TMPD/course, holds course.html, to embed the decks from), the dev server
# and "drfslides fcgi" behind nginx (the shipped drfslides.conf, under
# /slides/), both serving DECKS and letting the other origin embed them.
# Sets COURSE_URL, DEV_URL and NGX_URL (each ending in "/"), and SOCK.
browser_servers() {
	mkdir -p "$TMPD/course" "$TMPD/nodecks" || exit 99
	echo '<!DOCTYPE html><title>empty</title>' >"$TMPD/course/course.html"
	serve_start course --plain --decks "$TMPD/nodecks" --static "$TMPD/course" ||
		bail "the course site did not start"
	COURSE_URL=$SERVE_URL
	bs_ancestors="'self' ${COURSE_URL%/}"
	serve_start dev --decks "$1" --frame-ancestors "$bs_ancestors" ||
		bail "the dev server did not start"
	DEV_URL=$SERVE_URL
	SOCK=$TMPD/drf.sock
	drf_start "$SOCK" "$TMPD/fcgi.log" --workers 1 --threads 8 \
	    --decks "$1" --frame-ancestors "$bs_ancestors" ||
		bail "drfslides fcgi did not start"
	nl_site "$top_srcdir/deploy/nginx/drfslides.conf" "$TMPD/site.conf" "$SOCK"
	nginx_start "" "$TMPD/site.conf" || bail "nginx did not start"
	NGX_URL=$NGINX_URL/slides/
}
