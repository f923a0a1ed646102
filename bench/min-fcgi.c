/*
 * min-fcgi.c: the least a libfcgi responder can do, for bench/servers.sh:
 * every request gets the same bytes, read once at start from FILE (a whole
 * CGI response, head and body, as "drfslides fcgi" writes it), from THREADS
 * threads each accepting on the socket (fd 0 when no -s), as drfslides does.
 *
 * usage: min-fcgi [-s SOCKET] [-t THREADS] FILE
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char	*resp;
static int	 resplen, fd;

static void *
serve(void *arg)
{
	FCGX_Request	 r;

	(void)arg;
	FCGX_InitRequest(&r, fd, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(resp, resplen, r.out);
		FCGX_Finish_r(&r);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t	 tid;
	FILE		*f;
	int		 ch, i, threads = 8;

	while ((ch = getopt(argc, argv, "s:t:")) != -1) {
		if (ch == 's' && FCGX_Init() == 0)
			fd = FCGX_OpenSocket(optarg, 256);
		else if (ch == 't')
			threads = atoi(optarg);
		else
			return 2;
	}
	if (optind + 1 != argc || (f = fopen(argv[optind], "rb")) == NULL ||
	    fd < 0 || FCGX_Init() != 0)
		return 1;
	resp = malloc(1 << 20);
	resplen = (int)fread(resp, 1, 1 << 20, f);
	for (i = 1; i < threads; i++)
		pthread_create(&tid, NULL, serve, NULL);
	serve(NULL);
	return 0;
}
