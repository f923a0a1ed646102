/*
 * follow-load.c: simulated followers for bench/follow.sh. N kept-alive
 * connections to 127.0.0.1:PORT each ask for PATH (with If-None-Match, as
 * follow.js does) INTERVAL ms after their last answer; once all are
 * connected, the run starts, their first requests spread over the first
 * interval. Every 3 s the presenter POSTs a new page to PATH with
 * the key, from a thread of its own so that the followers never wait for it.
 * Prints the requests answered and their latency percentiles; for each POST
 * the time until the first follower answer that carries its page; and over
 * every follower and POST, the time until that follower had the new page.
 * Loopback only; stops after SECONDS.
 *
 * The followers are shared out among T threads (-T, default 2), each with
 * its own connections, epoll set and counts, so that the load is not held
 * back by one core. A follower waits INTERVAL plus a random jitter of up to
 * J ms (-j, default 20) after its answer, as devices on a network do: their
 * timers and round trips differ, so they do not stay in lockstep (with -j 0
 * they keep the exact schedule, and whatever bunches them once keeps them
 * bunched). A thread's loop does O(1) work per request: the followers
 * waiting to send sit in a wheel of 1 ms slots by their send time, and the
 * loop takes the slots that have come instead of looking at every
 * connection. A latency
 * is timed from the moment of that request's own write to the moment its
 * answer is read; the loop reads answers after every few sends, so that an
 * answer does not wait for a long run of sends to end.
 *
 * usage: follow-load -c N -d SECONDS -i MS -p PORT -u PATH -k KEY -t PAGES
 *        [-T THREADS] [-j JITTER_MS]
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUCKETS		200000		/* latency: 10 us each, up to 2 s */
#define SEEN_BUCKETS	10000		/* POST to follower: 1 ms each, up to 10 s */
#define MAXPOST		256
#define POST_EVERY	3.0		/* seconds */
#define SEND_BATCH	16		/* sends between two looks for answers */
#define MAXTHREADS	16

struct conn {
	int		 fd;
	double		 next;		/* when to send, s */
	double		 sent;		/* 0: waiting to send; -1: closed */
	int		 link;		/* the next in its wheel slot, or -1 */
	int		 seen;		/* POSTs whose page this follower has had */
	char		 etag[64];
	char		 in[2048];
	size_t		 inlen;
};

/* One thread's followers: connections [lo, hi) of the array, and its counts. */
struct loop {
	struct conn	*cs;
	int		 lo, hi;
	int		 ep;
	/* The followers waiting to send, by send time: slot k holds those due
	 * in the millisecond k (mod the slots) after the start, as a list. */
	int		*wheel;
	long		 nslots, cursor;	/* the next millisecond to send */
	unsigned	 seed;
	unsigned long	 hist[BUCKETS + 1], seen_hist[SEEN_BUCKETS + 1];
	unsigned long	 nreq, nerr, n200, n304, nseen;
	double		 first_seen[MAXPOST];
	const char	*path;
	double		 start, secs, interval, jitter;
};

/* Written by the presenter's thread; nposts published last (release). */
static double		 post_at[MAXPOST];
static int		 post_page[MAXPOST], nposts, post_failed;

struct presenter_arg {
	int		 port;
	const char	*path;
	const char	*key;
	int		 pages;
	double		 start, end;
};

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
sleep_until(double t)
{
	struct timespec	 ts;
	double		 d = t - now();

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int
dial(int port)
{
	struct sockaddr_in	 sin;
	int			 fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One POST on a connection of its own, waited for. */
static int
post(int port, const char *path, const char *key, int page)
{
	char	 req[1024], resp[1024], body[64];
	int	 fd, n, len, fl, blen;

	if ((fd = dial(port)) == -1)
		return -1;
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	blen = snprintf(body, sizeof body, "page=%d&step=0", page);
	len = snprintf(req, sizeof req, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Authorization: Bearer %s\r\nContent-Type: application/"
	    "x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close"
	    "\r\n\r\n%s", path, key, blen, body);
	if (write(fd, req, (size_t)len) != len) {
		close(fd);
		return -1;
	}
	n = (int)read(fd, resp, sizeof resp - 1);
	close(fd);
	return n > 12 && strncmp(resp + 9, "200", 3) == 0 ? 0 : -1;
}

/* The presenter: a new page every POST_EVERY seconds, from 2 s on. */
static void *
presenter(void *arg)
{
	struct presenter_arg	*pa = arg;
	double			 t = pa->start + 2;
	int			 page = 0, n;

	for (n = 0; n < MAXPOST && t < pa->end; n++, t += POST_EVERY) {
		sleep_until(t);
		page = (page + 1) % pa->pages;
		post_page[n] = page;
		post_at[n] = now();
		__atomic_store_n(&nposts, n + 1, __ATOMIC_RELEASE);
		if (post(pa->port, pa->path, pa->key, page) != 0)
			__atomic_add_fetch(&post_failed, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Puts follower i in the wheel at its send time (a time gone: the next slot). */
static void
push(struct loop *l, int i)
{
	struct conn	*c = &l->cs[i];
	long		 ms = (long)((c->next - l->start) * 1e3 + 0.999);

	if (ms < l->cursor)
		ms = l->cursor;
	if (ms - l->cursor >= l->nslots) {
		fprintf(stderr, "follow-load: the loop fell more than a second "
		    "behind\n");
		abort();
	}
	c->link = l->wheel[ms % l->nslots];
	l->wheel[ms % l->nslots] = i;
}

static void
record(unsigned long *h, long nb, double v)
{
	long	 b = (long)v;

	h[b < 0 ? 0 : b > nb ? nb : b]++;
}

static double
pct(const unsigned long *h, long nb, unsigned long total, double p)
{
	unsigned long	 want = (unsigned long)(p * total), sum = 0;
	long		 i;

	if (want >= total)	/* the largest: the last bucket used */
		want = total == 0 ? 0 : total - 1;
	for (i = 0; i <= nb; i++) {
		sum += h[i];
		if (sum > want)
			return i;
	}
	return nb;
}

/* Notes that a follower has the page of the latest POST. */
static void
seen(struct loop *l, struct conn *c, int page, double t)
{
	int	 np = __atomic_load_n(&nposts, __ATOMIC_ACQUIRE);

	if (np == 0 || c->seen >= np || page != post_page[np - 1])
		return;
	if (l->first_seen[np - 1] == 0)
		l->first_seen[np - 1] = t;
	/* Only the latest POST counts: one this follower missed is not timed. */
	record(l->seen_hist, SEEN_BUCKETS, (t - post_at[np - 1]) * 1e3);
	l->nseen++;
	c->seen = np;
}

/* Reads what a connection has; handles a whole answer. */
static int
answer(struct loop *l, struct conn *c)
{
	double	 t;
	char	*end, *p;
	long	 clen;
	int	 status;
	ssize_t	 n;

	n = read(c->fd, c->in + c->inlen, sizeof c->in - 1 - c->inlen);
	if (n <= 0)
		return n == -1 && errno == EAGAIN ? 0 : -1;
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	if ((end = strstr(c->in, "\r\n\r\n")) == NULL)
		return 0;
	p = strcasestr(c->in, "\r\nContent-Length:");
	clen = p != NULL && p < end ? strtol(p + 17, NULL, 10) : 0;
	status = atoi(c->in + 9);
	if (status == 304)
		clen = 0;
	if ((size_t)(end + 4 - c->in) + (size_t)clen > c->inlen)
		return 0;
	t = now();
	l->nreq++;
	record(l->hist, BUCKETS, (t - c->sent) * 1e5);
	if (status == 200) {
		l->n200++;
		p = strcasestr(c->in, "\r\nETag: ");
		if (p != NULL && p < end)
			snprintf(c->etag, sizeof c->etag, "%.*s",
			    (int)strcspn(p + 8, "\r"), p + 8);
		if ((p = strstr(end, "\"page\":")) != NULL)
			seen(l, c, atoi(p + 7), t);
	} else if (status == 304)
		l->n304++;
	else
		l->nerr++;
	c->inlen = 0;
	c->sent = 0;
	/* As follow.js: the next request INTERVAL after this answer, and the
	 * device's own delay. */
	c->next = t + l->interval + (double)(rand_r(&l->seed) % 1000) / 1000 *
	    l->jitter;
	return 0;
}

static int
send_one(struct conn *c, const char *path)
{
	char	 req[512];
	int	 len;

	len = c->etag[0] != '\0' ? snprintf(req, sizeof req,
	    "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: %s\r\n\r\n",
	    path, c->etag) : snprintf(req, sizeof req, "GET %s HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\n\r\n", path);
	c->sent = now();
	if (write(c->fd, req, (size_t)len) != len) {
		c->sent = 0;
		return -1;
	}
	return 0;
}

/* Reads the answers that have come; waits up to wait_ms for one. */
static void
answers(struct loop *l, int wait_ms)
{
	struct epoll_event	 evs[256];
	struct conn		*c;
	int			 i, n;

	n = epoll_wait(l->ep, evs, 256, wait_ms);
	for (i = 0; i < n; i++) {
		c = &l->cs[evs[i].data.u32];
		if (c->sent == 0)
			continue;
		if (answer(l, c) != 0) {
			/* A closed connection: this follower is gone. */
			l->nerr++;
			epoll_ctl(l->ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			c->sent = -1;
			continue;
		}
		if (c->sent == 0)
			push(l, (int)(c - l->cs));
	}
}

/* One thread's followers, until the end of the run. */
static void *
followers(void *arg)
{
	struct loop	*l = arg;
	struct conn	*c;
	double		 t;
	long		 nowms;
	int		 i, sent = 0;

	while ((t = now()) < l->start + l->secs) {
		nowms = (long)((t - l->start) * 1e3);
		for (; l->cursor <= nowms; l->cursor++) {
			i = l->wheel[l->cursor % l->nslots];
			l->wheel[l->cursor % l->nslots] = -1;
			while (i != -1) {
				c = &l->cs[i];
				i = c->link;
				if (send_one(c, l->path) != 0) {
					/* Tried again an interval later. */
					l->nerr++;
					c->next = t + l->interval;
					push(l, (int)(c - l->cs));
				}
				if (++sent % SEND_BATCH == 0)
					answers(l, 0);
			}
		}
		/* Answers wake it; else the next millisecond's slot. */
		answers(l, 1);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct presenter_arg	 pa;
	struct epoll_event	 ev;
	struct rlimit		 rl;
	struct conn		*cs;
	struct loop		*ls, *l;
	pthread_t		 th, fth[MAXTHREADS];
	const char		*path = "/slides/talk/position", *key = "";
	double			 start, dialled, interval = 0.4, secs = 20, first;
	unsigned long		 nreq = 0, nerr = 0, n200 = 0, n304 = 0, nseen = 0;
	double			 jitter = 0.02;
	long			 k;
	int			 i, j, opt, nconn = 1000, port = 80, pages = 4;
	int			 np, nthreads = 2;

	while ((opt = getopt(argc, argv, "c:d:i:p:u:k:t:T:j:")) != -1) {
		switch (opt) {
		case 'c': nconn = atoi(optarg); break;
		case 'd': secs = atof(optarg); break;
		case 'i': interval = atof(optarg) / 1000; break;
		case 'p': port = atoi(optarg); break;
		case 'u': path = optarg; break;
		case 'k': key = optarg; break;
		case 't': pages = atoi(optarg); break;
		case 'T': nthreads = atoi(optarg); break;
		case 'j': jitter = atof(optarg) / 1000; break;
		default:
			fprintf(stderr, "usage: follow-load -c N -d SECONDS -i MS "
			    "-p PORT -u PATH -k KEY -t PAGES [-T THREADS] "
			    "[-j JITTER_MS]\n");
			return 2;
		}
	}
	if (nconn < 1 || pages < 2 || nthreads < 1 || nthreads > MAXTHREADS ||
	    interval <= 0 || jitter < 0) {
		fprintf(stderr, "follow-load: -c 1 or more, -t 2 or more, "
		    "-T 1 to %d, -i above 0, -j 0 or more\n", MAXTHREADS);
		return 2;
	}
	if (nthreads > nconn)
		nthreads = nconn;
	rl.rlim_cur = rl.rlim_max = (rlim_t)nconn + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	cs = calloc((size_t)nconn, sizeof *cs);
	ls = calloc((size_t)nthreads, sizeof *ls);
	if (cs == NULL || ls == NULL) {
		perror("follow-load");
		return 1;
	}
	for (j = 0; j < nthreads; j++) {
		l = &ls[j];
		l->lo = (int)((long)nconn * j / nthreads);
		l->hi = (int)((long)nconn * (j + 1) / nthreads);
		l->cs = cs + l->lo;
		/* The longest wait, and room for a loop that fell behind. */
		l->nslots = (long)((interval + jitter) * 2e3) + 1000;
		l->seed = (unsigned)j * 2654435761u + 1;
		l->jitter = jitter;
		l->path = path;
		l->secs = secs;
		l->interval = interval;
		if ((l->wheel = calloc((size_t)l->nslots, sizeof *l->wheel)) ==
		    NULL || (l->ep = epoll_create1(0)) == -1) {
			perror("follow-load");
			return 1;
		}
		for (k = 0; k < l->nslots; k++)
			l->wheel[k] = -1;
	}
	/* The connections, dealt to the threads in turn. */
	dialled = now();
	for (i = 0; i < nconn; i++) {
		for (j = 0; i >= ls[j].hi; j++)
			;
		l = &ls[j];
		if ((cs[i].fd = dial(port)) == -1) {
			fprintf(stderr, "follow-load: connection %d: %s\n", i,
			    strerror(errno));
			return 1;
		}
		ev.events = EPOLLIN;
		ev.data.u32 = (unsigned)(i - l->lo);
		epoll_ctl(l->ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
	}
	/*
	 * The run starts once every follower is connected (dialling 10,000
	 * takes a while): their first requests spread over the first interval.
	 * Counted from before the dialling, those due meanwhile would all go at
	 * once, and stay bunched for the seconds the jitter takes to spread them.
	 */
	start = now();
	dialled = start - dialled;
	for (i = 0; i < nconn; i++) {
		for (j = 0; i >= ls[j].hi; j++)
			;
		l = &ls[j];
		l->start = start;
		cs[i].next = start + interval * (double)(i - l->lo) /
		    (double)(l->hi - l->lo);
		push(l, i - l->lo);
	}
	pa.port = port;
	pa.path = path;
	pa.key = key;
	pa.pages = pages;
	pa.start = start;
	pa.end = start + secs - 2;
	if (pthread_create(&th, NULL, presenter, &pa) != 0) {
		perror("follow-load: pthread_create");
		return 1;
	}
	for (j = 0; j < nthreads; j++)
		if (pthread_create(&fth[j], NULL, followers, &ls[j]) != 0) {
			perror("follow-load: pthread_create");
			return 1;
		}
	for (j = 0; j < nthreads; j++)
		pthread_join(fth[j], NULL);
	pthread_join(th, NULL);
	/* The threads' counts, summed into the first's. */
	for (j = 1; j < nthreads; j++) {
		for (i = 0; i <= BUCKETS; i++)
			ls[0].hist[i] += ls[j].hist[i];
		for (i = 0; i <= SEEN_BUCKETS; i++)
			ls[0].seen_hist[i] += ls[j].seen_hist[i];
	}
	for (j = 0; j < nthreads; j++) {
		nreq += ls[j].nreq;
		nerr += ls[j].nerr;
		n200 += ls[j].n200;
		n304 += ls[j].n304;
		nseen += ls[j].nseen;
	}
	np = nposts;
	printf("followers %d interval_ms %.0f seconds %.1f threads %d "
	    "(connected in %.2f s)\n", nconn, interval * 1000, secs, nthreads,
	    dialled);
	printf("answers %lu (200: %lu, 304: %lu) errors %lu rate %.0f/s\n",
	    nreq, n200, n304, nerr, nreq / secs);
	printf("latency_ms p50 %.2f p99 %.2f p999 %.2f max %.2f\n",
	    pct(ls[0].hist, BUCKETS, nreq, 0.5) / 1e2,
	    pct(ls[0].hist, BUCKETS, nreq, 0.99) / 1e2,
	    pct(ls[0].hist, BUCKETS, nreq, 0.999) / 1e2,
	    pct(ls[0].hist, BUCKETS, nreq, 1) / 1e2);
	printf("posts %d failed %d\n", np, post_failed);
	printf("post_to_first_follower_ms");
	for (i = 0; i < np; i++) {
		first = 0;
		for (j = 0; j < nthreads; j++)
			if (ls[j].first_seen[i] != 0 && (first == 0 ||
			    ls[j].first_seen[i] < first))
				first = ls[j].first_seen[i];
		if (first != 0)
			printf(" %.0f", (first - post_at[i]) * 1e3);
		else
			printf(" none");
	}
	printf("\n");
	printf("post_to_every_follower_ms (%lu of %lu) p50 %.0f p99 %.0f max "
	    "%.0f\n", nseen, (unsigned long)np * (unsigned long)nconn,
	    pct(ls[0].seen_hist, SEEN_BUCKETS, nseen, 0.5),
	    pct(ls[0].seen_hist, SEEN_BUCKETS, nseen, 0.99),
	    pct(ls[0].seen_hist, SEEN_BUCKETS, nseen, 1));
	return 0;
}
