/*
 * The minimal raw client the exporter's poll is compared with: one blocking unix socket, one
 * request at a time, no JSON parsing beyond "is this line a return or an error".
 *
 *   rawclient [--session per-poll|once] SOCKET POLLS INTERVAL_MS INFO_EVERY COMMAND...
 *
 * per-poll (the default, as the exporter's `connection: short`): every poll connects, syncs
 * (0xFF + guest-sync-delimited), runs its commands and closes, all timed. once: connects and
 * syncs once before the first poll (not timed) and keeps the connection.
 * Runs POLLS polls on a fixed schedule, one every INTERVAL_MS. A poll sends guest-info first when its index is a multiple of
 * INFO_EVERY (as the exporter re-asks every 20th poll), then each COMMAND in order, and waits for
 * each reply line before sending the next request. Prints one line per poll: "poll NANOSECONDS".
 * Exits non-zero if the agent answers any command with an error, so a disabled command cannot
 * make the baseline look cheaper than the exporter's poll.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Large enough for any reply qemu-ga gives to the polled commands on a real host. */
#define REPLY_CAPACITY (16 * 1024 * 1024)

static char *reply;
static size_t reply_length;  /* bytes of the current line, without '\n' */
static char pending[65536];  /* bytes read past the end of the previous line */
static size_t pending_length;

static void die(const char *what) {
    fprintf(stderr, "rawclient: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(1);
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t sent = write(fd, data, length);
        if (sent < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        data += sent;
        length -= (size_t)sent;
    }
}

/* Reads one '\n'-terminated line into `reply`, keeping what follows it for the next call. */
static void read_line(int fd) {
    reply_length = 0;
    for (;;) {
        char *newline = memchr(pending, '\n', pending_length);
        size_t take = newline ? (size_t)(newline - pending) : pending_length;
        if (reply_length + take > REPLY_CAPACITY) { errno = 0; die("reply too large"); }
        memcpy(reply + reply_length, pending, take);
        reply_length += take;
        if (newline) {
            size_t rest = pending_length - take - 1;
            memmove(pending, newline + 1, rest);
            pending_length = rest;
            return;
        }
        pending_length = 0;
        ssize_t got = read(fd, pending, sizeof pending);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) { if (got == 0) errno = 0; die("read (agent closed the connection?)"); }
        pending_length = (size_t)got;
    }
}

static long long request_id = 1000;

static void call(int fd, const char *command) {
    char request[256];
    int length = snprintf(request, sizeof request, "{\"execute\":\"%s\",\"id\":%lld}\n", command, ++request_id);
    send_all(fd, request, (size_t)length);
    read_line(fd);
    /* qemu-ga writes {"return": ...} or {"error": ...}, the echoed "id" member first or last:
       skip '{', spaces and a leading "id": N, then the next key must be "return". */
    size_t at = 0;
    while (at < reply_length && (reply[at] == '{' || reply[at] == ' ')) at++;
    if (reply_length - at > 5 && memcmp(reply + at, "\"id\":", 5) == 0) {
        at += 5;
        while (at < reply_length && reply[at] != ',') at++;
        while (at < reply_length && (reply[at] == ',' || reply[at] == ' ')) at++;
    }
    if (reply_length - at < 8 || memcmp(reply + at, "\"return\"", 8) != 0) {
        fprintf(stderr, "rawclient: %s answered: %.*s\n", command, (int)(reply_length < 300 ? reply_length : 300), reply);
        exit(2);
    }
}

/* 0xFF then guest-sync-delimited: skip everything up to the 0xFF the agent puts before its answer. */
static void sync_stream(int fd) {
    const char *request = "\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":4242}}\n";
    send_all(fd, request, strlen(request));
    for (;;) {
        read_line(fd);
        char *sentinel = memchr(reply, 0xff, reply_length);
        if (sentinel && strstr(sentinel + 1, "4242")) return;
    }
}

/* Connects and syncs: the start of a session. */
static int open_session(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) { errno = 0; die("socket path too long"); }
    strcpy(address.sun_path, path);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) die("connect");
    pending_length = 0;
    sync_stream(fd);
    return fd;
}

int main(int argc, char **argv) {
    int per_poll = 1;
    if (argc > 2 && strcmp(argv[1], "--session") == 0) {
        per_poll = strcmp(argv[2], "once") != 0;
        argv += 2;
        argc -= 2;
    }
    if (argc < 6) {
        fprintf(stderr, "usage: rawclient [--session per-poll|once] SOCKET POLLS INTERVAL_MS INFO_EVERY COMMAND...\n");
        return 64;
    }
    const char *path = argv[1];
    long polls = atol(argv[2]);
    long interval_ms = atol(argv[3]);
    long info_every = atol(argv[4]);
    reply = malloc(REPLY_CAPACITY + 1);
    if (!reply) die("malloc");

    int fd = per_poll ? -1 : open_session(path);
    uint64_t next = now_ns();
    for (long poll = 0; poll < polls; poll++) {
        uint64_t started = now_ns();
        if (per_poll) fd = open_session(path);
        if (info_every > 0 && poll % info_every == 0) call(fd, "guest-info");
        for (int i = 5; i < argc; i++) call(fd, argv[i]);
        if (per_poll) { close(fd); fd = -1; }
        printf("poll %llu\n", (unsigned long long)(now_ns() - started));
        fflush(stdout);
        /* Keep to the schedule, like the exporter's worker. */
        next += (uint64_t)interval_ms * 1000000u;
        uint64_t current = now_ns();
        if (next > current) {
            uint64_t wait = next - current;
            struct timespec pause = {.tv_sec = (time_t)(wait / 1000000000u), .tv_nsec = (long)(wait % 1000000000u)};
            while (nanosleep(&pause, &pause) < 0 && errno == EINTR) {}
        } else {
            next = current;
        }
    }
    if (fd >= 0) close(fd);
    return 0;
}
