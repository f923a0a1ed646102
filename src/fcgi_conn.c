/* fcgi_conn.c: the connections a FastCGI worker takes, and their first records checked before libfcgi reads them. */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fcgi_conn.h"
#include "fcgi_record.h"
#include "server.h"
#include "util.h"

#define FCGI_CONN_PEEK_MS	10000	/* a request's parameters arrive within this */

/* Logs a line, at most once a second for the counter *last (shared by the threads). */
static void __attribute__((format(printf, 2, 3)))
fcgi_conn_log(unsigned long long *last, const char *fmt, ...)
{
	unsigned long long	 now = util_now_ms(), then;
	va_list			 ap;
	char			*s;

	then = __atomic_load_n(last, __ATOMIC_RELAXED);
	if (now - then < 1000 || !__atomic_compare_exchange_n(last, &then, now,
	    0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	server_log(NULL, s);
	free(s);
}

/* Returns 1 if a peer is in FCGI_WEB_SERVER_ADDRS (as libfcgi checks it), or there is no list. */
static int
fcgi_conn_peer_allowed(const struct fcgi_conn_gate *g,
    const struct sockaddr_storage *sa)
{
	char		 addr[INET6_ADDRSTRLEN];
	const char	*p;
	size_t		 len;

	if (g->allowed == NULL || sa->ss_family == AF_UNIX)
		return 1;
	if (sa->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    addr, sizeof addr);
	else if (sa->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->
		    sin6_addr, addr, sizeof addr);
	else
		return 0;
	len = strlen(addr);
	for (p = g->allowed; *p != '\0'; p += strcspn(p, ",")) {
		p += *p == ',';
		if (strncmp(p, addr, len) == 0 && (p[len] == ',' ||
		    p[len] == '\0'))
			return 1;
	}
	return 0;
}

/*
 * Waits until a connection's parameters have all arrived (looking, not
 * reading) and checks their lengths, so that libfcgi never sees a record
 * that makes it abort. Returns 0 to go on, -1 to drop the connection.
 */
static int
fcgi_conn_peek(struct fcgi_conn_gate *g, int fd, const int *stop,
    unsigned char *peek)
{
	struct pollfd		 pfd = { fd, POLLIN, 0 };
	enum fcgi_record_verdict v = FCGI_RECORD_MORE;
	unsigned long long	 deadline = util_now_ms() + FCGI_CONN_PEEK_MS;
	ssize_t			 n, seen = 0;
	unsigned		 pause = 1;

	while (v == FCGI_RECORD_MORE) {
		if (__atomic_load_n(stop, __ATOMIC_ACQUIRE))
			return -1;
		if (util_now_ms() >= deadline) {
			fcgi_conn_log(&g->refuse_logged, "refused a FastCGI "
			    "connection: parameters not complete in time");
			return -1;
		}
		if (seen == 0 && poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(fd, peek, FCGI_CONN_PEEK_MAX, MSG_PEEK | MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;	/* closed without a request */
		if (n == seen) {
			/* Nothing new yet: wait a little longer each time. */
			usleep(pause * 1000);
			pause = pause < 50 ? pause * 2 : pause;
			continue;
		}
		seen = n;
		v = fcgi_record_check(peek, (size_t)n);
		if (v == FCGI_RECORD_MORE && n == FCGI_CONN_PEEK_MAX)
			v = FCGI_RECORD_BAD;
	}
	if (v == FCGI_RECORD_BAD) {
		fcgi_conn_log(&g->refuse_logged, "refused a FastCGI connection: "
		    "parameter lengths out of bounds (over 64 KiB in all, or a "
		    "pair longer than its record)");
		return -1;
	}
	return 0;
}

/* Takes the next connection with a checked request. */
int
fcgi_conn_next(struct fcgi_conn_gate *g, int kept, const int *stop,
    unsigned char *peek)
{
	struct sockaddr_storage	 sa;
	socklen_t		 salen = sizeof sa;
	int			 fd = kept, set = 1;

	if (fd < 0) {
		fd = accept4(g->listen_fd, (struct sockaddr *)&sa, &salen,
		    SOCK_CLOEXEC);
		if (fd == -1) {
			/*
			 * EMFILE when --threads exceeds the free descriptors,
			 * ENFILE, ENOMEM: wait a little rather than spin.
			 */
			if (errno != EINTR && errno != ECONNABORTED &&
			    !__atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
				fcgi_conn_log(&g->accept_logged, "accept: %s; "
				    "retrying", strerror(errno));
				usleep(50000);
			}
			return -1;
		}
		if (!fcgi_conn_peer_allowed(g, &sa)) {
			close(fd);
			return -1;
		}
		/* Answers go out whole: no waiting for acknowledgements (as libfcgi). */
		if (sa.ss_family == AF_INET || sa.ss_family == AF_INET6)
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &set,
			    sizeof set);
	}
	if (fcgi_conn_peek(g, fd, stop, peek) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
