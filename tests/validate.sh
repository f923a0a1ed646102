#!/bin/sh
# validate.sh: the HTML5 documents drfslides serves pass the Nu HTML Checker
# (vnu.jar from tests/browser's npm packages, run with the machine's Java),
# the presenter's and followers' views and the handouts with notes among
# them; the classic frameset keeps the HTML 4.01 Frameset doctype.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

jar=$top_srcdir/tests/browser/node_modules/vnu-jar/build/dist/vnu.jar
command -v java >/dev/null 2>&1 ||
	skip_all "java is not installed (apt-get install default-jre-headless)"
[ -r "$jar" ] ||
	skip_all "vnu.jar is missing (run 'npm ci --ignore-scripts' in tests/browser)"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"

# The dev server exactly as fcgi serves (--plain), on a free port.
decks=$top_srcdir/decks
serve_start serve --plain --decks "$decks" --public-url http://127.0.0.1:1/slides ||
	bail "the dev server did not start"
url=$SERVE_URL

# fetch_page NAME PATH STATUS [CURL_OPTION...]: saves a document as
# $TMPD/html/NAME.html, checking its status.
mkdir -p "$TMPD/html" "$TMPD/heads"
fetch_page() {
	fp_name=$1 fp_path=$2 fp_status=$3
	shift 3
	http_save "$TMPD/heads/$fp_name.h" "$TMPD/html/$fp_name.html" --path-as-is \
	    "$@" "$url$fp_path"
	is "$code" "$fp_status" "GET /$fp_path answers $fp_status"
}

fetch_page index "" 200
fetch_page view "smtp/view" 200
fetch_page view-page "smtp/view?page=4" 200
n=0
while [ $n -le 12 ]; do
	fetch_page "page-$n" "smtp/$n" 200
	n=$((n + 1))
done
fetch_page display "smtp/display" 200
fetch_page print "smtp/print" 200
fetch_page present "smtp/present" 200
fetch_page present-page "smtp/present?page=3" 200
fetch_page overview "smtp/overview" 200
fetch_page glossary "smtp/glossary/smtp.html" 200
fetch_page glossary-missing "smtp/glossary/nosuchterm.html" 404
fetch_page search "search?q=smtp" 200
fetch_page search-ja "search?q=%E3%83%A1%E3%83%BC%E3%83%AB" 200
fetch_page search-form "search" 200
fetch_page error-404 "nosuchdeck/" 404
fetch_page error-400 "smtp/../x" 400
fetch_page frameset "smtp/" 200
mv "$TMPD/html/frameset.html" "$TMPD/frameset.html"
# The deck of code and formulas, with the libraries that typeset it.
serve_start typeset --plain --decks "$top_srcdir/tests/data/typeset" ||
	bail "the dev server of the typeset deck did not start"
url=$SERVE_URL
for n in 0 1 2 3 4; do
	fetch_page "typeset-$n" "typeset/$n" 200
done
fetch_page typeset-print "typeset/print" 200
fetch_page typeset-overview "typeset/overview" 200
# The presenter's documents, on a deck with steps and speaker notes, as fcgi
# serves them with a presenter key: the presenter view (its script sends the
# key; the page takes it too), the follower's view, the view that offers to
# follow, and the handouts with and without notes (the key needed for them;
# one document holds every layout, chosen by CSS).
key=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
printf '%s\n' "$key" >"$TMPD/presenter.key"
serve_start presenter --plain --decks "$top_srcdir/tests/data/presenter" \
    --presenter-key-file "$TMPD/presenter.key" ||
	bail "the dev server with a presenter key did not start"
url=$SERVE_URL
auth="Authorization: Bearer $key"
fetch_page presenter "talk/presenter" 200
fetch_page presenter-key "talk/presenter?page=1" 200 -H "$auth"
fetch_page follow "talk/follow" 200
fetch_page follow-page "talk/follow?page=2" 200
fetch_page talk-view "talk/view" 200
fetch_page talk-present "talk/present?page=1" 200
fetch_page notes-refused "talk/print?notes=1" 401
fetch_page print-notes "talk/print?notes=1" 200 -H "$auth"
contains "$TMPD/html/print-notes.html" NOTE-MARKER-7f3a "the handout with notes holds them"
fetch_page talk-print "talk/print" 200
# Course folders: a course's index (the way up, its text, its courses) and the top's.
mkdir -p "$TMPD/courses/uni/net/lab" || exit 99
printf 'University\n\nEvery course & more.\n\nA second paragraph.\n' >"$TMPD/courses/uni/course.txt"
printf '#title Week one\n---\none\n' >"$TMPD/courses/uni/net/week01.drf"
printf '#title Lab one\n---\nlab\n' >"$TMPD/courses/uni/net/lab/lab01.drf"
serve_start courses --plain --decks "$TMPD/courses" ||
	bail "the dev server of the course folders did not start"
url=$SERVE_URL
fetch_page course-index "uni/net/" 200
fetch_page course-text "uni/" 200
fetch_page course-top "" 200
"$DRFSLIDES" export -q "$top_srcdir/tests/data/typeset/typeset.drf" "$TMPD/typeset-site" >/dev/null 2>&1
ok $? "export of the deck of code and formulas succeeds"
cp "$TMPD/typeset-site/typeset3.html" "$TMPD/html/export-typeset3.html"
cp "$TMPD/typeset-site/print.html" "$TMPD/html/export-typeset-print.html"
# The exported print view and view are HTML5 documents too.
"$DRFSLIDES" export -q "$decks/smtp.drf" "$TMPD/site" >/dev/null 2>&1
ok $? "export of the bundled deck succeeds"
cp "$TMPD/site/print.html" "$TMPD/html/export-print.html"
cp "$TMPD/site/view.html" "$TMPD/html/export-view.html"

# The frameset: HTML 4.01 Frameset, by design (vnu checks HTML5 only).
head -1 "$TMPD/frameset.html" >"$TMPD/doctype"
contains "$TMPD/doctype" '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN" "http://www.w3.org/TR/html4/frameset.dtd">' \
    "the frameset has the HTML 4.01 Frameset doctype"
contains "$TMPD/frameset.html" '<html lang="ja">' "the frameset has lang"
contains "$TMPD/frameset.html" '<frame name="slide" src="0" title=' "the slide frame has a title"
contains "$TMPD/frameset.html" '<frame name="display" src="display" title=' "the display frame has a title"
oembed='href="http://127.0.0.1:1/slides/oembed?url=http%3A%2F%2F127.0.0.1%3A1%2Fslides%2Fsmtp%2F'
contains "$TMPD/frameset.html" "<link rel=\"alternate\" type=\"application/json+oembed\" $oembed" \
    "the frameset has the oEmbed discovery link (with --public-url)"
contains "$TMPD/html/view.html" "<link rel=\"alternate\" type=\"application/json+oembed\" ${oembed}view&amp;format=json\"" \
    "the view has the oEmbed discovery link (with --public-url)"
contains "$TMPD/html/index.html" '&lt;iframe src=&quot;http://127.0.0.1:1/slides/smtp/view&quot;' \
    "the index's embed snippet uses the public URL"

# One run of the checker over every HTML5 document; errors only.
java -jar "$jar" --errors-only --format gnu "$TMPD"/html/*.html >"$TMPD/vnu.out" 2>&1
vrc=$?
for f in "$TMPD"/html/*.html; do
	name=${f##*/}
	if grep -qF "$f" "$TMPD/vnu.out"; then
		ok 1 "$name passes the Nu HTML Checker"
		grep -F "$f" "$TMPD/vnu.out" | head -10 | sed "s|$TMPD/html/||; s/^/#   /"
	else
		ok 0 "$name passes the Nu HTML Checker"
	fi
done
[ $vrc -eq 0 ] || [ -s "$TMPD/vnu.out" ]
ok $? "the checker ran (exit status $vrc)"
for f in "$TMPD"/html/*.html; do
	grep -q '^<html lang="[a-z][a-z]*"' "$f" || echo "${f##*/}"
done >"$TMPD/nolang"
[ ! -s "$TMPD/nolang" ]
ok $? "every document has lang on <html>"

done_testing
