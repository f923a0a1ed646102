# presenter-lib.sh: the setup of the presenter tests: a deck with speaker
# notes, "drfslides fcgi" with two workers, a presenter key and a state
# directory, another without a key, and nginx with the shipped server block,
# its page cache (drfslides-cache.conf) and its position cache
# (drfslides-position.conf), logging requests in the default format.
# Source it after lib.sh; sets PDECKS, KEY, KEYFILE, STATE, U (nginx, the
# keyed backend), N (nginx, the backend without a key), P_PID.
# shellcheck shell=sh disable=SC1091,SC2034,SC2154
. "$top_srcdir/tests/nginx-lib.sh"

deploy=$top_srcdir/deploy
PDECKS=$TMPD/pdecks
STATE=$TMPD/state
KEYFILE=$TMPD/presenter.key
ALOG=$NL_DIR/access.log
mkdir -p "$PDECKS" "$STATE" || exit 99
cp "$top_srcdir/tests/data/presenter/talk.drf" "$PDECKS/" || exit 99
chmod u+w "$PDECKS/talk.drf"
MARKER=NOTE-MARKER-7f3a
# A fresh random key for every run: nothing to find in a file of the tree.
KEY=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
printf '%s\n' "$KEY" >"$KEYFILE"
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_CONTROL DRFSLIDES_PRESENTER_KEY_FILE DRFSLIDES_STATE_DIR \
    LISTEN_FDS LISTEN_PID

# p_site SOCKET OUT SERVER_NAME: the shipped server block on SOCKET with both
# caches included, and an access log in nginx's default (combined) format.
p_site() {
	nl_site "$deploy/nginx/drfslides.conf" "$2" "$1" "$3"
	sed -i -e "s|#include /etc/nginx/snippets/drfslides-cache.conf;|include $deploy/nginx/drfslides-cache.conf;|" \
	    -e "s|#include /etc/nginx/snippets/drfslides-position.conf;|include $deploy/nginx/drfslides-position.conf;|" \
	    -e "s|^\( *\)server_name \(.*\);|&\n\1access_log $ALOG;|" "$2"
}

# presenter_servers: the two backends and nginx.
presenter_servers() {
	drf_start "$TMPD/p.sock" "$TMPD/p.log" --workers 2 --threads 4 \
	    --decks "$PDECKS" --presenter-key-file "$KEYFILE" --state-dir "$STATE" ||
		bail "drfslides fcgi with a presenter key did not start"
	P_PID=$DRF_PID
	drf_start "$TMPD/n.sock" "$TMPD/n.log" --workers 1 --threads 2 \
	    --decks "$PDECKS" ||
		bail "drfslides fcgi without a key did not start"
	BAIL_LOGS="$BAIL_LOGS $TMPD/p.log $TMPD/n.log"
	p_site "$TMPD/p.sock" "$TMPD/p.conf" ""
	p_site "$TMPD/n.sock" "$TMPD/n.conf" nokey.invalid
	for z in drfslides-cache drfslides-position; do
		sed -n 's/^# *\(fastcgi_cache_path .*\)$/\1/p' "$deploy/nginx/$z.conf" |
		    sed "s|/var/cache/nginx/|$NL_DIR/|"
	done >"$TMPD/zones"
	nginx_start "$(sed 's/^/    /' "$TMPD/zones")" "$TMPD/p.conf" "$TMPD/n.conf" ||
		bail "nginx did not start"
	U=$NGINX_URL/slides
}
