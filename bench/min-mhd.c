/*
 * min-mhd.c: the least a libmicrohttpd server can do, for bench/servers.sh:
 * one response made at start from FILE (a whole CGI response as "drfslides
 * fcgi" writes it: its header lines, but Status and Content-Length, become
 * headers, the rest is the body, kept in a persistent buffer) and queued for
 * every request, with the flags, thread pool and limits of src/httpd.c.
 *
 * usage: min-mhd [-p PORT] [-t THREADS] FILE      (127.0.0.1; stops on SIGTERM)
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct MHD_Response	*resp;

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url, const char *m,
    const char *v, const char *up, size_t *uplen, void **ctx)
{
	(void)cls; (void)url; (void)m; (void)v; (void)up;
	if (*ctx == NULL) {		/* as src/httpd.c: answer on the second call */
		*ctx = resp;
		return MHD_YES;
	}
	*uplen = 0;
	return MHD_queue_response(c, MHD_HTTP_OK, resp);
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon	*d;
	struct sockaddr_in	 sin;
	sigset_t		 set;
	FILE			*f;
	char			*buf, *body, *line, *colon, *eol;
	int			 ch, sig, port = 8080, threads = 8;
	size_t			 len;

	while ((ch = getopt(argc, argv, "p:t:")) != -1) {
		if (ch == 'p')
			port = atoi(optarg);
		else if (ch == 't')
			threads = atoi(optarg);
		else
			return 2;
	}
	if (optind + 1 != argc || (f = fopen(argv[optind], "rb")) == NULL)
		return 1;
	buf = malloc(1 << 20);
	len = fread(buf, 1, (1 << 20) - 1, f);
	buf[len] = '\0';
	if ((body = strstr(buf, "\r\n\r\n")) == NULL)
		return 1;
	*body = '\0';
	body += 4;
	resp = MHD_create_response_from_buffer(len - (size_t)(body - buf), body,
	    MHD_RESPMEM_PERSISTENT);
	for (line = buf; line != NULL; line = eol == NULL ? NULL : eol + 2) {
		if ((eol = strstr(line, "\r\n")) != NULL)
			*eol = '\0';
		if ((colon = strstr(line, ": ")) == NULL)
			continue;
		*colon = '\0';
		if (strcmp(line, "Status") != 0 && strcmp(line, "Content-Length"))
			MHD_add_response_header(resp, line, colon + 2);
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, answer, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_LIMIT, 256u,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 64u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 15u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
	    MHD_OPTION_END);
	if (d == NULL)
		return 1;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	return 0;
}
