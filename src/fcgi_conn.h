/* fcgi_conn.h: the connections a FastCGI worker takes, checked before libfcgi reads them. */
#ifndef DRF_FCGI_CONN_H
#define DRF_FCGI_CONN_H

/* The longest the PARAMS of one request may be, in all. */
#define FCGI_CONN_PEEK_MAX	(64 * 1024)

/*
 * Where a worker's threads take connections from. The threads share it;
 * the counters are only touched atomically.
 */
struct fcgi_conn_gate {
	int			 listen_fd;
	const char		*allowed;	/* FCGI_WEB_SERVER_ADDRS, or NULL */
	unsigned long long	 accept_logged;	/* ms of the last accept error logged */
	unsigned long long	 refuse_logged;	/* ms of the last refusal logged */
};

/*
 * Returns a connection whose next request may be handed to libfcgi: kept
 * (a connection the web server keeps open, or -1) checked again, or a new
 * one accepted from the socket, from a peer in FCGI_WEB_SERVER_ADDRS when
 * that is set. The request's PARAMS (and any FCGI_GET_VALUES) must arrive
 * whole within 10 s and FCGI_CONN_PEEK_MAX bytes, and pass
 * fcgi_record_check; they are looked at, not read. Returns -1 when there
 * is none (*stop set, an accept error, a connection dropped and closed,
 * which is logged at most once a second). peek: FCGI_CONN_PEEK_MAX bytes of
 * the caller's scratch.
 */
int	 fcgi_conn_next(struct fcgi_conn_gate *, int kept, const int *stop,
	    unsigned char *peek);

#endif
