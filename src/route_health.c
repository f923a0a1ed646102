/* route_health.c: the health check that load balancers and orchestrators ask, cheap and never cached. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "route.h"
#include "router.h"

/*
 * Answers 200 "ok" while this node can serve: the decks directory (through
 * its link, when it is one) opens. 503 otherwise, so that a node whose
 * deck volume went away is taken out of the pool. One open and close; no
 * deck is loaded.
 */
void
route_health(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	int	 fd;

	(void)req;
	(void)arg;
	fd = open(a->decks_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1)
		close(fd);
	r->status = fd != -1 ? 200 : 503;
	r->content_type = "text/plain; charset=UTF-8";
	r->cache_control = "no-store";
	r->body = fd != -1 ? "ok\n" : "the decks directory cannot be read\n";
	r->len = strlen(r->body);
}
