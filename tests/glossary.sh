#!/bin/sh
# glossary.sh: one rule for glossary entries in every reader: the servers
# (FastCGI as CGI, and serve), the print view, export and check follow no
# symbolic link (folder or entry) and share one size limit, which check and
# the server log name.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"

CANARY=canary-7f3a9c
OUT=$TMPD/outside
mkdir -p "$OUT" && printf '<p>%s</p>\n' "$CANARY" >"$OUT/canary.html" || exit 99
printf '<p>%s</p>\n' "$CANARY" >"$OUT/smtp.html"

# site NAME: a decks folder $TMPD/NAME with the smtp deck and a deck that uses
# the terms canary, leakx and big.
site() {
	d=$TMPD/$1
	mkdir -p "$d" && cp "$top_srcdir/decks/smtp.drf" "$d/" || exit 99
	printf '#define GLS() JavaScript:parent.display.openglossary("$1.html")\n#title Terms\n----\n<a href="GLS(canary)">c</a> <a href="GLS(leakx)">l</a>\n<a href="GLS(big)">b</a> <a href="GLS(fine)">f</a>\n' >"$d/terms.drf"
	echo "$d"
}

# cgi DECKS PATH_INFO: one plain CGI request (cgi_env) on the decks folder
# DECKS; the answer in $TMPD/cgi, the log added to $TMPD/cgi.log.
cgi() {
	DRFSLIDES_DECKS=$1
	cgi_env GET "$2" "$DRFSLIDES" fcgi </dev/null >"$TMPD/cgi" 2>>"$TMPD/cgi.log"
}

# cgi_is DECKS PATH_INFO STATUS DESCRIPTION: one CGI request whose answer has
# the Status line STATUS.
cgi_is() {
	cgi "$1" "$2"
	is "$(head -1 "$TMPD/cgi" | tr -d '\r')" "Status: $3" "$4"
}

# 1. A glossary folder that is a symbolic link out of the decks folder.
S1=$(site linked)
ln -s "$OUT" "$S1/glossary"
cgi_is "$S1" /smtp/glossary/canary.html "404 Not Found" \
    "FastCGI: an entry through a linked glossary folder is 404"
lacks "$TMPD/cgi" "$CANARY" "FastCGI: its content is not served"
cgi "$S1" /smtp/glossary/smtp.html
lacks "$TMPD/cgi" "$CANARY" "FastCGI: nor that of a real term's entry there"
cgi_is "$S1" /smtp/print "200 OK" "FastCGI: the print view is served"
lacks "$TMPD/cgi" "$CANARY" "FastCGI: the print view takes nothing through the linked folder"
contains "$TMPD/cgi.log" "is a symbolic link, not followed" "FastCGI: the refusal is logged"
serve_start gl --decks "$S1" || bail "drfslides serve did not start"
fetch "$surl/smtp/glossary/canary.html"
is "$code" 404 "serve: an entry through a linked glossary folder is 404"
fetch "$surl/smtp/print"
lacks "$TMPD/b" "$CANARY" "serve: the print view takes nothing through the linked folder"
serve_stop
"$DRFSLIDES" check "$S1/smtp.drf" >"$TMPD/check" 2>&1
contains "$TMPD/check" "glossary folder refused" "check reports the linked glossary folder"
"$DRFSLIDES" export -q "$S1/smtp.drf" "$TMPD/ex1" >/dev/null 2>&1
ok $? "export succeeds without the linked glossary"
cat "$TMPD/ex1"/glossary/*.html "$TMPD/ex1/print.html" >"$TMPD/ex1.all" 2>/dev/null
lacks "$TMPD/ex1.all" "$CANARY" "export takes nothing through the linked folder"

# 2. An entry that is a symbolic link, and one over the size limit.
S2=$(site entries)
mkdir -p "$S2/glossary" || exit 99
ln -s ../../outside/canary.html "$S2/glossary/leakx.html"
printf '<p>fine entry</p>\n' >"$S2/glossary/fine.html"
{ printf '<p>%s big</p>\n' "$CANARY"; head -c 2097152 /dev/zero | tr '\0' 'a'; } >"$S2/glossary/big.html"
"$DRFSLIDES" export -q "$S2/terms.drf" "$TMPD/ex2" >/dev/null 2>"$TMPD/ex2.err"
ok $? "export succeeds"
contains "$TMPD/ex2.err" "the glossary entry of 'leakx' is not exported" "export warns of the linked entry"
contains "$TMPD/ex2.err" "over the glossary entry limit of 1 MiB" "export names the size limit"
cat "$TMPD/ex2"/glossary/*.html "$TMPD/ex2/print.html" >"$TMPD/ex2.all" 2>/dev/null
lacks "$TMPD/ex2.all" "$CANARY" "export follows no linked entry and takes no entry over the limit"
contains "$TMPD/ex2/print.html" "fine entry" "export still takes the good entry"
"$DRFSLIDES" check "$S2/terms.drf" >"$TMPD/check2" 2>&1
contains "$TMPD/check2" "leakx.html is a symbolic link, not followed" "check reports the linked entry"
contains "$TMPD/check2" "over the glossary entry limit of 1 MiB" "check names the size limit"
: >"$TMPD/cgi.log"
cgi_is "$S2" /terms/glossary/big.html "404 Not Found" "FastCGI: the entry over the limit is 404"
contains "$TMPD/cgi.log" "over the glossary entry limit of 1 MiB" "the server log names the limit"
cgi_is "$S2" /terms/glossary/leakx.html "404 Not Found" "FastCGI: the linked entry is 404"
cgi "$S2" /terms/print
contains "$TMPD/cgi" "fine entry" "FastCGI: the print view takes the good entry"
lacks "$TMPD/cgi" "$CANARY" "FastCGI: and neither the linked nor the big one"
done_testing
