/* paladin_client.c: the blocking C client of docs/protocol.md (see include/paladin_client.h). */
#define _POSIX_C_SOURCE 200809L

#include "paladin_client.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "paladin/v1/frame.pb-c.h"

#define DEFAULT_MAX_FRAME_SIZE (4u * 1024u * 1024u)
#define DEFAULT_MAX_STREAMS 100u

const uint8_t PLD_PREFACE[8] = {'P', 'L', 'D', 'N', 1, 0, 0, 0};

typedef struct pld_msg {
    struct pld_msg *next;
    size_t length;
    uint8_t data[];
} pld_msg;

struct pld_stream {
    pld_conn *conn;
    pld_stream *next;                  /* in conn->streams */
    uint32_t id;
    const ProtobufCMessageDescriptor *type;
    pld_msg *head, *tail;
    int64_t deadline_us;               /* monotonic; 0 = none */
    int ended;
    uint32_t end_code;
    char end_message[256];
    char end_field[128];
    int abandoned;                     /* cancel / deadline: drop its messages until END */
    pld_result local;                  /* PLD_ERR_CANCELLED / PLD_ERR_TIMEOUT once reported locally */
    int user_owned;                    /* 0 after pld_stream_free: the connection frees it at END */
};

struct pld_conn {
    int fd;
    uint8_t *buf;                      /* received, not yet parsed bytes */
    size_t len, cap;
    uint32_t next_id;
    uint32_t max_frame_size, max_streams, open;
    pld_stream *streams;
    int goaway;
    uint32_t goaway_code, goaway_last;
    char goaway_message[200];
    pld_result broken;                 /* PLD_OK while usable */
    uint32_t broken_code;
    char broken_message[256];
    uint8_t ping[8];
    int ping_waiting, ping_acked;
};

static const char *const CODE_NAMES[17] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

const char *pld_code_name(uint32_t code) { return code <= 16 ? CODE_NAMES[code] : "UNKNOWN"; }

const char *pld_result_name(pld_result result) {
    switch (result) {
    case PLD_OK: return "PLD_OK";
    case PLD_END_OF_STREAM: return "PLD_END_OF_STREAM";
    case PLD_ERR_STATUS: return "PLD_ERR_STATUS";
    case PLD_ERR_TIMEOUT: return "PLD_ERR_TIMEOUT";
    case PLD_ERR_CANCELLED: return "PLD_ERR_CANCELLED";
    case PLD_ERR_CLOSED: return "PLD_ERR_CLOSED";
    case PLD_ERR_IO: return "PLD_ERR_IO";
    case PLD_ERR_PROTOCOL: return "PLD_ERR_PROTOCOL";
    case PLD_ERR_NOMEM: return "PLD_ERR_NOMEM";
    case PLD_ERR_ARGUMENT: return "PLD_ERR_ARGUMENT";
    }
    return "PLD_ERR_UNKNOWN";
}

__attribute__((format(printf, 4, 5)))
static pld_result fail(pld_error *error, pld_result result, uint32_t code, const char *format, ...) {
    if (error) {
        error->result = result;
        error->code = code <= 16 ? code : PLD_CODE_UNKNOWN;
        error->field[0] = '\0';
        va_list args;
        va_start(args, format);
        vsnprintf(error->message, sizeof error->message, format, args);
        va_end(args);
    }
    return result;
}

static int64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- encoding ------------------------------------------------------------------------------ */

static void put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void pld_decode_header(const uint8_t header[PLD_HEADER_SIZE], uint32_t *length, uint8_t *type,
                       uint8_t *flags, uint32_t *stream_id) {
    *length = get_u32(header);
    *type = header[4];
    *flags = header[5];
    *stream_id = get_u32(header + 8);
}

uint8_t *pld_encode_frame(uint8_t type, uint8_t flags, uint32_t stream_id, const ProtobufCMessage *message,
                          const uint8_t *payload, size_t length, size_t *out_size) {
    if (message) length = protobuf_c_message_get_packed_size(message);
    if (length > UINT32_MAX) return NULL;
    uint8_t *frame = malloc(PLD_HEADER_SIZE + length + 1);
    if (!frame) return NULL;
    put_u32(frame, (uint32_t)length);
    frame[4] = type;
    frame[5] = flags;
    frame[6] = frame[7] = 0;
    put_u32(frame + 8, stream_id);
    if (message) protobuf_c_message_pack(message, frame + PLD_HEADER_SIZE);
    else if (length) memcpy(frame + PLD_HEADER_SIZE, payload, length);
    *out_size = PLD_HEADER_SIZE + length;
    return frame;
}

uint8_t *pld_encode_request(uint32_t stream_id, const char *method, const ProtobufCMessage *request,
                            uint64_t timeout_us, size_t n_metadata, const char *const *metadata_pairs,
                            size_t *out_size) {
    Paladin__V1__Request req = PALADIN__V1__REQUEST__INIT;
    Paladin__V1__MetadataEntry *entries = NULL, **pointers = NULL;
    uint8_t *packed = NULL, *frame = NULL;
    req.method = (char *)method;
    req.timeout_us = timeout_us;
    if (request) {
        size_t size = protobuf_c_message_get_packed_size(request);
        packed = malloc(size + 1);
        if (!packed) return NULL;
        protobuf_c_message_pack(request, packed);
        req.message.data = packed;
        req.message.len = size;
    }
    if (n_metadata) {
        entries = calloc(n_metadata, sizeof *entries);
        pointers = calloc(n_metadata, sizeof *pointers);
        if (!entries || !pointers) goto done;
        for (size_t i = 0; i < n_metadata; i++) {
            Paladin__V1__MetadataEntry init = PALADIN__V1__METADATA_ENTRY__INIT;
            entries[i] = init;
            entries[i].key = (char *)metadata_pairs[2 * i];
            entries[i].value = (char *)metadata_pairs[2 * i + 1];
            pointers[i] = &entries[i];
        }
        req.n_metadata = n_metadata;
        req.metadata = pointers;
    }
    frame = pld_encode_frame(PLD_FRAME_REQUEST, PLD_FLAG_END_STREAM, stream_id, &req.base, NULL, 0, out_size);
done:
    free(packed);
    free(entries);
    free(pointers);
    return frame;
}

/* ---- socket I/O ---------------------------------------------------------------------------- */

static void conn_break(pld_conn *conn, pld_result result, uint32_t code, const char *message) {
    if (conn->broken != PLD_OK) return;
    conn->broken = result;
    conn->broken_code = code;
    snprintf(conn->broken_message, sizeof conn->broken_message, "%s", message);
    if (conn->fd >= 0) {
        close(conn->fd);
        conn->fd = -1;
    }
}

static pld_result broken_error(pld_conn *conn, pld_error *error) {
    return fail(error, conn->broken, conn->broken_code, "%s", conn->broken_message);
}

static pld_result send_all(pld_conn *conn, const uint8_t *data, size_t size, pld_error *error) {
    if (conn->broken != PLD_OK) return broken_error(conn, error);
    while (size) {
        ssize_t n = send(conn->fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            char text[200];
            snprintf(text, sizeof text, "send failed: %s", strerror(errno));
            conn_break(conn, PLD_ERR_IO, PLD_CODE_UNAVAILABLE, text);
            return broken_error(conn, error);
        }
        data += n;
        size -= (size_t)n;
    }
    return PLD_OK;
}

static pld_result send_frame(pld_conn *conn, uint8_t type, uint8_t flags, uint32_t id,
                             const ProtobufCMessage *message, const uint8_t *payload, size_t length,
                             pld_error *error) {
    size_t size;
    uint8_t *frame = pld_encode_frame(type, flags, id, message, payload, length, &size);
    if (!frame) return fail(error, PLD_ERR_NOMEM, PLD_CODE_INTERNAL, "out of memory");
    pld_result result = send_all(conn, frame, size, error);
    free(frame);
    return result;
}

static void protocol_violation(pld_conn *conn, const char *what) {
    Paladin__V1__GoAway goaway = PALADIN__V1__GO_AWAY__INIT;
    goaway.code = PLD_CODE_INTERNAL;
    goaway.message = (char *)what;
    send_frame(conn, PLD_FRAME_GOAWAY, 0, 0, &goaway.base, NULL, 0, NULL);
    char text[256];
    snprintf(text, sizeof text, "protocol violation by the server: %s", what);
    conn_break(conn, PLD_ERR_PROTOCOL, PLD_CODE_INTERNAL, text);
}

/* Read more bytes into the buffer, waiting until deadline_us (0 = forever).
 * PLD_OK, PLD_ERR_TIMEOUT, or the connection breaks. */
static pld_result fill(pld_conn *conn, int64_t deadline_us) {
    if (conn->cap - conn->len < 65536) {
        size_t cap = conn->cap ? conn->cap * 2 : 131072;
        uint8_t *grown = realloc(conn->buf, cap);
        if (!grown) {
            conn_break(conn, PLD_ERR_NOMEM, PLD_CODE_INTERNAL, "out of memory");
            return PLD_ERR_NOMEM;
        }
        conn->buf = grown;
        conn->cap = cap;
    }
    for (;;) {
        int wait_ms = -1;
        if (deadline_us) {
            int64_t left = deadline_us - now_us();
            if (left <= 0) return PLD_ERR_TIMEOUT;
            wait_ms = (int)((left + 999) / 1000);
        }
        struct pollfd pfd = {.fd = conn->fd, .events = POLLIN};
        int ready = poll(&pfd, 1, wait_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) return PLD_ERR_TIMEOUT;
        ssize_t n = recv(conn->fd, conn->buf + conn->len, conn->cap - conn->len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n > 0) {
            conn->len += (size_t)n;
            return PLD_OK;
        }
        char text[256];
        if (n == 0 && conn->goaway && conn->goaway_code != 0) {
            snprintf(text, sizeof text, "connection closed by the server: GOAWAY %s: %s",
                     pld_code_name(conn->goaway_code), conn->goaway_message);
            uint32_t code = (conn->goaway_code == 12 || conn->goaway_code == 16) ? conn->goaway_code : PLD_CODE_UNAVAILABLE;
            conn_break(conn, PLD_ERR_CLOSED, code, text);
        } else if (n == 0) {
            conn_break(conn, PLD_ERR_CLOSED, PLD_CODE_UNAVAILABLE, "connection closed by the server");
        } else {
            snprintf(text, sizeof text, "receive failed: %s", strerror(errno));
            conn_break(conn, PLD_ERR_IO, PLD_CODE_UNAVAILABLE, text);
        }
        return conn->broken;
    }
}

/* ---- frame routing ------------------------------------------------------------------------- */

static pld_stream *find_stream(pld_conn *conn, uint32_t id) {
    for (pld_stream *s = conn->streams; s; s = s->next)
        if (s->id == id) return s;
    return NULL;
}

static void drop_messages(pld_stream *stream) {
    while (stream->head) {
        pld_msg *next = stream->head->next;
        free(stream->head);
        stream->head = next;
    }
    stream->tail = NULL;
}

static void unlink_and_free(pld_conn *conn, pld_stream *stream) {
    for (pld_stream **p = &conn->streams; *p; p = &(*p)->next) {
        if (*p == stream) {
            *p = stream->next;
            break;
        }
    }
    drop_messages(stream);
    free(stream);
}

static void route(pld_conn *conn, uint8_t type, uint8_t flags, uint32_t id, const uint8_t *payload, uint32_t length) {
    char text[128];
    switch (type) {
    case PLD_FRAME_MESSAGE: {
        pld_stream *stream = id ? find_stream(conn, id) : NULL;
        if (!stream || stream->ended) {
            snprintf(text, sizeof text, "MESSAGE on stream %u, which is not open", id);
            protocol_violation(conn, text);
            return;
        }
        if (stream->abandoned) return;
        pld_msg *msg = malloc(sizeof *msg + length + 1);
        if (!msg) {
            conn_break(conn, PLD_ERR_NOMEM, PLD_CODE_INTERNAL, "out of memory");
            return;
        }
        msg->next = NULL;
        msg->length = length;
        memcpy(msg->data, payload, length);
        if (stream->tail) stream->tail->next = msg;
        else stream->head = msg;
        stream->tail = msg;
        return;
    }
    case PLD_FRAME_END: {
        pld_stream *stream = id ? find_stream(conn, id) : NULL;
        Paladin__V1__Status *status = NULL;
        if (!stream || stream->ended) {
            snprintf(text, sizeof text, "END on stream %u, which is not open", id);
            protocol_violation(conn, text);
            return;
        }
        status = paladin__v1__status__unpack(NULL, length, payload);
        if (!status) {
            protocol_violation(conn, "malformed Status");
            return;
        }
        stream->ended = 1;
        stream->end_code = status->code <= 16 ? status->code : PLD_CODE_UNKNOWN;
        snprintf(stream->end_message, sizeof stream->end_message, "%s", status->message);
        stream->end_field[0] = '\0';
        for (size_t i = 0; i < status->n_details; i++)
            if (strcmp(status->details[i]->key, "field") == 0)
                snprintf(stream->end_field, sizeof stream->end_field, "%s", status->details[i]->value);
        paladin__v1__status__free_unpacked(status, NULL);
        conn->open--;
        if (!stream->user_owned) unlink_and_free(conn, stream);
        return;
    }
    case PLD_FRAME_PING:
        if (id != 0 || length != 8) {
            protocol_violation(conn, "bad PING");
            return;
        }
        if (!(flags & PLD_FLAG_ACK)) {
            send_frame(conn, PLD_FRAME_PING, PLD_FLAG_ACK, 0, NULL, payload, 8, NULL);
        } else if (conn->ping_waiting && memcmp(conn->ping, payload, 8) == 0) {
            conn->ping_acked = 1;
        }
        return;
    case PLD_FRAME_GOAWAY: {
        Paladin__V1__GoAway *goaway = paladin__v1__go_away__unpack(NULL, length, payload);
        if (!goaway) {
            protocol_violation(conn, "malformed GoAway");
            return;
        }
        conn->goaway = 1;
        conn->goaway_code = goaway->code;
        conn->goaway_last = goaway->last_stream_id;
        snprintf(conn->goaway_message, sizeof conn->goaway_message, "%s", goaway->message);
        paladin__v1__go_away__free_unpacked(goaway, NULL);
        return;
    }
    default:
        if (type >= 1 && type <= 7) {
            snprintf(text, sizeof text, "frame type 0x%02x from the server", type);
            protocol_violation(conn, text);
        } else if (!(flags & PLD_FLAG_IGNORABLE)) {
            snprintf(text, sizeof text, "unknown frame type 0x%02x", type);
            protocol_violation(conn, text);
        }
        return;
    }
}

/* Read and route whole frames until at least one was routed (or the deadline / a failure). */
static pld_result pump(pld_conn *conn, int64_t deadline_us) {
    for (;;) {
        if (conn->broken != PLD_OK) return conn->broken;
        size_t pos = 0;
        int routed = 0;
        while (conn->len - pos >= PLD_HEADER_SIZE) {
            uint32_t length, id;
            uint8_t type, flags;
            pld_decode_header(conn->buf + pos, &length, &type, &flags, &id);
            if (length > conn->max_frame_size) {
                char text[128];
                snprintf(text, sizeof text, "frame of %u bytes exceeds the limit of %u", length, conn->max_frame_size);
                protocol_violation(conn, text);
                return conn->broken;
            }
            if (conn->len - pos - PLD_HEADER_SIZE < length) {
                size_t need = PLD_HEADER_SIZE + (size_t)length;
                if (need > conn->cap) {
                    uint8_t *grown = realloc(conn->buf, need + 65536);
                    if (!grown) {
                        conn_break(conn, PLD_ERR_NOMEM, PLD_CODE_INTERNAL, "out of memory");
                        return conn->broken;
                    }
                    conn->buf = grown;
                    conn->cap = need + 65536;
                }
                break;
            }
            route(conn, type, flags, id, conn->buf + pos + PLD_HEADER_SIZE, length);
            pos += PLD_HEADER_SIZE + length;
            routed = 1;
            if (conn->broken != PLD_OK) return conn->broken;
        }
        if (pos) {
            memmove(conn->buf, conn->buf + pos, conn->len - pos);
            conn->len -= pos;
        }
        if (routed) return PLD_OK;
        pld_result result = fill(conn, deadline_us);
        if (result != PLD_OK) return result;
    }
}

/* ---- connection ---------------------------------------------------------------------------- */

pld_result pld_connect(const char *host, uint16_t port, const pld_connect_options *options,
                       pld_conn **out, pld_error *error) {
    if (!host || !out) return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_INVALID_ARGUMENT, "host and out are required");
    *out = NULL;
    const char *agent = options && options->agent ? options->agent : "paladin-client-c/0.1.0";
    int timeout_ms = options && options->timeout_ms > 0 ? options->timeout_ms : 10000;
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *addresses = NULL;
    int rc = getaddrinfo(host, service, &hints, &addresses);
    if (rc != 0) return fail(error, PLD_ERR_IO, PLD_CODE_UNAVAILABLE, "cannot resolve %s: %s", host, gai_strerror(rc));
    int fd = -1, saved = 0;
    for (struct addrinfo *a = addresses; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(addresses);
    if (fd < 0) return fail(error, PLD_ERR_IO, PLD_CODE_UNAVAILABLE, "cannot connect to %s:%u: %s", host, port, strerror(saved));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    pld_conn *conn = calloc(1, sizeof *conn);
    if (!conn) {
        close(fd);
        return fail(error, PLD_ERR_NOMEM, PLD_CODE_INTERNAL, "out of memory");
    }
    conn->fd = fd;
    conn->next_id = 1;
    conn->max_frame_size = DEFAULT_MAX_FRAME_SIZE;
    conn->max_streams = DEFAULT_MAX_STREAMS;

    Paladin__V1__Hello hello = PALADIN__V1__HELLO__INIT;
    hello.agent = (char *)agent;
    if (options && options->auth_token) hello.auth_token = (char *)options->auth_token;
    pld_result result = send_all(conn, PLD_PREFACE, sizeof PLD_PREFACE, error);
    if (result == PLD_OK) result = send_frame(conn, PLD_FRAME_HELLO, 0, 0, &hello.base, NULL, 0, error);
    int64_t deadline = now_us() + (int64_t)timeout_ms * 1000;
    while (result == PLD_OK && conn->len < PLD_HEADER_SIZE + (conn->len >= 4 ? get_u32(conn->buf) : 0)) {
        if (conn->len >= 4 && get_u32(conn->buf) > DEFAULT_MAX_FRAME_SIZE) {
            result = fail(error, PLD_ERR_PROTOCOL, PLD_CODE_INTERNAL, "oversized first frame from the server");
            break;
        }
        result = fill(conn, deadline);
        if (result == PLD_ERR_TIMEOUT) result = fail(error, PLD_ERR_TIMEOUT, PLD_CODE_DEADLINE_EXCEEDED, "no HELLO ACK within %d ms", timeout_ms);
        else if (result != PLD_OK) result = broken_error(conn, error);
    }
    if (result == PLD_OK) {
        uint32_t length, id;
        uint8_t type, flags;
        pld_decode_header(conn->buf, &length, &type, &flags, &id);
        const uint8_t *payload = conn->buf + PLD_HEADER_SIZE;
        if (type == PLD_FRAME_GOAWAY) {
            Paladin__V1__GoAway *goaway = paladin__v1__go_away__unpack(NULL, length, payload);
            uint32_t code = goaway ? goaway->code : PLD_CODE_INTERNAL;
            result = fail(error, PLD_ERR_CLOSED, (code == 12 || code == 16) ? code : PLD_CODE_UNAVAILABLE,
                          "the server refused the connection: GOAWAY %s: %s", pld_code_name(code),
                          goaway ? goaway->message : "(malformed)");
            if (goaway) paladin__v1__go_away__free_unpacked(goaway, NULL);
        } else if (type != PLD_FRAME_HELLO || !(flags & PLD_FLAG_ACK) || id != 0) {
            result = fail(error, PLD_ERR_PROTOCOL, PLD_CODE_INTERNAL, "expected HELLO ACK, got frame type 0x%02x", type);
        } else {
            Paladin__V1__Hello *ack = paladin__v1__hello__unpack(NULL, length, payload);
            if (!ack) {
                result = fail(error, PLD_ERR_PROTOCOL, PLD_CODE_INTERNAL, "malformed Hello from the server");
            } else {
                if (ack->max_frame_size > conn->max_frame_size) conn->max_frame_size = ack->max_frame_size;
                if (ack->max_concurrent_streams) conn->max_streams = ack->max_concurrent_streams;
                paladin__v1__hello__free_unpacked(ack, NULL);
                size_t used = PLD_HEADER_SIZE + length;
                memmove(conn->buf, conn->buf + used, conn->len - used);
                conn->len -= used;
            }
        }
    }
    if (result != PLD_OK) {
        pld_conn_close(conn);
        return result;
    }
    *out = conn;
    return PLD_OK;
}

void pld_conn_close(pld_conn *conn) {
    if (!conn) return;
    if (conn->fd >= 0) close(conn->fd);
    while (conn->streams) {
        pld_stream *next = conn->streams->next;
        drop_messages(conn->streams);
        if (conn->streams->user_owned) conn->streams->conn = NULL; /* the user still frees it */
        else free(conn->streams);
        conn->streams = next;
    }
    free(conn->buf);
    free(conn);
}

uint32_t pld_conn_max_concurrent_streams(const pld_conn *conn) { return conn->max_streams; }
uint32_t pld_conn_max_frame_size(const pld_conn *conn) { return conn->max_frame_size; }
uint32_t pld_conn_open_streams(const pld_conn *conn) { return conn->open; }

/* ---- calls --------------------------------------------------------------------------------- */

pld_result pld_stream_open(pld_conn *conn, const char *method, const ProtobufCMessage *request,
                           const ProtobufCMessageDescriptor *response_type, uint64_t timeout_us,
                           pld_stream **out, pld_error *error) {
    if (!conn || !method || !response_type || !out)
        return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_INVALID_ARGUMENT, "conn, method, response_type and out are required");
    *out = NULL;
    if (conn->broken != PLD_OK) return broken_error(conn, error);
    if (conn->goaway)
        return fail(error, PLD_ERR_CLOSED, PLD_CODE_UNAVAILABLE, "connection is going away (GOAWAY %s: %s)",
                    pld_code_name(conn->goaway_code), conn->goaway_message);
    if (conn->open >= conn->max_streams)
        return fail(error, PLD_ERR_CLOSED, PLD_CODE_RESOURCE_EXHAUSTED, "%u streams open: the server's limit", conn->open);
    if (conn->next_id == 0)
        return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_UNAVAILABLE, "stream ids exhausted; open a new connection");
    pld_stream *stream = calloc(1, sizeof *stream);
    if (!stream) return fail(error, PLD_ERR_NOMEM, PLD_CODE_INTERNAL, "out of memory");
    size_t size;
    uint8_t *frame = pld_encode_request(conn->next_id, method, request, timeout_us, 0, NULL, &size);
    if (!frame) {
        free(stream);
        return fail(error, PLD_ERR_NOMEM, PLD_CODE_INTERNAL, "out of memory");
    }
    stream->conn = conn;
    stream->id = conn->next_id;
    stream->type = response_type;
    stream->user_owned = 1;
    stream->deadline_us = timeout_us ? now_us() + (int64_t)timeout_us : 0;
    conn->next_id = conn->next_id == 0xffffffffu ? 0 : conn->next_id + 2;
    stream->next = conn->streams;
    conn->streams = stream;
    conn->open++;
    pld_result result = send_all(conn, frame, size, error);
    free(frame);
    if (result != PLD_OK) {
        conn->open--;
        unlink_and_free(conn, stream);
        return result;
    }
    *out = stream;
    return PLD_OK;
}

static void abandon(pld_stream *stream, pld_result why) {
    stream->local = why;
    drop_messages(stream);
    if (stream->ended || stream->abandoned || !stream->conn) return;
    stream->abandoned = 1;
    send_frame(stream->conn, PLD_FRAME_CANCEL, 0, stream->id, NULL, NULL, 0, NULL);
}

pld_result pld_stream_next(pld_stream *stream, ProtobufCMessage **message, pld_error *error) {
    if (!stream || !message) return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_INVALID_ARGUMENT, "stream and message are required");
    *message = NULL;
    for (;;) {
        if (stream->local == PLD_ERR_CANCELLED) return fail(error, PLD_ERR_CANCELLED, PLD_CODE_CANCELLED, "cancelled by the client (locally)");
        if (stream->local == PLD_ERR_TIMEOUT) return fail(error, PLD_ERR_TIMEOUT, PLD_CODE_DEADLINE_EXCEEDED, "deadline exceeded (client)");
        if (stream->head) {
            pld_msg *msg = stream->head;
            stream->head = msg->next;
            if (!stream->head) stream->tail = NULL;
            *message = protobuf_c_message_unpack(stream->type, NULL, msg->length, msg->data);
            free(msg);
            if (!*message) return fail(error, PLD_ERR_PROTOCOL, PLD_CODE_INTERNAL, "undecodable %s from the server", stream->type->name);
            return PLD_OK;
        }
        if (stream->ended) {
            if (stream->end_code == 0) return PLD_END_OF_STREAM;
            pld_result result = fail(error, PLD_ERR_STATUS, stream->end_code, "%s", stream->end_message);
            if (error) snprintf(error->field, sizeof error->field, "%s", stream->end_field);
            return result;
        }
        if (!stream->conn) return fail(error, PLD_ERR_CLOSED, PLD_CODE_UNAVAILABLE, "connection closed");
        pld_result result = pump(stream->conn, stream->deadline_us);
        if (result == PLD_ERR_TIMEOUT) {
            abandon(stream, PLD_ERR_TIMEOUT);
            continue;
        }
        if (result != PLD_OK) return broken_error(stream->conn, error);
    }
}

pld_result pld_stream_cancel(pld_stream *stream, pld_error *error) {
    if (!stream) return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_INVALID_ARGUMENT, "stream is required");
    if (stream->ended || stream->local != PLD_OK) return PLD_OK;
    abandon(stream, PLD_ERR_CANCELLED);
    if (stream->conn && stream->conn->broken != PLD_OK) return broken_error(stream->conn, error);
    return PLD_OK;
}

pld_result pld_stream_wait_end(pld_stream *stream, int timeout_ms, uint32_t *code, pld_error *error) {
    if (!stream) return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_INVALID_ARGUMENT, "stream is required");
    int64_t deadline = timeout_ms > 0 ? now_us() + (int64_t)timeout_ms * 1000 : 0;
    while (!stream->ended) {
        if (!stream->conn) return fail(error, PLD_ERR_CLOSED, PLD_CODE_UNAVAILABLE, "connection closed");
        drop_messages(stream);
        pld_result result = pump(stream->conn, deadline);
        if (result == PLD_ERR_TIMEOUT) return fail(error, PLD_ERR_TIMEOUT, PLD_CODE_DEADLINE_EXCEEDED, "no END within %d ms", timeout_ms);
        if (result != PLD_OK) return broken_error(stream->conn, error);
    }
    if (code) *code = stream->end_code;
    return PLD_OK;
}

void pld_stream_free(pld_stream *stream) {
    if (!stream) return;
    pld_conn *conn = stream->conn;
    if (!conn) {  /* the connection was closed first */
        drop_messages(stream);
        free(stream);
        return;
    }
    if (stream->ended || conn->broken != PLD_OK) {
        if (!stream->ended) conn->open--;
        unlink_and_free(conn, stream);
        return;
    }
    abandon(stream, PLD_ERR_CANCELLED);
    stream->user_owned = 0;  /* freed by route() at its END, or by pld_conn_close */
}

pld_result pld_unary(pld_conn *conn, const char *method, const ProtobufCMessage *request,
                     const ProtobufCMessageDescriptor *response_type, uint64_t timeout_us,
                     ProtobufCMessage **response, pld_error *error) {
    if (!response) return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_INVALID_ARGUMENT, "response is required");
    *response = NULL;
    pld_stream *stream;
    pld_result result = pld_stream_open(conn, method, request, response_type, timeout_us, &stream, error);
    if (result != PLD_OK) return result;
    ProtobufCMessage *first = NULL, *extra = NULL;
    result = pld_stream_next(stream, &first, error);
    if (result == PLD_END_OF_STREAM) {
        result = fail(error, PLD_ERR_PROTOCOL, PLD_CODE_INTERNAL, "unary call ended OK without a message");
    } else if (result == PLD_OK) {
        pld_result end = pld_stream_next(stream, &extra, error);
        if (end == PLD_END_OF_STREAM) {
            *response = first;
            first = NULL;
        } else {
            result = end == PLD_OK ? fail(error, PLD_ERR_PROTOCOL, PLD_CODE_INTERNAL, "unary call answered with more than one message") : end;
        }
    }
    if (first) protobuf_c_message_free_unpacked(first, NULL);
    if (extra) protobuf_c_message_free_unpacked(extra, NULL);
    pld_stream_free(stream);
    return result;
}

pld_result pld_ping(pld_conn *conn, int timeout_ms, uint64_t *rtt_us, pld_error *error) {
    if (!conn) return fail(error, PLD_ERR_ARGUMENT, PLD_CODE_INVALID_ARGUMENT, "conn is required");
    int64_t start = now_us();
    for (int i = 0; i < 8; i++) conn->ping[i] = (uint8_t)(start >> (8 * i));
    conn->ping_waiting = 1;
    conn->ping_acked = 0;
    pld_result result = send_frame(conn, PLD_FRAME_PING, 0, 0, NULL, conn->ping, 8, error);
    int64_t deadline = start + (int64_t)(timeout_ms > 0 ? timeout_ms : 10000) * 1000;
    while (result == PLD_OK && !conn->ping_acked) {
        result = pump(conn, deadline);
        if (result == PLD_ERR_TIMEOUT) result = fail(error, PLD_ERR_TIMEOUT, PLD_CODE_DEADLINE_EXCEEDED, "no PING ACK in time");
        else if (result != PLD_OK) result = broken_error(conn, error);
    }
    conn->ping_waiting = 0;
    if (result == PLD_OK && rtt_us) *rtt_us = (uint64_t)(now_us() - start);
    return result;
}
