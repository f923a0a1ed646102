/* httpd.c: "drfslides serve", the libmicrohttpd dev server with live reload. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "cmd.h"
#include "html.h"
#include "router.h"
#include "server.h"
#include "util.h"

#define HTTPD_LIVE_PATH		"/_drfslides/live"
#define HTTPD_CONN_MEMORY	(64 * 1024)

/* The dev server's state, shared read-only by libmicrohttpd's threads. */
struct httpd {
	struct app		*app;
	const struct server_opts *o;
	int			 live;		/* inject live reload and warnings */
};

/* What one request carries between libmicrohttpd's calls of the handler. */
struct httpd_req {
	char	*uri;		/* the request target as received, not decoded */
	int	 seen;
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
	return hr;
}

/* Frees a request's state when libmicrohttpd is done with it. */
static void
httpd_completed(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_RequestTerminationCode code)
{
	struct httpd_req	*hr = *ctx;

	(void)cls;
	(void)conn;
	(void)code;
	if (hr != NULL) {
		free(hr->uri);
		free(hr);
	}
	*ctx = NULL;
}

/* Folds the state of every file of a directory into a hash. */
static uint64_t
httpd_hash_dir(uint64_t h, const char *dir)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;
	uint64_t	 v[4], f;
	size_t		 i;

	if ((d = opendir(dir)) == NULL)
		return h ^ 0x9e3779b97f4a7c15ULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0) {
			v[0] = (uint64_t)st.st_ino;
			v[1] = (uint64_t)st.st_size;
			v[2] = (uint64_t)st.st_mtim.tv_sec;
			v[3] = (uint64_t)st.st_mtim.tv_nsec;
			/*
			 * A file that may be half-saved is not loaded until it
			 * settles (util_maybe_partial): the token changes again
			 * then, so the page reloads once more and shows it.
			 */
			if (S_ISREG(st.st_mode) &&
			    util_maybe_partial(st.st_size, &st.st_mtim))
				v[3] ^= (uint64_t)1 << 63;
			/* Order-independent: readdir's order may change. */
			f = 0xcbf29ce484222325ULL;
			for (i = 0; i < sizeof v; i++) {
				f ^= ((unsigned char *)v)[i];
				f *= 0x100000001b3ULL;
			}
			for (i = 0; de->d_name[i] != '\0'; i++) {
				f ^= (unsigned char)de->d_name[i];
				f *= 0x100000001b3ULL;
			}
			h += f;
		}
		free(path);
	}
	closedir(d);
	return h;
}

/* Folds in the asset folder of every deck (its top level: pictures being drawn). */
static uint64_t
httpd_hash_assets(uint64_t h, const char *decks)
{
	struct dirent	*de;
	DIR		*d;
	char		*dir;
	size_t		 len;

	if ((d = opendir(decks)) == NULL)
		return h;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 4 ||
		    strcmp(de->d_name + len - 4, ".drf") != 0)
			continue;
		dir = xasprintf("%s/%.*s", decks, (int)(len - 4), de->d_name);
		h = httpd_hash_dir(h, dir);
		free(dir);
	}
	closedir(d);
	return h;
}

/* Returns a token that changes whenever a deck, glossary entry, template or asset changes. */
static void
httpd_live_token(const struct httpd *s, struct buf *out)
{
	uint64_t	 h = 0;
	char		*gdir;

	gdir = xasprintf("%s/glossary", s->o->decks);
	h = httpd_hash_dir(h, s->o->decks);
	h = httpd_hash_assets(h * 31, s->o->decks);
	h = httpd_hash_dir(h * 31, gdir);
	h = httpd_hash_dir(h * 31, s->o->templates);
	h = httpd_hash_dir(h * 31, s->o->static_dir);
	free(gdir);
	buf_printf(out, "%016llx", (unsigned long long)h);
}

/* Adds the live-reload script and the warnings banner before </body>. */
static void
httpd_inject(const struct response *r, struct buf *out)
{
	const char	*body = r->body, *end = NULL, *p;
	size_t		 len = r->len, at;

	for (p = body; (p = memmem(p, len - (size_t)(p - body), "</body>",
	    7)) != NULL; p += 7)
		end = p;
	at = end == NULL ? len : (size_t)(end - body);
	buf_add(out, body, at);
	if (r->dev_notes != NULL) {
		buf_adds(out, "<div class=\"drf-dev-banner\" role=\"status\">"
		    "<button type=\"button\" class=\"drf-dev-close\" "
		    "aria-label=\"Dismiss\">\xc3\x97</button><pre>");
		html_texts(out, r->dev_notes);
		buf_adds(out, "</pre></div>\n");
	}
	buf_adds(out, "<script src=\"/static/live.js\"></script>\n");
	buf_add(out, body + at, len - at);
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

/* Queues a response made of the router's answer. */
static enum MHD_Result
httpd_queue(struct MHD_Connection *conn, struct response *r, int inject)
{
	struct MHD_Response	*mr;
	struct buf		 b = BUF_INIT;
	enum MHD_Result		 ret;
	size_t			 len;
	char			*data;

	if (inject) {
		/* The page is not the cached one: its validators do not apply. */
		r->etag[0] = '\0';
		r->mtime = 0;
		r->cache_control = "no-store";
	}
	if (r->status == 304)
		mr = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
	else if (r->file) {
		/* libmicrohttpd closes the descriptor with the response: it is no longer ours. */
		mr = MHD_create_response_from_fd_at_offset64(r->len, r->fd,
		    (uint64_t)r->offset);
		if (mr != NULL)
			r->file = 0;
	} else if (inject) {
		httpd_inject(r, &b);
		data = buf_detach(&b, &len);
		mr = MHD_create_response_from_buffer(len, data,
		    MHD_RESPMEM_MUST_FREE);
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

/* Answers the live-reload poll. */
static enum MHD_Result
httpd_live(struct httpd *s, struct MHD_Connection *conn)
{
	struct MHD_Response	*mr;
	struct buf		 b = BUF_INIT;
	enum MHD_Result		 ret;
	size_t			 len;
	char			*data;

	httpd_live_token(s, &b);
	data = buf_detach(&b, &len);
	mr = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (mr == NULL)
		return MHD_NO;
	MHD_add_response_header(mr, "Content-Type", "text/plain; charset=UTF-8");
	MHD_add_response_header(mr, "Cache-Control", "no-store");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, mr);
	MHD_destroy_response(mr);
	return ret;
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
	const char		*raw, *q;
	size_t			 pathlen;
	int			 inject;

	(void)url;
	(void)version;
	(void)upload_data;
	if (hr == NULL)
		return MHD_NO;
	/* Answering on the first call would cost the connection its keep-alive. */
	if (!hr->seen) {
		hr->seen = 1;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;	/* a body is never needed: discard it */
		return MHD_YES;
	}
	raw = hr->uri;
	q = strchr(raw, '?');
	pathlen = q == NULL ? strlen(raw) : (size_t)(q - raw);
	if (s->live && strcmp(method, "GET") == 0 && pathlen ==
	    strlen(HTTPD_LIVE_PATH) && memcmp(raw, HTTPD_LIVE_PATH,
	    pathlen) == 0)
		return httpd_live(s, conn);

	memset(&req, 0, sizeof req);
	req.method = method;
	router_decode(&path, raw, pathlen);
	req.path = path.data == NULL ? "" : path.data;
	req.pathlen = path.len;
	req.query = q == NULL ? NULL : q + 1;
	req.base = "";
	req.urilen = strlen(raw);
	/*
	 * Pages the dev server rewrites have no validators, so they are never
	 * "not modified"; only the assets keep their conditional requests.
	 */
	if (!s->live || (req.pathlen > 8 && memcmp(req.path, "/static/", 8) == 0) ||
	    router_asset_path(req.path, req.pathlen)) {
		req.if_none_match = MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
		req.if_modified_since = MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	}
	req.range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_RANGE);
	req.if_range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_RANGE);
	router_handle(s->app, &req, &resp);
	inject = s->live && resp.status != 304 && !resp.file &&
	    resp.content_type != NULL &&
	    strncmp(resp.content_type, "text/html", 9) == 0 &&
	    memmem(resp.body, resp.len, "<body", 5) != NULL;
	ret = httpd_queue(conn, &resp, inject);
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
	int			 rc, sig, port;

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
	s.live = o.app.dev;
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
	d = MHD_start_daemon(flags, (uint16_t)o.port, NULL, NULL,
	    httpd_handler, &s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, o.threads,
	    MHD_OPTION_CONNECTION_LIMIT, o.max_conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, o.per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, o.timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_CONN_MEMORY,
	    MHD_OPTION_URI_LOG_CALLBACK, httpd_uri_log, &s,
	    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, &s,
	    MHD_OPTION_END);
	if (d == NULL) {
		cmd_error("serve", "cannot listen on %s port %u: %s", o.bind,
		    o.port, strerror(errno));
		app_free(s.app);
		server_opts_free(&o);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return CMD_FAIL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info != NULL ? info->port : (int)o.port;
	printf("drfslides: serving %s at http://%s%s%s:%d/\n", o.decks,
	    ss.ss_family == AF_INET6 ? "[" : "", o.bind,
	    ss.ss_family == AF_INET6 ? "]" : "", port);
	fflush(stdout);

	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	app_free(s.app);
	server_opts_free(&o);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return CMD_OK;
}
