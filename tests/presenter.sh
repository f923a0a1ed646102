#!/bin/sh
# presenter.sh: speaker notes stay out of every public answer; the presenter
# routes and their key (404 without one, 401, 403, 429, 200), the same-origin
# rule of the position POST, the position shared by two FastCGI workers and
# kept across a restart, served cacheably through the shipped nginx
# configuration; the key never in nginx's access log; #note in the CLI.
# shellcheck disable=SC1091,SC2154
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/presenter-lib.sh"

# --- The deck format: #note.
run check "$PDECKS/talk.drf"
is "$rc" 0 "check: a deck with #note lines loads without a warning"
lacks "$TMPD/out" ": warning:" "check: #note is a directive, not a misspelt comment"
printf '#note in the preamble\n--- a\nx\n' >"$TMPD/pre.drf"
run check "$TMPD/pre.drf"
contains "$TMPD/out" "pre.drf:1: warning: #note before the first page separator is ignored" \
    "check: a #note before the first page is reported with its line"
run render "$PDECKS/talk.drf" 0
lacks "$TMPD/out" "$MARKER" "render: a page holds none of its notes"
contains "$TMPD/out" "Page one." "render: the page text is there"

# --- export, with and without --notes.
run export -q "$PDECKS/talk.drf" "$TMPD/site"
is "$rc" 0 "export: the deck exports"
grep -rlq "$MARKER" "$TMPD/site"
[ $? -ne 0 ]
ok $? "export: no file of the exported site holds a note"
run export -q --notes "$PDECKS/talk.drf" "$TMPD/site-notes"
contains "$TMPD/site-notes/print.html" "$MARKER first line with <em>expanded</em>" \
    "export --notes: print.html holds the notes, expanded like page text"
contains "$TMPD/site-notes/print.html" 'class="print-notes"' \
    "export --notes: each note is an aside of its page"
grep -rlq "$MARKER" "$TMPD/site-notes" --exclude=print.html
[ $? -ne 0 ]
ok $? "export --notes: only print.html holds the notes"

presenter_servers
AUTH="Authorization: Bearer $KEY"
WRONG="Authorization: Bearer not-the-key-but-long-enough"

# --- No public answer holds a note, through nginx and both caches.
for p in / /talk/ /talk/view /talk/present /talk/overview /talk/0 /talk/1 /talk/2 \
    /talk/3 /talk/display /talk/print /talk/follow /talk/presenter /talk/position \
    /talk/glossary/secretterm.html /talk/9 /nosuch/ /talk/nosuch "/oembed?url=http://127.0.0.1/slides/talk/"; do
	fetch "$U$p"
	cat "$TMPD/h" "$TMPD/b" >>"$TMPD/public"
	printf '%s %s\n' "$code" "$p" >>"$TMPD/codes"
done
lacks "$TMPD/public" "$MARKER" "no public answer of any route holds a note (19 addresses)"
contains "$TMPD/codes" "200 /talk/print" "the print view answers"
fetch -H 'Host: nokey.invalid' "$U/talk/print"
lacks "$TMPD/b" "$MARKER" "the print view without a presenter holds no note"

# --- Without a key configured: the presenter routes do not exist.
for p in presenter follow notes position "print?notes=1"; do
	fetch -H 'Host: nokey.invalid' -H "$AUTH" "$U/talk/$p"
	is "$code" 404 "no key configured: /talk/$p answers 404"
done
fetch -H 'Host: nokey.invalid' -H "$AUTH" -d 'page=1&step=0' "$U/talk/position"
is "$code" 404 "no key configured: POST /talk/position answers 404"
fetch -H 'Host: nokey.invalid' "$U/talk/view"
lacks "$TMPD/b" 'id="to-follow"' "no key configured: the view offers no follow link"

# --- With a key: 401 without one, 403 with a wrong one, 200 with it.
fetch "$U/talk/notes"
is "$code $(header WWW-Authenticate)" "401 Bearer" "notes without a key: 401, Bearer"
lacks "$TMPD/b" "$MARKER" "notes without a key: no note"
fetch -H "$WRONG" "$U/talk/notes"
is "$code" 403 "notes with a wrong key: 403"
lacks "$TMPD/b" "$MARKER" "notes with a wrong key: no note"
fetch -H "$AUTH" "$U/talk/notes"
is "$code $(header Content-Type)" "200 application/json" "notes with the key: 200, JSON"
contains "$TMPD/b" "$MARKER page two" "notes with the key: the notes of every page"
fetch -H "$WRONG" "$U/talk/presenter"
is "$code" 403 "the presenter view with a wrong key: 403"
fetch "$U/talk/presenter"
is "$code" 200 "the presenter view itself: 200 (it holds no notes and asks for the key)"
fetch -H "$AUTH" "$U/talk/presenter"
is "$code" 200 "the presenter view with the key: 200"
fetch "$U/talk/view"
contains "$TMPD/b" 'id="to-follow" href="follow"' "the view offers to follow the lecture"

# The handout with notes: only with the key, and never from nginx's cache.
fetch -H "$AUTH" "$U/talk/print?notes=1"
is "$code" 200 "print?notes=1 with the key: 200"
contains "$TMPD/b" "$MARKER four" "print?notes=1 with the key: the notes"
is "$(header Cache-Control)" "private, no-store" "print?notes=1: never stored"
for i in 1 2; do
	fetch "$U/talk/print?notes=1"
	printf '%s ' "$code"
	cat "$TMPD/b" >>"$TMPD/after"
done >"$TMPD/after-codes"
is "$(cat "$TMPD/after-codes")" "401 401 " "print?notes=1 after the presenter's: 401 without the key (not the cached answer)"
lacks "$TMPD/after" "$MARKER" "print?notes=1 without the key: no note"
fetch -H "$WRONG" "$U/talk/print?notes=1"
is "$code" 403 "print?notes=1 with a wrong key: 403"

# --- The position: POST with the key from this site; GET for everyone.
fetch -H "$AUTH" -H "Origin: $NGINX_URL" -d 'page=2&step=1' "$U/talk/position"
is "$code" 200 "POST page=2&step=1 with the key, same origin: 200"; [ "$code" = 200 ] || grep -o "<p>[^<]*" "$TMPD/b" | sed "s/^/# /"
fetch -H "$AUTH" -H "Origin: http://course.example" -d 'page=1&step=0' "$U/talk/position"
is "$code" 403 "POST from another origin (Origin): 403"
fetch -H "$AUTH" -H "Sec-Fetch-Site: cross-site" -d 'page=1&step=0' "$U/talk/position"
is "$code" 403 "POST from another site (Sec-Fetch-Site): 403"
fetch -H "$WRONG" -d 'page=1&step=0' "$U/talk/position"
is "$code" 403 "POST with a wrong key: 403"
fetch -d 'page=1&step=0' "$U/talk/position"
is "$code" 401 "POST without a key: 401"
fetch -H "$AUTH" -d 'page=4&step=0' "$U/talk/position"
is "$code" 400 "POST of a page past the deck: 400"
fetch -H "$AUTH" -d 'page=x' "$U/talk/position"
is "$code" 400 "POST of a malformed form: 400"
is "$(cat "$STATE/talk.position")" "2 1" "the position is a file of the state directory"
# Through nginx's cache the new position shows within about a second, and
# from then on every answer, from either worker, says where the presenter is.
i=0
fetch "$U/talk/position"
while ! grep -q '"page":2,"step":1,' "$TMPD/b" && [ $i -lt 20 ]; do
	sleep 0.1
	fetch "$U/talk/position"
	i=$((i + 1))
done
ok $((i >= 20)) "GET position: the new position within 2 s through nginx's cache"
bad=0
i=0
while [ $i -lt 12 ]; do
	fetch -H 'Cache-Control: no-cache' "$U/talk/position"
	grep -q '"page":2,"step":1,' "$TMPD/b" || bad=$((bad + 1))
	i=$((i + 1))
done
is "$bad" 0 "GET position: 12 answers, each page 2 step 1"
is "$(header Cache-Control)" "public, max-age=1" "GET position: a lifetime of one second"
etag=$(header ETag)
[ -n "$etag" ] && [ -n "$(header Last-Modified)" ]
ok $? "GET position: an ETag and a Last-Modified"
fetch -H "If-None-Match: $etag" "$U/talk/position"
is "$code" 304 "GET position with its ETag: 304"
# A follower's requests are answered by nginx: at most a few reach drfslides.
fetch "$U/talk/position"
xc=$(header X-Cache-Status)
in_set "$xc" HIT UPDATING EXPIRED MISS REVALIDATED STALE
ok $? "GET position goes through nginx's position cache ($xc)"
# Both workers read the same file: a worker restarted reads it too.
for w in $(drf_workers "$P_PID"); do kill -KILL "$w"; done
sleep 1.2
fetch "$U/talk/position"
i=0
while [ "$code" != 200 ] && [ $i -lt 20 ]; do sleep 0.25; fetch "$U/talk/position"; i=$((i + 1)); done
contains "$TMPD/b" '"page":2,"step":1' "after the workers were killed and restarted: the same position"

# --- The key never appears in nginx's access log.
sleep 0.2
[ -s "$ALOG" ] && grep -q '/talk/notes' "$ALOG"
ok $? "nginx logged the presenter's requests"
lacks "$ALOG" "$KEY" "the key is not in nginx's access log"
lacks "$TMPD/p.log" "$KEY" "the key is not in drfslides' log"

# --- Wrong keys: rate-limited, and logged without flooding.
i=0
: >"$TMPD/wrong"
while [ $i -lt 12 ]; do
	fetch -H "$WRONG" "$U/talk/notes"
	printf '%s ' "$code" >>"$TMPD/wrong"
	i=$((i + 1))
done
contains "$TMPD/wrong" "429" "wrong keys from one address: 429 after a few"
n=$(grep -c 'wrong presenter key' "$TMPD/p.log")
[ "$n" -ge 1 ] && [ "$n" -le 4 ]
ok $? "wrong keys: $n log lines for 12 wrong keys (at most one a minute a worker)"

done_testing
