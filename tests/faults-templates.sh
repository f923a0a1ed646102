#!/bin/sh
# faults-templates.sh: the templates and static directories removed while
# "drfslides fcgi" runs: cached pages are still served, the rest fails
# cleanly and everything answers again once they are back.
# shellcheck disable=SC1091,SC2016,SC2086,SC3045
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/faults-lib.sh"
faults_servers

# ============================================================ templates removed

# Cached now: page 0 of version A (and display, entry) rendered by the test above.
fetch "$U/slides/v/0"
is "$code" 200 "before: page 0 answers"
cp "$TMPD/b" "$TMPD/p0.before"
before=$(grep -c 'templates' "$LOG")
mv "$TPL" "$TPL.gone"
sleep 0.2
bad=
for _ in 1 2 3 4; do
	# Several requests, so that both workers notice.
	fetch "$U/slides/v/0"
	[ "$code" = 200 ] && cmp -s "$TMPD/b" "$TMPD/p0.before" || bad="$bad cached:$code"
done
is "$bad" "" "templates removed: a cached page still answers 200, the same bytes"
# Not cached: a deck added after the templates went away, and the index,
# which is rendered on every request; the error pages need a template too.
install_deck "$TMPD/B.drf"
cp "$TMPD/A.drf" "$DECKS/w.drf"
fetch "$U/slides/w/7"
is "$code" 200 "templates removed: a page of a new deck renders (the old templates stay in use)"
contains "$TMPD/b" 'version-A page 7 of 10<' "templates removed: the new deck's page is its page"
fetch "$U/slides/v/12"
is "$code" 200 "templates removed: a page of a changed deck renders"
fetch "$U/slides/"
is "$code" 200 "templates removed: the index renders"
contains "$TMPD/b" 'href="w/"' "templates removed: the index lists the new deck"
fetch "$U/slides/nosuch/"
is "$code" 404 "templates removed: a missing deck is still a 404"
contains "$TMPD/b" 'nosuch' "templates removed: the 404 page is rendered from the kept error template"
grep "templates" "$LOG" | sed -n "$((before + 1)),\$p" >"$TMPD/tlog"
matches "$TMPD/tlog" "$TPL" "templates removed: the log names the templates that failed to load"
lines=$(grep -c "$TPL" "$TMPD/tlog")
[ "$lines" -ge 1 ] && [ "$lines" -le 2 ]
ok $? "templates removed: logged once by each worker that noticed, not on every request ($lines)"
mv "$TPL.gone" "$TPL"
touch "$TPL/page.html"
sleep 0.2
for _ in 1 2 3 4; do fetch "$U/slides/v/0"; done
contains "$LOG" "$TPL: templates reloaded" "templates back: they are loaded again"
is "$code" 200 "templates back: pages answer"

# A deck that breaks, then a template that changes: the last good version is
# still served (rendered with the templates it was rendered with), and once
# the deck is repaired its pages carry the new template.
install_deck "$TMPD/A.drf"
for _ in 1 2 3 4 5 6; do fetch "$U/slides/v/4"; done
cp "$TMPD/b" "$TMPD/A.page4"
{ cat "$TMPD/A.drf"; printf 'broken \377 line\n'; } >"$DECKS/.v.tmp" && mv -f "$DECKS/.v.tmp" "$DECK"
for _ in 1 2 3 4 5 6; do fetch "$U/slides/v/4"; done
[ -s "$TMPD/A.page4" ] && cmp -s "$TMPD/b" "$TMPD/A.page4"
ok $? "broken deck: the last good page is served"
bl=$(($(wc -l <"$TMPD/A.drf") + 1))
contains "$LOG" "v.drf:$bl: error" "broken deck: the error is logged with file:line"
before=$(grep -c "v.drf:$bl: error" "$LOG")
cp "$TPL/page.html" "$TMPD/page.html.orig"
sed 's|</body>|<!-- TPL-MARK-2 --></body>|' "$TMPD/page.html.orig" >"$TPL/page.html"
sleep 0.2
bad=
for _ in 1 2 3 4 5 6; do
	fetch "$U/slides/v/4"
	[ "$code" = 200 ] && grep -q 'version-A page 4 of 10<' "$TMPD/b" || bad="$bad $code"
done
is "$bad" "" "broken deck, templates changed: its last good version is still served"
after=$(grep -c "v.drf:$bl: error" "$LOG")
[ "$after" -ge 1 ] && [ $((after - before)) -le 2 ]
ok $? "broken deck, templates changed: the error is logged at most once more by each worker ($before -> $after)"
install_deck "$TMPD/A.drf"
bad=
for _ in 1 2 3 4 5 6; do
	fetch "$U/slides/v/4"
	grep -q 'TPL-MARK-2' "$TMPD/b" && grep -q 'version-A page 4 of 10<' "$TMPD/b" || bad="$bad $code"
done
is "$bad" "" "deck repaired: its pages carry the new template"
cp "$TMPD/page.html.orig" "$TPL/page.html"

is "$(fcgi_status /static/drfslides.css)" "Status: 200 OK" "a static asset answers from --static"
mv "$STATIC" "$STATIC.gone"
is "$(fcgi_status /static/drfslides.css)" "Status: 404 Not Found" "static directory removed: the asset is 404"
is "$(fcgi_status /v/1)" "Status: 200 OK" "static directory removed: pages still answer"
mv "$STATIC.gone" "$STATIC"
is "$(fcgi_status /static/drfslides.css)" "Status: 200 OK" "static directory back: the asset answers again"

tmark

done_testing
