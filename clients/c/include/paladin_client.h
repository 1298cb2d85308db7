/*
 * paladin_client.h: a small, blocking C client of the Paladin wire protocol 1.0
 * (docs/protocol.md), on the protobuf-c code generated in Sources/CPaladinProto.
 *
 * One pld_conn is one TCP connection carrying many calls (streams with increasing odd ids).
 * The library is single-threaded: use a connection from one thread at a time. Frames of other
 * calls that arrive while you wait on one are queued on their stream; PINGs are answered.
 *
 * Every function that can fail returns a pld_result and fills the optional pld_error: the
 * result says what kind of failure, `code` the gRPC status code (0-16), `message` a text.
 */
#ifndef PALADIN_CLIENT_H
#define PALADIN_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What happened. Only PLD_OK and PLD_END_OF_STREAM are successes. */
typedef enum {
    PLD_OK = 0,
    PLD_END_OF_STREAM = 1,   /* pld_stream_next: the call ended OK, no more responses */
    PLD_ERR_STATUS = 2,      /* the server ended the call with a non-OK status (code, message) */
    PLD_ERR_TIMEOUT = 3,     /* the local deadline passed (code 4 DEADLINE_EXCEEDED); CANCEL was sent */
    PLD_ERR_CANCELLED = 4,   /* the stream was cancelled locally (code 1 CANCELLED) */
    PLD_ERR_CLOSED = 5,      /* the connection is gone, or going away after GOAWAY (code 14, or the GOAWAY's 12/16) */
    PLD_ERR_IO = 6,          /* connect/send/receive failed (errno text in message; code 14 UNAVAILABLE) */
    PLD_ERR_PROTOCOL = 7,    /* the server broke the protocol; the connection was closed (code 13) */
    PLD_ERR_NOMEM = 8,       /* out of memory */
    PLD_ERR_ARGUMENT = 9     /* bad argument (NULL, unencodable message, stream ids exhausted) */
} pld_result;

/* gRPC status codes (docs/protocol.md section 8). */
enum {
    PLD_CODE_OK = 0, PLD_CODE_CANCELLED = 1, PLD_CODE_UNKNOWN = 2, PLD_CODE_INVALID_ARGUMENT = 3,
    PLD_CODE_DEADLINE_EXCEEDED = 4, PLD_CODE_NOT_FOUND = 5, PLD_CODE_ALREADY_EXISTS = 6,
    PLD_CODE_PERMISSION_DENIED = 7, PLD_CODE_RESOURCE_EXHAUSTED = 8, PLD_CODE_FAILED_PRECONDITION = 9,
    PLD_CODE_ABORTED = 10, PLD_CODE_OUT_OF_RANGE = 11, PLD_CODE_UNIMPLEMENTED = 12, PLD_CODE_INTERNAL = 13,
    PLD_CODE_UNAVAILABLE = 14, PLD_CODE_DATA_LOSS = 15, PLD_CODE_UNAUTHENTICATED = 16
};

/* Details of a failure. `code` is a gRPC status code; codes above 16 are reported as 2. */
typedef struct {
    pld_result result;
    uint32_t code;
    char message[256];
    char field[128];          /* Status.details "field" of an INVALID_ARGUMENT, else "" */
} pld_error;

typedef struct pld_conn pld_conn;
typedef struct pld_stream pld_stream;

/* Options of pld_connect; NULL means all defaults. */
typedef struct {
    const char *agent;        /* Hello.agent; default "paladin-client-c/0.1.0" */
    const char *auth_token;   /* Hello.auth_token; default none */
    int timeout_ms;           /* connect + handshake; 0 means 10000 */
} pld_connect_options;

/* Names for logs: "PLD_ERR_STATUS", "NOT_FOUND". */
const char *pld_result_name(pld_result result);
const char *pld_code_name(uint32_t code);

/* Connect, send the preface and HELLO, wait for HELLO ACK. */
pld_result pld_connect(const char *host, uint16_t port, const pld_connect_options *options,
                       pld_conn **out, pld_error *error);
/* Close the connection and free it, with every stream still tracked. NULL is allowed. */
void pld_conn_close(pld_conn *conn);
/* The limits of the HELLO ACK. */
uint32_t pld_conn_max_concurrent_streams(const pld_conn *conn);
uint32_t pld_conn_max_frame_size(const pld_conn *conn);
/* Streams sent and not yet ended by the server. */
uint32_t pld_conn_open_streams(const pld_conn *conn);

/* A unary call. On PLD_OK *response holds the decoded response: free it with
 * protobuf_c_message_free_unpacked(*response, NULL). timeout_us 0 = no deadline. */
pld_result pld_unary(pld_conn *conn, const char *method, const ProtobufCMessage *request,
                     const ProtobufCMessageDescriptor *response_type, uint64_t timeout_us,
                     ProtobufCMessage **response, pld_error *error);

/* Start a server-streaming call. Fails with PLD_ERR_CLOSED when max_concurrent_streams
 * streams are open (the library does not queue; end or cancel one first). */
pld_result pld_stream_open(pld_conn *conn, const char *method, const ProtobufCMessage *request,
                           const ProtobufCMessageDescriptor *response_type, uint64_t timeout_us,
                           pld_stream **out, pld_error *error);
/* The next response (PLD_OK, *message set, free it with protobuf_c_message_free_unpacked),
 * PLD_END_OF_STREAM when the call ended OK, or an error (the call is over). */
pld_result pld_stream_next(pld_stream *stream, ProtobufCMessage **message, pld_error *error);
/* Send CANCEL; pld_stream_next then returns PLD_ERR_CANCELLED. */
pld_result pld_stream_cancel(pld_stream *stream, pld_error *error);
/* Wait for the server's END of a cancelled or timed-out stream; its status code in *code. */
pld_result pld_stream_wait_end(pld_stream *stream, int timeout_ms, uint32_t *code, pld_error *error);
/* Free a stream. If it is still open, CANCEL is sent and the connection drops its frames. */
void pld_stream_free(pld_stream *stream);

/* PING the server and wait for the ACK; the round trip in microseconds in *rtt_us. */
pld_result pld_ping(pld_conn *conn, int timeout_ms, uint64_t *rtt_us, pld_error *error);

/* Frame encoding (for tests and tools): header + payload into a malloc'd buffer. */
#define PLD_HEADER_SIZE 12
#define PLD_FRAME_HELLO 0x01
#define PLD_FRAME_REQUEST 0x02
#define PLD_FRAME_MESSAGE 0x03
#define PLD_FRAME_END 0x04
#define PLD_FRAME_CANCEL 0x05
#define PLD_FRAME_PING 0x06
#define PLD_FRAME_GOAWAY 0x07
#define PLD_FLAG_END_STREAM 0x01
#define PLD_FLAG_ACK 0x02
#define PLD_FLAG_IGNORABLE 0x80
extern const uint8_t PLD_PREFACE[8];
/* Encode one frame whose payload is `message` packed (NULL: raw `payload`/`length`). */
uint8_t *pld_encode_frame(uint8_t type, uint8_t flags, uint32_t stream_id, const ProtobufCMessage *message,
                          const uint8_t *payload, size_t length, size_t *out_size);
/* Encode a REQUEST frame (END_STREAM) for `method` with the packed `request`. */
uint8_t *pld_encode_request(uint32_t stream_id, const char *method, const ProtobufCMessage *request,
                            uint64_t timeout_us, size_t n_metadata, const char *const *metadata_pairs,
                            size_t *out_size);
/* Read a 12-byte header. */
void pld_decode_header(const uint8_t header[PLD_HEADER_SIZE], uint32_t *length, uint8_t *type,
                       uint8_t *flags, uint32_t *stream_id);

#ifdef __cplusplus
}
#endif

#endif
