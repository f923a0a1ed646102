/* fcgi.c: "drfslides fcgi", the FastCGI (and plain CGI) front end: requests in, responses out. */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "fcgi.h"
#include "fcgi_conn.h"
#include "router.h"
#include "server.h"
#include "state.h"
#include "supervisor.h"
#include "util.h"

#define FCGI_BACKLOG	256
#define FCGI_CHUNK	(64 * 1024)	/* a body is sent this much at a time */

/* One worker process: its listening socket, its application and its threads. */
struct fcgi_worker {
	struct app		*app;
	struct fcgi_conn_gate	 gate;	/* shared by the threads */
	struct supervisor_slot	*slot;	/* NULL without a supervisor */
};

/* What a supervised worker process starts from. */
struct fcgi_supervised {
	const struct server_opts	*o;
	int				 fd;
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
	FCGI_P_HOST,
	FCGI_P_AUTH,
	FCGI_P_ORIGIN,
	FCGI_P_FETCH_SITE,
	FCGI_P_REMOTE_ADDR,
	FCGI_P_ACCEPT_LANGUAGE,
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
	{ "HTTP_HOST", 9 },
	{ "HTTP_AUTHORIZATION", 18 },
	{ "HTTP_ORIGIN", 11 },
	{ "HTTP_SEC_FETCH_SITE", 19 },
	{ "REMOTE_ADDR", 11 },
	{ "HTTP_ACCEPT_LANGUAGE", 20 },
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
	req->host = param(arg, FCGI_P_HOST);
	req->authorization = param(arg, FCGI_P_AUTH);
	req->origin = param(arg, FCGI_P_ORIGIN);
	req->fetch_site = param(arg, FCGI_P_FETCH_SITE);
	req->accept_language = param(arg, FCGI_P_ACCEPT_LANGUAGE);
	req->remote_addr = param(arg, FCGI_P_REMOTE_ADDR);
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
		request_decode(pathbuf, uri, ulen);
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
 * environment; like FCGX_GetParam, the first "NAME=" of each wins. A
 * name's length is compared before its bytes: most of the environment
 * is passed over on that alone.
 */
static void
fcgi_scan(char **envp, const char **v)
{
	const char	*eq;
	size_t		 len;
	int		 i;

	memset(v, 0, FCGI_NPARAMS * sizeof *v);
	for (; envp != NULL && *envp != NULL; envp++) {
		if ((eq = strchr(*envp, '=')) == NULL)
			continue;
		len = (size_t)(eq - *envp);
		for (i = 0; i < FCGI_NPARAMS; i++) {
			if (fcgi_names[i].len == len && v[i] == NULL &&
			    memcmp(*envp, fcgi_names[i].name, len) == 0) {
				v[i] = eq + 1;
				break;
			}
		}
	}
}

/* Reads up to n bytes of a FastCGI request's body; returns the count. */
static size_t
fcgi_get(void *arg, char *p, size_t n)
{
	int	 got = FCGX_GetStr(p, (int)n, arg);

	return got > 0 ? (size_t)got : 0;
}

/* Reads up to n bytes of a CGI request's body from standard input. */
static size_t
cgi_get(void *arg, char *p, size_t n)
{
	return fread(p, 1, n, arg);
}

/*
 * Reads the body of a POST into b, at most REQUEST_MAX_BODY bytes: the
 * forms drfslides takes are small, and a longer one is refused (413).
 */
static void
fcgi_body(struct request *req, size_t (*get)(void *, char *, size_t),
    void *arg, struct buf *b)
{
	char	 chunk[REQUEST_MAX_BODY + 1];
	size_t	 n, got = 0;

	if (strcmp(req->method, "POST") != 0)
		return;
	while (got < sizeof chunk &&
	    (n = get(arg, chunk + got, sizeof chunk - got)) > 0)
		got += n;
	buf_reset(b);
	buf_add(b, chunk, got > REQUEST_MAX_BODY ? REQUEST_MAX_BODY : got);
	buf_addc(b, '\0');
	req->body = b->data;
	req->bodylen = b->len - 1;
	req->body_too_long = got > REQUEST_MAX_BODY;
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

/* Serves requests until the worker stops (one of the worker's threads). */
static void
fcgi_serve(void *arg, const int *stop)
{
	struct fcgi_worker	*w = arg;
	FCGX_Request		 fr;
	struct request		 req;
	struct response		 resp;
	struct buf		 pathbuf = BUF_INIT, bodybuf = BUF_INIT;
	const char		*params[FCGI_NPARAMS];
	unsigned char		*peek;

	/* No listening socket for libfcgi: it only reads the connections given. */
	FCGX_InitRequest(&fr, -1, 0);
	peek = xmalloc(FCGI_CONN_PEEK_MAX);
	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
		fr.ipcFd = fcgi_conn_next(&w->gate, fr.ipcFd, stop, peek);
		if (fr.ipcFd < 0)
			continue;
		/* Kept open by FCGX_Accept_r's first step; the request sets it anew. */
		fr.keepConnection = 1;
		/* Not a request after all: libfcgi closed the connection. */
		if (FCGX_Accept_r(&fr) < 0)
			continue;
		buf_reset(&pathbuf);
		fcgi_scan(fr.envp, params);
		fcgi_request(&req, fcgi_param, params, &pathbuf);
		fcgi_body(&req, fcgi_get, fr.in, &bodybuf);
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
	buf_free(&bodybuf);
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

/* Runs one worker: threads serving until a stop signal. */
static int
fcgi_worker_run(const struct server_opts *o, int fd,
    struct supervisor_slot *slot)
{
	struct fcgi_worker	 w;
	char			*cause;
	unsigned		 started;

	memset(&w, 0, sizeof w);
	w.gate.listen_fd = fd;
	w.gate.allowed = getenv("FCGI_WEB_SERVER_ADDRS");
	w.slot = slot;
	if (app_create(&w.app, &o->app, &cause) != 0) {
		server_logf("%s", cause);
		free(cause);
		return CMD_FAIL;
	}
	signal(SIGPIPE, SIG_IGN);
	started = supervisor_threads(fcgi_threads_fit(o->threads), fcgi_serve,
	    &w, server_log, NULL);
	app_free(w.app);
	return started == 0 ? CMD_FAIL : CMD_OK;
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
fcgi_supervise(const struct server_opts *opts, int fd)
{
	struct supervisor_config	 cfg;
	struct server_opts		 oc = *opts, *o = &oc;
	struct fcgi_supervised		 f = { o, fd };
	struct app			*app;
	char				*cause, *state = NULL;
	int				 rc = CMD_OK;

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
	/* The workers agree on each deck's version through a state directory. */
	if (o->app.state_dir == NULL) {
		if (state_dir_make(&state, &cause) != 0) {
			server_logf("%s", cause);
			free(cause);
			return CMD_FAIL;
		}
		o->app.state_dir = state;
	}
	server_logf("serving %s with %u worker%s of %u threads", o->decks,
	    o->workers, o->workers == 1 ? "" : "s", o->threads);
	if (supervisor_run(&cfg) != 0)
		rc = CMD_FAIL;
	else
		server_logf("stopped");
	if (state != NULL)
		state_dir_remove(state);
	free(state);
	return rc;
}

/* Answers the one request of a plain CGI invocation on standard output. */
static int
fcgi_cgi(const struct server_opts *o)
{
	struct app	*app;
	struct request	 req;
	struct response	 resp;
	struct buf	 pathbuf = BUF_INIT, bodybuf = BUF_INIT;
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
	fcgi_body(&req, cgi_get, stdin, &bodybuf);
	router_handle(app, &req, &resp);
	if (fcgi_send(&resp, cgi_put, stdout) != 0)
		rc = CMD_FAIL;
	if (fflush(stdout) != 0)
		rc = CMD_FAIL;
	response_free(&resp);
	buf_free(&pathbuf);
	buf_free(&bodybuf);
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
		/* Processes a web server starts (mod_fcgid) share nothing else. */
		if (o.app.presenter_key_file != NULL && o.app.state_dir == NULL)
			server_logf("the presenter's position is kept in this "
			    "process alone; give the processes one --state-dir "
			    "to share it");
		rc = fcgi_worker_run(&o, fd, NULL);
	} else
		rc = fcgi_supervise(&o, fd);
	if (o.listen != NULL && strchr(o.listen, ':') == NULL)
		unlink(o.listen);
	server_opts_free(&o);
	return rc;
}
