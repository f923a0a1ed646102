/* httpd_guard.h: the dev server's guard against slow clients: a deadline per request, room for new ones. */
#ifndef DRF_HTTPD_GUARD_H
#define DRF_HTTPD_GUARD_H

#include <sys/socket.h>

#include <microhttpd.h>

/*
 * The guard follows every connection of one libmicrohttpd daemon. A request
 * must arrive whole within the deadline, counted from the connection's
 * start or the end of its previous answer; a connection past it is shut
 * down, however often it sends a byte. When max connections are open, a
 * new one makes the one that has waited longest for its request give way.
 * Thread safe; the daemon's limit must leave HTTPD_GUARD_RESERVE above max.
 */
#define HTTPD_GUARD_RESERVE	16

struct httpd_guard;

struct httpd_guard *httpd_guard_create(unsigned max, unsigned seconds);
/* Stops the guard; call after the daemon has stopped. Accepts NULL. */
void	 httpd_guard_free(struct httpd_guard *);
/* The daemon's accept policy (MHD_start_daemon's apc, cls the guard). */
enum MHD_Result httpd_guard_accept(void *, const struct sockaddr *, socklen_t);
/* The daemon's MHD_OPTION_NOTIFY_CONNECTION callback (cls the guard). */
void	 httpd_guard_notify(void *, struct MHD_Connection *, void **,
	    enum MHD_ConnectionNotificationCode);
/* Says that a connection's request head has arrived: no deadline while it is answered. */
void	 httpd_guard_received(struct MHD_Connection *);
/* Says that a connection's answer is done: its next request's deadline starts now. */
void	 httpd_guard_answered(struct MHD_Connection *);

#endif
