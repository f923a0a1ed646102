#!/bin/sh
# courses.sh: decks in course folders, on both front ends (the dev server,
# and fcgi behind nginx): a deck three folders deep served with every route
# under its path, each folder's index (its courses and decks in name order,
# the way up, the title and text of its course.txt), a glossary entry of
# the top refined by a course, the 2001 names in a course, 404 for what is
# not there, no way out of the decks folder, and export and check of a
# deck in a course.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/fcgi-lib.sh"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
export LC_ALL=C

net=$DECKS/uni/networks1
mkdir -p "$net/lab" "$net/glossary" "$net/week05-tcp" "$DECKS/a/b/c/d/e" \
    "$TMPD/outside" "$TMPD/state" || exit 99
gls='#define GLS() JavaScript:parent.display.openglossary("$1.html")'
printf 'University\n\nEvery course of the university.\n' >"$DECKS/uni/course.txt"
printf '# shown as the course title and text\nNetworks I\n\nTCP, UDP & <the> rest.\nSecond line.\n\nA second paragraph.\n' \
    >"$net/course.txt"
printf '%s\n#title Week five: TCP\n--- Handshake\n<a href='"'"'GLS(tcp)'"'"'>TCP</a> <a href='"'"'GLS(smtp)'"'"'>SMTP</a> <img src="pic.png" alt="a picture">\n--- Close\nbye\n' \
    "$gls" >"$net/week05-tcp.drf"
printf '#title Week two: IP\n---\nip\n' >"$net/week02-ip.drf"
printf '%s\n#title Lab one\n---\n<a href='"'"'GLS(tcp)'"'"'>TCP</a>\n' "$gls" >"$net/lab/lab01.drf"
printf 'Lab\n' >"$net/lab/course.txt"
printf 'PICTURE-OF-TCP' >"$net/week05-tcp/pic.png"
printf '<p>university-wide tcp</p>\n' >"$DECKS/glossary/tcp.html"
printf '<p>networks-course tcp</p>\n' >"$net/glossary/tcp.html"
# A course whose title needs escaping, and one without a course.txt.
mkdir -p "$DECKS/cs" "$DECKS/law" || exit 99
printf 'C & <C++>\n' >"$DECKS/cs/course.txt"
printf '#title Intro\n---\nintro\n' >"$DECKS/cs/intro.drf"
printf '#title Rights\n---\nrights\n' >"$DECKS/law/rights.drf"
# Five folders deep: past the limit of four.
printf '#title Too deep\n---\ndeep\n' >"$DECKS/a/b/c/d/e/deep.drf"
# A course folder that is a symbolic link out of the decks folder.
printf '#title OUTSIDE-CANARY\n---\nOUTSIDE-CANARY\n' >"$TMPD/outside/leak.drf"
ln -s "$TMPD/outside" "$DECKS/uni/linked" || exit 99

# A presenter key, for the position of a nested deck.
KEY=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
printf '%s\n' "$KEY" >"$TMPD/presenter.key"
fcgi_servers --workers 1 --threads 4 --stat-interval 0 --state-dir "$TMPD/state" \
    --presenter-key-file "$TMPD/presenter.key"
serve_start dev --decks "$DECKS" || bail "serve did not start"
dev=$surl
ngx=$U/slides

# both PATH STATUS TEXT DESCRIPTION: the dev server and nginx answer PATH
# with STATUS, and a body holding TEXT (when not empty); the body in $TMPD/b.
both() {
	for b in "dev $dev" "fcgi $ngx"; do
		set -- "${b%% *}" "${b#* }" "$@"
		fetch --path-as-is "$2$3"
		is "$code" "$4" "$1: $6 ($3: $4)"
		[ -z "$5" ] || contains "$TMPD/b" "$5" "$1: $6: the page has '$5'"
		shift 2
	done
}

d=/uni/networks1/week05-tcp
both "$d/" 200 '<frameset' "a deck three levels down: its frameset"
both "$d/view" 200 '' "... its view"
both "$d/present" 200 "data-deck=\"uni/networks1/week05-tcp\"" "... its presentation, named by its whole path"
both "$d/print" 200 'Week five: TCP' "... its print view"
both "$d/overview" 200 '' "... its overview"
both "$d/1" 200 'bye' "... a page by number"
both "$d/0" 200 'href="../../../static/drfslides.css"' "... a page finds the static folder three folders up"
both "$d/display" 200 '' "... the glossary frame"
both "$d/pic.png" 200 'PICTURE-OF-TCP' "... a picture from the folder named after it"
both "$d/glossary/tcp.html" 200 'networks-course tcp' "the course's glossary entry refines the top's"
both "$d/glossary/smtp.html" 200 'SMTP' "a term the course does not define is the top's"
both "/uni/networks1/lab/lab01/glossary/tcp.html" 200 'networks-course tcp' \
    "a deck in a sub-course takes the entry of the course above it"
both "/smtp/glossary/tcp.html" 200 'university-wide tcp' "a deck at the top keeps the top's entry"
both "$d/9" 404 'There is no such page.' "a page past the end"
both "/uni/networks1/week99/" 404 '<pre class="detail">uni/networks1/week99</pre>' "a deck a course does not have"
both "/uni/nope/" 404 '' "a course that is not there"
both "/uni/networks1/glossary/tcp.html" 404 '' "a course's glossary folder is no course"
both "/a/b/c/d/e/deep/" 404 '' "a deck five folders deep (past the limit)"
both "/uni/linked/leak/" 404 '' "a course folder that is a symbolic link"
lacks "$TMPD/b" OUTSIDE-CANARY "... nothing of what it leads to is shown"
# Ways out of the decks folder: refused (400) or not found, never served.
for p in '/uni/../../outside/leak/' '/uni/..%2f..%2foutside/leak/' \
    '/uni/networks1/%2e%2e/%2e%2e/%2e%2e/outside/leak/' '/uni/linked/../leak/'; do
	for b in "dev $dev" "fcgi $ngx"; do
		fetch --path-as-is "${b#* }$p"
		in_set "$code" 400 404
		ok $? "${b%% *}: $p is refused or not found ($code)"
		lacks "$TMPD/b" OUTSIDE-CANARY "${b%% *}: $p: nothing from outside"
	done
	# nginx resolves dot segments itself: what fcgi makes of them as a CGI.
	cgi_env GET "$p" $tmo "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>/dev/null
	split_cgi "$TMPD/cgi"
	in_set "$ccode" 400 404
	ok $? "fcgi as CGI: PATH_INFO $p is refused or not found ($ccode)"
done
both "/smtp/" 200 '<frameset' "the flat layout: a deck at the top"

# A deck's way back up names its course, as the course's index does.
both "$d/view" 200 '<a class="view-home" href="../">Networks I</a>' \
    "a deck's view links up to its course, by its course.txt title"
both "$d/print" 200 '<a href="../">Networks I</a>' "... and so does its print view"
both "/cs/intro/view" 200 '<a class="view-home" href="../">C &amp; &lt;C++&gt;</a>' \
    "a course title in a deck's view is escaped"
both "/law/rights/view" 200 '<a class="view-home" href="../">law</a>' \
    "a course without course.txt is named by its folder"
both "/smtp/view" 200 '<a class="view-home" href="../">' "a deck at the top links up to the top's index"
lacks "$TMPD/b" 'href="../">law</a>' "... by the index's own name"
# A course's search page: the way up and the heading by the courses' titles.
both "/uni/networks1/search" 200 '<h1>Search the slides of Networks I</h1>' \
    "a course's search page is headed by its course.txt title"
contains "$TMPD/b" '<li><a href="../">University</a></li>' "fcgi: ... its way up passes the course above, by its title"
contains "$TMPD/b" '<li><a href="./">Networks I</a></li>' "fcgi: ... to its own course"
lacks "$TMPD/b" 'uni/networks1</a>' "fcgi: ... not by its folder"
both "/cs/search" 200 '<h1>Search the slides of C &amp; &lt;C++&gt;</h1>' "a course's title in its search page is escaped"
contains "$TMPD/b" '<title>Search the slides · C &amp; &lt;C++&gt;</title>' "fcgi: ... in its title too"
both "/law/search" 200 '<li><a href="./">law</a></li>' "a course's search page without course.txt names it by its folder"

# Redirects: on the dev server to the path, through nginx under /slides.
redirect() {
	fetch "$dev$1"
	is "$code $(header Location)" "$2 $3" "dev: $1 redirects ($4)"
	fetch "$ngx$1"
	is "$code $(header Location)" "$2 /slides$3" "fcgi: $1 redirects ($4)"
}
redirect /uni/networks1 301 /uni/networks1/ "a course's index needs its slash"
redirect "$d" 301 "$d/" "a deck's needs its slash"
redirect /uni/networks1/week05-tcp1.html 301 "$d/?page=1" "the 2001 name of a page, in its course"
redirect "$d/@Close" 302 "$d/?page=1" "a page's label"

# The indexes, on both front ends.
both /uni/networks1/ 200 '<h1>Networks I</h1>' "a course's index has its course.txt title"
contains "$TMPD/b" '<p class="course-text">TCP, UDP &amp; &lt;the&gt; rest.
Second line.</p>' "fcgi: the course text is escaped, its lines kept"
contains "$TMPD/b" '<p class="course-text">A second paragraph.</p>' "fcgi: an empty line starts a paragraph"
lacks "$TMPD/b" 'shown as the course title' "fcgi: a '#' line of course.txt is a comment"
contains "$TMPD/b" '<li><a href="../../">' "fcgi: the way up starts at the top"
contains "$TMPD/b" '<li><a href="../">University</a></li>' "fcgi: ... through the course above, by its title"
contains "$TMPD/b" '<li aria-current="page">Networks I</li>' "fcgi: ... to this course"
contains "$TMPD/b" '<a href="lab/">Lab</a>' "fcgi: a sub-course is linked by its title"
contains "$TMPD/b" '<a href="week05-tcp/">Week five: TCP</a>' "fcgi: a deck is linked relative to its course"
contains "$TMPD/b" 'href="../../static/drfslides.css"' "fcgi: the index finds the static folder"
contains "$TMPD/b" '<p class="count">1 page
' "fcgi: a deck of one page: its count in the singular"
contains "$TMPD/b" '<p class="count">2 pages
' "fcgi: ... of two pages, in the plural"
week2=$(grep -n 'href="week02-ip/"' "$TMPD/b" | cut -d: -f1)
week5=$(grep -n 'href="week05-tcp/"' "$TMPD/b" | cut -d: -f1)
[ -n "$week2" ] && [ -n "$week5" ] && [ "$week2" -lt "$week5" ]
ok $? "fcgi: decks in name order (week02-ip before week05-tcp)"
both "/uni/networks1/week02-ip/print" 200 '<p class="count">1 page</p>' "a print view counts one page in the singular"
both /uni/ 200 '<a href="networks1/">Networks I</a>' "the course above lists it"
lacks "$TMPD/b" 'linked/' "fcgi: a linked folder is not listed"
both / 200 '<a href="uni/">University</a>' "the top lists its courses"
contains "$TMPD/b" '<a href="smtp/">' "fcgi: ... and its own decks"
lacks "$TMPD/b" 'href="glossary/"' "fcgi: ... but not the glossary folder"
lacks "$TMPD/b" 'href="a/"' "fcgi: ... nor a folder whose only deck is too deep"
lacks "$TMPD/b" 'week05-tcp' "fcgi: a course's decks are on its own page"
both /uni/networks1/lab/ 200 '<a href="lab01/">Lab one</a>' "a course three folders deep"

# An added deck and a changed course.txt show in the cached course index.
sleep 1.1	# a new second for the directory's time
printf '#title Week one: links\n---\none\n' >"$net/week01-links.drf"
printf 'Networks One\n' >"$net/course.txt"
sleep 0.3	# past the dev server's change-check interval
both /uni/networks1/ 200 '<a href="week01-links/">Week one: links</a>' "a deck added to a course shows in its index"
contains "$TMPD/b" '<h1>Networks One</h1>' "fcgi: ... and the new course title"
both /uni/ 200 '<a href="networks1/">Networks One</a>' "... and in the index above"

# The dev server reloads when a course's glossary entry or a nested deck's picture changes.
for f in "$net/glossary/tcp.html" "$net/week05-tcp/pic.png"; do
	fetch "$dev/_drfslides/live"
	before=$(cat "$TMPD/b")
	printf 'changed\n' >>"$f"
	fetch "$dev/_drfslides/live"
	[ -n "$before" ] && [ "$before" != "$(cat "$TMPD/b")" ]
	ok $? "dev: the live-reload token changes with ${f#"$DECKS"/}"
done

# What stands for a nested deck outside the decks folder is one name.
fetch "$dev$d/"
is "$(header Surrogate-Key)" "drfslides deck-uni+networks1+week05-tcp" "dev: the purge key is one header token"
ls "$TMPD/state" | grep -q '^uni+networks1+week05-tcp\.good$'
ok $? "fcgi: the state directory names the nested deck's version in one file"
fetch -H "Authorization: Bearer $KEY" -H "Origin: $NGINX_URL" -d 'page=1&step=0' "$ngx$d/position"
is "$code" 200 "fcgi: the presenter sets a nested deck's position"
is "$(cat "$TMPD/state/uni+networks1+week05-tcp.position" 2>/dev/null)" "1 0" \
    "fcgi: ... kept in one file of the state directory"
fetch -H 'Cache-Control: no-cache' "$ngx$d/position"
contains "$TMPD/b" '"page":1' "fcgi: ... and a follower reads it"
fetch "$ngx/oembed?url=$(printf '%s' "${NGINX_URL}/slides$d/view" | sed 's|:|%3A|g; s|/|%2F|g')"
contains "$TMPD/b" "$d/view" "fcgi: oEmbed takes the address of a nested deck"

# check and export of a deck in a course: --decks says where the top is.
run check "$net/week05-tcp.drf"
contains "$TMPD/out" "glossary term 'smtp' has no entry" "check: without --decks, only the deck's folder's glossary"
run check --decks "$DECKS" "$net/week05-tcp.drf"
contains "$TMPD/out" "0 errors, 0 warnings" "check --decks: the top's entries count"
run check --decks "$net" "$DECKS/smtp.drf"
is "$rc" 1 "check --decks: a deck outside that folder fails"
contains "$TMPD/err" "is not a deck in a course folder of --decks" "... and says so"
run export --decks "$DECKS/" "$net/week05-tcp.drf" "$TMPD/site"
is "$rc" 0 "export --decks of a deck in a course"
[ -f "$TMPD/site/week05-tcp0.html" ] && [ -f "$TMPD/site/week05-tcp1.html" ]
ok $? "export: the 2001 page names are the deck's own name"
contains "$TMPD/site/glossary/tcp.html" 'networks-course tcp' "export: the course's entry"
contains "$TMPD/site/glossary/smtp.html" 'SMTP' "export: the top's entry for what the course lacks"
contains "$TMPD/site/pic.png" 'PICTURE-OF-TCP' "export: the deck's picture"
contains "$TMPD/site/week05-tcp0.html" 'href="static/drfslides.css"' "export: a flat site"

serve_stop
done_testing
