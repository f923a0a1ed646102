# nginx-lib.sh: a private nginx and drfslides FastCGI servers for one test.
# Source it after lib.sh. Everything lives in $TMPD; every process started
# here is stopped at exit by its PID (other tests run at the same time).
# shellcheck shell=sh disable=SC2034,SC2154

NGINX=$(command -v nginx 2>/dev/null)
[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
[ -n "$NGINX" ] || skip_all "nginx is not installed (the integration tests need nginx, curl and spawn-fcgi)"
command -v curl >/dev/null 2>&1 ||
	skip_all "curl is not installed (the integration tests need nginx, curl and spawn-fcgi)"
command -v spawn-fcgi >/dev/null 2>&1 ||
	skip_all "spawn-fcgi is not installed (the integration tests need nginx, curl and spawn-fcgi)"

. "$top_srcdir/tests/proc-lib.sh"

NL_DIR=$TMPD/nginx
NGINX_PID=
NGINX_PORT=
DRF_PID=
mkdir -p "$NL_DIR" || exit 99

# nl_site SHIPPED OUT SOCKET [SERVER_NAME]: adapts a shipped server block for
# the test: the listen lines become the private port (@PORT@, filled in by
# nginx_start), the FastCGI socket and the static directory become the test's,
# and SERVER_NAME, if given, replaces the server_name.
nl_site() {
	nl_name='&'
	[ -n "$4" ] && nl_name="server_name $4;"
	sed -e 's|^\( *\)listen 80;|\1listen 127.0.0.1:@PORT@;|' \
	    -e '/^ *listen \[::\]:80;/d' \
	    -e "s|unix:/run/drfslides/drfslides.sock|unix:$3|" \
	    -e "s|/usr/local/share/drfslides/static/|$top_srcdir/static/|" \
	    -e "s|server_name .*;|$nl_name|" \
	    "$1" >"$2"
}

# nl_fastcgi_params: the fastcgi_params the shipped blocks include, next to the
# test's nginx.conf: the distribution's copy when there is one.
nl_fastcgi_params() {
	nl_conf=$("$NGINX" -V 2>&1 | sed -n 's/.*--conf-path=\([^ ]*\).*/\1/p')
	nl_conf=${nl_conf:-/etc/nginx/nginx.conf}
	if [ -r "${nl_conf%/*}/fastcgi_params" ]; then
		cp "${nl_conf%/*}/fastcgi_params" "$NL_DIR/fastcgi_params"
		return
	fi
	cat >"$NL_DIR/fastcgi_params" <<'EOF'
fastcgi_param QUERY_STRING $query_string;
fastcgi_param REQUEST_METHOD $request_method;
fastcgi_param CONTENT_TYPE $content_type;
fastcgi_param CONTENT_LENGTH $content_length;
fastcgi_param SCRIPT_NAME $fastcgi_script_name;
fastcgi_param REQUEST_URI $request_uri;
fastcgi_param DOCUMENT_URI $document_uri;
fastcgi_param DOCUMENT_ROOT $document_root;
fastcgi_param SERVER_PROTOCOL $server_protocol;
fastcgi_param REQUEST_SCHEME $scheme;
fastcgi_param GATEWAY_INTERFACE CGI/1.1;
fastcgi_param SERVER_SOFTWARE nginx/$nginx_version;
fastcgi_param REMOTE_ADDR $remote_addr;
fastcgi_param REMOTE_PORT $remote_port;
fastcgi_param SERVER_ADDR $server_addr;
fastcgi_param SERVER_PORT $server_port;
fastcgi_param SERVER_NAME $server_name;
EOF
}

# nl_write_conf PORT HTTP_EXTRA SITE...: writes $NL_DIR/nginx.conf; the first
# site is the default server of the port; a last server answers /ping for
# Host ping.invalid, so that the test knows the nginx on the port is its own.
nl_write_conf() {
	nl_port=$1
	nl_extra=$2
	shift 2
	nl_user=
	[ "$(id -u)" = 0 ] && nl_user="user root;"
	nl_token=drfslides-test-$$
	{
		cat <<EOF
daemon off;
master_process on;
worker_processes 2;
$nl_user
pid $NL_DIR/nginx.pid;
error_log $NL_DIR/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $NL_DIR/client_body;
    fastcgi_temp_path $NL_DIR/fastcgi_temp;
    proxy_temp_path $NL_DIR/proxy_temp;
    uwsgi_temp_path $NL_DIR/uwsgi_temp;
    scgi_temp_path $NL_DIR/scgi_temp;
    types {
        text/html html;
        text/css css;
        application/javascript js;
    }
    default_type application/octet-stream;
$nl_extra
EOF
		for nl_s in "$@"; do
			echo "    include $NL_DIR/port-${nl_s##*/};"
			sed "s/@PORT@/$nl_port/g" "$nl_s" >"$NL_DIR/port-${nl_s##*/}"
		done
		cat <<EOF
    server {
        listen 127.0.0.1:$nl_port;
        server_name ping.invalid;
        location = /ping { return 200 "$nl_token\n"; }
    }
}
EOF
	} >"$NL_DIR/nginx.conf"
}

# nginx_configtest HTTP_EXTRA SITE...: "nginx -t" on the configuration
# nginx_start would use; its output is in $NL_DIR/configtest.out. The test
# binds the listening sockets too: a port found in use is tried again.
nginx_configtest() {
	nl_fastcgi_params
	nl_try=0
	while [ "$nl_try" -lt 20 ]; do
		nl_try=$((nl_try + 1))
		nl_write_conf "$(nl_random_port)" "$@"
		"$NGINX" -t -p "$NL_DIR/" -c "$NL_DIR/nginx.conf" -e "$NL_DIR/error.log" \
		    >"$NL_DIR/configtest.out" 2>&1 && return 0
		grep -q 'Address already in use' "$NL_DIR/configtest.out" || return 1
	done
	return 1
}

# nl_pinged: the nginx on $nl_port is this test's.
nl_pinged() {
	[ "$(curl -s --max-time 2 -H 'Host: ping.invalid' \
	    "http://127.0.0.1:$nl_port/ping" 2>/dev/null)" = "$nl_token" ]
}

# nl_started PID: nginx answers, or has exited (bind failure).
nl_started() {
	nl_pinged || ! nl_alive "$1"
}

# nginx_start HTTP_EXTRA SITE...: starts nginx on a free loopback port with the
# sites (files with @PORT@ in their listen lines); sets NGINX_PORT, NGINX_PID
# and NGINX_URL. Returns non-zero if it cannot start.
nginx_start() {
	nl_fastcgi_params
	nl_try=0
	while [ "$nl_try" -lt 20 ]; do
		nl_try=$((nl_try + 1))
		nl_port=$(nl_random_port)
		nl_write_conf "$nl_port" "$@"
		"$NGINX" -p "$NL_DIR/" -c "$NL_DIR/nginx.conf" -e "$NL_DIR/error.log" \
		    >>"$NL_DIR/stderr" 2>&1 </dev/null &
		nl_pid=$!
		nl_track "$nl_pid"
		nl_wait_until 10 nl_started "$nl_pid"
		if nl_pinged; then
			NGINX_PID=$nl_pid
			NGINX_PORT=$nl_port
			NGINX_URL=http://127.0.0.1:$nl_port
			return 0
		fi
		nl_stop "$nl_pid"
	done
	echo "# nginx did not start:"
	tail -5 "$NL_DIR/error.log" "$NL_DIR/stderr" 2>/dev/null | sed 's/^/#   /'
	return 1
}

# nl_logged LOG PID: LOG says PID (a supervisor, or a worker of --workers 0)
# is serving; the socket exists and has its mode by then.
nl_logged() {
	grep -q "^drfslides\[$2\]: serving " "$1" 2>/dev/null
}

# nl_serving PID LOG: waits (10 s at most) until LOG says PID serves; if it
# does not, stops PID and fails.
nl_serving() {
	nl_await "$1" 10 nl_logged "$2" "$1" && return 0
	nl_stop "$1"
	return 1
}

# drf_start LISTEN LOG [OPTION...]: starts "drfslides fcgi --listen LISTEN"
# (a unix socket PATH or HOST:PORT) with stderr in LOG, waits until it serves,
# and sets DRF_PID. Returns non-zero if it exits instead.
drf_start() {
	nl_listen=$1
	nl_log=$2
	shift 2
	case $nl_listen in
	*:*) ;;
	*) rm -f "$nl_listen" ;;
	esac
	"$DRFSLIDES" fcgi --listen "$nl_listen" "$@" 2>>"$nl_log" </dev/null &
	DRF_PID=$!
	nl_track "$DRF_PID"
	nl_serving "$DRF_PID" "$nl_log"
}

# drf_start_tcp LOG [OPTION...]: drf_start on 127.0.0.1 and a free port; sets
# DRF_PORT too.
drf_start_tcp() {
	nl_try=0
	while [ "$nl_try" -lt 20 ]; do
		nl_try=$((nl_try + 1))
		DRF_PORT=$(nl_random_port)
		drf_start "127.0.0.1:$DRF_PORT" "$@" && return 0
	done
	return 1
}

# drf_stop PID [SECONDS]: SIGTERM, then waits (SIGKILL after SECONDS, default
# 10); returns 0 if it stopped by itself in time.
drf_stop() {
	kill -TERM "$1" 2>/dev/null
	nl_wait_until "${2:-10}" nl_gone "$1"
	nl_rc=$?
	nl_stop "$1" 1
	return $nl_rc
}

# drf_workers PID: the worker processes of a supervisor, one a line.
drf_workers() {
	pgrep -P "$1" 2>/dev/null
}

# drf_rss_kib PID: the summed VmRSS of a supervisor's workers, in KiB.
drf_rss_kib() {
	nl_sum=0
	for nl_w in $(drf_workers "$1"); do
		nl_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$nl_w/status" 2>/dev/null)
		nl_sum=$((nl_sum + ${nl_kb:-0}))
	done
	echo "$nl_sum"
}

# nl_wrk_script FILE [PATH...]: a wrk Lua script that cycles through the deck's
# pages, its entry, display and glossary pages under /slides/, and the PATHs.
nl_wrk_script() {
	f=$1
	shift
	{
		printf 'local paths = { "/slides/", "/slides/smtp/", "/slides/smtp/?page=4",\n'
		printf '    "/slides/smtp/display", "/slides/smtp/glossary/ppp.html" }\n'
		for p in "$@"; do
			printf 'paths[#paths + 1] = "%s"\n' "$p"
		done
		printf 'for i = 0, 12 do paths[#paths + 1] = "/slides/smtp/" .. i end\n'
		printf 'local n = 0\nrequest = function()\n\tn = n + 1\n'
		printf '\treturn wrk.format("GET", paths[n %% #paths + 1])\nend\n'
	} >"$f"
}
