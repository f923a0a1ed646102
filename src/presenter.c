/* presenter.c: the presenter key, compared in constant time, wrong keys rate-limited and logged sparingly. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "presenter.h"
#include "util.h"

#define PRESENTER_SLOTS		64	/* client addresses remembered */
#define PRESENTER_TRIES		5	/* wrong keys a minute from one address */
#define PRESENTER_WINDOW	60	/* seconds */
#define PRESENTER_MAX_KEY	4096

/* Wrong keys from one client address in the current window. */
struct presenter_slot {
	uint64_t	 addr;		/* hash of the address; 0: free */
	time_t		 since;
	unsigned	 wrong;
};

struct presenter {
	char			*key;		/* NULL: open or off */
	size_t			 keylen;
	int			 open;
	pthread_mutex_t		 lock;
	struct presenter_slot	 slots[PRESENTER_SLOTS];
	time_t			 logged;	/* the last wrong-key line */
	unsigned long		 unlogged;	/* wrong keys since that line */
	void			(*log)(void *, const char *);
	void			*log_arg;
	time_t			(*clock)(void);	/* NULL: time() */
};

/* Reads the key: the file's first line, without surrounding blanks. */
static int
presenter_read_key(struct presenter *p, const char *file, char **cause)
{
	char	*data, *s, *e;
	size_t	 len;

	if (util_read_file(file, PRESENTER_MAX_KEY, &data, &len, cause) != 0)
		return -1;
	s = data;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strcspn(s, "\r\n");
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((size_t)(e - s) < PRESENTER_MIN_KEY || memchr(s, '\0',
	    (size_t)(e - s)) != NULL) {
		*cause = xasprintf("%s: the presenter key on its first line is "
		    "shorter than %d bytes", file, PRESENTER_MIN_KEY);
		free(data);
		return -1;
	}
	p->key = xstrndup(s, (size_t)(e - s));
	p->keylen = (size_t)(e - s);
	free(data);
	return 0;
}

/* Creates the access rule. */
int
presenter_create(struct presenter **out, const char *keyfile, int open,
    void (*log)(void *, const char *), void *log_arg, char **cause)
{
	struct presenter	*p;

	p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	p->log = log;
	p->log_arg = log_arg;
	if (keyfile != NULL && presenter_read_key(p, keyfile, cause) != 0) {
		presenter_free(p);
		*out = NULL;
		return -1;
	}
	p->open = keyfile == NULL && open;
	*out = p;
	return 0;
}

/* Frees the access rule, wiping the key. */
void
presenter_free(struct presenter *p)
{
	if (p == NULL)
		return;
	if (p->key != NULL) {
		explicit_bzero(p->key, p->keylen);
		free(p->key);
	}
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* Replaces the clock of the wrong-key window. */
void
presenter_set_clock(struct presenter *p, time_t (*clock)(void))
{
	p->clock = clock;
}

/* Returns 1 if the presenter routes exist. */
int
presenter_on(const struct presenter *p)
{
	return p != NULL && (p->key != NULL || p->open);
}

/* Compares a candidate with the key in time that depends only on the key's length. */
static int
presenter_equal(const struct presenter *p, const char *s, size_t len)
{
	unsigned char	 diff = len != p->keylen;
	size_t		 i;

	for (i = 0; i < p->keylen; i++)
		diff |= (unsigned char)(p->key[i] ^ (i < len ? s[i] : 0));
	return diff == 0;
}

/* Returns the slot of a client address, taking the oldest one for a new address. */
static struct presenter_slot *
presenter_slot(struct presenter *p, const char *addr, time_t now)
{
	struct presenter_slot	*s, *old = &p->slots[0];
	uint64_t		 h;
	size_t			 i;

	h = util_hash(UTIL_HASH_INIT, addr, strlen(addr)) | 1;
	for (i = 0; i < PRESENTER_SLOTS; i++) {
		s = &p->slots[i];
		if (s->addr == h)
			break;
		if (s->since < old->since)
			old = s;
	}
	if (i == PRESENTER_SLOTS) {
		s = old;
		s->addr = h;
		s->wrong = 0;
		s->since = now;
	}
	if (now - s->since >= PRESENTER_WINDOW) {
		s->wrong = 0;
		s->since = now;
	}
	return s;
}

/* Logs a wrong key, at most one line a minute, saying how many were not logged. */
static void
presenter_log_wrong(struct presenter *p, const char *addr, const char *deck,
    time_t now)
{
	char	*msg;

	if (p->log == NULL)
		return;
	if (p->logged != 0 && now - p->logged < PRESENTER_WINDOW) {
		p->unlogged++;
		return;
	}
	msg = xasprintf("a wrong presenter key for %s from %s (%lu more "
	    "since the last such line)", deck, addr, p->unlogged);
	p->log(p->log_arg, msg);
	free(msg);
	p->logged = now;
	p->unlogged = 0;
}

/* Checks the Bearer key of a request. */
enum presenter_access
presenter_check(struct presenter *p, const struct request *req,
    const char *deck)
{
	struct presenter_slot	*s;
	const char		*v = req->authorization, *addr;
	enum presenter_access	 rc = PRESENTER_OK;
	time_t			 now;

	if (!presenter_on(p))
		return PRESENTER_OFF;
	if (p->key == NULL)
		return PRESENTER_OK;
	if (v == NULL || strncasecmp(v, "Bearer ", 7) != 0)
		return PRESENTER_NO_KEY;
	v += 7;
	while (*v == ' ')
		v++;
	addr = req->remote_addr != NULL ? req->remote_addr : "-";
	now = p->clock != NULL ? p->clock() : time(NULL);
	pthread_mutex_lock(&p->lock);
	s = presenter_slot(p, addr, now);
	if (s->wrong >= PRESENTER_TRIES)
		rc = PRESENTER_LIMITED;
	else if (!presenter_equal(p, v, strlen(v))) {
		s->wrong++;
		rc = PRESENTER_WRONG;
	}
	if (rc != PRESENTER_OK)
		presenter_log_wrong(p, addr, deck, now);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

/* Returns the length of the host name of an authority, without its port. */
static size_t
presenter_hostlen(const char *a)
{
	const char	*e;

	if (*a == '[' && (e = strchr(a, ']')) != NULL)
		return (size_t)(e - a) + 1;
	return strcspn(a, ":");
}

/*
 * Checks that a changing request comes from this site's own pages: the
 * Origin's authority is the Host, or, when the Host has no port (nginx
 * passes $host), the Origin's host name is the Host.
 */
int
presenter_same_origin(const struct request *req)
{
	const char	*a, *h = req->host;
	size_t		 n;

	if (req->fetch_site != NULL && strcmp(req->fetch_site, "same-origin") != 0)
		return 0;
	if (req->origin == NULL)
		return 1;
	if ((a = strstr(req->origin, "://")) == NULL || h == NULL)
		return 0;
	a += 3;
	if (strcasecmp(a, h) == 0)
		return 1;
	n = presenter_hostlen(h);
	if (h[n] != '\0')
		return 0;
	return presenter_hostlen(a) == n && strncasecmp(a, h, n) == 0;
}
