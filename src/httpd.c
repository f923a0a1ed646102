/* httpd.c: "drfslides serve": a thin adapter from libmicrohttpd to the router, with the slow-client guard wired in. */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "cmd.h"
#include "httpd_guard.h"
#include "router.h"
#include "server.h"
#include "util.h"

#define HTTPD_CONN_MEMORY	(64 * 1024)

/* The dev server's state, shared read-only by libmicrohttpd's threads. */
struct httpd {
	struct app		*app;
	const struct server_opts *o;
	struct httpd_guard	*guard;
};

/* What one request carries between libmicrohttpd's calls of the handler. */
struct httpd_req {
	char		*uri;		/* the request target as received, cut up in place */
	size_t		 urilen;
	const char	*path;		/* in uri, not decoded */
	const char	*query;		/* in uri, or NULL */
	char		*authority;	/* of an absolute-form target, or NULL */
	int		 seen;
	struct buf	 body;		/* a POST's body, up to REQUEST_MAX_BODY */
	int		 body_too_long;
	char		 addr[INET6_ADDRSTRLEN];	/* the client's address */
};

/* Keeps the raw request target, before libmicrohttpd decodes it. */
static void *
httpd_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct httpd_req	*hr;

	(void)cls;
	(void)conn;
	hr = xcalloc(1, sizeof *hr);
	hr->uri = xstrdup(uri);
	hr->urilen = strlen(uri);
	return hr;
}

/* Frees a request's state when libmicrohttpd is done with it. */
static void
httpd_completed(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_RequestTerminationCode code)
{
	struct httpd_req	*hr = *ctx;

	(void)cls;
	(void)code;
	httpd_guard_answered(conn);
	if (hr != NULL) {
		free(hr->uri);
		free(hr->authority);
		buf_free(&hr->body);
		free(hr);
	}
	*ctx = NULL;
}

/* Releases the blob behind a response body once libmicrohttpd has sent it. */
static void
httpd_free_blob(void *cls)
{
	blob_release(cls);
}

/* Adds one header to a libmicrohttpd response. */
static void
httpd_header(void *arg, const char *name, const char *value)
{
	MHD_add_response_header(arg, name, value);
}

/* Stands for the body a 304 does not send: libmicrohttpd never reads it. */
static ssize_t
httpd_no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)pos;
	(void)buf;
	(void)max;
	return MHD_CONTENT_READER_END_WITH_ERROR;
}

/* Queues a response made of the router's answer. */
static enum MHD_Result
httpd_queue(struct MHD_Connection *conn, struct response *r)
{
	struct MHD_Response	*mr;
	enum MHD_Result		 ret;

	if (r->file && (uint64_t)r->len > (uint64_t)INT64_MAX -
	    (uint64_t)r->offset)
		return MHD_NO;	/* more than a file can hold: never sent */
	if (r->status == 304)
		/* Its Content-Length is the 200's (RFC 9110 8.6), never 0. */
		mr = MHD_create_response_from_callback((uint64_t)r->len, 4096,
		    httpd_no_body, NULL, NULL);
	else if (r->file) {
		/* libmicrohttpd closes the descriptor with the response: it is no longer ours. */
		mr = MHD_create_response_from_fd_at_offset64((uint64_t)r->len,
		    r->fd, (uint64_t)r->offset);
		if (mr != NULL)
			r->file = 0;
	} else if (r->blob != NULL) {
		mr = MHD_create_response_from_buffer_with_free_callback_cls(
		    r->len, (void *)r->body, httpd_free_blob,
		    blob_retain(r->blob));
	} else
		mr = MHD_create_response_from_buffer(r->len, (void *)r->body,
		    MHD_RESPMEM_MUST_COPY);
	if (mr == NULL)
		return MHD_NO;
	response_headers(r, httpd_header, mr);
	ret = MHD_queue_response(conn, (unsigned)r->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* Counts the Host header lines of a request. */
static enum MHD_Result
httpd_count_host(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	(void)value;
	if (strcasecmp(key, "Host") == 0)
		(*(unsigned *)cls)++;
	return MHD_YES;
}

/*
 * Reads the request target in place: origin-form "/path?query", or
 * absolute-form "http://authority/path?query", whose authority stands for
 * the Host (RFC 9112, 3.2.2). A fragment is cut off, as nginx does.
 * Returns -1 for any other form.
 */
static int
httpd_target(struct httpd_req *hr)
{
	char	*t = hr->uri, *p;
	size_t	 a;

	t[strcspn(t, "#")] = '\0';
	hr->path = "/";
	hr->query = NULL;
	if (strncasecmp(t, "http://", 7) == 0 ||
	    strncasecmp(t, "https://", 8) == 0) {
		t = strstr(t, "//") + 2;
		a = strcspn(t, "/?");
		if (!request_host_valid(t, a))
			return -1;
		hr->authority = xstrndup(t, a);
		t += a;
	} else if (*t != '/')
		return -1;
	if ((p = strchr(t, '?')) != NULL) {
		*p = '\0';
		hr->query = p + 1;
	}
	hr->path = *t == '\0' ? "/" : t;
	return 0;
}

/* Checks the request line and Host (RFC 9112 3.2); returns the name of a 400's message, or NULL. */
static const char *
httpd_check(struct MHD_Connection *conn, const char *version,
    struct httpd_req *hr, const char **host)
{
	unsigned	 nhost = 0;

	if (httpd_target(hr) != 0)
		return "e_bad_target";
	MHD_get_connection_values(conn, MHD_HEADER_KIND, httpd_count_host,
	    &nhost);
	*host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (nhost > 1)
		return "e_hosts";
	if (nhost == 0 && strcmp(version, MHD_HTTP_VERSION_1_1) == 0)
		return "e_no_host";
	if (*host != NULL && **host != '\0' &&
	    !request_host_valid(*host, strlen(*host)))
		return "e_bad_host";
	if (hr->authority != NULL)
		*host = hr->authority;
	return NULL;
}

/* Writes the client's address into the request's state. */
static void
httpd_client(struct MHD_Connection *conn, struct httpd_req *hr)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	hr->addr[0] = '\0';
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    hr->addr, sizeof hr->addr);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    hr->addr, sizeof hr->addr);
}

/* Keeps the first REQUEST_MAX_BODY bytes of a body; notes that there were more. */
static void
httpd_upload(struct httpd_req *hr, const char *data, size_t n)
{
	size_t	 room = REQUEST_MAX_BODY - hr->body.len;

	if (n > room) {
		hr->body_too_long = 1;
		n = room;
	}
	buf_add(&hr->body, data, n);
}

/* Fills the router's request from libmicrohttpd's view of it. */
static void
httpd_request(struct MHD_Connection *conn, const char *method,
    struct httpd_req *hr, struct buf *path, struct request *req)
{
	memset(req, 0, sizeof *req);
	req->method = method;
	req->urilen = hr->urilen;
	request_decode(path, hr->path, strlen(hr->path));
	req->path = path->data == NULL ? "" : path->data;
	req->pathlen = path->len;
	req->query = hr->query;
	req->base = "";
	req->if_none_match = MHD_lookup_connection_value(conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	req->if_modified_since = MHD_lookup_connection_value(conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	req->range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_RANGE);
	req->if_range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_RANGE);
	req->authorization = MHD_lookup_connection_value(conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	req->origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Origin");
	req->fetch_site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	req->accept_language = MHD_lookup_connection_value(conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	httpd_client(conn, hr);
	req->remote_addr = hr->addr[0] != '\0' ? hr->addr : NULL;
	if (strcmp(method, "POST") == 0) {
		buf_addc(&hr->body, '\0');
		req->body = hr->body.data;
		req->bodylen = hr->body.len - 1;
		req->body_too_long = hr->body_too_long;
	}
}

/* The request handler: translates a request for the router and its answer back. */
static enum MHD_Result
httpd_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **ctx)
{
	struct httpd		*s = cls;
	struct httpd_req	*hr = *ctx;
	struct request		 req;
	struct response		 resp;
	struct buf		 path = BUF_INIT;
	enum MHD_Result		 ret;
	const char		*bad, *host = NULL;

	(void)url;
	if (hr == NULL)
		return MHD_NO;
	/* Answering on the first call would cost the connection its keep-alive. */
	if (!hr->seen) {
		hr->seen = 1;
		httpd_guard_received(conn);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		/* Only a POST's form is read; any other body is discarded. */
		if (strcmp(method, "POST") == 0)
			httpd_upload(hr, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	bad = httpd_check(conn, version, hr, &host);
	httpd_request(conn, method, hr, &path, &req);
	req.host = host;
	if (bad != NULL)
		router_refuse(s->app, &req, &resp, 400, bad);
	else
		router_handle(s->app, &req, &resp);
	ret = httpd_queue(conn, &resp);
	response_free(&resp);
	buf_free(&path);
	return ret;
}

/* Fills a socket address from --bind and --port. */
static int
httpd_address(const struct server_opts *o, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	const char		*host = o->bind;
	char			*h;
	size_t			 len = strlen(host);

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)o->port);
		return 0;
	}
	h = len > 2 && host[0] == '[' && host[len - 1] == ']' ?
	    xstrndup(host + 1, len - 2) : xstrdup(host);
	if (inet_pton(AF_INET6, h, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)o->port);
		free(h);
		return 0;
	}
	free(h);
	return -1;
}

/* drfslides serve. */
int
cmd_serve(int argc, char **argv)
{
	struct server_opts	 o;
	struct sockaddr_storage	 ss;
	struct httpd		 s;
	struct MHD_Daemon	*d;
	const union MHD_DaemonInfo *info;
	sigset_t		 set, old;
	char			*cause;
	unsigned		 flags;
	int			 rc, sig, port, status = CMD_OK;

	rc = server_opts_parse(&o, SERVER_HTTPD, argc, argv);
	if (rc != 0) {
		server_opts_free(&o);
		return rc == 1 ? CMD_OK : CMD_USAGE;
	}
	if (httpd_address(&o, &ss) != 0) {
		cmd_error("serve", "--bind: '%s' is not an IPv4 or IPv6 address",
		    o.bind);
		server_opts_free(&o);
		return CMD_USAGE;
	}
	memset(&s, 0, sizeof s);
	s.o = &o;
	if (app_create(&s.app, &o.app, &cause) != 0) {
		cmd_error("serve", "%s", cause);
		free(cause);
		server_opts_free(&o);
		return CMD_FAIL;
	}

	/* libmicrohttpd's threads inherit this mask; signals wait for sigwait() below. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s.guard = httpd_guard_create(o.max_conns, o.timeout);
	d = s.guard == NULL ? NULL : MHD_start_daemon(flags, (uint16_t)o.port,
	    httpd_guard_accept, s.guard, httpd_handler, &s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, o.threads,
	    MHD_OPTION_CONNECTION_LIMIT, o.max_conns + HTTPD_GUARD_RESERVE,
	    MHD_OPTION_NOTIFY_CONNECTION, httpd_guard_notify, s.guard,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, o.per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, o.timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_CONN_MEMORY,
	    MHD_OPTION_URI_LOG_CALLBACK, httpd_uri_log, &s,
	    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, &s,
	    MHD_OPTION_END);
	if (d == NULL) {
		cmd_error("serve", "cannot listen on %s port %u: %s", o.bind,
		    o.port, strerror(errno));
		status = CMD_FAIL;
	} else {
		info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		port = info != NULL ? info->port : (int)o.port;
		printf("drfslides: serving %s at http://%s%s%s:%d/\n", o.decks,
		    ss.ss_family == AF_INET6 ? "[" : "", o.bind,
		    ss.ss_family == AF_INET6 ? "]" : "", port);
		fflush(stdout);
		sigwait(&set, &sig);
		MHD_stop_daemon(d);
	}
	httpd_guard_free(s.guard);
	app_free(s.app);
	server_opts_free(&o);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return status;
}
