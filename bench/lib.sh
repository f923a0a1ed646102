# lib.sh: what the benchmarks that start servers share: a free port, the
# processes they start stopped at exit, waiting until one answers, and
# "drfslides serve --plain" with the source tree's templates and static
# files. Source it from the build directory once srcdir (the source tree),
# out (the benchmark's files, removed at exit) and keep (1: keep them) are
# set; it sets src (srcdir as an absolute path) and drf (./drfslides, the
# same).
# shellcheck shell=sh disable=SC2154

src=$(cd "$srcdir" && pwd)
drf=$(pwd)/drfslides

# bench_port: sets bport to a random loopback TCP port in [PORT_LO,
# PORT_LO + PORT_SPAN) (20000 and 30000 unless set) that nobody listens on
# now and that no call gave before.
bench_ports=
bench_port() {
	while :; do
		bport=$(od -An -N2 -tu2 /dev/urandom | awk -v lo="${PORT_LO:-20000}" \
		    -v n="${PORT_SPAN:-30000}" '{ print lo + $1 % n }')
		case " $bench_ports " in *" $bport "*) continue ;; esac
		bh=$(printf '%04X' "$bport")
		if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		    awk -v h=":$bh" '$2 ~ h "$" { f = 1 } END { exit !f }'; then
			bench_ports="$bench_ports $bport"
			return
		fi
	done
}

# bench_track PID: stops PID at exit (bench_stop).
bench_pids=
bench_track() {
	bench_pids="$bench_pids $1"
}

# bench_stop PID: SIGTERM to PID and its children (the workers of
# "drfslides fcgi"), then waits for it; it is not stopped again at exit.
bench_stop() {
	bs_kids=$(pgrep -P "$1" 2>/dev/null || :)
	# shellcheck disable=SC2086
	kill -TERM "$1" $bs_kids 2>/dev/null || :
	wait "$1" 2>/dev/null || :
	bs_left=
	for bs_p in $bench_pids; do
		[ "$bs_p" = "$1" ] || bs_left="$bs_left $bs_p"
	done
	bench_pids=$bs_left
}

# At exit: every process tracked stopped, and $out removed unless $keep is 1.
bench_cleanup() {
	for bc_p in $bench_pids; do
		bench_stop "$bc_p"
	done
	if [ "${keep:-0}" != 1 ]; then
		rm -rf "$out"
		rmdir bench/out 2>/dev/null || :
	fi
}
trap bench_cleanup EXIT
trap 'exit 1' HUP INT TERM

# bench_wait TENTHS COMMAND...: runs COMMAND every tenth of a second until it
# succeeds, TENTHS times at most; fails if it never does.
bench_wait() {
	bw_n=$1
	shift
	while [ "$bw_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		bw_n=$((bw_n - 1))
	done
	return 1
}

# bench_serve NAME [OPTION...]: starts "drfslides serve --plain" on a free
# port with the source tree's templates and static files and OPTION...,
# under $BENCH_WRAP (a command prefix, such as valgrind's) when it is set,
# its output in $out/NAME.out and $out/NAME.err, stopped at exit. Waits
# until it answers, a minute at most (valgrind is slow to start), else
# stops the benchmark; sets spid and url (without the final slash).
BENCH_WRAP=
bench_serve() {
	bs_name=$1
	shift
	bench_port
	# shellcheck disable=SC2086
	$BENCH_WRAP "$drf" serve --plain --templates "$src/templates" \
	    --static "$src/static" --port "$bport" "$@" \
	    >"$out/$bs_name.out" 2>"$out/$bs_name.err" &
	spid=$!
	bench_track "$spid"
	url=http://127.0.0.1:$bport
	bench_wait 600 curl -sf -o /dev/null "$url/static/drfslides.css" || {
		echo "${0##*/}: $bs_name: drfslides serve did not start" \
		    "(see $out/$bs_name.err)" >&2
		keep=1
		exit 1
	}
}
