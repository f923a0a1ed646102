/* test-fcgi.c: the FastCGI front end's output of huge bodies and its check of incoming records. */
#include "config.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <fcgiapp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fcgi.h"
#include "fcgi_record.h"
#include "router.h"
#include "tap.h"

/* A body past what an int counts: 2 GiB and 1 MiB. */
#define BIG_LEN		(((size_t)2 << 30) + ((size_t)1 << 20))

/* Appends a record header for request 1. */
static size_t
record(unsigned char *p, int type, size_t clen)
{
	p[0] = 1;
	p[1] = (unsigned char)type;
	p[2] = 0;
	p[3] = 1;
	p[4] = (unsigned char)(clen >> 8);
	p[5] = (unsigned char)clen;
	p[6] = 0;
	p[7] = 0;
	return 8;
}

/* Builds BEGIN_REQUEST, one PARAMS record with content c, the empty PARAMS and STDIN. */
static size_t
request(unsigned char *p, const unsigned char *c, size_t clen, int close)
{
	size_t	 n = 0;

	n += record(p + n, 1, 8);
	memset(p + n, 0, 8);
	p[n + 1] = 1;		/* responder */
	n += 8;
	if (clen > 0) {
		n += record(p + n, 4, clen);
		memcpy(p + n, c, clen);
		n += clen;
	}
	if (close) {
		n += record(p + n, 4, 0);
		n += record(p + n, 5, 0);
	}
	return n;
}

/* The record checks: good parameters, the libfcgi-aborting pair, cut streams. */
static void
test_records(void)
{
	static const unsigned char good[] = "\x0e\x03REQUEST_METHODGET";
	static const unsigned char huge[] = "\xff\xff\xff\xf0\xff\xff\xff\xf0xxxxxxxx";
	static const unsigned char over[] = "\x04\x09NAMEshort";
	/* A request of these parameters, closed or not, cut to len bytes (0: whole). */
	static const struct {
		const unsigned char	*params;
		size_t			 plen;
		int			 close;
		size_t			 len;
		int			 want;
		const char		*desc;
	} rows[] = {
		{ good, sizeof good - 1, 1, 0, FCGI_RECORD_OK, "a whole request passes" },
		{ good, sizeof good - 1, 0, 0, FCGI_RECORD_MORE,
		    "parameters not closed yet: wait" },
		{ good, sizeof good - 1, 1, 20, FCGI_RECORD_MORE, "a record cut short: wait" },
		{ huge, sizeof huge - 1, 1, 0, FCGI_RECORD_BAD,
		    "name and value lengths of 0x7ffffff0 are refused" },
		{ huge, sizeof huge - 1, 1, 16 + 8 + 8, FCGI_RECORD_BAD,
		    "refused as soon as the lengths have arrived" },
		{ over, sizeof over - 1, 1, 0, FCGI_RECORD_BAD,
		    "a value longer than the closed stream is refused" },
		{ over, sizeof over - 1, 0, 0, FCGI_RECORD_MORE,
		    "the same value may still arrive in the next record" },
	};
	unsigned char	 p[256];
	size_t		 i, n;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		n = request(p, rows[i].params, rows[i].plen, rows[i].close);
		if (rows[i].len != 0)
			n = rows[i].len;
		is_int(fcgi_record_check(p, n), rows[i].want, "records: %s", rows[i].desc);
	}
	n = record(p, 9, sizeof huge - 1);
	memcpy(p + n, huge, sizeof huge - 1);
	n += sizeof huge - 1;
	is_int(fcgi_record_check(p, n), FCGI_RECORD_BAD,
	    "records: FCGI_GET_VALUES pairs are checked too");
}

/* The web server's side: sends a request, counts the STDOUT bytes, exits 0 if as expected. */
static int
client(int fd, size_t want)
{
	static const unsigned char good[] = "\x0e\x03REQUEST_METHODGET";
	unsigned char	 p[256], *b;
	size_t		 n, have = 0, at, got = 0, clen, size = (size_t)1 << 20;
	ssize_t		 r;

	n = request(p, good, sizeof good - 1, 1);
	if (write(fd, p, n) != (ssize_t)n)
		return 2;
	b = malloc(size);
	for (;;) {
		if ((r = read(fd, b + have, size - have)) <= 0)
			return 3;
		have += (size_t)r;
		/* Takes the whole records read so far. */
		for (at = 0; have - at >= 8; at += 8 + clen) {
			clen = ((size_t)b[at + 4] << 8 | b[at + 5]) + b[at + 6];
			if (have - at < 8 + clen)
				break;
			if (b[at + 1] == 6)
				got += (size_t)b[at + 4] << 8 | b[at + 5];
			if (b[at + 1] == 3) {
				free(b);
				fprintf(stderr, "# client: %zu bytes of STDOUT\n",
				    got);
				return got == want ? 0 : 1;
			}
		}
		memmove(b, b + at, have - at);
		have -= at;
	}
}

/* A response of more than 2 GiB goes out whole through the real output path. */
static void
test_big_body(void)
{
	FCGX_Request	 fr;
	struct response	 resp;
	char		 head[256];
	void		*body;
	pid_t		 pid;
	int		 sv[2], status, hlen;

	/* Never touched but read: every page is the kernel's one zero page. */
	body = mmap(NULL, BIG_LEN, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	if (body == MAP_FAILED || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 ||
	    FCGX_Init() != 0) {
		ok(0, "big body: setup");
		return;
	}
	hlen = snprintf(head, sizeof head, "Status: 200 OK\r\nContent-Type: "
	    "application/octet-stream\r\nX-Content-Type-Options: nosniff\r\n"
	    "Surrogate-Key: drfslides\r\nCache-Tag: drfslides\r\n"
	    "Content-Length: %zu\r\n\r\n", BIG_LEN);
	if ((pid = fork()) == 0) {
		close(sv[0]);
		_exit(client(sv[1], (size_t)hlen + BIG_LEN));
	}
	close(sv[1]);
	FCGX_InitRequest(&fr, -1, 0);
	fr.ipcFd = sv[0];
	fr.keepConnection = 1;
	ok(FCGX_Accept_r(&fr) == 0, "big body: the request is read");
	memset(&resp, 0, sizeof resp);
	resp.status = 200;
	resp.content_type = "application/octet-stream";
	resp.body = body;
	resp.len = BIG_LEN;
	resp.send_body = 1;
	ok(fcgi_respond(fr.out, &resp) == 0, "big body: written without error");
	FCGX_Finish_r(&fr);
	if (fr.ipcFd >= 0)
		close(fr.ipcFd);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "big body: the web server gets the head and all %zu bytes", BIG_LEN);
	munmap(body, BIG_LEN);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_records),
	TAP_CASE(test_big_body),
};

int
main(void)
{
	return tap_run_cases(cases);
}
