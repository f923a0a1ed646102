/* supervisor.c: worker processes forked, replaced when they die, and stopped on a signal; a worker's threads likewise. */
#include "config.h"

#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "supervisor.h"
#include "util.h"

/* A worker that dies this soon after it started, without serving, failed to start. */
#define SUPERVISOR_QUICK_DEATH_MS	10000
/* The longest wait before another worker is started in a failing slot. */
#define SUPERVISOR_MAX_BACKOFF_MS	30000
/* The longest the socket may go without any worker. */
#define SUPERVISOR_MAX_EMPTY_MS		1000

/* Shared with the worker: written by it, read by the supervisor. */
struct supervisor_slot {
	int	 served;		/* atomic */
};

/* The supervisor's own record of one slot. */
struct supervisor_worker {
	pid_t			 pid;		/* 0: none running */
	unsigned long long	 born;
	unsigned long long	 next;		/* when to start another */
	unsigned		 fails;		/* quick deaths in a row */
};

/* One thread of a worker. */
struct supervisor_thread {
	void		(*serve)(void *, const int *);
	void		*arg;
	const int	*stop;
	pthread_t	 tid;
	int		 done;		/* atomic: set by the thread */
};

/* The supervisor's state. */
struct supervisor {
	const struct supervisor_config	*cfg;
	struct supervisor_slot		*slots;	/* shared mapping */
	struct supervisor_worker	*w;
	sigset_t			 oldmask;
};

/* Marks a slot as having served. */
void
supervisor_served(struct supervisor_slot *s)
{
	if (s != NULL && !__atomic_load_n(&s->served, __ATOMIC_RELAXED))
		__atomic_store_n(&s->served, 1, __ATOMIC_RELAXED);
}

/* Sends one formatted line to the log. */
static void __attribute__((format(printf, 2, 3)))
supervisor_log(struct supervisor *sv, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (sv->cfg->log == NULL)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	sv->cfg->log(sv->cfg->log_arg, s);
	free(s);
}

/* Forks the worker of slot i. */
static void
supervisor_spawn(struct supervisor *sv, unsigned i)
{
	struct supervisor_slot	*slot = &sv->slots[i];
	pid_t			 pid;
	int			 rc;

	__atomic_store_n(&slot->served, 0, __ATOMIC_RELAXED);
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &sv->oldmask, NULL);
		signal(SIGCHLD, SIG_DFL);
		rc = sv->cfg->run(sv->cfg->arg, slot);
		_exit(rc);
	}
	if (pid == -1)
		supervisor_log(sv, "fork: %s", strerror(errno));
	sv->w[i].pid = pid > 0 ? pid : 0;
	sv->w[i].born = util_now_ms();
	/* A failed fork is tried again a second later. */
	sv->w[i].next = sv->w[i].born + SUPERVISOR_MAX_EMPTY_MS;
}

/* Counts the workers running. */
static unsigned
supervisor_alive(const struct supervisor *sv)
{
	unsigned	 i, n = 0;

	for (i = 0; i < sv->cfg->workers; i++)
		n += sv->w[i].pid > 0;
	return n;
}

/* Records the death of the worker of slot i and schedules the next one. */
static void
supervisor_died(struct supervisor *sv, unsigned i, int status,
    unsigned long long now)
{
	struct supervisor_worker	*w = &sv->w[i];
	unsigned long long		 delay = 0;
	pid_t				 pid = w->pid;

	w->pid = 0;
	/* A worker that got going is not failing to start: replace it at once. */
	if (__atomic_load_n(&sv->slots[i].served, __ATOMIC_RELAXED) ||
	    now - w->born >= SUPERVISOR_QUICK_DEATH_MS)
		w->fails = 0;
	else {
		w->fails++;
		delay = 1000ULL << (w->fails > 6 ? 5 : w->fails - 1);
		if (delay > SUPERVISOR_MAX_BACKOFF_MS)
			delay = SUPERVISOR_MAX_BACKOFF_MS;
		/* The last worker gone: the socket waits a second at most. */
		if (supervisor_alive(sv) == 0 && delay > SUPERVISOR_MAX_EMPTY_MS)
			delay = SUPERVISOR_MAX_EMPTY_MS;
	}
	w->next = now + delay;
	if (WIFSIGNALED(status))
		supervisor_log(sv, "worker %ld killed by signal %d; starting "
		    "another in %llu s", (long)pid, WTERMSIG(status),
		    (delay + 999) / 1000);
	else
		supervisor_log(sv, "worker %ld exited with %d; starting "
		    "another in %llu s", (long)pid, WEXITSTATUS(status),
		    (delay + 999) / 1000);
}

/* Reaps every worker that died. */
static void
supervisor_reap(struct supervisor *sv)
{
	unsigned	 i;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < sv->cfg->workers; i++) {
			if (sv->w[i].pid == pid)
				supervisor_died(sv, i, status, util_now_ms());
		}
	}
}

/*
 * Starts the workers that are due; with none running, the earliest is due
 * within a second whatever its back-off. Returns the ms until the next is due.
 */
static unsigned long long
supervisor_start_due(struct supervisor *sv)
{
	unsigned long long	 now = util_now_ms(), wait = 1000;
	unsigned		 i, first = 0;

	for (i = 0; i < sv->cfg->workers; i++) {
		if (sv->w[i].pid == 0 && (sv->w[first].pid > 0 ||
		    sv->w[i].next < sv->w[first].next))
			first = i;
	}
	if (supervisor_alive(sv) == 0 &&
	    sv->w[first].next > now + SUPERVISOR_MAX_EMPTY_MS)
		sv->w[first].next = now + SUPERVISOR_MAX_EMPTY_MS;
	for (i = 0; i < sv->cfg->workers; i++) {
		if (sv->w[i].pid > 0)
			continue;
		if (now >= sv->w[i].next)
			supervisor_spawn(sv, i);
		else if (sv->w[i].next - now < wait)
			wait = sv->w[i].next - now;
	}
	return wait;
}

/* Stops every worker: SIGTERM, time for requests in flight, then SIGKILL. */
static void
supervisor_stop(struct supervisor *sv)
{
	unsigned	 i, j, alive = 1;

	for (i = 0; i < sv->cfg->workers; i++) {
		if (sv->w[i].pid > 0)
			kill(sv->w[i].pid, SIGTERM);
	}
	for (i = 0; alive && i < 100; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		alive = 0;
		for (j = 0; j < sv->cfg->workers; j++) {
			if (sv->w[j].pid > 0 && kill(sv->w[j].pid, 0) == 0)
				alive = 1;
		}
		if (alive)
			usleep(100000);
	}
	for (i = 0; i < sv->cfg->workers; i++) {
		if (sv->w[i].pid > 0 && kill(sv->w[i].pid, SIGKILL) == 0)
			waitpid(sv->w[i].pid, NULL, 0);
	}
}

/* Runs the supervisor until a stop signal. */
int
supervisor_run(const struct supervisor_config *cfg)
{
	struct supervisor	 sv;
	struct timespec		 ts;
	unsigned long long	 wait;
	sigset_t		 set;
	int			 sig;

	memset(&sv, 0, sizeof sv);
	sv.cfg = cfg;
	sv.slots = mmap(NULL, cfg->workers * sizeof *sv.slots,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sv.slots == MAP_FAILED) {
		supervisor_log(&sv, "mmap: %s", strerror(errno));
		return -1;
	}
	sv.w = xcalloc(cfg->workers, sizeof *sv.w);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &sv.oldmask);
	for (;;) {
		wait = supervisor_start_due(&sv);
		ts.tv_sec = (time_t)(wait / 1000);
		ts.tv_nsec = (long)(wait % 1000) * 1000000L;
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
			break;
		supervisor_reap(&sv);
	}
	supervisor_stop(&sv);
	free(sv.w);
	munmap(sv.slots, cfg->workers * sizeof *sv.slots);
	sigprocmask(SIG_SETMASK, &sv.oldmask, NULL);
	return 0;
}

/* Runs one thread's serve function and says when it is done. */
static void *
supervisor_thread_main(void *arg)
{
	struct supervisor_thread	*t = arg;

	t->serve(t->arg, t->stop);
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Does nothing: the signal only interrupts a blocking call. */
static void
supervisor_wake(int sig)
{
	(void)sig;
}

/* Interrupts the threads until every one has returned, then joins them. */
static void
supervisor_join(struct supervisor_thread *t, unsigned n)
{
	unsigned	 i, running;

	do {
		running = 0;
		for (i = 0; i < n; i++) {
			if (!__atomic_load_n(&t[i].done, __ATOMIC_ACQUIRE)) {
				pthread_kill(t[i].tid, SIGUSR1);
				running++;
			}
		}
		if (running > 0)
			usleep(20000);
	} while (running > 0);
	for (i = 0; i < n; i++)
		pthread_join(t[i].tid, NULL);
}

/* Runs threads until a stop signal. */
unsigned
supervisor_threads(unsigned n, void (*serve)(void *, const int *), void *arg,
    void (*log)(void *, const char *), void *log_arg)
{
	struct supervisor_thread	*t;
	struct sigaction		 sa;
	sigset_t			 set, old;
	unsigned			 i, started = 0;
	int				 sig, stop = 0;
	char				*msg;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = supervisor_wake;	/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/* Threads inherit this mask: only SIGUSR1 reaches them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	t = xcalloc(n, sizeof *t);
	for (i = 0; i < n; i++) {
		t[i].serve = serve;
		t[i].arg = arg;
		t[i].stop = &stop;
		if (pthread_create(&t[i].tid, NULL, supervisor_thread_main,
		    &t[i]) != 0) {
			msg = xasprintf("pthread_create: %s", strerror(errno));
			if (log != NULL)
				log(log_arg, msg);
			free(msg);
			break;
		}
		started++;
	}
	if (started > 0) {
		sigwait(&set, &sig);
		__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
		supervisor_join(t, started);
	}
	free(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return started;
}
