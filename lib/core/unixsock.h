/* unixsock: listening on, connecting to and waiting on Unix-domain stream
 * sockets (the daemons' sockets: souk-searchd, souk-payd, nginx's push
 * publisher). */
#ifndef SOUK_UNIXSOCK_H
#define SOUK_UNIXSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A non-blocking listening socket at path, mode 0660 (owner and group
 * may connect, nobody else); a stale file at path is removed first. The
 * fd, or -1 with errno set (ENAMETOOLONG for a path sun_path cannot hold). */
int unixsock_listen(const char *path, int backlog);

/* A non-blocking socket connected to path. A Unix-socket connect does not
 * wait for the peer: it succeeds or fails at once; with pending_ok a full
 * backlog (EAGAIN/EINPROGRESS) still returns the fd, for a caller that
 * waits for it to become writable. -1 with errno set otherwise. */
int unixsock_connect(const char *path, bool pending_ok);

/* The monotonic clock in milliseconds: the deadlines below. */
int64_t unixsock_now_ms(void);

/* Waits until fd is ready for events (POLLIN, POLLOUT) or deadline_ms
 * (unixsock_now_ms; 0: none) passes: 0 ready, -1 timed out or failed. */
int unixsock_wait(int fd, short events, int64_t deadline_ms);

/* Sends all n bytes of p, waiting while the socket is full (or its
 * connect still pending) up to deadline_ms (0: none). 0, or -1 with
 * errno set (ETIMEDOUT when the deadline passed). Never raises SIGPIPE. */
int unixsock_send_all(int fd, const char *p, size_t n, int64_t deadline_ms);

#endif
