#!/bin/sh
# multinode.sh: the shipped multi-node nginx configuration (nginx/multinode.conf
# with drfslides-cache.conf) over three "drfslides fcgi" nodes on this
# machine: each deck's requests go to one node; the health route answers and
# is never cached; a node killed under load: once nginx has marked it down no
# request fails, and its decks are served by another node.
# shellcheck disable=SC1091,SC2086
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/nginx-lib.sh"
unset DRFSLIDES_LISTEN DRFSLIDES_WORKERS DRFSLIDES_THREADS DRFSLIDES_STAT_INTERVAL \
    DRFSLIDES_CACHE_CONTROL LISTEN_FDS LISTEN_PID

DECKS=$TMPD/decks
mkdir -p "$DECKS/glossary" || exit 99
printf '<p>A term.</p>\n' >"$DECKS/glossary/term.html"
decks=
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	printf '#title Lecture %s\n#define GLS() glossary/$1.html\n--- one\nLecture %s, page one: <a href="GLS(term)">term</a>\n--- two\nLecture %s, page two\n' \
	    "$i" "$i" "$i" >"$DECKS/lec$i.drf"
	decks="$decks lec$i"
done

# Three nodes, one process each (--workers 0: killing it kills the node),
# with a thread for each connection nginx may keep (2 workers x keepalive 8).
ports=
for n in 1 2 3; do
	drf_start_tcp "$TMPD/node$n.log" --workers 0 --threads 16 --decks "$DECKS" ||
		bail "node $n did not start"
	eval "pid_$n=\$DRF_PID"
	ports="$ports $DRF_PORT"
	BAIL_LOGS="$BAIL_LOGS $TMPD/node$n.log"
done
set -- $ports

# The shipped configuration with the test's nodes, cache snippet and
# static directory; the test adds a header naming the node that answered.
nl_site "$top_srcdir/deploy/nginx/multinode.conf" "$TMPD/site.conf" none
sed -i -e "s|server 10\.0\.0\.11:9000|server 127.0.0.1:$1|" \
    -e "s|server 10\.0\.0\.12:9000|server 127.0.0.1:$2|" \
    -e "s|server 10\.0\.0\.13:9000|server 127.0.0.1:$3|" \
    -e "s|/etc/nginx/snippets/drfslides-cache.conf|$top_srcdir/deploy/nginx/drfslides-cache.conf|" \
    -e '0,/fastcgi_pass drfslides_nodes;/s||&\n        add_header X-Drf-Node $upstream_addr always;|' \
    "$TMPD/site.conf"
is "$(grep -c "server 127\.0\.0\.1:[0-9]* max_fails=1 fail_timeout=10s;" "$TMPD/site.conf")" 3 \
    "the shipped upstream has three nodes with max_fails and fail_timeout"
matches "$TMPD/site.conf" 'hash \$drf_node_deck consistent;' "it hashes by the deck's name, consistently"
contains "$TMPD/site.conf" "include $top_srcdir/deploy/nginx/drfslides-cache.conf;" \
    "it includes the shipped fastcgi_cache settings"
# The zone as the shipped comment defines it (keys_zone=drfslides:10m, about
# 80,000 keys): the load below asks for tens of thousands of distinct
# addresses, and a zone too small for them makes nginx answer 500 when it
# cannot free a key in time.
mkdir -p "$TMPD/cache" || exit 99
zone=$(sed -n 's/^# *\(fastcgi_cache_path .*\)$/\1/p' "$top_srcdir/deploy/nginx/multinode.conf" |
    sed "s|/var/cache/nginx/drfslides|$TMPD/cache|")
case $zone in *keys_zone=drfslides:*) ;; *) bail "no fastcgi_cache_path line in multinode.conf" ;; esac
nginx_start "    $zone" \
    "$TMPD/site.conf" || bail "nginx did not start"
U=$NGINX_URL/slides

# Affinity: every request of a deck on one node, whatever its route; the
# query string makes each request a miss of nginx's cache.
urls=
for d in $decks; do
	for p in 0 1 "" display glossary/term.html print; do
		urls="$urls $U/$d/$p?r=$p"
	done
done
http_batch "$TMPD/affinity" X-Drf-Node $urls
is "$(grep -c '^200 127\.0\.0\.1:[0-9]* ' "$TMPD/affinity")" 72 \
    "72 answers, each 200 from a node"
spread= affine=0
for d in $decks; do
	first=$(grep -m 1 " $U/$d/" "$TMPD/affinity" | cut -d' ' -f2)
	[ -n "$first" ] && [ "$(grep " $U/$d/" "$TMPD/affinity" | cut -d' ' -f2 | sort -u)" = "$first" ] ||
		affine=1
	eval "node_$d=\$first"
	case " $spread " in *" $first "*) ;; *) spread="$spread $first" ;; esac
done
ok $affine "every route of a deck is answered by the deck's node"
set -- $spread
check "the decks are spread over more than one node ($spread)" test $# -gt 1

# The cache as shipped: a second request of the same address is nginx's.
fetch "$U/lec01/0"
fetch "$U/lec01/0"
is "$code $(header X-Cache-Status)" "200 HIT" "a page asked twice: the second from nginx's cache"

# Health: 200 "ok", no-store, never from the cache, cheap enough to ask often.
for i in 1 2 3; do
	fetch "$U/_drfslides/health"
	is "$code $(cat "$TMPD/b")" "200 ok" "health answers 200 ok (request $i)"
	is "$(header Cache-Control)" no-store "health: Cache-Control: no-store (request $i)"
	is "$(header X-Cache-Status)" "" "health: not through nginx's cache (request $i)"
done
fetch -I "$U/_drfslides/health"
is "$code" 200 "health answers HEAD"

# The victim: the node of lec01. Its decks, and the others.
victim=$node_lec01
victim_port=${victim##*:}
vdecks= odecks=
for d in $decks; do
	eval "nd=\$node_$d"
	if [ "$nd" = "$victim" ]; then vdecks="$vdecks $d"; else odecks="$odecks $d"; fi
done
i=0 vpid=
for p in $ports; do
	i=$((i + 1))
	[ "$p" = "$victim_port" ] && eval "vpid=\$pid_$i"
done
check "the victim node $victim serves decks:$vdecks" test -n "$vdecks" -a -n "$vpid"

# Uncached addresses of every deck: each answer comes from a node.
urls=
for d in $decks; do
	urls="$urls $U/$d/0?load=@R@ $U/$d/1?load=@R@ $U/$d/?load=@R@ $U/$d/glossary/term.html?load=@R@"
done

# Under load, the victim dies (SIGKILL: no goodbye). Answers given while it
# died may fail (a request it had started); they are counted, not judged.
http_load "$TMPD/during" 3 3 X-Drf-Node $urls &
loadpid=$!
sleep 1
kill -KILL "$vpid"
nl_wait_until 5 nl_gone "$vpid"
wait "$loadpid"
nl_untrack "$vpid"
during=$(http_load_answers "$TMPD/during" | wc -l)
during_bad=$(http_load_answers "$TMPD/during" | grep -vc '^200 ')
echo "# while the node died: $during answers, $during_bad not 200"
check "there was load while the node died ($during answers)" test "$during" -gt 20

# nl_marked: nginx's log says it took the victim out.
nl_marked() {
	grep -q "upstream server temporarily disabled.*127\.0\.0\.1:$victim_port" \
	    "$NL_DIR/error.log" 2>/dev/null
}
fetch "$U/$(echo $vdecks | cut -d' ' -f1)/0?probe=1"
nl_wait_until 10 nl_marked
ok $? "nginx marked the dead node down"

# Once it is down: no failed answer, for longer than fail_timeout (10 s),
# when nginx tries the dead node again.
http_load "$TMPD/after" 12 3 X-Drf-Node $urls
http_load_answers "$TMPD/after" >"$TMPD/after.all"
after=$(lines "$TMPD/after.all")
echo "# after it was marked down: $after answers"
check "load after the node was marked down ($after answers)" test "$after" -gt 100
is "$(grep -vc '^200 ' "$TMPD/after.all")" 0 "once the node is marked down, no request fails"
grep -v '^200 ' "$TMPD/after.all" | sort | uniq -c | head -5 | sed 's/^/#   /'
is "$(grep -c " $victim " "$TMPD/after.all")" 0 "no answer names the dead node"
for d in $vdecks; do
	n=$(grep -c "^200 127\.0\.0\.1:[0-9]* $U/$d/" "$TMPD/after.all")
	check "the dead node's deck $d is served by another node ($n answers)" test "$n" -gt 0
done
: >"$TMPD/moved"
for d in $odecks; do
	eval "nd=\$node_$d"
	grep " $U/$d/" "$TMPD/after.all" | grep -v "^200 $nd " >>"$TMPD/moved"
done
test ! -s "$TMPD/moved"
ok $? "the other decks stay on their nodes"
head -3 "$TMPD/moved" | sed 's/^/#   /'
# After fail_timeout nginx tried the dead node again: that request went on
# to another node too (no failure above).
check "nginx tried the dead node again after fail_timeout, and failed over again" \
    test "$(grep -c "upstream server temporarily disabled.*127\.0\.0\.1:$victim_port" \
    "$NL_DIR/error.log")" -ge 2
matches "$NL_DIR/error.log" "connect\(\) failed .*127\.0\.0\.1:$victim_port" \
    "nginx's log says why (connection refused)"
done_testing
