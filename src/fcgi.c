/* fcgi.c: "drfslides fcgi", the FastCGI (and plain CGI) front end: requests in, responses out. */
#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <fcgiapp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "fcgi.h"
#include "fcgi_record.h"
#include "router.h"
#include "server.h"
#include "supervisor.h"
#include "util.h"

#define FCGI_BACKLOG	256
#define FCGI_CHUNK	(64 * 1024)	/* a body is sent this much at a time */
#define FCGI_PEEK_MAX	(64 * 1024)	/* a request's parameters must fit in this */
#define FCGI_PEEK_MS	10000		/* and arrive within this time */

/* One worker process: its listening socket, its application and its threads. */
struct fcgi_worker {
	int		 fd;
	struct app	*app;
	int		 stop;		/* atomic: set by the main thread */
	unsigned long long accept_logged;	/* atomic: ms of the last accept error logged */
	unsigned long long refuse_logged;	/* atomic: ms of the last refusal logged */
	const char	*allowed;	/* FCGI_WEB_SERVER_ADDRS, or NULL */
	struct supervisor_slot *slot;	/* NULL without a supervisor */
};

/* What a supervised worker process starts from. */
struct fcgi_supervised {
	const struct server_opts	*o;
	int				 fd;
};

/* A thread's place in the worker. */
struct fcgi_thread {
	struct fcgi_worker	*w;
	pthread_t		 tid;
	int			 done;		/* atomic: set by the thread */
};

/* The parameters drfslides reads, by index. */
enum {
	FCGI_P_METHOD,
	FCGI_P_SCRIPT_NAME,
	FCGI_P_QUERY,
	FCGI_P_INM,
	FCGI_P_IMS,
	FCGI_P_URI,
	FCGI_P_PATH_INFO,
	FCGI_P_RANGE,
	FCGI_P_IF_RANGE,
	FCGI_NPARAMS
};
static const struct {
	const char	*name;
	size_t		 len;
} fcgi_names[FCGI_NPARAMS] = {
	{ "REQUEST_METHOD", 14 },
	{ "SCRIPT_NAME", 11 },
	{ "QUERY_STRING", 12 },
	{ "HTTP_IF_NONE_MATCH", 18 },
	{ "HTTP_IF_MODIFIED_SINCE", 22 },
	{ "REQUEST_URI", 11 },
	{ "PATH_INFO", 9 },
	{ "HTTP_RANGE", 10 },
	{ "HTTP_IF_RANGE", 13 },
};

/* Returns a parameter, or NULL; lookup abstracts FastCGI params and the CGI environment. */
typedef const char *fcgi_param_fn(void *, int);

/* Builds the router's request from CGI-style variables; path storage goes in pathbuf. */
static void
fcgi_request(struct request *req, fcgi_param_fn *param, void *arg,
    struct buf *pathbuf)
{
	const char	*pi, *uri, *sn, *q;
	size_t		 snlen, ulen, start;

	memset(req, 0, sizeof *req);
	req->method = param(arg, FCGI_P_METHOD);
	if (req->method == NULL)
		req->method = "GET";
	sn = param(arg, FCGI_P_SCRIPT_NAME);
	if (sn == NULL)
		sn = "";
	snlen = strlen(sn);
	while (snlen > 0 && sn[snlen - 1] == '/')
		snlen--;
	buf_add(pathbuf, sn, snlen);
	buf_addc(pathbuf, '\0');
	req->base = pathbuf->data;
	q = param(arg, FCGI_P_QUERY);
	req->query = q;
	req->if_none_match = param(arg, FCGI_P_INM);
	req->if_modified_since = param(arg, FCGI_P_IMS);
	req->range = param(arg, FCGI_P_RANGE);
	req->if_range = param(arg, FCGI_P_IF_RANGE);
	uri = param(arg, FCGI_P_URI);
	req->urilen = uri != NULL ? strlen(uri) : 0;
	pi = param(arg, FCGI_P_PATH_INFO);
	if (pi != NULL) {
		req->path = pi;
		req->pathlen = strlen(pi);
		req->urilen = req->urilen > req->pathlen ? req->urilen :
		    req->pathlen;
		return;
	}
	if (uri != NULL) {
		/* No PATH_INFO: take the URI, less its query and the mount point. */
		ulen = strcspn(uri, "?");
		start = pathbuf->len;
		router_decode(pathbuf, uri, ulen);
		req->base = pathbuf->data;
		req->path = pathbuf->data + start;
		req->pathlen = pathbuf->len - start;
		if (snlen > 0 && req->pathlen >= snlen &&
		    memcmp(req->path, pathbuf->data, snlen) == 0) {
			req->path += snlen;
			req->pathlen -= snlen;
		}
		return;
	}
	req->path = "";
	req->pathlen = 0;
}

/* Appends one header line. */
static void
fcgi_header(void *arg, const char *name, const char *value)
{
	struct buf	*h = arg;

	buf_adds(h, name);
	buf_add(h, ": ", 2);
	buf_adds(h, value);
	buf_add(h, "\r\n", 2);
}

/* Appends a number in decimal (without printf: this is every request's path). */
static void
fcgi_number(struct buf *h, size_t n)
{
	char	 d[24], *p = d + sizeof d;

	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	buf_add(h, p, (size_t)(d + sizeof d - p));
}

/* Formats the CGI response head. */
static void
fcgi_head(const struct response *r, struct buf *h)
{
	buf_add(h, "Status: ", 8);
	if (r->status >= 0)
		fcgi_number(h, (size_t)r->status);
	else
		buf_printf(h, "%d", r->status);
	buf_addc(h, ' ');
	buf_adds(h, response_reason(r->status));
	buf_add(h, "\r\n", 2);
	response_headers(r, fcgi_header, h);
	if (r->status != 304) {
		buf_add(h, "Content-Length: ", 16);
		fcgi_number(h, r->len);
		buf_add(h, "\r\n", 2);
	}
	buf_add(h, "\r\n", 2);
}

/*
 * Sends a file body a chunk at a time through put(arg, data, len), which
 * returns -1 when the client is gone; memory stays flat whatever the size.
 */
static int
fcgi_file(const struct response *r, int (*put)(void *, const char *, size_t),
    void *arg)
{
	char	*chunk;
	off_t	 at = r->offset;
	size_t	 left = r->len, want;
	ssize_t	 n;
	int	 rc = 0;

	chunk = xmalloc(FCGI_CHUNK);
	while (left > 0) {
		want = left < FCGI_CHUNK ? left : FCGI_CHUNK;
		n = pread(r->fd, chunk, want, at);
		if (n == -1 && errno == EINTR)
			continue;
		/* A file cut short since it was opened: the client sees a short body. */
		if (n <= 0 || put(arg, chunk, (size_t)n) != 0) {
			rc = -1;
			break;
		}
		at += n;
		left -= (size_t)n;
	}
	free(chunk);
	return rc;
}

/* Writes to a FastCGI stream in pieces that an int can count, whatever len is. */
static int
fcgi_put(void *arg, const char *data, size_t len)
{
	int	 n;

	while (len > 0) {
		n = len < FCGI_CHUNK ? (int)len : FCGI_CHUNK;
		if (FCGX_PutStr(data, n, arg) != n)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes a chunk to standard output. */
static int
cgi_put(void *arg, const char *data, size_t len)
{
	return fwrite(data, 1, len, arg) == len ? 0 : -1;
}

/*
 * Finds the parameters drfslides reads in one pass over a FastCGI
 * environment; like FCGX_GetParam, the first "NAME=" of each wins.
 */
static void
fcgi_scan(char **envp, const char **v)
{
	const char	*eq;
	size_t		 len;
	int		 i;

	/* The one name of each length, but 11: SCRIPT_NAME or REQUEST_URI. */
	static const signed char bylen[23] = {
		-1, -1, -1, -1, -1, -1, -1, -1, -1, FCGI_P_PATH_INFO,
		FCGI_P_RANGE, FCGI_P_SCRIPT_NAME, FCGI_P_QUERY, FCGI_P_IF_RANGE,
		FCGI_P_METHOD, -1, -1, -1, FCGI_P_INM, -1, -1, -1, FCGI_P_IMS
	};

	memset(v, 0, FCGI_NPARAMS * sizeof *v);
	for (; envp != NULL && *envp != NULL; envp++) {
		if ((eq = strchr(*envp, '=')) == NULL)
			continue;
		len = (size_t)(eq - *envp);
		if (len >= sizeof bylen || (i = bylen[len]) < 0)
			continue;
		if (i == FCGI_P_SCRIPT_NAME && **envp == 'R')
			i = FCGI_P_URI;
		if (v[i] == NULL && memcmp(*envp, fcgi_names[i].name, len) == 0)
			v[i] = eq + 1;
	}
}

/* Looks up a FastCGI parameter found by fcgi_scan. */
static const char *
fcgi_param(void *arg, int i)
{
	return ((const char **)arg)[i];
}

/* Looks up a CGI environment variable. */
static const char *
cgi_param(void *arg, int i)
{
	(void)arg;
	return getenv(fcgi_names[i].name);
}

/* Writes a response: its head, then its body from memory or from its file. */
static int
fcgi_send(const struct response *r, int (*put)(void *, const char *, size_t),
    void *arg)
{
	struct buf	 head = BUF_INIT;
	int		 rc;

	fcgi_head(r, &head);
	rc = put(arg, head.data, head.len);
	buf_free(&head);
	if (rc != 0 || !r->send_body)
		return rc;
	if (r->file)
		return fcgi_file(r, put, arg);
	return put(arg, r->body, r->len);
}

/* Writes a response to a FastCGI output stream. */
int
fcgi_respond(FCGX_Stream *out, const struct response *r)
{
	return fcgi_send(r, fcgi_put, out);
}

/*
 * An accept() that failed with the worker running (EMFILE when --threads
 * exceeds the free descriptors, ENFILE, ENOMEM): logs the cause at most once
 * a second for the worker and waits a little instead of retrying at once.
 */
static void
fcgi_accept_failed(struct fcgi_worker *w, int rc)
{
	unsigned long long	 now = util_now_ms(), last;

	last = __atomic_load_n(&w->accept_logged, __ATOMIC_RELAXED);
	if (now - last >= 1000 && __atomic_compare_exchange_n(&w->accept_logged,
	    &last, now, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		server_logf("accept: %s; retrying", rc < 0 && rc > -4096 ?
		    strerror(-rc) : "failed");
	usleep(50000);
}

/* Logs why a connection was refused, at most once a second for the worker. */
static void
fcgi_refused(struct fcgi_worker *w, const char *why)
{
	unsigned long long	 now = util_now_ms(), last;

	last = __atomic_load_n(&w->refuse_logged, __ATOMIC_RELAXED);
	if (now - last >= 1000 && __atomic_compare_exchange_n(&w->refuse_logged,
	    &last, now, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		server_logf("refused a FastCGI connection: %s", why);
}

/* Returns 1 if a peer is in FCGI_WEB_SERVER_ADDRS (as libfcgi checks it), or there is no list. */
static int
fcgi_peer_allowed(const struct fcgi_worker *w, const struct sockaddr_storage *sa)
{
	char		 addr[INET6_ADDRSTRLEN];
	const char	*p;
	size_t		 len;

	if (w->allowed == NULL || sa->ss_family == AF_UNIX)
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
	for (p = w->allowed; *p != '\0'; p += strcspn(p, ",")) {
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
fcgi_peek(struct fcgi_worker *w, int fd, unsigned char *peek)
{
	struct pollfd		 pfd = { fd, POLLIN, 0 };
	enum fcgi_record_verdict v = FCGI_RECORD_MORE;
	unsigned long long	 deadline = util_now_ms() + FCGI_PEEK_MS;
	ssize_t			 n, seen = 0;
	unsigned		 pause = 1;

	while (v == FCGI_RECORD_MORE) {
		if (__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
			return -1;
		if (util_now_ms() >= deadline) {
			fcgi_refused(w, "parameters not complete in time");
			return -1;
		}
		if (seen == 0 && poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(fd, peek, FCGI_PEEK_MAX, MSG_PEEK | MSG_DONTWAIT);
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
		if (v == FCGI_RECORD_MORE && n == FCGI_PEEK_MAX)
			v = FCGI_RECORD_BAD;
	}
	if (v == FCGI_RECORD_BAD) {
		fcgi_refused(w, "parameter lengths out of bounds (over 64 KiB "
		    "in all, or a pair longer than its record)");
		return -1;
	}
	return 0;
}

/*
 * Gives fr a connection whose next request has been checked: the kept one,
 * or a new one accepted from the socket. Returns -1 when there is none
 * (the worker stops, an accept error, a connection dropped).
 */
static int
fcgi_connection(struct fcgi_worker *w, FCGX_Request *fr, unsigned char *peek)
{
	struct sockaddr_storage	 sa;
	socklen_t		 salen = sizeof sa;
	int			 fd = fr->ipcFd;

	if (fd < 0) {
		fd = accept4(w->fd, (struct sockaddr *)&sa, &salen,
		    SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno != EINTR && errno != ECONNABORTED &&
			    !__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
				fcgi_accept_failed(w, -errno);
			return -1;
		}
		if (!fcgi_peer_allowed(w, &sa)) {
			close(fd);
			return -1;
		}
	}
	fr->ipcFd = -1;
	if (fcgi_peek(w, fd, peek) != 0) {
		close(fd);
		return -1;
	}
	/* Kept open by FCGX_Accept_r's first step; the request sets it anew. */
	fr->ipcFd = fd;
	fr->keepConnection = 1;
	return 0;
}

/* Serves requests until the worker stops. */
static void *
fcgi_thread_main(void *arg)
{
	struct fcgi_thread	*t = arg;
	struct fcgi_worker	*w = t->w;
	FCGX_Request		 fr;
	struct request		 req;
	struct response		 resp;
	struct buf		 pathbuf = BUF_INIT;
	const char		*params[FCGI_NPARAMS];
	unsigned char		*peek;

	/* No listening socket for libfcgi: it only reads the connections given. */
	FCGX_InitRequest(&fr, -1, 0);
	peek = xmalloc(FCGI_PEEK_MAX);
	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		if (fcgi_connection(w, &fr, peek) != 0)
			continue;
		/* Not a request after all: libfcgi closed the connection. */
		if (FCGX_Accept_r(&fr) < 0)
			continue;
		buf_reset(&pathbuf);
		fcgi_scan(fr.envp, params);
		fcgi_request(&req, fcgi_param, params, &pathbuf);
		router_handle(w->app, &req, &resp);
		fcgi_respond(fr.out, &resp);
		response_free(&resp);
		FCGX_Finish_r(&fr);
		supervisor_served(w->slot);
	}
	if (fr.ipcFd >= 0)
		close(fr.ipcFd);
	FCGX_Free(&fr, 0);
	free(peek);
	buf_free(&pathbuf);
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Does nothing: the signal only interrupts a blocked accept(). */
static void
fcgi_wake(int sig)
{
	(void)sig;
}

/*
 * Fits the threads to the descriptor limit: a thread waiting in accept()
 * already holds a descriptor, and one serving may open a file besides its
 * connection, so each needs two. More threads than that would leave none
 * for the deck files: every deck not yet loaded would fail.
 */
static unsigned
fcgi_threads_fit(unsigned want)
{
	struct rlimit	 rl;
	unsigned	 fit;
	rlim_t		 fd, used = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= 2 * (rlim_t)want + 64)
		return want;
	for (fd = 0; fd < rl.rlim_cur; fd++) {
		if (fcntl((int)fd, F_GETFD) != -1)
			used++;
	}
	fit = rl.rlim_cur > used + 2 ? (unsigned)((rl.rlim_cur - used) / 2) : 1;
	if (fit >= want)
		return want;
	server_logf("only %ju descriptors (ulimit -n), %ju in use: running %u "
	    "threads, not %u", (uintmax_t)rl.rlim_cur, (uintmax_t)used, fit, want);
	return fit;
}

/* Runs one worker: threads serving, the main thread waiting for a stop signal. */
static int
fcgi_worker_run(const struct server_opts *o, int fd,
    struct supervisor_slot *slot)
{
	struct fcgi_worker	 w;
	struct fcgi_thread	*threads;
	struct sigaction	 sa;
	sigset_t		 set, old;
	char			*cause;
	unsigned		 i, running, started = 0, nthreads;
	int			 sig;

	memset(&w, 0, sizeof w);
	w.fd = fd;
	w.slot = slot;
	w.allowed = getenv("FCGI_WEB_SERVER_ADDRS");
	if (app_create(&w.app, &o->app, &cause) != 0) {
		server_logf("%s", cause);
		free(cause);
		return CMD_FAIL;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fcgi_wake;		/* no SA_RESTART: accept() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Threads inherit this mask: only SIGUSR1 reaches them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, &old);

	nthreads = fcgi_threads_fit(o->threads);
	threads = xcalloc(nthreads, sizeof *threads);
	for (i = 0; i < nthreads; i++) {
		threads[i].w = &w;
		if (pthread_create(&threads[i].tid, NULL, fcgi_thread_main,
		    &threads[i]) != 0) {
			server_logf("pthread_create: %s", strerror(errno));
			break;
		}
		started++;
	}
	if (started == 0) {
		free(threads);
		app_free(w.app);
		return CMD_FAIL;
	}
	sigwait(&set, &sig);
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	/* Wake threads blocked in accept() until every one has noticed. */
	do {
		running = 0;
		for (i = 0; i < started; i++) {
			if (!__atomic_load_n(&threads[i].done, __ATOMIC_ACQUIRE)) {
				pthread_kill(threads[i].tid, SIGUSR1);
				running++;
			}
		}
		if (running > 0)
			usleep(20000);
	} while (running > 0);
	for (i = 0; i < started; i++)
		pthread_join(threads[i].tid, NULL);
	free(threads);
	app_free(w.app);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return CMD_OK;
}

/* What the supervisor runs in each worker process. */
static int
fcgi_worker_body(void *arg, struct supervisor_slot *slot)
{
	struct fcgi_supervised	*f = arg;
	int			 rc;

	rc = fcgi_worker_run(f->o, f->fd, slot);
	fflush(NULL);
	return rc;
}

/* Runs o->workers worker processes under the supervisor. */
static int
fcgi_supervise(const struct server_opts *o, int fd)
{
	struct supervisor_config	 cfg;
	struct fcgi_supervised		 f = { o, fd };
	struct app			*app;
	char				*cause;

	/* A configuration no worker can start with stops here, said once. */
	if (app_create(&app, &o->app, &cause) != 0) {
		server_logf("%s", cause);
		free(cause);
		return CMD_FAIL;
	}
	app_free(app);
	memset(&cfg, 0, sizeof cfg);
	cfg.workers = o->workers;
	cfg.run = fcgi_worker_body;
	cfg.arg = &f;
	cfg.log = server_log;
	server_logf("serving %s with %u worker%s of %u threads", o->decks,
	    o->workers, o->workers == 1 ? "" : "s", o->threads);
	if (supervisor_run(&cfg) != 0)
		return CMD_FAIL;
	server_logf("stopped");
	return CMD_OK;
}

/* Answers the one request of a plain CGI invocation on standard output. */
static int
fcgi_cgi(const struct server_opts *o)
{
	struct app	*app;
	struct request	 req;
	struct response	 resp;
	struct buf	 pathbuf = BUF_INIT;
	char		*cause;
	int		 rc = CMD_OK;

	if (app_create(&app, &o->app, &cause) != 0) {
		server_logf("%s", cause);
		free(cause);
		fputs("Status: 500 Internal Server Error\r\nContent-Type: "
		    "text/plain\r\n\r\nThe slide server is misconfigured.\n",
		    stdout);
		return CMD_FAIL;
	}
	fcgi_request(&req, cgi_param, NULL, &pathbuf);
	router_handle(app, &req, &resp);
	if (fcgi_send(&resp, cgi_put, stdout) != 0)
		rc = CMD_FAIL;
	if (fflush(stdout) != 0)
		rc = CMD_FAIL;
	response_free(&resp);
	buf_free(&pathbuf);
	app_free(app);
	return rc;
}

/* Opens the listening socket the options name; a unix socket gets mode 0660. */
static int
fcgi_listen(const char *addr)
{
	struct stat	 st;
	int		 fd, unixsock;

	unixsock = strchr(addr, ':') == NULL;
	if (unixsock && lstat(addr, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(addr);		/* a stale socket from an earlier run */
	fd = FCGX_OpenSocket(addr, FCGI_BACKLOG);
	if (fd < 0) {
		server_logf("cannot listen on %s", addr);
		return -1;
	}
	if (unixsock && chmod(addr, 0660) != 0) {
		server_logf("%s: %s", addr, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Returns the socket systemd passed (LISTEN_FDS), or -1. */
static int
fcgi_systemd_fd(void)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	unsigned long	 n;

	if (pid == NULL || fds == NULL ||
	    util_parse_ulong(pid, strlen(pid), 0xffffffffUL, &n) != 0 ||
	    (pid_t)n != getpid() ||
	    util_parse_ulong(fds, strlen(fds), 64, &n) != 0 || n < 1)
		return -1;
	return 3;
}

/* drfslides fcgi. */
int
cmd_fcgi(int argc, char **argv)
{
	struct server_opts	 o;
	int			 rc, fd;

	rc = server_opts_parse(&o, SERVER_FCGI, argc, argv);
	if (rc != 0) {
		server_opts_free(&o);
		return rc == 1 ? CMD_OK : CMD_USAGE;
	}
	if (FCGX_Init() != 0) {
		server_logf("FCGX_Init failed");
		server_opts_free(&o);
		return CMD_FAIL;
	}
	if (o.listen != NULL)
		fd = fcgi_listen(o.listen);
	else if ((fd = fcgi_systemd_fd()) == -1) {
		if (FCGX_IsCGI()) {
			rc = fcgi_cgi(&o);
			server_opts_free(&o);
			return rc;
		}
		fd = 0;
	}
	if (fd < 0) {
		server_opts_free(&o);
		return CMD_FAIL;
	}
	if (o.workers == 0) {
		server_logf("serving %s with %u threads", o.decks, o.threads);
		rc = fcgi_worker_run(&o, fd, NULL);
	} else
		rc = fcgi_supervise(&o, fd);
	if (o.listen != NULL && strchr(o.listen, ':') == NULL)
		unlink(o.listen);
	server_opts_free(&o);
	return rc;
}
