#!/bin/bash
# serve-edges.sh: "drfslides serve" where clients push: slow clients against
# the per-request deadline and a full connection table, HTTP/1.1 conformance
# (304, absolute-form, Host, fragments), /oembed only for the server's own
# host, a file body past 2 GiB, and glossary terms starting with '-' in
# check and display.js alike.
# shellcheck disable=SC1091,SC2016
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/proc-lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
command -v perl >/dev/null 2>&1 || skip_all "perl is not installed"
perl -MIO::Socket::INET -MIO::Select -MTime::HiRes -e 1 2>/dev/null ||
	skip_all "perl lacks IO::Socket::INET or Time::HiRes"
"$DRFSLIDES" serve --help >/dev/null 2>&1 || skip_all "drfslides serve is not built"
export LC_ALL=C

decks=$TMPD/decks
out=$TMPD/out
mkdir -p "$decks/smtp" "$out" || exit 99
cp "$top_srcdir/decks/smtp.drf" "$decks/" || exit 99
cp -R "$top_srcdir/decks/glossary" "$decks/glossary" || exit 99
trap 'nl_cleanup; rm -rf "$TMPD"' EXIT
trap 'exit 1' INT TERM HUP

# start NAME ARGS...: "drfslides serve --port 0 --decks DECKS ARGS" in the
# background (serve_start); sets port.
start() {
	serve_start "$@" --decks "$decks" || bail "serve $1 did not start"
	port=$sport
}

# raw NAME DATA: http_raw to $port, the answer in $out/NAME.
raw() {
	http_raw "$out/$1" "$port" "$2"
}

# status NAME: the status code of a raw answer.
status() {
	sed -n '1s|^HTTP/1\.[01] \([0-9]*\).*|\1|p' "$out/$1" | tr -d '\r'
}

# ---------------------------------------------------------------------------
# HTTP conformance (RFC 9110, 9112).
start plain --plain
h="Host: 127.0.0.1:$port"
raw etag "GET /smtp/1 HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
tag=$(header_of "$out/etag" ETag)
raw nm "GET /smtp/1 HTTP/1.1\r\n$h\r\nIf-None-Match: $tag\r\nConnection: close\r\n\r\n"
is "$(status nm)" 304 "a matching If-None-Match answers 304"
cl=$(header_of "$out/nm" Content-Length)
is "${cl:-none}" "$(header_of "$out/etag" Content-Length)" \
    "the 304's Content-Length is the 200's, never 0 (RFC 9110 8.6)"
check "the 304 keeps the ETag" grep -qi "^etag: $tag" "$out/nm"

raw abs "GET http://127.0.0.1:$port/smtp/1 HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status abs)" 200 "an absolute-form target is answered (RFC 9112 3.2.2)"
check "... with the page of its path" cmp -s <(sed '1,/^\r$/d' "$out/abs") \
    <(sed '1,/^\r$/d' "$out/etag")
raw absq "GET HTTP://127.0.0.1:$port/smtp/?page=2 HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status absq)" 200 "an absolute-form target keeps its query"
contains "$out/absq" 'src="2"' "... which picks the page"
raw absbad "GET http://a..b/smtp/1 HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status absbad)" 400 "an absolute-form target with a bad host is 400"
raw nohost "GET /smtp/1 HTTP/1.1\r\nConnection: close\r\n\r\n"
is "$(status nohost)" 400 "HTTP/1.1 without Host is 400 (RFC 9112 3.2)"
raw twohost "GET /smtp/1 HTTP/1.1\r\n$h\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status twohost)" 400 "HTTP/1.1 with two Host lines is 400"
raw badhost "GET /smtp/1 HTTP/1.1\r\nHost: a..b\r\nConnection: close\r\n\r\n"
is "$(status badhost)" 400 "a Host that is no host name is 400"
raw h10 "GET /smtp/1 HTTP/1.0\r\n\r\n"
is "$(status h10)" 200 "HTTP/1.0 needs no Host"
raw frag "GET /smtp/1#top HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status frag)" 200 "a fragment in the target is cut off, as nginx does"
raw fragq "GET /smtp/?page=2#x HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status fragq)" 200 "a fragment after the query is cut off too"
contains "$out/fragq" 'src="2"' "... and the query still counts"

raw fragqa "GET /smtp/#x?page=2 HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
contains "$out/fragqa" 'src="0"' "a query inside the fragment does not count (nginx: page 0)"

# ---------------------------------------------------------------------------
# A mount base (SCRIPT_NAME) that is not a plain absolute path is refused:
# "//host" would make a Location of another origin.
for sn in //evil.example /a/../b '/x"y'; do
	env -u PATH_INFO -u REQUEST_URI -u QUERY_STRING REQUEST_METHOD=GET \
	    SCRIPT_NAME="$sn" PATH_INFO=/smtp timeout 20 "$DRFSLIDES" fcgi \
	    --decks "$decks" </dev/null >"$out/base.cgi" 2>/dev/null
	is "$(header_of "$out/base.cgi" Location)" /smtp/ \
	    "SCRIPT_NAME '$sn' never reaches Location"
done
env -u PATH_INFO -u REQUEST_URI -u QUERY_STRING REQUEST_METHOD=GET \
    SCRIPT_NAME=/slides PATH_INFO=/smtp timeout 20 "$DRFSLIDES" fcgi \
    --decks "$decks" </dev/null >"$out/base.cgi" 2>/dev/null
is "$(header_of "$out/base.cgi" Location)" /slides/smtp/ "a plain SCRIPT_NAME is kept"

# ---------------------------------------------------------------------------
# /oembed vouches only for this server's own addresses.
oe="/oembed?url=http%3A%2F%2F127.0.0.1%3A$port%2Fsmtp%2F&format=json"
raw oown "GET $oe HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status oown)" 200 "oembed: a deck on the Host the request came in on is answered"
contains "$out/oown" "http://127.0.0.1:$port/smtp/view" "... with an iframe of its view"
raw oevil "GET /oembed?url=http%3A%2F%2Fevil.example%2Fsmtp%2F HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status oevil)" 404 "oembed: a deck URL on another host is 404"
lacks "$out/oevil" 'evil.example/smtp/view' "... and no iframe of it is made"
raw odots "GET /oembed?url=http%3A%2F%2Fa..b%2Fsmtp%2F HTTP/1.1\r\n$h\r\nConnection: close\r\n\r\n"
is "$(status odots)" 404 "oembed: a host name 'a..b' is refused"
start pub --plain --public-url https://slides.example/s
raw opub "GET /oembed?url=https%3A%2F%2Fslides.example%2Fs%2Fsmtp%2F HTTP/1.1\r\nHost: 127.0.0.1:$port\r\nConnection: close\r\n\r\n"
is "$(status opub)" 200 "oembed: with --public-url, its decks are answered"
raw opubh "GET /oembed?url=http%3A%2F%2F127.0.0.1%3A$port%2Fsmtp%2F HTTP/1.1\r\nHost: 127.0.0.1:$port\r\nConnection: close\r\n\r\n"
is "$(status opubh)" 404 "oembed: with --public-url, the Host is not vouched for"

# ---------------------------------------------------------------------------
# A file body past 2 GiB (a sparse file): every length on its way out is
# whole. The first answer hashes the file for its ETag (up to a minute here).
big=$((2 * 1024 * 1024 * 1024 + 5))
if truncate -s "$big" "$decks/smtp/big.zip" 2>/dev/null; then
	printf 'END' | dd of="$decks/smtp/big.zip" bs=1 seek=$((big - 3)) conv=notrunc 2>/dev/null
	port_plain=$port
	RAW_WAIT=60 raw bighead "HEAD /smtp/big.zip HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
	is "$(header_of "$out/bighead" Content-Length)" "$big" \
	    "an asset past 2 GiB has its whole length in Content-Length"
	raw bigtail "GET /smtp/big.zip HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=-3\r\nConnection: close\r\n\r\n"
	is "$(status bigtail)" 206 "a range at its end answers 206"
	is "$(header_of "$out/bigtail" Content-Range)" "bytes $((big - 3))-$((big - 1))/$big" \
	    "... with offsets past 2 GiB whole"
	is "$(sed '1,/^\r$/d' "$out/bigtail")" END "... and the bytes at that offset"
	rm -f "$decks/smtp/big.zip"
else
	echo "# no sparse file here: the checks past 2 GiB are left out"
fi

# ---------------------------------------------------------------------------
# Slow clients. slowloris PORT ADDRS PER SECONDS: PER connections from each of
# ADDRS loopback addresses (127.0.0.2 ...) send a header line every 0.5 s and
# come back when closed; meanwhile 127.0.0.99 asks for a page every 0.2 s, and
# each answer must come within 1 s. Prints "requests N late L max_ms M".
slowloris() {
	perl -MIO::Socket::INET -MIO::Select -MTime::HiRes=time,sleep -e '
	my ($port, $naddr, $per, $secs) = @ARGV;
	my @slow;
	sub slow_open {
		my $a = shift;
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port, LocalAddr => $a, Proto => "tcp",
		    Timeout => 1) or return [undef, $a];
		syswrite($s, "GET /smtp/1 HTTP/1.1\r\nHost: x\r\n");
		return [$s, $a];
	}
	for my $i (1 .. $naddr) {
		push @slow, slow_open("127.0.0." . ($i + 1)) for 1 .. $per;
	}
	$SIG{PIPE} = "IGNORE";
	my ($n, $late, $max, $drip) = (0, 0, 0, 0);
	my $end = time + $secs;
	while (time < $end) {
		if (time - $drip >= 0.5) {
			for my $c (@slow) {
				next if defined $c->[0] &&
				    defined syswrite($c->[0], "X-Slow: 1\r\n");
				close $c->[0] if defined $c->[0];
				$c = slow_open($c->[1]);
			}
			$drip = time;
		}
		my $t0 = time;
		my $buf = "";
		my $h = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port, LocalAddr => "127.0.0.99",
		    Proto => "tcp", Timeout => 1);
		if ($h) {
			syswrite($h, "GET /smtp/1 HTTP/1.0\r\n\r\n");
			my $sel = IO::Select->new($h);
			while ((my $left = 1 - (time - $t0)) > 0) {
				last unless $sel->can_read($left);
				last unless sysread($h, $buf, 65536, length $buf);
			}
			close $h;
		}
		my $dt = time - $t0;
		$n++;
		$late++ if $dt > 1 || $buf !~ m{^HTTP/1\.[01] 200};
		$max = $dt if $dt > $max;
		sleep 0.2;
	}
	printf "requests %d late %d max_ms %d\n", $n, $late, $max * 1000;
	' "$@"
}

# The connection table full of slow clients (4 addresses x 4 = 16 = the limit).
start held --plain --max-connections 16 --per-ip 4 --timeout 30 --threads 2
res=$(slowloris "$port" 4 4 5)
echo "# limit held by slow clients: $res"
n=$(echo "$res" | sed -n 's/^requests \([0-9]*\) .*/\1/p')
late=$(echo "$res" | sed -n 's/.* late \([0-9]*\) .*/\1/p')
check "slow: another address was asked at least 10 times in 5 s" test "${n:-0}" -ge 10
is "${late:-x}" 0 "slow: every request from another address was answered within 1 s while slow clients held the limit"

# One client sending a header line every 0.5 s is closed by the deadline
# (--timeout 2), though it is never idle for that long.
start deadline --plain --timeout 2
t=$(perl -MIO::Socket::INET -MTime::HiRes=time,sleep -e '
	my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
	    PeerPort => $ARGV[0], Proto => "tcp") or die;
	$SIG{PIPE} = "IGNORE";
	my $t0 = time;
	syswrite($s, "GET /smtp/1 HTTP/1.1\r\nHost: x\r\n");
	while (time - $t0 < 8) {
		sleep 0.5;
		last unless defined syswrite($s, "X-Slow: 1\r\n");
		my $rin = "";
		vec($rin, fileno($s), 1) = 1;
		if (select(my $r = $rin, undef, undef, 0) > 0) {
			my $b;
			last unless sysread($s, $b, 4096);
		}
	}
	printf "%d\n", (time - $t0) * 1000;' "$port")
echo "# a slow request was closed after ${t:-?} ms"
check "slow: a request still arriving after the 2 s deadline is closed within 4 s" \
    test "${t:-99999}" -lt 4000
raw after "GET /smtp/1 HTTP/1.0\r\n\r\n"
is "$(status after)" 200 "slow: the server answers normally afterwards"

# ---------------------------------------------------------------------------
# The dev server's error page points at the failing byte: the diagnostic's
# column, under the numbered line (a tab before it keeps its width).
printf '#title T\n---\nab\tc\377def\n' >"$decks/col.drf"
start colerr
http_get colerr "$surl/col/0"
is "$code" 500 "a deck with a byte that is not UTF-8 answers 500 on the dev server"
# The excerpt's lines (numbered, or the caret's), after the message.
sed -n '/<pre/,/<\/pre>/p' "$HTTP_OUT/colerr.b" | sed 's/<[^>]*>//g' |
    grep -E '^ *[0-9]* \|' >"$TMPD/colerr.pre"
printf '    3 | ab\tc?def\n      |   \t ^\n' >"$TMPD/colerr.want"
same "$TMPD/colerr.pre" "$TMPD/colerr.want" "the error page puts a caret under the failing byte's column"
contains "$HTTP_OUT/colerr.b" 'col.drf:3:' "... and names col.drf:3:"
serve_stop
rm -f "$decks/col.drf"

# ---------------------------------------------------------------------------
# Glossary terms starting with '-': drf(5) and check accept them, and so
# does the display frame's openglossary().
printf '#title Dash\n#define GLS() JavaScript:parent.display.openglossary("$1.html")\n----\n<a href='\''GLS(-lead)'\''>x</a>\n' \
    >"$decks/dash.drf"
: >"$decks/glossary/-lead.html"
"$DRFSLIDES" check "$decks/dash.drf" >"$TMPD/check.out" 2>&1
ok $? "check accepts a glossary term starting with '-'"
if command -v node >/dev/null 2>&1; then
	node -e '
	const fs = require("fs"), vm = require("vm");
	const entry = { hidden: true, src: "" };
	const ctx = { window: { frameElement: null }, document: {
	    getElementById: (id) => id === "entry" ? entry : null,
	    addEventListener() {} } };
	vm.createContext(ctx);
	vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), ctx);
	for (const f of process.argv.slice(2).filter((a) => a !== "--")) {
		entry.src = "";
		ctx.openglossary(f);
		console.log(f + " " + (entry.src === "glossary/" + f ? "opened" : "refused"));
	}' "$top_srcdir/static/display.js" -- -lead.html a-b.html .dot.html \
	    'a"b.html' >"$TMPD/js.out" 2>&1
	contains "$TMPD/js.out" '-lead.html opened' "display.js opens a term starting with '-'"
	contains "$TMPD/js.out" 'a-b.html opened' "display.js opens a term with an inner '-'"
	contains "$TMPD/js.out" '.dot.html refused' "display.js refuses a term starting with '.', as check does"
	contains "$TMPD/js.out" 'a"b.html refused' "display.js refuses a quote"
else
	echo "# node is not installed: the display.js checks are left out"
fi

done_testing
