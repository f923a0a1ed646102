/*
 * follow-load.c: simulated followers for bench/follow.sh. N kept-alive
 * connections to 127.0.0.1:PORT each ask for PATH every INTERVAL ms (with
 * If-None-Match, as follow.js does), starting spread over the first
 * interval; every 3 s the presenter POSTs a new page to PATH with the key.
 * Prints the requests answered, their latency percentiles, and for each
 * POST the time until the first follower answer that carries its page.
 * Loopback only; stops after SECONDS.
 *
 * usage: follow-load -c N -d SECONDS -i MS -p PORT -u PATH -k KEY -t PAGES
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUCKETS	200000		/* 10 us each: up to 2 s */
#define MAXPOST	256

struct conn {
	int		 fd;
	double		 next;		/* when to send, s */
	double		 sent;		/* 0: idle */
	char		 etag[64];
	char		 in[2048];
	size_t		 inlen;
};

static unsigned long	 hist[BUCKETS + 1];
static unsigned long	 nreq, nerr, n200, n304;
static double		 post_at[MAXPOST], post_seen[MAXPOST];
static int		 post_page[MAXPOST], nposts;

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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

/* The presenter: one POST on a connection of its own, waited for. */
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

static void
record(double secs)
{
	long	 b = (long)(secs * 1e5);

	hist[b < 0 ? 0 : b > BUCKETS ? BUCKETS : b]++;
}

static double
pct(double p)
{
	unsigned long	 want = (unsigned long)(p * nreq), sum = 0;
	long		 i;

	for (i = 0; i <= BUCKETS; i++) {
		sum += hist[i];
		if (sum > want)
			return i / 1e5;
	}
	return BUCKETS / 1e5;
}

/* Reads what a connection has; handles every whole answer. */
static int
answer(struct conn *c, double t)
{
	char	*end, *p;
	long	 clen;
	int	 page, status;
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
	nreq++;
	record(t - c->sent);
	if (status == 200) {
		n200++;
		p = strcasestr(c->in, "\r\nETag: ");
		if (p != NULL && p < end)
			snprintf(c->etag, sizeof c->etag, "%.*s",
			    (int)strcspn(p + 8, "\r"), p + 8);
		if ((p = strstr(end, "\"page\":")) != NULL && nposts > 0) {
			page = atoi(p + 7);
			if (page == post_page[nposts - 1] &&
			    post_seen[nposts - 1] == 0)
				post_seen[nposts - 1] = t;
		}
	} else if (status == 304)
		n304++;
	else
		nerr++;
	c->inlen = 0;
	c->sent = 0;
	return 0;
}

int
main(int argc, char **argv)
{
	struct epoll_event	 ev, evs[512];
	struct rlimit		 rl;
	struct conn		*cs;
	const char		*path = "/slides/talk/position", *key = "";
	double			 start, t, interval = 0.4, secs = 20, next_post;
	char			 req[512];
	int			 i, n, ep, opt, nconn = 1000, port = 80, pages = 4;
	int			 len, page = 0;

	while ((opt = getopt(argc, argv, "c:d:i:p:u:k:t:")) != -1) {
		switch (opt) {
		case 'c': nconn = atoi(optarg); break;
		case 'd': secs = atof(optarg); break;
		case 'i': interval = atof(optarg) / 1000; break;
		case 'p': port = atoi(optarg); break;
		case 'u': path = optarg; break;
		case 'k': key = optarg; break;
		case 't': pages = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: follow-load -c N -d SECONDS -i MS "
			    "-p PORT -u PATH -k KEY -t PAGES\n");
			return 2;
		}
	}
	rl.rlim_cur = rl.rlim_max = (rlim_t)nconn + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	cs = calloc((size_t)nconn, sizeof *cs);
	ep = epoll_create1(0);
	start = now();
	for (i = 0; i < nconn; i++) {
		if ((cs[i].fd = dial(port)) == -1) {
			fprintf(stderr, "follow-load: connection %d: %s\n", i,
			    strerror(errno));
			return 1;
		}
		cs[i].next = start + interval * i / nconn;
		ev.events = EPOLLIN;
		ev.data.u32 = (unsigned)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
	}
	next_post = start + 2;
	while ((t = now()) < start + secs) {
		if (t >= next_post && nposts < MAXPOST) {
			page = (page + 1) % pages;
			post_page[nposts] = page;
			post_at[nposts] = now();
			nposts++;
			if (post(port, path, key, page) != 0)
				fprintf(stderr, "follow-load: the POST failed\n");
			next_post += 3;
		}
		for (i = 0; i < nconn; i++) {
			if (cs[i].sent != 0 || t < cs[i].next)
				continue;
			len = cs[i].etag[0] != '\0' ? snprintf(req, sizeof req,
			    "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			    "If-None-Match: %s\r\n\r\n", path, cs[i].etag) :
			    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\n"
			    "Host: 127.0.0.1\r\n\r\n", path);
			if (write(cs[i].fd, req, (size_t)len) != len) {
				nerr++;
				cs[i].next = t + interval;
				continue;
			}
			cs[i].sent = t;
			cs[i].next += interval;
			if (cs[i].next < t)
				cs[i].next = t + interval;
		}
		n = epoll_wait(ep, evs, 512, 2);
		t = now();
		for (i = 0; i < n; i++)
			if (answer(&cs[evs[i].data.u32], t) != 0)
				nerr++;
	}
	printf("followers %d interval_ms %.0f seconds %.1f\n", nconn,
	    interval * 1000, secs);
	printf("answers %lu (200: %lu, 304: %lu) errors %lu rate %.0f/s\n",
	    nreq, n200, n304, nerr, nreq / secs);
	printf("latency_ms p50 %.2f p99 %.2f p999 %.2f max %.2f\n",
	    pct(0.5) * 1e3, pct(0.99) * 1e3, pct(0.999) * 1e3, pct(1) * 1e3);
	printf("post_to_first_follower_ms");
	for (i = 0; i < nposts; i++) {
		if (post_seen[i] != 0)
			printf(" %.0f", (post_seen[i] - post_at[i]) * 1e3);
		else
			printf(" none");
	}
	printf("\n");
	return 0;
}
