/* server.h: what the two server front ends share: options, logging, signals. */
#ifndef DRF_SERVER_H
#define DRF_SERVER_H

#include "router.h"

enum server_kind {
	SERVER_FCGI,
	SERVER_HTTPD
};

/* The settings of one server process; strings are owned. */
struct server_opts {
	struct app_config	 app;
	char			*decks;
	char			*templates;
	char			*static_dir;
	char			*highlightjs;	/* NULL: the configured folder */
	char			*katex;
	char			*frame_ancestors;
	char			*public_url;	/* for oEmbed; NULL: unknown */
	char			*cache_control;
	char			*state_dir;	/* NULL: none, or fcgi's private one */
	char			*listen;	/* fcgi: PATH or HOST:PORT */
	unsigned		 workers;	/* fcgi: worker processes (0: none) */
	unsigned		 threads;
	char			*bind;		/* serve */
	unsigned		 port;
	unsigned		 max_conns;	/* serve */
	unsigned		 per_ip;	/* serve */
	unsigned		 timeout;	/* serve: idle seconds */
	int			 plain;		/* serve: no dev extras */
	char			*presenter_key_file;
};

/*
 * Reads the environment (DRFSLIDES_DECKS, ...) and then the options, which
 * win. Returns 0, 1 when --help was printed, or -1 after printing an error.
 */
int	 server_opts_parse(struct server_opts *, enum server_kind, int, char **);
void	 server_opts_free(struct server_opts *);

/* Writes "drfslides[pid]: message" to stderr; usable as app_config.log. */
void	 server_log(void *, const char *);
void	 server_logf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
