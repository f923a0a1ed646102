/* httpd_guard.c: a deadline for each request of "serve", and room for new clients at the limit. */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "httpd_guard.h"
#include "util.h"

#define HTTPD_GUARD_TICK_MS	200

/* One connection the guard follows. */
struct httpd_guard_conn {
	struct httpd_guard	*g;
	int			 fd;
	int			 waiting;	/* for its request head */
	int			 shut;		/* already shut down */
	struct timespec		 since;		/* start of the wait */
	struct httpd_guard_conn	*prev, *next;
};

struct httpd_guard {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 thread;
	int			 stop;
	unsigned		 max;
	unsigned		 seconds;
	unsigned		 n;
	struct httpd_guard_conn	*head;		/* oldest first */
	struct httpd_guard_conn	*tail;
};

/* Returns the milliseconds from a to b. */
static long long
httpd_guard_ms(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000 +
	    (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Ends a connection's wait: the daemon sees it closed and frees it. Lock held. */
static void
httpd_guard_shut(struct httpd_guard_conn *c)
{
	if (!c->shut) {
		shutdown(c->fd, SHUT_RDWR);
		c->shut = 1;
	}
}

/* Shuts down every connection waiting for its request past the deadline, every tick. */
static void *
httpd_guard_run(void *arg)
{
	struct httpd_guard	*g = arg;
	struct httpd_guard_conn	*c;
	struct timespec		 now, until;

	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (c = g->head; c != NULL; c = c->next) {
			if (c->waiting &&
			    httpd_guard_ms(&c->since, &now) >= 1000LL * g->seconds)
				httpd_guard_shut(c);
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += HTTPD_GUARD_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &until);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* Creates the guard and starts its thread; NULL if the thread cannot start. */
struct httpd_guard *
httpd_guard_create(unsigned max, unsigned seconds)
{
	struct httpd_guard	*g;

	g = xcalloc(1, sizeof *g);
	g->max = max;
	g->seconds = seconds;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	if (pthread_create(&g->thread, NULL, httpd_guard_run, g) != 0) {
		pthread_mutex_destroy(&g->lock);
		pthread_cond_destroy(&g->wake);
		free(g);
		return NULL;
	}
	return g;
}

/* Stops the guard's thread and frees it. */
void
httpd_guard_free(struct httpd_guard *g)
{
	struct httpd_guard_conn	*c, *next;

	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = 1;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	for (c = g->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->wake);
	free(g);
}

/*
 * Takes every new connection; at the limit, the connection that has waited
 * longest for its request gives way, so that slow clients holding every
 * place cannot keep a new one out.
 */
enum MHD_Result
httpd_guard_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct httpd_guard	*g = cls;
	struct httpd_guard_conn	*c;
	unsigned		 open = 0;

	(void)addr;
	(void)len;
	pthread_mutex_lock(&g->lock);
	for (c = g->head; c != NULL; c = c->next)
		open += !c->shut;
	if (open >= g->max) {
		for (c = g->head; c != NULL; c = c->next) {
			if (c->waiting && !c->shut)
				break;
		}
		if (c != NULL)
			httpd_guard_shut(c);
	}
	pthread_mutex_unlock(&g->lock);
	return MHD_YES;
}

/* Follows a connection from its start to its close. */
void
httpd_guard_notify(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct httpd_guard		*g = cls;
	struct httpd_guard_conn		*c = *ctx;
	const union MHD_ConnectionInfo	*info;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		info = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		c = xcalloc(1, sizeof *c);
		c->g = g;
		c->fd = info != NULL ? info->connect_fd : -1;
		c->shut = c->fd < 0;
		c->waiting = 1;
		clock_gettime(CLOCK_MONOTONIC, &c->since);
		pthread_mutex_lock(&g->lock);
		c->prev = g->tail;
		if (g->tail != NULL)
			g->tail->next = c;
		else
			g->head = c;
		g->tail = c;
		g->n++;
		pthread_mutex_unlock(&g->lock);
		*ctx = c;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && c != NULL) {
		pthread_mutex_lock(&g->lock);
		if (c->prev != NULL)
			c->prev->next = c->next;
		else
			g->head = c->next;
		if (c->next != NULL)
			c->next->prev = c->prev;
		else
			g->tail = c->prev;
		g->n--;
		pthread_mutex_unlock(&g->lock);
		free(c);
		*ctx = NULL;
	}
}

/* Sets whether a connection waits for a request, and since when. */
static void
httpd_guard_set(struct MHD_Connection *conn, int waiting)
{
	const union MHD_ConnectionInfo	*info;
	struct httpd_guard_conn		*c;

	info = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (info == NULL || (c = info->socket_context) == NULL)
		return;
	pthread_mutex_lock(&c->g->lock);
	c->waiting = waiting;
	clock_gettime(CLOCK_MONOTONIC, &c->since);
	pthread_mutex_unlock(&c->g->lock);
}

/* Says that a connection's request head has arrived. */
void
httpd_guard_received(struct MHD_Connection *conn)
{
	httpd_guard_set(conn, 0);
}

/* Says that a connection's answer is done. */
void
httpd_guard_answered(struct MHD_Connection *conn)
{
	httpd_guard_set(conn, 1);
}
