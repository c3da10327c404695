/* noop: a FastCGI program that answers 2 KB and nothing else; the
 * benchmark's reference for what our own code costs on top of libfcgi. */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	static char body[2048];
	memset(body, 'x', sizeof(body));
	const char *path = getenv("SOUK_SOCKET");
	const char *w = getenv("SOUK_WORKERS");
	int workers = w ? (int)strtol(w, NULL, 10) : 2;
	if (!path || workers < 1 || workers > 64)
		return 2;
	FCGX_Init();
	unlink(path);
	int fd = FCGX_OpenSocket(path, 1024);
	if (fd < 0)
		return 1;
	chmod(path, 0666);
	for (int i = 0; i < workers; i++) {
		if (fork() == 0) {
			FCGX_Request r;
			FCGX_InitRequest(&r, fd, 0);
			while (FCGX_Accept_r(&r) >= 0) {
				FCGX_FPrintF(r.out, "Status: 200 OK\r\nContent-Type: text/plain\r\n"
				                    "Content-Length: %d\r\n\r\n", (int)sizeof(body));
				FCGX_PutStr(body, sizeof(body), r.out);
				FCGX_Finish_r(&r);
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
