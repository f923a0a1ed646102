# proc-lib.sh: the processes a test starts, and free ports. Source it after
# lib.sh; every process tracked here is stopped at exit by its PID (other
# tests run at the same time).
# shellcheck shell=sh disable=SC2034,SC2154

[ -n "${PROC_LIB_LOADED:-}" ] && return 0
PROC_LIB_LOADED=1
NL_PIDS=

# nl_alive PID: the process exists and is not a zombie.
nl_alive() {
	if [ -r "/proc/$1/stat" ]; then
		[ "$(sed 's/^.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null)" != Z ]
	else
		kill -0 "$1" 2>/dev/null
	fi
}

# nl_wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds.
nl_wait_until() {
	nl_n=$(($1 * 10))
	shift
	while [ "$nl_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		nl_n=$((nl_n - 1))
	done
	"$@"
}

# nl_await PID SECONDS COMMAND...: polls COMMAND every 0.1 s until it
# succeeds, while PID lives (SECONDS at most); true if it succeeded.
nl_await() {
	na_pid=$1 na_n=$(($2 * 10))
	shift 2
	while [ "$na_n" -gt 0 ]; do
		"$@" && return 0
		nl_alive "$na_pid" || break
		sleep 0.1
		na_n=$((na_n - 1))
	done
	"$@"
}

# nl_track PID: stops PID (and its children) when the test exits.
nl_track() {
	NL_PIDS="$NL_PIDS $1"
}

# nl_untrack PID: forgets a process stopped by the test itself.
nl_untrack() {
	nl_keep=
	for nl_p in $NL_PIDS; do
		[ "$nl_p" = "$1" ] || nl_keep="$nl_keep $nl_p"
	done
	NL_PIDS=$nl_keep
}

# nl_gone PID: the process has exited.
nl_gone() {
	! nl_alive "$1"
}

# nl_stop PID [SECONDS]: SIGTERM, a wait, then SIGKILL for it and its children.
nl_stop() {
	kill -TERM "$1" 2>/dev/null
	if ! nl_wait_until "${2:-5}" nl_gone "$1"; then
		for nl_c in $(pgrep -P "$1" 2>/dev/null); do
			kill -KILL "$nl_c" 2>/dev/null
		done
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	nl_untrack "$1"
}

# nl_cleanup: stops every tracked process; runs at exit.
nl_cleanup() {
	for nl_p in $NL_PIDS; do
		nl_alive "$nl_p" && kill -TERM "$nl_p" 2>/dev/null
	done
	for nl_p in $NL_PIDS; do
		nl_stop "$nl_p"
	done
}
trap 'nl_cleanup; rm -rf "$TMPD"' EXIT
trap 'exit 1' INT TERM HUP

# nl_random_port: a port from 20000 to 60000.
nl_random_port() {
	od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40001 }'
}
