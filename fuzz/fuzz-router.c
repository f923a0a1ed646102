/* fuzz-router.c: the request router on arbitrary methods, paths, queries and headers. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "router.h"
#include "util.h"

static struct app	*fuzz_app;
static char		 fuzz_dir[] = "/tmp/drffuzz.XXXXXX";

/* Makes a deck directory with one deck and one glossary entry, once. */
static void
fuzz_router_init(void)
{
	struct app_config	 cfg;
	const char		*t, *s, *dir = fuzz_dir;
	char			*path, *cause;
	FILE			*f;

	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	path = xasprintf("%s/smtp.drf", dir);
	f = fopen(path, "w");
	fputs("#title T\n#define GLS() JavaScript:parent.display.openglossary"
	    "(\"$1.html\")\n---\n<a href='GLS(ppp)'>p</a>\n---\ntwo\n", f);
	fclose(f);
	free(path);
	path = xasprintf("%s/glossary", dir);
	mkdir(path, 0755);
	free(path);
	path = xasprintf("%s/glossary/ppp.html", dir);
	f = fopen(path, "w");
	fputs("<p>entry</p>", f);
	fclose(f);
	free(path);
	t = getenv("DRFSLIDES_TEMPLATES");
	s = getenv("DRFSLIDES_STATIC");
	memset(&cfg, 0, sizeof cfg);
	cfg.decks_dir = dir;
	cfg.templates_dir = t != NULL ? t : "templates";
	cfg.static_dir = s != NULL ? s : "static";
	cfg.cache_bytes = 8 << 20;
	cfg.stat_interval_ms = 1000;
	cfg.frame_ancestors = "'self'";
	cfg.cache_control = "no-cache";
	deck_limits_default(&cfg.limits);
	if (app_create(&fuzz_app, &cfg, &cause) != 0)
		abort();
}

/*
 * Splits the input at newlines into the request's fields: method, path,
 * query, If-None-Match, If-Modified-Since, base, Accept-Language.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request	 req;
	struct response	 resp;
	struct buf	 path = BUF_INIT;
	char		*copy, *field[7], *p, *nl, *end;
	size_t		 flen[7];
	int		 i;

	if (fuzz_app == NULL)
		fuzz_router_init();
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	p = copy;
	end = copy + size;
	for (i = 0; i < 7; i++) {
		field[i] = p;
		nl = memchr(p, '\n', (size_t)(end - p));
		flen[i] = (size_t)((nl != NULL ? nl : end) - p);
		if (nl != NULL) {
			*nl = '\0';
			p = nl + 1;
		} else
			p = end;
	}
	memset(&req, 0, sizeof req);
	req.method = field[0];
	/* Decoded as a front end does: %00 becomes a NUL the router must refuse. */
	request_decode(&path, field[1], flen[1]);
	req.path = path.data == NULL ? "" : path.data;
	req.pathlen = path.len;
	req.query = field[2];
	req.if_none_match = field[3];
	req.if_modified_since = field[4];
	req.base = field[5];
	req.accept_language = field[6];
	req.urilen = size;
	router_handle(fuzz_app, &req, &resp);
	if (resp.status < 200 || resp.status > 599)
		abort();
	/* No request byte may inject a header. */
	if (resp.location != NULL && strpbrk(resp.location, "\r\n") != NULL)
		abort();
	response_free(&resp);
	buf_free(&path);
	free(copy);
	return 0;
}
