#!/bin/sh
# webservers-apache.sh: the shipped Apache httpd snippet (mod_fcgid) for real;
# as root, Apache runs as www-data (or nobody: it will not serve as root).
# Each server runs in the foreground on a free loopback port with a private
# configuration that includes the shipped snippet with only its paths
# changed, and starts "drfslides fcgi" itself. Through it, under /slides/:
# the deck index, the entry page, a page byte-identical to the plain CGI
# answer, the display frame, a glossary entry, a picture, the 2001 name's
# redirect, the style sheet from the server's alias, 404 (also outside the
# mount point), HEAD, 405 to POST, the mount point without its slash; then a
# clean error log, and no drfslides process left once the server has
# stopped. With the snippet's presenter lines in use (a key file and a state
# directory), the presenter's key reaches the program through Apache: a
# position POST with it is 200 and seen by the followers' GET, without it
# 401, with a wrong one 403. Skipped when the server is not installed.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/webservers-lib.sh"

# ============================================================ Apache httpd

APACHE=
for a in apache2 httpd; do
	APACHE=$(command -v "$a" 2>/dev/null)
	[ -z "$APACHE" ] && [ -x "/usr/sbin/$a" ] && APACHE=/usr/sbin/$a
	[ -n "$APACHE" ] && break
done
AP_MODULES=
for d in /usr/lib/apache2/modules /usr/lib64/httpd/modules /usr/lib/httpd/modules \
    /usr/libexec/apache2 /usr/local/apache2/modules; do
	if [ -f "$d/mod_fcgid.so" ]; then
		AP_MODULES=$d
		break
	fi
done

# ap_presenter NAME URL: the presenter's key through Apache (the snippet's
# FcgidPassHeader): without it the program sees no key and answers 401.
ap_presenter() {
	fetch -d "page=4&step=1" -H "Authorization: Bearer $AP_KEY" "$2/slides/smtp/position"
	is "$code" 200 "$1: POST /slides/smtp/position with the presenter key answers 200 (the key reached the program)"
	fetch "$2/slides/smtp/position"
	contains "$TMPD/b" '"page":4,"step":1' "$1: GET /slides/smtp/position shows the position set"
	fetch -d "page=5" "$2/slides/smtp/position"
	is "$code" 401 "$1: the same POST without the key answers 401"
	fetch -d "page=5" -H "Authorization: Bearer wrong-$AP_KEY" "$2/slides/smtp/position"
	is "$code" 403 "$1: with a wrong key, 403"
	fetch "$2/slides/smtp/position"
	contains "$TMPD/b" '"page":4,"step":1' "$1: neither moved the position"
	[ -f "$AP/state/smtp.position" ]
	ok $? "$1: the position is in the snippet's state directory, shared by mod_fcgid's processes"
}

# ap_conf PORT: httpd.conf for PORT: the modules the snippet needs, the
# private paths of the server and of mod_fcgid, and the shipped snippet.
ap_conf() {
	{
		cat <<EOF
ServerRoot $AP
ServerName 127.0.0.1
Listen 127.0.0.1:$1
PidFile $AP/run/httpd.pid
DefaultRuntimeDir $AP/run
ErrorLog $AP/run/error.log
LogLevel warn
EOF
		# The MPM, then what the snippet uses, unless built in.
		for m in mpm_event unixd authz_core alias mime fcgid; do
			if ! "$APACHE" -l 2>/dev/null | grep -q "mod_$m\.c" &&
			    [ -f "$AP_MODULES/mod_$m.so" ]; then
				echo "LoadModule ${m}_module $AP_MODULES/mod_$m.so"
			fi
		done
		if [ -n "$RUN_USER" ]; then
			echo "User $RUN_USER"
			echo "Group $RUN_GROUP"
		fi
		cat <<EOF
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
MinSpareThreads 1
MaxSpareThreads 16
TypesConfig /dev/null
AddType text/css .css
AddType text/javascript .js
AddType text/plain .txt
DocumentRoot $AP/www
<Directory />
    Require all denied
    AllowOverride None
</Directory>
<Directory $AP/www>
    Require all granted
</Directory>
FcgidIPCDir $AP/fcgid
FcgidProcessTableFile $AP/run/fcgid_shm
FcgidInitialEnv DRFSLIDES_TEMPLATES $SITE/templates
FcgidInitialEnv DRFSLIDES_STATIC $SITE/static
EOF
		for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
			eval "val=\${$v:-}"
			[ -z "$val" ] || echo "FcgidInitialEnv $v \"$val\""
		done
		echo "Include $AP/drfslides.conf"
	} >"$AP/httpd.conf"
}

if [ -z "$APACHE" ]; then
	skip "Apache: the shipped snippet" "Apache httpd is not installed"
elif [ -z "$AP_MODULES" ]; then
	skip "Apache: the shipped snippet" "mod_fcgid is not installed"
elif [ -n "$unreachable" ]; then
	skip "Apache: the shipped snippet" "$unreachable"
else
	AP=$TMPD/apache
	# The presenter's lines in use: a key file and a state directory of the test's.
	ws_snippet apache Apache -e "s|/usr/local/bin/drfslides|$AP/drfslides|g" \
	    -e "s|/usr/local/share/drfslides/static|$SITE/share/static|g" \
	    -e "s|/srv/drfslides/decks|$SITE/decks|g" \
	    -e "s|#\(FcgidInitialEnv DRFSLIDES_PRESENTER_KEY_FILE\) /etc/drfslides/presenter.key|\1 $AP/presenter.key|" \
	    -e "s|#\(FcgidInitialEnv DRFSLIDES_STATE_DIR\) /var/lib/drfslides|\1 $AP/state|"
	AP_KEY=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
	printf '%s\n' "$AP_KEY" >"$AP/presenter.key" && mkdir -p "$AP/state" || exit 99
	if [ -n "$RUN_USER" ]; then
		chown "$RUN_USER:$RUN_GROUP" "$AP/presenter.key" "$AP/state" || exit 99
	fi
	chmod 600 "$AP/presenter.key" || exit 99
	WS_MORE_CHECKS=ap_presenter
	ap_conf 8080
	check "Apache: ${APACHE##*/} -t accepts the configuration with the shipped snippet" \
	    "$APACHE" -t -f "$AP/httpd.conf"
	ws_serve Apache "$AP" ap_conf "$SITE/decks with 1 threads" FcgidInitialEnv \
	    "$APACHE" -f "$AP/httpd.conf" -DFOREGROUND
fi

done_testing

