#!/bin/sh
# labels.sh: links that survive edits. NAME/@LABEL leads to the page that
# carries the label now, on both front ends (serve, and fcgi as CGI); a page
# inserted before it moves the target, not the link; check warns about a
# label two pages share.
# shellcheck disable=SC1091,SC2016
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
export LC_ALL=C

decks=$TMPD/decks
mkdir -p "$decks" || exit 99
printf -- '#title Labels\n--- Intro\nzero\n--- Mail flow\none\n--- 送信\ntwo\n---\nthree\n' \
    >"$decks/lab.drf"
DRFSLIDES_DECKS=$decks
export DRFSLIDES_DECKS

# cgi_get PATH_INFO: one GET to drfslides fcgi as CGI; head in $TMPD/h, body
# in $TMPD/b, the status in $ccode.
cgi_get() {
	cgi_env GET "$1" $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>"$TMPD/cgi.err"
	split_cgi "$TMPD/cgi"
}

serve_start lab --plain --decks "$decks" || bail "serve did not start"

# label URL-PATH DECODED PAGE-QUERY DESCRIPTION: both front ends redirect
# the path below the deck with 302 to the frameset at that page (serve gets
# it as a URL; fcgi as the PATH_INFO a web server passes, decoded).
label() {
	http_get l "$surl/lab/$1"
	is "$code" 302 "serve: $4 answers 302 (the target may move)"
	is "$(http_header l Location)" "/lab/$3" "serve: $4 leads to lab/$3"
	cgi_get "/lab/$2"
	is "$ccode" 302 "fcgi: $4 answers 302"
	is "$(header Location)" "/slides/lab/$3" "fcgi: $4 leads to lab/$3 under the mount point"
}
label '@Intro' '@Intro' '' "the label of page 0"
label '@Mail%20flow' '@Mail flow' '?page=1' "a label with a space, percent-encoded"
label '@%E9%80%81%E4%BF%A1' '@送信' '?page=2' "a UTF-8 label, percent-encoded"

http_get nol "$surl/lab/@nothing"
is "$code" 404 "serve: a label no page carries is 404"
contains "$HTTP_OUT/nol.b" "No page of this deck carries that label." "serve: ... and the page says so"
cgi_get /lab/@nothing
is "$ccode" 404 "fcgi: a label no page carries is 404"
http_get emp "$surl/lab/@"
is "$code" 404 "serve: an empty label is 404 (page 3 has none)"
http_get case "$surl/lab/@intro"
is "$code" 404 "serve: labels match as written (case counts)"
http_get head "$surl/lab/@Intro" -I
is "$code" 302 "serve: HEAD of a label redirects too"

# An edit inserts a page before "Mail flow": the same link leads to its new place.
printf -- '#title Labels\n--- Intro\nzero\n--- New\nnew\n--- Mail flow\none\n' >"$decks/lab.drf"
sleep 0.3	# past the dev server's change-check interval
http_get moved "$surl/lab/@Mail%20flow"
is "$(http_header moved Location)" "/lab/?page=2" "serve: after a page is inserted, @Mail flow leads to its new number"
cgi_get "/lab/@Mail flow"
is "$(header Location)" "/slides/lab/?page=2" "fcgi: ... and so does fcgi"

# ?page=@LABEL: the view's deep link, as its script writes it (form-encoded).
http_get v "$surl/lab/view?page=%40Mail+flow"
is "$code" 200 "serve: view?page=@LABEL answers the view"
contains "$HTTP_OUT/v.b" 'src="2"' "serve: ... opening at the page that carries the label now"
http_get v "$surl/lab/view?page=@Mail%20flow"
contains "$HTTP_OUT/v.b" 'src="2"' "serve: ... '@' and %20 as written by hand too"
http_get v "$surl/lab/?page=@New"
contains "$HTTP_OUT/v.b" 'src="1"' "serve: the frameset takes ?page=@LABEL too"
http_get v "$surl/lab/present?page=@New"
is "$code" 200 "serve: ... and the presentation"
http_get v "$surl/lab/view?page=@nothing"
is "$code" 404 "serve: ?page=@LABEL that no page carries is 404"
cgi_env GET /lab/view QUERY_STRING='page=%40Mail+flow' $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>"$TMPD/cgi.err"
split_cgi "$TMPD/cgi"
is "$ccode" 200 "fcgi: view?page=@LABEL answers the view"
contains "$TMPD/b" 'src="2"' "fcgi: ... at the labelled page"
http_get p "$surl/lab/2"
contains "$HTTP_OUT/p.b" 'data-label="Mail flow"' "serve: a labelled slide gives its script the label for the address bar"
http_get p "$surl/lab/3"
lacks "$HTTP_OUT/p.b" 'data-label' "serve: ... a slide without a label does not"
serve_stop

printf -- '--- A\n--- B\n--- A\n--- A\n' >"$TMPD/dup.drf"
run check "$TMPD/dup.drf"
contains "$TMPD/out" "dup.drf:3: warning: page 2 has the label 'A' of page 0 (line 1): links to @A lead to page 0 only" \
    "check: a label a second page repeats is warned about at that page"
contains "$TMPD/out" "dup.drf:4: warning: page 3 has the label 'A' of page 0 (line 1)" \
    "check: a third page with it names the first page too"
lacks "$TMPD/out" "'B'" "check: a label used once draws nothing"
run check "$top_srcdir/decks/smtp.drf"
contains "$TMPD/out" "13 pages, 0 errors, 0 warnings" "check: the bundled deck has no shared label"

done_testing
