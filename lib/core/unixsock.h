/* unixsock: listening on and connecting to Unix-domain stream sockets (the
 * daemons' sockets: souk-searchd, souk-payd). */
#ifndef SOUK_UNIXSOCK_H
#define SOUK_UNIXSOCK_H

#include <stdbool.h>

/* A non-blocking listening socket at path, mode 0660 (owner and group
 * may connect, nobody else); a stale file at path is removed first. The
 * fd, or -1 with errno set (ENAMETOOLONG for a path sun_path cannot hold). */
int unixsock_listen(const char *path, int backlog);

/* A non-blocking socket connected to path. A Unix-socket connect does not
 * wait for the peer: it succeeds or fails at once; with pending_ok a full
 * backlog (EAGAIN/EINPROGRESS) still returns the fd, for a caller that
 * waits for it to become writable. -1 with errno set otherwise. */
int unixsock_connect(const char *path, bool pending_ok);

#endif
