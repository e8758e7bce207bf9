#ifndef ENTENTE_CLINUX_SHIM_H
#define ENTENTE_CLINUX_SHIM_H
// Linux APIs that Glibc's Swift module leaves out (all in libc: nothing to link).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// glibc declares accept4 only under _GNU_SOURCE, which would change other
// declarations under Glibc's Swift module; its prototype is stable, so state it here.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

static inline int clinux_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}
#endif
