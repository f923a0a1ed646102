#!/bin/sh
# layers.sh: the shape of src/. The engine library refers to nothing of the
# HTTP side, libfcgi or libmicrohttpd: no symbol the HTTP library defines, and
# no FCGX_ or MHD_ name, is undefined in it (read with nm). No two files call
# each other, even through others (the calls between the objects, read with
# nm, sort with tsort). No function in src/ is over 100 lines.
# shellcheck disable=SC1091
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

command -v nm >/dev/null 2>&1 || skip_all "nm is not installed"
ENGINE=$top_builddir/src/libdrf.a
HTTP=$top_builddir/src/libdrfhttp.a
[ -f "$ENGINE" ] && [ -f "$HTTP" ] || skip_all "the libraries are not built"

# defined LIB: the global symbols a library defines, one a line, sorted.
defined() {
	nm -g --defined-only "$1" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u
}

# undefined LIB: the symbols a library's objects use and do not define.
undefined() {
	nm -u "$1" 2>/dev/null | awk 'NF >= 2 { print $NF }' | sort -u
}

# crossing ENGINE HTTP: the names of the HTTP side the engine uses.
crossing() {
	defined "$2" >"$TMPD/http.syms"
	undefined "$1" >"$TMPD/engine.und"
	comm -12 "$TMPD/http.syms" "$TMPD/engine.und"
	grep -E '^(FCGX_|FCGI_|MHD_)' "$TMPD/engine.und"
}

defined "$HTTP" >"$TMPD/h"
[ -s "$TMPD/h" ]
ok $? "the HTTP library defines symbols (nm reads it)"
grep -qx 'cache_get' "$TMPD/h"
ok $? "cache_get is on the HTTP side"
undefined "$ENGINE" >"$TMPD/u"
grep -qx 'malloc' "$TMPD/u"
ok $? "nm lists what the engine uses (malloc)"

crossing "$ENGINE" "$HTTP" >"$TMPD/cross"
if [ -s "$TMPD/cross" ]; then
	ok 1 "the engine library uses nothing of the HTTP side, libfcgi or libmicrohttpd"
	sed 's/^/#   uses /' "$TMPD/cross" | head -20
else
	ok 0 "the engine library uses nothing of the HTTP side, libfcgi or libmicrohttpd"
fi

# The check itself finds a crossing: an engine that calls cache_get and MHD_start_daemon.
CC=${CC:-cc}
if command -v "$CC" >/dev/null 2>&1 && command -v ar >/dev/null 2>&1; then
	printf 'int cache_get(void);\nint MHD_start_daemon(void);\nint bad(void) { return cache_get() + MHD_start_daemon(); }\n' >"$TMPD/bad.c"
	if "$CC" -c -o "$TMPD/bad.o" "$TMPD/bad.c" 2>/dev/null &&
	    cp "$ENGINE" "$TMPD/bad.a" && ar r "$TMPD/bad.a" "$TMPD/bad.o" 2>/dev/null; then
		crossing "$TMPD/bad.a" "$HTTP" >"$TMPD/cross2"
		contains "$TMPD/cross2" "cache_get" "the check sees an engine object that calls the HTTP side"
		contains "$TMPD/cross2" "MHD_start_daemon" "the check sees an engine object that calls libmicrohttpd"
	fi
fi
# calls OBJECT...: "A B" a line for each file A that uses a global symbol file
# B defines (objects and archive members, named by their source file).
calls() {
	nm -A -g "$@" 2>/dev/null | awk 'NF >= 3 {
		n = split($1, p, ":")
		obj = p[n - 1]
		if (obj == "" || obj ~ /\.a$/)
			obj = p[1]
		sub(/^.*\//, "", obj)
		sub(/^drfslides-/, "", obj)
		sub(/\.o$/, "", obj)
		if ($(NF - 1) == "U")
			use[obj, $NF] = 1
		else if ($(NF - 1) ~ /^[TDBR]$/)
			def[$NF] = obj
	}
	END {
		for (k in use) {
			split(k, q, SUBSEP)
			if ((q[2] in def) && def[q[2]] != q[1])
				print q[1], def[q[2]]
		}
	}' | sort -u
}

set -- "$ENGINE" "$HTTP"
for o in "$top_builddir"/src/drfslides-*.o; do
	[ -f "$o" ] && set -- "$@" "$o"
done
calls "$@" >"$TMPD/calls"
contains "$TMPD/calls" "route_deck cache" "the call graph is read (route_deck calls cache)"
contains "$TMPD/calls" "main cmd_author" "... with the program's own objects (main calls cmd_author)"
if tsort "$TMPD/calls" >/dev/null 2>"$TMPD/tsort.err"; then
	ok 0 "no call cycle between the files of src/"
else
	ok 1 "no call cycle between the files of src/"
	sed 's/^/#   /' "$TMPD/tsort.err" | head -20
fi
printf 'render cache\n' >>"$TMPD/calls"
! tsort "$TMPD/calls" >/dev/null 2>&1
ok $? "... and the check sees one (render calling cache back)"

# Functions: from a line "{" at the start to the next "}" at the start, as
# every function in src/ is written (style(9)).
awk 'FNR == 1 { open = 0 }
/^\{/ { start = FNR; open = 1 }
/^\}/ && open { if (FNR - start - 1 > 100) print FILENAME ":" start ": " FNR - start - 1 " lines"; open = 0 }' \
    "$top_srcdir"/src/*.c >"$TMPD/long"
if [ -s "$TMPD/long" ]; then
	ok 1 "no function in src/ is over 100 lines"
	sed 's/^/#   /' "$TMPD/long"
else
	ok 0 "no function in src/ is over 100 lines"
fi
done_testing
