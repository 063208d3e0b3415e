/*
 * Keep-alive HTTP load client for /metrics: CONNECTIONS threads, each on one connection,
 * send GET /metrics with the given headers, read the whole response (Content-Length framed),
 * and time every request with CLOCK_MONOTONIC from the first byte sent to the last byte read.
 * Prints one "latency NANOSECONDS" line per request and "wall NANOSECONDS" at the end.
 *
 *   loadclient PORT CONNECTIONS SECONDS [HEADER...]     e.g. 'Accept-Encoding: gzip'
 *
 * It replaces a Python client whose own per-byte cost (and the GIL across threads) became most
 * of the measured latency for 12 MB bodies; wrk's latencies break Little's law here.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port;
static int64_t stop_at;
static char request[8192];
static size_t request_length;

struct worker {
    pthread_t thread;
    int64_t *latencies;
    size_t count, capacity;
    const char *error;
};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int connect_loopback(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return -1;
        data += sent;
        length -= (size_t)sent;
    }
    return 0;
}

/* Reads one response; returns 0 on a complete 200 response. `buffer` holds at least 1 MiB. */
static const char *read_response(int fd, char *buffer, size_t size) {
    size_t have = 0;
    char *end_of_head = NULL;
    while (!end_of_head) {
        if (have == size - 1) return "response head too large";
        ssize_t got = recv(fd, buffer + have, size - 1 - have, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return "connection closed before the response head";
        have += (size_t)got;
        buffer[have] = 0;
        end_of_head = strstr(buffer, "\r\n\r\n");
    }
    if (strncmp(buffer, "HTTP/1.1 200", 12) != 0) return "status is not 200";
    size_t head = (size_t)(end_of_head + 4 - buffer);
    long long body = -1;
    for (char *line = strstr(buffer, "\r\n"); line && line < end_of_head; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "content-length:", 15) == 0) body = atoll(line + 17);
    }
    if (body < 0) return "no Content-Length";
    long long remaining = body - (long long)(have - head);
    while (remaining > 0) {
        ssize_t got = recv(fd, buffer, size, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return "connection closed mid-body";
        remaining -= got;
    }
    return remaining == 0 ? NULL : "more bytes than Content-Length";
}

static void *run(void *argument) {
    struct worker *worker = argument;
    size_t size = 1 << 20;
    char *buffer = malloc(size);
    int fd = connect_loopback();
    if (fd < 0 || !buffer) {
        worker->error = "cannot connect";
        free(buffer);
        return NULL;
    }
    while (now_ns() < stop_at) {
        int64_t started = now_ns();
        if (send_all(fd, request, request_length) != 0) {
            worker->error = "cannot send the request";
            break;
        }
        worker->error = read_response(fd, buffer, size);
        if (worker->error) break;
        if (worker->count == worker->capacity) {
            worker->capacity = worker->capacity ? 2 * worker->capacity : 4096;
            worker->latencies = realloc(worker->latencies, worker->capacity * sizeof *worker->latencies);
        }
        worker->latencies[worker->count++] = now_ns() - started;
    }
    close(fd);
    free(buffer);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT CONNECTIONS SECONDS [HEADER...]\n", argv[0]);
        return 2;
    }
    port = atoi(argv[1]);
    int connections = atoi(argv[2]);
    double seconds = atof(argv[3]);
    if (port <= 0 || connections <= 0 || seconds <= 0) {
        fprintf(stderr, "loadclient: bad arguments\n");
        return 2;
    }
    int length = snprintf(request, sizeof request, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", port);
    for (int i = 4; i < argc; i++) {
        length += snprintf(request + length, sizeof request - (size_t)length, "%s\r\n", argv[i]);
    }
    length += snprintf(request + length, sizeof request - (size_t)length, "\r\n");
    if ((size_t)length >= sizeof request) {
        fprintf(stderr, "loadclient: headers too long\n");
        return 2;
    }
    request_length = (size_t)length;

    struct worker *workers = calloc((size_t)connections, sizeof *workers);
    int64_t started = now_ns();
    stop_at = started + (int64_t)(seconds * 1e9);
    for (int i = 0; i < connections; i++) pthread_create(&workers[i].thread, NULL, run, &workers[i]);
    int failed = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(workers[i].thread, NULL);
        if (workers[i].error) {
            fprintf(stderr, "loadclient: connection %d: %s\n", i, workers[i].error);
            failed = 1;
        }
    }
    int64_t wall = now_ns() - started;
    for (int i = 0; i < connections; i++) {
        for (size_t j = 0; j < workers[i].count; j++) printf("latency %lld\n", (long long)workers[i].latencies[j]);
    }
    printf("wall %lld\n", (long long)wall);
    return failed;
}
