#!/bin/bash
# serve-live.sh: the dev server as an author sees it: live reload (the token
# of /_drfslides/live changes with any deck, glossary entry, template or
# asset, not with what is behind a symbolic link, and a half-saved deck is
# shown once it has settled), the warnings banner, and the error page that
# shows the failing line, while --plain keeps serving the last good version
# and answers as fcgi does.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/serve-lib.sh"

# ---------------------------------------------------------------------------
# Live reload: the token stays while nothing changes and changes with any
# deck, glossary entry, template or asset.
get live1 "$dev/_drfslides/live"
is "$code" 200 "dev: GET /_drfslides/live answers 200"
tok=$(cat "$out/live1.b")
check "dev: the live token is not empty" test -n "$tok"
get live2 "$dev/_drfslides/live"
is "$(cat "$out/live2.b")" "$tok" "dev: two polls with nothing changed give the same token"

# new_token SECONDS: polls the token every 0.05 s until it differs from $tok
# (SECONDS at most); the last one in $t, and true if it differs.
new_token() {
	local deadline=$(($(now_ms) + $1 * 1000))
	while :; do
		get livex "$dev/_drfslides/live"
		t=$(cat "$out/livex.b")
		[ -n "$t" ] && [ "$t" != "$tok" ] && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# changed DESCRIPTION [SECONDS]: the token differs from $tok within SECONDS
# (1); keeps the new one.
changed() {
	new_token "${2:-1}"
	ok $? "$1"
	tok=$t
}
printf 'LIVE-EDIT-MARK\n' >>"$decks/smtp.drf"
changed "live: appending a line to the deck changes the token within 1 s"
sleep 0.25	# live.js waits this long before it reloads (past the 100 ms check)
get live_edit "$dev/smtp/12"
contains "$out/live_edit.b" 'LIVE-EDIT-MARK' "live: the next request shows the edit"
get live3 "$dev/_drfslides/live"
is "$(cat "$out/live3.b")" "$tok" "live: the new token then stays"
touch -t 200103061342.06 "$decks/glossary/ppp.html"
changed "live: touching a glossary entry changes the token"
touch -t 200103061342.06 "$tpl/page.html"
changed "live: touching a template changes the token"
touch -t 200103061342.06 "$stat/drfslides.css"
changed "live: touching a static file changes the token"
cp "$TMPD/smtp.orig" "$decks/other.drf"
changed "live: a new deck changes the token"
rm -f "$decks/other.drf"
changed "live: removing a deck changes the token"

# No symbolic link is followed inside the decks folder: a glossary folder
# replaced by a link to an outside folder is not read, so a change there does
# not change the token.
mkdir "$TMPD/outside"
printf 'outside\n' >"$TMPD/outside/ppp.html"
mv "$decks/glossary" "$TMPD/glossary.real"
ln -s "$TMPD/outside" "$decks/glossary"
changed "live: replacing the glossary folder by a symbolic link changes the token"
touch -t 200203061342.06 "$TMPD/outside/ppp.html"
printf 'outside, changed\n' >"$TMPD/outside/new.html"
sleep 0.3	# past the dev server's 100 ms stat interval
get livel "$dev/_drfslides/live"
is "$(cat "$out/livel.b")" "$tok" "live: a change behind a linked glossary folder leaves the token as it was"
rm -f "$decks/glossary"
mv "$TMPD/glossary.real" "$decks/glossary"
changed "live: the glossary folder put back changes the token"

# A save that may be half-done (whole 4 KiB blocks, changed a moment ago) is
# not shown yet; the token changes when it is written and once more when it
# has settled (after a second), and the page then shows it.
{
	printf '#title K4\n----\nK4-MARK\n'
	i=0
	while [ "$i" -lt 64 ]; do printf '%063d\n' "$i"; i=$((i + 1)); done
} | head -c 4096 >"$TMPD/k4.drf"
check "live: the 4 KiB deck is 4096 bytes" test "$(wc -c <"$TMPD/k4.drf")" -eq 4096
cat "$TMPD/k4.drf" >"$decks/smtp.drf"
t0=$(now_ms)
changed "live: writing a deck of 4096 bytes in place changes the token"
t1=$(now_ms)
sleep 0.25
get k4a "$dev/smtp/0"
# Judged only when the answer came while the save was under a second old.
if [ $(($(now_ms) - t0)) -lt 900 ]; then
	lacks "$out/k4a.b" 'K4-MARK' "live: a deck of 4096 bytes a moment old is not shown yet"
else
	skip "live: a deck of 4096 bytes a moment old is not shown yet" "the page came more than 0.9 s after the save"
fi
# Judged only when the first change was seen before the deck could settle.
if [ $((t1 - t0)) -lt 900 ]; then
	changed "live: the token changes again once that deck has settled" 3
else
	skip "live: the token changes again once that deck has settled" "the first change was seen more than 0.9 s after the save"
	sleep 1
	get livek "$dev/_drfslides/live"
	tok=$(cat "$out/livek.b")
fi
sleep 0.25
get k4b "$dev/smtp/0"
contains "$out/k4b.b" 'K4-MARK' "live: the settled deck is then shown"

# ---------------------------------------------------------------------------
# Warnings: a banner in the dev server only.
{
	printf '#tilte x\n#title Warned deck\n'
	printf '#define GLS() JavaScript:parent.display.openglossary("$1.html")\n'
	printf -- '----\nfirst page\n----\n<a href='\''GLS(nosuchterm)'\''>missing</a>\n'
} >"$decks/warn.drf"
get warn "$dev/warn/1"
is "$code" 200 "warnings: a deck with warnings is served (200)"
contains "$out/warn.b" 'drf-dev-banner' "warnings: the dev page has the banner"
contains "$out/warn.b" 'drf-dev-close' "warnings: the banner can be dismissed"
sed -n '/drf-dev-banner/,/<\/div>/p' "$out/warn.b" >"$TMPD/banner"
contains "$TMPD/banner" 'warn.drf:1: warning' "warnings: the banner names file:line and 'warning'"
contains "$TMPD/banner" '#tilte' "warnings: the banner holds the unknown directive"
contains "$TMPD/banner" 'nosuchterm' "warnings: the banner holds the missing glossary entry"
check "warnings: the banner comes before </body>" grep -q '</body>' <(sed -n '/drf-dev-banner/,$p' "$out/warn.b")
get warnp "$plain/warn/1"
lacks "$out/warnp.b" 'drf-dev-banner' "warnings: --plain shows no banner"
cgi_plain warnc PATH_INFO=/warn/1
same "$out/warnp.b" "$out/warnc.cb" "warnings: --plain sends fcgi's bytes for a deck with warnings"
get nowarn "$dev/smtp/1"
lacks "$out/nowarn.b" 'drf-dev-banner' "warnings: a deck without warnings has no banner"

# ---------------------------------------------------------------------------
# Author errors: a deck that fails to load.
cp "$TMPD/smtp.orig" "$decks/smtp.drf"
sleep 0.3	# past the 100 ms change-check interval
get before_p "$plain/smtp/1"
is "$code" 200 "errors: --plain loads the good deck first"
get before_d "$dev/smtp/1"
{
	sed -n '1,60p' "$TMPD/smtp.orig"
	printf 'BROKEN-LINE-MARK \377\376 tail\n'
	sed -n '61,$p' "$TMPD/smtp.orig"
} >"$TMPD/broken.drf"
cp "$TMPD/broken.drf" "$decks/smtp.drf"
cp "$TMPD/broken.drf" "$decks/never.drf"
# The dev server looks at a deck file at most every 100 ms (--stat-interval).
sleep 0.3
get err_d "$dev/smtp/1"
is "$code" 500 "errors: dev answers 500 for a deck that fails to load"
contains "$out/err_d.b" 'smtp.drf:61:' "errors: the dev page names smtp.drf:LINE:"
sed -n '/<pre/,/<\/pre>/p' "$out/err_d.b" >"$TMPD/pre"
contains "$TMPD/pre" 'BROKEN-LINE-MARK' "errors: the offending line's text is in a <pre>"
contains "$TMPD/pre" '61 | BROKEN-LINE-MARK' "errors: the <pre> numbers the line"
contains "$out/err_d.b" '/static/live.js' "errors: the error page reloads itself when fixed"
get err_de "$dev/smtp/"
is "$code" 500 "errors: dev answers 500 for the broken deck's frameset too"
contains "$out/err_de.b" 'smtp.drf:61:' "errors: ... with the same error page"
get err_p "$plain/smtp/1"
is "$code" 200 "errors: --plain keeps serving the last good version (200)"
same "$out/err_p.b" "$out/before_p.b" "errors: --plain sends the last good page"
get err_n "$plain/never/1"
is "$code" 500 "errors: --plain answers 500 for a broken deck it never loaded"
lacks "$out/err_n.b" "$TMPD" "errors: --plain's 500 shows no file path"
lacks "$out/err_n.b" '.drf:' "errors: --plain's 500 shows no file:line"
lacks "$out/err_n.b" 'BROKEN-LINE-MARK' "errors: --plain's 500 shows no source line"
cgi_plain err_nc PATH_INFO=/never/1
is "$ccode" 500 "errors: fcgi answers 500 for the broken deck"
same "$out/err_n.b" "$out/err_nc.cb" "errors: --plain's 500 is fcgi's, byte for byte"
get err_dn "$dev/never/1"
is "$code" 500 "errors: dev answers 500 for a deck never good"
contains "$out/err_dn.b" 'never.drf:61:' "errors: dev names never.drf:61: for it"
cp "$TMPD/smtp.orig" "$decks/smtp.drf"
rm -f "$decks/never.drf"
sleep 0.3	# past the 100 ms change-check interval, as above
get fixed "$dev/smtp/1"
is "$code" 200 "errors: fixing the deck brings the page back"
lacks "$out/fixed.b" 'drf-dev-banner' "errors: the fixed page has no banner"

serve_canary
done_testing
