#!/bin/sh
# search.sh: search across the decks and the glossary, on both front ends
# (the dev server, and drfslides fcgi behind nginx): a Japanese word inside a
# sentence without spaces, an English word in any case, never a speaker
# note, the page's label, an escaped snippet, links to the page, the index
# following an edit, the statuses of bad queries; the concordance on a
# glossary entry's page; and check FOLDER's report across a folder. In
# course folders: COURSE/search keeps to the course's decks and links from
# the course's address, the course index has its search box, and the index
# and the concordance give each deck the entry it finds (its own folder's
# glossary first, then those above), as check FOLDER does.
# shellcheck disable=SC1091,SC2016,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
. "$top_srcdir/tests/fcgi-lib.sh"
export LC_ALL=C.UTF-8

# Beside the bundled deck: an English deck with notes and text that looks
# like markup, a Japanese deck, and an entry that no deck uses.
cat >"$DECKS/net.drf" <<'EOF'
#title Networks
#define GLS() JavaScript:parent.display.openglossary("$1.html")
--- Routing
<h1>Routing</h1>
<p>Packets cross the Internet hop by hop; see <a href='GLS(smtp)'>SMTP</a>.</p>
#note zebraquokka is said aloud, never shown
--- Escapes
<p>Writing &lt;script&gt;alert(1)&lt;/script&gt; on a slide is text.</p>
EOF
cat >"$DECKS/jp.drf" <<'EOF'
#title 送信
---
<p>電子メールの送信にはプロトコルが使われます。</p>
EOF
printf '<h2>Orphan</h2><p>An entry no deck links to.</p>\n' >"$DECKS/glossary/orphan.html"
# A course folder: a deck that uses smtp (refined by the course's own
# entry), tcp (the course's) and imap (only the top's), and an entry of the
# course that no deck uses.
mkdir -p "$DECKS/uni/net/glossary" || exit 99
cat >"$DECKS/uni/net/tcp.drf" <<'EOF'
#title TCP
#define GLS() JavaScript:parent.display.openglossary("$1.html")
--- Handshake
<p>A wombat shakes hands over <a href='GLS(tcp)'>TCP</a>, sends <a href='GLS(smtp)'>mail</a>, reads <a href='GLS(imap)'>IMAP</a>.</p>
EOF
printf '<h2>SMTP here</h2><p>This course says numbat.</p>\n' >"$DECKS/uni/net/glossary/smtp.html"
printf '<h2>TCP</h2><p>Transmission control.</p>\n' >"$DECKS/uni/net/glossary/tcp.html"
printf '<h2>Spare</h2><p>No deck uses this.</p>\n' >"$DECKS/uni/net/glossary/spare.html"
printf '<h2>IMAP</h2><p>Mail kept on the server.</p>\n' >"$DECKS/glossary/imap.html"
# Another course folder whose glossary refuses its imap entry (a symbolic
# link): its deck finds no entry, not the top's.
mkdir -p "$DECKS/law/glossary" || exit 99
cat >"$DECKS/law/rights.drf" <<'EOF'
#title Rights
#define GLS() JavaScript:parent.display.openglossary("$1.html")
--- Privacy
<p>Who may read your <a href='GLS(imap)'>IMAP</a> mailbox.</p>
EOF
ln -s ../../glossary/imap.html "$DECKS/law/glossary/imap.html" || exit 99

fcgi_servers
serve_start dev --decks "$DECKS" || bail "serve did not start"

# q FRONT QUERY [CURL_OPTION...]: searches on one front end (serve or
# nginx); $code, $TMPD/h, $TMPD/b.
q() {
	q_fe=$1 q_q=$2
	shift 2
	case $q_fe in
	serve) fetch "$@" "$surl/search?$q_q" ;;
	*) fetch "$@" "$U/slides/search?$q_q" ;;
	esac
}

for fe in serve nginx; do
	q $fe 'q=%E9%80%81%E4%BF%A1'
	is "$code" 200 "$fe: a search answers 200"
	contains "$TMPD/b" '<a href="jp/?page=0">' "$fe: 送信, inside a sentence without spaces, finds jp page 0"
	contains "$TMPD/b" 'メールの<mark>送信</mark>には' "$fe: ... with the word marked in its snippet"
	contains "$TMPD/b" '</span> · 1 ページ目</a>' "$fe: ... a page without a label by its number, as the slide counts (from 1)"
	contains "$TMPD/b" '<html lang="ja">' "$fe: ... a Japanese query gets the page in Japanese"
	contains "$TMPD/b" '<title>送信 — スライドを検索</title>' "$fe: ... its texts from the Japanese table"
	matches "$TMPD/b" '>[0-9]+ 件\([0-9]+ 個のスライドと用語解説から\)。</p>' "$fe: ... the count too"
	is "$(header Vary)" "Accept-Language" "$fe: ... the page varies with Accept-Language"
	q $fe 'q=%E9%80%81%E4%BF%A1%E3%81%AB%E3%81%AF' -H 'Accept-Language: en-GB, ja;q=0.5'
	contains "$TMPD/b" '<html lang="en">' "$fe: Accept-Language asking for English outweighs the query's script"
	matches "$TMPD/b" '>[0-9]+ results in [0-9]+ decks and the glossary\.</p>' "$fe: ... an English count"
	contains "$TMPD/b" '</span> · page 1</a>' "$fe: ... the page number the English way"
	q $fe 'q=internet' -H 'Accept-Language: ja'
	contains "$TMPD/b" '<html lang="ja">' "$fe: Accept-Language: ja gives an English query a Japanese page"
	contains "$TMPD/b" '<label for="search-q">検索する語</label>' "$fe: ... the form's label from the Japanese table"
	q $fe 'q=packets+cross'
	matches "$TMPD/b" '>1 result in [0-9]+ decks and the glossary\.</p>' "$fe: one result: in the singular"
	q $fe 'q=INTERNET'
	contains "$TMPD/b" 'the <mark>Internet</mark> hop' "$fe: an English word is found whatever its case"
	contains "$TMPD/b" '<a href="net/?page=0"><span lang="en">Networks</span> · <span lang="en">Routing</span></a>' "$fe: the result shows the deck and the page's label, linked to the page"
	q $fe 'q=zebraquokka'
	contains "$TMPD/b" '0 results' "$fe: a speaker note is never found"
	lacks "$TMPD/b" '<mark>' "$fe: ... nothing is marked"
	q $fe 'q=script'
	contains "$TMPD/b" '&lt;<mark>script</mark>&gt;alert(1)&lt;/script&gt;' "$fe: the snippet is escaped"
	lacks "$TMPD/b" '<script>alert' "$fe: ... no markup from the text"
	q $fe 'q=orphan'
	contains "$TMPD/b" 'Glossary: orphan' "$fe: a glossary entry's text is found"
	q $fe 'q=routing&scope=jp'
	contains "$TMPD/b" '0 results' "$fe: scope= keeps to the decks whose names start with it"
	contains "$TMPD/b" 'Words to find (in <code>jp</code>)' "$fe: ... and the form says so"
	q $fe ''
	is "$code" 200 "$fe: no query: the form"
	contains "$TMPD/b" '<form class="search-form" role="search"' "$fe: ... with the search box"
	q $fe 'q=%FF%FE'
	is "$code" 400 "$fe: a query that is not UTF-8 is 400"
	q $fe "q=$(printf '%0300d' 0)"
	is "$code" 414 "$fe: a query of 300 characters is 414"
	q $fe 'q=x&scope=..%2F'
	is "$code" 400 "$fe: a scope that is no deck-name prefix is 400"
done

# The index page offers the search.
fetch "$surl/"
contains "$TMPD/b" 'action="search"' "serve: the index has a search box"

# A course's search: /COURSE/search, on both front ends.
for fe in serve nginx; do
	case $fe in
	serve) base=$surl ;;
	*) base=$U/slides ;;
	esac
	fetch "$base/uni/net/search?q=wombat"
	is "$code" 200 "$fe: a course folder has its search page"
	contains "$TMPD/b" '<a href="tcp/?page=0"><span lang="en">TCP</span> · <span lang="en">Handshake</span></a>' \
	    "$fe: ... its results link from the course's address"
	contains "$TMPD/b" 'href="../../static/drfslides.css"' "$fe: ... its style sheet from the top"
	contains "$TMPD/b" '<li><a href="../../">Slide decks</a></li>' "$fe: ... its way up to the top"
	contains "$TMPD/b" 'Words to find (in <code>uni/net/</code>)' "$fe: ... its form says where it looks"
	fetch "$base/uni/net/search?q=routing"
	contains "$TMPD/b" '>0 results' "$fe: ... a deck outside the course is not searched"
	fetch "$base/uni/net/search?q=numbat"
	contains "$TMPD/b" '<a href="tcp/glossary/smtp.html">Glossary: smtp</a>' \
	    "$fe: ... the course's own entry for a term, through one of its decks"
	fetch "$base/uni/net/search?q=simple+mail+transfer"
	contains "$TMPD/b" '>0 results' "$fe: ... not the top's entry of that term, which its decks do not find"
	fetch "$base/uni/net/search?q=kept+on+the+server"
	contains "$TMPD/b" '<a href="tcp/glossary/imap.html">Glossary: imap</a>' \
	    "$fe: ... but the top's entry of a term the course has none for"
	fetch "$base/search?q=numbat"
	contains "$TMPD/b" '<a href="uni/net/tcp/glossary/smtp.html">Glossary: smtp</a>' \
	    "$fe: the top's search finds the course's entry, linked through a deck below it"
	fetch "$base/search?q=wombat"
	contains "$TMPD/b" '<a href="uni/net/tcp/?page=0">' "$fe: ... and the course's pages"
	fetch "$base/uni/net/search?q=x&scope=tc"
	contains "$TMPD/b" 'Words to find (in <code>uni/net/tc</code>)' "$fe: scope= narrows a course's search"
	contains "$TMPD/b" '<input type="hidden" name="scope" value="tc">' "$fe: ... and the form keeps it"
	fetch "$base/uni/nope/search?q=x"
	is "$code" 404 "$fe: no folder, no search: 404"
	fetch "$base/uni/net/"
	contains "$TMPD/b" '<form class="search-form" role="search" action="search" method="get">' \
	    "$fe: a course's index has the search box, for its own search"
	contains "$TMPD/b" '<label for="search-q">Search this course</label>' "$fe: ... labelled so"
done

# The concordance of an entry refined by a course: each lists the pages of the decks that find it.
fetch "$surl/uni/net/tcp/glossary/smtp.html"
contains "$TMPD/b" 'This course says numbat' "serve: a deck in a course shows its course's entry"
contains "$TMPD/b" '<a href="../../../../uni/net/tcp/?page=0" target="_top">TCP · Handshake</a>' \
    "serve: ... listing the course's deck that uses it"
lacks "$TMPD/b" '/net/?page=0" target' "serve: ... not the top's deck, which finds the top's entry"
fetch "$surl/net/glossary/smtp.html"
contains "$TMPD/b" '<a href="../../net/?page=0" target="_top">' "serve: the top's entry lists the top's deck"
lacks "$TMPD/b" 'uni/net/tcp' "serve: ... not the course's deck, which has its own"

# A refused entry in a course's glossary hides the top's from the course's
# decks: in search, in the concordance, as the server shows no entry.
fetch "$surl/law/rights/glossary/imap.html"
is "$code" 404 "serve: a refused entry in a course's glossary is no entry for its deck"
lacks "$TMPD/b" 'Mail kept on the server' "serve: ... not the top's entry"
for fe in serve nginx; do
	case $fe in serve) base=$surl ;; *) base=$U/slides ;; esac
	fetch "$base/law/search?q=kept+on+the+server"
	contains "$TMPD/b" '>0 results' "$fe: a course's search leaves out the top's entry its refused one hides"
	contains "$TMPD/b" '>0 results in 1 deck and the glossary.</p>' "$fe: one deck searched: in the singular"
	fetch "$base/law/search?q=mailbox" -H 'Accept-Language: ja'
	contains "$TMPD/b" '>1 件(1 個のスライドと用語解説から)。</p>' "$fe: Japanese has one form for every count"
	fetch "$base/search?q=kept+on+the+server"
	contains "$TMPD/b" '<a href="uni/net/tcp/glossary/imap.html">Glossary: imap</a>' \
	    "$fe: ... the top's search links the top's entry through a deck that finds it, not the refusing course's"
done
fetch "$surl/uni/net/tcp/glossary/imap.html"
contains "$TMPD/b" 'TCP · Handshake' "serve: the top's entry lists the decks that find it"
lacks "$TMPD/b" 'law/rights' "serve: ... not the deck whose course refuses the entry"

# An edit: the index follows the deck's new version on both front ends.
sed 's/hop by hop/step by step/' "$DECKS/net.drf" >"$TMPD/net" && cat "$TMPD/net" >"$DECKS/net.drf"
sleep 1.2	# past the dev server's and fcgi's change checks
for fe in serve nginx; do
	q $fe 'q=step+by+step'
	contains "$TMPD/b" '<mark>step by step</mark>' "$fe: after an edit, the new words are found"
	q $fe 'q=hop+by+hop'
	contains "$TMPD/b" '0 results' "$fe: ... and the old ones are not"
done

# The concordance: an entry's page lists the pages that use its term.
fetch "$surl/net/glossary/smtp.html"
contains "$TMPD/b" '<a href="../../net/?page=0" target="_top">Networks · Routing</a>' "serve: the entry page lists where the term is used, linked"
contains "$TMPD/b" '../../smtp/?page=' "serve: ... every deck that uses it (the bundled one too)"
fetch "$U/slides/net/glossary/orphan.html"
contains "$TMPD/b" 'No page links to this entry.' "nginx: an entry no page uses says so"

serve_stop
drf_stop "$A_PID"
drf_stop "$T_PID"

# check FOLDER: across the folder's decks and its glossary.
printf '#define GLS() JavaScript:parent.display.openglossary("$1.html")\n---\n<a href="GLS(nowhere)">x</a>\n' >"$DECKS/lost.drf"
run check "$DECKS"
is "$rc" 0 "check FOLDER: warnings only, exit 0"
contains "$TMPD/out" "$DECKS/glossary/orphan.html: warning: glossary entry 'orphan' is used by no deck of $DECKS" \
    "check FOLDER: an entry no deck uses is reported"
contains "$TMPD/out" "$DECKS/lost.drf:3: warning: glossary term 'nowhere' has no entry" \
    "check FOLDER: a term used without an entry is reported at its line"
contains "$TMPD/out" "$DECKS/uni/net/glossary/spare.html: warning: glossary entry 'spare' is used by no deck of $DECKS" \
    "check FOLDER: an entry of a course folder's glossary no deck finds is reported"
lacks "$TMPD/out" "uni/net/tcp.drf:4: warning: glossary term 'imap'" "check FOLDER: a deck in a course finds the top's entry"
lacks "$TMPD/out" "glossary/smtp.html: warning" "check FOLDER: the top's entry refined by a course is still the top decks'"
contains "$TMPD/out" "$DECKS/law/rights.drf:4: warning: glossary term 'imap': entry refused: $DECKS/law/glossary/imap.html is a symbolic link, not followed" \
    "check FOLDER: a course's refused entry is the term's for the decks below it, said as refused"
matches "$TMPD/out" "^$DECKS: 6 decks, [0-9]+ glossary terms used, 1 without an entry, 2 entries used by no deck\$" \
    "check FOLDER: a summary across the folder, its course folders too"
run check --decks "$DECKS" "$DECKS/uni"
lacks "$TMPD/out" "'imap'" "check --decks ROOT FOLDER: a deck looks up to ROOT's glossary"
contains "$TMPD/out" "$DECKS/uni/net/glossary/spare.html: warning: glossary entry 'spare' is used by no deck of $DECKS/uni" \
    "check --decks ROOT FOLDER: ... and the folder's entries no deck finds are reported"
run check "$DECKS/uni"
contains "$TMPD/out" "$DECKS/uni/net/tcp.drf:4: warning: glossary term 'imap' has no entry ($DECKS/uni/net/glossary/imap.html)" \
    "check FOLDER alone: the folder is the root, the top's glossary out of reach"
rm -r "$DECKS/glossary"
run check "$DECKS"
contains "$TMPD/out" "$DECKS/net.drf:5: warning: glossary term 'smtp' has no entry ($DECKS/glossary/smtp.html)" \
    "check FOLDER: without a glossary folder, each missing term is still reported once"

done_testing
