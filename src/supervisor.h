/* supervisor.h: keeps worker processes, and each worker's threads, running until a stop signal. */
#ifndef DRF_SUPERVISOR_H
#define DRF_SUPERVISOR_H

/*
 * A worker's place, shared between the supervisor and the worker process it
 * forked (in memory mapped before the fork). The worker marks it when it has
 * served a request, so that its death is not taken for a failure to start.
 */
struct supervisor_slot;

/*
 * What the supervisor runs: run(arg, slot) is the body of one worker
 * process, called in the child after fork with the signal mask the caller
 * had; its return value is the child's exit status.
 */
struct supervisor_config {
	unsigned	  workers;	/* at least 1 */
	int		(*run)(void *, struct supervisor_slot *);
	void		 *arg;
	/* Called with each line for the log. */
	void		(*log)(void *, const char *);
	void		 *log_arg;
};

/*
 * Forks the workers and keeps them alive until SIGTERM, SIGINT or SIGHUP;
 * then stops them (SIGTERM, SIGKILL after 10 s) and returns 0. A worker that
 * served a request, or lived 10 s, is replaced at once when it dies; one that
 * dies sooner without serving waits 1, 2, 4 ... 30 s, but the socket never
 * stays without a worker for more than a second. Not thread-safe: call from
 * the main thread of a process with no other children.
 */
int	 supervisor_run(const struct supervisor_config *);

/*
 * Runs n threads of serve(arg, stop) in this process until it gets SIGTERM,
 * SIGINT or SIGHUP; then sets *stop (read it atomically), interrupts the
 * threads with SIGUSR1 (no SA_RESTART: a blocking accept() or poll()
 * returns EINTR) until each has returned, and joins them. Returns how many
 * threads ran (0: none could start). Call from the main thread.
 */
unsigned supervisor_threads(unsigned n, void (*serve)(void *, const int *),
	    void *arg, void (*log)(void *, const char *), void *log_arg);

/* Marks the worker as having served (async-signal- and thread-safe; accepts NULL). */
void	 supervisor_served(struct supervisor_slot *);

#endif
