/* server.c: option parsing and logging shared by "drfslides fcgi" and "drfslides serve". */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "paths.h"
#include "server.h"
#include "util.h"
#include "vendor.h"

enum {
	OPT_DECKS = 256,
	OPT_TEMPLATES,
	OPT_STATIC,
	OPT_HIGHLIGHTJS,
	OPT_KATEX,
	OPT_CACHE_MB,
	OPT_STAT_INTERVAL,
	OPT_FRAME_ANCESTORS,
	OPT_PUBLIC_URL,
	OPT_CACHE_CONTROL,
	OPT_MAX_SOURCE,
	OPT_MAX_EXPANDED,
	OPT_LISTEN,
	OPT_WORKERS,
	OPT_THREADS,
	OPT_BIND,
	OPT_PORT,
	OPT_MAX_CONNS,
	OPT_PER_IP,
	OPT_TIMEOUT,
	OPT_PLAIN,
	OPT_PRESENTER_KEY,
	OPT_STATE_DIR
};

/*
 * Every option of the servers, its environment variable, and which servers
 * take it: the one place that says so. An option given to a server that
 * does not take it is a usage error; its variable is not read.
 */
static const struct server_opt {
	const char	*name;
	int		 id;
	const char	*env;
	int		 kinds;		/* the servers that take it: 1: fcgi, 2: serve */
	const char	*arg;
	const char	*help;
} server_opts_table[] = {
	{ "decks", OPT_DECKS, "DRFSLIDES_DECKS", 3, "DIR", "deck directory (default: the bundled decks)" },
	{ "templates", OPT_TEMPLATES, "DRFSLIDES_TEMPLATES", 3, "DIR", "templates directory" },
	{ "static", OPT_STATIC, "DRFSLIDES_STATIC", 3, "DIR", "static assets directory" },
	{ "highlightjs", OPT_HIGHLIGHTJS, "DRFSLIDES_HIGHLIGHTJS", 3, "DIR", "highlight.js folder, served at vendor/ (default " DRF_HIGHLIGHTJS_DIR ")" },
	{ "katex", OPT_KATEX, "DRFSLIDES_KATEX", 3, "DIR", "KaTeX folder, served at vendor/ (default " DRF_KATEX_DIR ")" },
	{ "listen", OPT_LISTEN, "DRFSLIDES_LISTEN", 1, "ADDR", "listen on a unix socket PATH or HOST:PORT" },
	{ "workers", OPT_WORKERS, "DRFSLIDES_WORKERS", 1, "N", "worker processes under a supervisor (default 2; 0: none)" },
	{ "threads", OPT_THREADS, "DRFSLIDES_THREADS", 3, "N", "serving threads (for fcgi, in each worker; default 8)" },
	{ "bind", OPT_BIND, "DRFSLIDES_BIND", 2, "ADDR", "address to listen on (default 127.0.0.1)" },
	{ "port", OPT_PORT, "DRFSLIDES_PORT", 2, "N", "port to listen on (default 8080; 0: any free port)" },
	{ "max-connections", OPT_MAX_CONNS, "DRFSLIDES_MAX_CONNECTIONS", 2, "N", "connections at once (default 256)" },
	{ "per-ip", OPT_PER_IP, "DRFSLIDES_PER_IP", 2, "N", "connections at once from one address (default 64)" },
	{ "timeout", OPT_TIMEOUT, "DRFSLIDES_TIMEOUT", 2, "SECONDS", "close idle connections after this (default 15)" },
	{ "plain", OPT_PLAIN, "DRFSLIDES_PLAIN", 2, NULL, "serve exactly what fcgi serves: no live reload, no warnings" },
	{ "cache-mb", OPT_CACHE_MB, "DRFSLIDES_CACHE_MB", 3, "N", "memory for cached decks and pages, MiB (default 64)" },
	{ "state-dir", OPT_STATE_DIR, "DRFSLIDES_STATE_DIR", 3, "DIR", "where the processes of a node share state: each deck's accepted version, the presenter's position (fcgi default: a private one)" },
	{ "stat-interval", OPT_STAT_INTERVAL, "DRFSLIDES_STAT_INTERVAL", 3, "MS", "check deck files for changes at most this often (default 1000; serve 100)" },
	{ "frame-ancestors", OPT_FRAME_ANCESTORS, "DRFSLIDES_FRAME_ANCESTORS", 3, "LIST", "sites that may embed the decks (default 'self')" },
	{ "public-url", OPT_PUBLIC_URL, "DRFSLIDES_PUBLIC_URL", 3, "URL", "the decks' address as visitors see it, for oEmbed (e.g. https://example.org/slides)" },
	{ "cache-control", OPT_CACHE_CONTROL, "DRFSLIDES_CACHE_CONTROL", 3, "VALUE", "Cache-Control of pages and files (default no-cache; cdn[=SECONDS]: for a CDN)" },
	{ "max-source", OPT_MAX_SOURCE, "DRFSLIDES_MAX_SOURCE", 3, "SIZE", "largest deck file (default 64M)" },
	{ "presenter-key-file", OPT_PRESENTER_KEY, "DRFSLIDES_PRESENTER_KEY_FILE", 3, "FILE", "the presenter key (first line, 16+ bytes): enables the presenter routes" },
	{ "max-expanded", OPT_MAX_EXPANDED, "DRFSLIDES_MAX_EXPANDED", 3, "SIZE", "largest expanded deck (default 256M)" },
};
#define SERVER_NOPTS (sizeof server_opts_table / sizeof server_opts_table[0])

/* Writes one log line. */
void
server_log(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "drfslides[%ld]: %s\n", (long)getpid(), msg);
}

/* Writes one formatted log line. */
void
server_logf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	server_log(NULL, s);
	free(s);
}

/* Prints the options of one server. */
static void
server_usage(FILE *f, enum server_kind kind)
{
	const char	*cmd = kind == SERVER_FCGI ? "fcgi" : "serve";
	size_t		 i;
	int		 bit = kind == SERVER_FCGI ? 1 : 2;
	char		*left;

	fprintf(f, "usage: drfslides %s [options]\n\n%s\n\noptions "
	    "(each also read from the environment variable shown):\n"
	    "  -h, --help\n", cmd, kind == SERVER_FCGI ?
	    "Serves decks over FastCGI: behind a web server, from spawn-fcgi "
	    "or systemd\n(listening socket on fd 0 or 3), on --listen, or as "
	    "plain CGI." :
	    "Serves decks over HTTP for authors: live reload, errors in the "
	    "browser.");
	for (i = 0; i < SERVER_NOPTS; i++) {
		if ((server_opts_table[i].kinds & bit) == 0)
			continue;
		left = xasprintf("--%s%s%s", server_opts_table[i].name,
		    server_opts_table[i].arg != NULL ? " " : "",
		    server_opts_table[i].arg != NULL ?
		    server_opts_table[i].arg : "");
		fprintf(f, "  %-26s %s [%s]\n", left, server_opts_table[i].help,
		    server_opts_table[i].env);
		free(left);
	}
	fprintf(f, "\nSee drfslides(1).\n");
}

/* Parses an unsigned option value. */
static int
server_number(const char *cmd, const char *name, const char *v,
    unsigned long max, unsigned *out)
{
	unsigned long	 n;

	if (util_parse_ulong(v, strlen(v), max, &n) != 0) {
		cmd_error(cmd, "%s: '%s' is not a number from 0 to %lu", name,
		    v, max);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

/*
 * Expands the CDN preset of --cache-control: "cdn" or "cdn=SECONDS" (the
 * shared caches' lifetime, default 600). Browsers revalidate every time
 * (max-age=0, a 304 from the CDN); the CDN keeps an answer s-maxage
 * seconds, or until it is purged by its deck's key, and may serve it stale
 * while it fetches the new one, or while every node is down.
 */
static int
server_cache_control_preset(struct server_opts *o, const char *cmd)
{
	unsigned	 age = 600;
	const char	*v = o->cache_control;

	if (strncmp(v, "cdn", 3) != 0 || (v[3] != '\0' && v[3] != '='))
		return 0;
	if (v[3] == '=' && server_number(cmd, "--cache-control cdn=SECONDS", v + 4,
	    31536000, &age) != 0)
		return -1;
	o->cache_control = xasprintf("public, max-age=0, s-maxage=%u, "
	    "stale-while-revalidate=60, stale-if-error=86400", age);
	free((char *)v);
	return 0;
}

/* Applies one option's value; label names it as it was given. */
static int
server_set(struct server_opts *o, const char *cmd, const struct server_opt *opt,
    const char *label, const char *v)
{
	unsigned	 n;
	char		**slot = NULL;

	switch (opt->id) {
	case OPT_DECKS: slot = &o->decks; break;
	case OPT_TEMPLATES: slot = &o->templates; break;
	case OPT_STATIC: slot = &o->static_dir; break;
	case OPT_HIGHLIGHTJS: slot = &o->highlightjs; break;
	case OPT_KATEX: slot = &o->katex; break;
	case OPT_FRAME_ANCESTORS: slot = &o->frame_ancestors; break;
	case OPT_PUBLIC_URL: slot = &o->public_url; break;
	case OPT_CACHE_CONTROL: slot = &o->cache_control; break;
	case OPT_LISTEN: slot = &o->listen; break;
	case OPT_BIND: slot = &o->bind; break;
	case OPT_PRESENTER_KEY: slot = &o->presenter_key_file; break;
	case OPT_STATE_DIR: slot = &o->state_dir; break;
	case OPT_PLAIN:
		o->plain = strcmp(v, "0") != 0 && strcmp(v, "no") != 0;
		return 0;
	case OPT_WORKERS:
		return server_number(cmd, label, v, 64, &o->workers);
	case OPT_THREADS:
		if (server_number(cmd, label, v, 1024, &o->threads) != 0)
			return -1;
		if (o->threads == 0)
			o->threads = 1;
		return 0;
	case OPT_PORT:
		return server_number(cmd, label, v, 65535, &o->port);
	case OPT_MAX_CONNS:
		return server_number(cmd, label, v, 65536, &o->max_conns);
	case OPT_PER_IP:
		return server_number(cmd, label, v, 65536, &o->per_ip);
	case OPT_TIMEOUT:
		return server_number(cmd, label, v, 86400, &o->timeout);
	case OPT_CACHE_MB:
		if (server_number(cmd, label, v, 1 << 20, &n) != 0)
			return -1;
		o->app.cache_bytes = (size_t)n << 20;
		return 0;
	case OPT_STAT_INTERVAL:
		return server_number(cmd, label, v, 3600000,
		    &o->app.stat_interval_ms);
	case OPT_MAX_SOURCE:
		return cmd_limit_option(cmd, label, v,
		    &o->app.limits.max_source);
	case OPT_MAX_EXPANDED:
		return cmd_limit_option(cmd, label, v,
		    &o->app.limits.max_expanded);
	}
	if (slot != NULL) {
		free(*slot);
		*slot = xstrdup(v);
	}
	return 0;
}

/* Applies one option's value, from the environment or the command line. */
static int
server_apply(struct server_opts *o, const char *cmd, const struct server_opt *opt,
    const char *v, int from_env)
{
	char	*label;
	int	 rc;

	label = from_env ? xstrdup(opt->env) : xasprintf("--%s", opt->name);
	rc = server_set(o, cmd, opt, label, v);
	free(label);
	return rc;
}

/* Returns 1 if an address given to --bind is a loopback address. */
static int
server_loopback(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 ||
	    strcmp(a, "[::1]") == 0 || strcmp(a, "localhost") == 0;
}

/* Settles who may present, and where the positions are kept. */
static int
server_presenter(struct server_opts *o, enum server_kind kind, const char *cmd)
{
	/*
	 * Several worker processes share the position through files in the
	 * state directory (fcgi makes a private one when none is given); the
	 * dev server, one process, keeps it in memory without one.
	 */
	(void)cmd;
	o->app.presenter_key_file = o->presenter_key_file;
	/* Only the author's own machine may present without a key. */
	o->app.presenter_open = kind == SERVER_HTTPD &&
	    server_loopback(o->bind);
	return 0;
}

/* Sets the defaults, before the environment and the command line. */
static void
server_defaults(struct server_opts *o, enum server_kind kind)
{
	memset(o, 0, sizeof *o);
	deck_limits_default(&o->app.limits);
	o->app.cache_bytes = (size_t)64 << 20;
	/*
	 * The dev server looks often; live.js waits longer than this before it
	 * reloads, so the reloaded page is never the version before the edit.
	 */
	o->app.stat_interval_ms = kind == SERVER_FCGI ? 1000 : 100;
	o->workers = 2;
	o->threads = 8;
	o->port = 8080;
	o->max_conns = 256;
	o->per_ip = 64;
	o->timeout = 15;
}

/*
 * Completes the options once read: the folders found, the defaults of the
 * header values, checked, and the application's settings from them.
 */
static int
server_finish(struct server_opts *o, enum server_kind kind, const char *cmd)
{
	const char	*v;

	v = o->decks;
	o->decks = paths_data_dir("decks", v, NULL);
	free((char *)v);
	v = o->templates;
	o->templates = paths_data_dir("templates", v, NULL);
	free((char *)v);
	v = o->static_dir;
	o->static_dir = paths_data_dir("static", v, NULL);
	free((char *)v);
	if (o->frame_ancestors == NULL)
		o->frame_ancestors = xstrdup("'self'");
	if (o->cache_control == NULL)
		o->cache_control = xstrdup("no-cache");
	if (server_cache_control_preset(o, cmd) != 0)
		return -1;
	if (o->bind == NULL)
		o->bind = xstrdup("127.0.0.1");
	/* Header values must not break the header they go in. */
	if (strpbrk(o->frame_ancestors, "\r\n;,") != NULL ||
	    strpbrk(o->cache_control, "\r\n") != NULL) {
		cmd_error(cmd, "--frame-ancestors and --cache-control must be "
		    "one line (frame-ancestors: space-separated sources)");
		return -1;
	}
	o->app.decks_dir = o->decks;
	o->app.templates_dir = o->templates;
	o->app.static_dir = o->static_dir;
	vendor_set_dir(VENDOR_HIGHLIGHT, o->highlightjs);
	vendor_set_dir(VENDOR_KATEX, o->katex);
	o->app.frame_ancestors = o->frame_ancestors;
	o->app.public_url = o->public_url;
	o->app.cache_control = o->cache_control;
	o->app.state_dir = o->state_dir;
	o->app.dev = kind == SERVER_HTTPD && !o->plain;
	if (server_presenter(o, kind, cmd) != 0)
		return -1;
	o->app.log = server_log;
	return 0;
}

/* Reads the environment, then the command line. */
int
server_opts_parse(struct server_opts *o, enum server_kind kind, int argc,
    char **argv)
{
	struct option	 longopts[SERVER_NOPTS + 2];
	const char	*cmd = kind == SERVER_FCGI ? "fcgi" : "serve", *v;
	size_t		 i, n = 0;
	int		 bit = kind == SERVER_FCGI ? 1 : 2, ch, help;

	server_defaults(o, kind);
	/*
	 * Every option is known to getopt, so that one the other server takes
	 * is named as such rather than as unknown; only the variables of this
	 * server's options are read.
	 */
	for (i = 0; i < SERVER_NOPTS; i++) {
		longopts[n].name = server_opts_table[i].name;
		longopts[n].has_arg = server_opts_table[i].arg != NULL ?
		    required_argument : no_argument;
		longopts[n].flag = NULL;
		longopts[n].val = server_opts_table[i].id;
		n++;
	}
	longopts[n].name = "help";
	longopts[n].has_arg = no_argument;
	longopts[n].flag = NULL;
	longopts[n].val = 'h';
	memset(&longopts[n + 1], 0, sizeof longopts[n + 1]);
	/* Asked for the help, the environment is not read (see cmd_wants_help). */
	help = cmd_wants_help(argc, argv, ":h", longopts);
	for (i = 0; !help && i < SERVER_NOPTS; i++) {
		if ((server_opts_table[i].kinds & bit) == 0)
			continue;
		if ((v = getenv(server_opts_table[i].env)) != NULL &&
		    *v != '\0' && server_apply(o, cmd, &server_opts_table[i],
		    v, 1) != 0)
			return -1;
	}

	optind = 0;	/* getopt starts afresh after cmd_wants_help */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			server_usage(stdout, kind);
			return 1;
		}
		for (i = 0; i < SERVER_NOPTS; i++) {
			if (server_opts_table[i].id == ch)
				break;
		}
		if (i == SERVER_NOPTS) {
			cmd_option_error(cmd, ch, argv, longopts);
			server_usage(stderr, kind);
			return -1;
		}
		if ((server_opts_table[i].kinds & bit) == 0) {
			cmd_option_refused(cmd, 0, server_opts_table[i].name);
			server_usage(stderr, kind);
			return -1;
		}
		if (server_apply(o, cmd, &server_opts_table[i],
		    optarg != NULL ? optarg : "1", 0) != 0)
			return -1;
	}
	if (optind != argc) {
		cmd_error(cmd, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return server_finish(o, kind, cmd);
}

/* Frees the owned strings. */
void
server_opts_free(struct server_opts *o)
{
	free(o->decks);
	free(o->templates);
	free(o->static_dir);
	vendor_set_dir(VENDOR_HIGHLIGHT, NULL);
	vendor_set_dir(VENDOR_KATEX, NULL);
	free(o->highlightjs);
	free(o->katex);
	free(o->frame_ancestors);
	free(o->public_url);
	free(o->cache_control);
	free(o->listen);
	free(o->bind);
	free(o->presenter_key_file);
	free(o->state_dir);
	memset(o, 0, sizeof *o);
}
