/* paladin-example: Health/Check, ServerInfo/Get, a Health/Watch stream (cancelled, then one
 * with a deadline), a garrison Append + History, the errors NOT_FOUND and UNIMPLEMENTED and,
 * given a battalion, a run started with StartRun and followed with GetRun until it ends.
 * Usage: paladin-example [host] [port] [battalion]. Exits 0 when every step behaved as the
 * protocol says. */
#define _POSIX_C_SOURCE 200809L /* nanosleep, getpid */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "paladin_client.h"
#include "paladin/v1/battalion.pb-c.h"
#include "paladin/v1/garrison.pb-c.h"
#include "paladin/v1/health.pb-c.h"
#include "paladin/v1/server_info.pb-c.h"

#define CHECK(cond, ...)                                 \
    do {                                                 \
        if (!(cond)) {                                   \
            fprintf(stderr, "FAILED: " __VA_ARGS__);     \
            fprintf(stderr, "\n");                       \
            failures++;                                  \
        }                                                \
    } while (0)

static int failures = 0;

static void report(const char *what, pld_result result, const pld_error *error) {
    printf("%s: %s", what, pld_result_name(result));
    if (result != PLD_OK && result != PLD_END_OF_STREAM)
        printf(" %s \"%s\"%s%s", pld_code_name(error->code), error->message, error->field[0] ? " field=" : "", error->field);
    printf("\n");
}

static void health_and_info(pld_conn *conn) {
    pld_error error;
    Paladin__V1__HealthCheckRequest request = PALADIN__V1__HEALTH_CHECK_REQUEST__INIT;
    ProtobufCMessage *response = NULL;
    pld_result result = pld_unary(conn, "paladin.v1.Health/Check", &request.base,
                                  &paladin__v1__health_check_response__descriptor, 5000000, &response, &error);
    report("health check", result, &error);
    CHECK(result == PLD_OK, "Health/Check");
    if (response) {
        Paladin__V1__HealthCheckResponse *health = (Paladin__V1__HealthCheckResponse *)response;
        printf("health status: %d\n", health->status);
        CHECK(health->status == PALADIN__V1__SERVING_STATUS__SERVING_STATUS_SERVING, "status SERVING");
        protobuf_c_message_free_unpacked(response, NULL);
    }

    Paladin__V1__ServerInfoRequest info_request = PALADIN__V1__SERVER_INFO_REQUEST__INIT;
    result = pld_unary(conn, "paladin.v1.ServerInfo/Get", &info_request.base,
                       &paladin__v1__server_info_response__descriptor, 0, &response, &error);
    report("server info", result, &error);
    CHECK(result == PLD_OK, "ServerInfo/Get");
    if (response) {
        Paladin__V1__ServerInfoResponse *info = (Paladin__V1__ServerInfoResponse *)response;
        size_t implemented = 0;
        for (size_t i = 0; i < info->n_methods; i++) implemented += info->methods[i]->implemented;
        printf("server version %s, protocol %u.%u, %zu methods (%zu implemented), max streams %u\n", info->version,
               info->protocol_major, info->protocol_minor, info->n_methods, implemented,
               info->limits ? info->limits->max_concurrent_streams : 0);
        CHECK(info->protocol_major == 1 && info->n_methods >= 25, "ServerInfo content");
        protobuf_c_message_free_unpacked(response, NULL);
    }
}

static void watch(pld_conn *conn) {
    pld_error error;
    Paladin__V1__HealthCheckRequest request = PALADIN__V1__HEALTH_CHECK_REQUEST__INIT;
    pld_stream *stream = NULL;
    pld_result result = pld_stream_open(conn, "paladin.v1.Health/Watch", &request.base,
                                        &paladin__v1__health_check_response__descriptor, 0, &stream, &error);
    CHECK(result == PLD_OK, "Health/Watch open");
    if (result != PLD_OK) return;
    ProtobufCMessage *message = NULL;
    result = pld_stream_next(stream, &message, &error);
    report("watch first", result, &error);
    CHECK(result == PLD_OK, "Watch first message");
    if (message) {
        printf("watch status: %d\n", ((Paladin__V1__HealthCheckResponse *)message)->status);
        protobuf_c_message_free_unpacked(message, NULL);
    }
    pld_stream_cancel(stream, &error);
    result = pld_stream_next(stream, &message, &error);
    report("watch after cancel", result, &error);
    CHECK(result == PLD_ERR_CANCELLED && error.code == PLD_CODE_CANCELLED, "Watch cancelled locally");
    uint32_t code = 99;
    result = pld_stream_wait_end(stream, 10000, &code, &error);
    printf("watch server end: %s\n", pld_code_name(code));
    CHECK(result == PLD_OK && code == PLD_CODE_CANCELLED, "server END CANCELLED");
    pld_stream_free(stream);

    /* A deadline of 200 ms on a stream that never ends by itself. */
    result = pld_stream_open(conn, "paladin.v1.Health/Watch", &request.base,
                             &paladin__v1__health_check_response__descriptor, 200000, &stream, &error);
    CHECK(result == PLD_OK, "Watch with deadline open");
    if (result != PLD_OK) return;
    int messages = 0;
    while ((result = pld_stream_next(stream, &message, &error)) == PLD_OK) {
        messages++;
        protobuf_c_message_free_unpacked(message, NULL);
    }
    report("watch with a 200 ms deadline", result, &error);
    CHECK(messages == 1 && error.code == PLD_CODE_DEADLINE_EXCEEDED, "deadline exceeded after one message");
    pld_stream_free(stream); /* still open on the server side: freed when its END arrives */
}

static void garrison(pld_conn *conn) {
    pld_error error;
    char session[64];
    snprintf(session, sizeof session, "c-example-%ld", (long)getpid());
    Paladin__V1__GarrisonEntry entries[2] = {PALADIN__V1__GARRISON_ENTRY__INIT, PALADIN__V1__GARRISON_ENTRY__INIT};
    Paladin__V1__GarrisonEntry *pointers[2] = {&entries[0], &entries[1]};
    entries[0].role = PALADIN__V1__ROLE__ROLE_USER;
    entries[0].content = "h\xc3\xa9llo from C";
    entries[1].role = PALADIN__V1__ROLE__ROLE_ASSISTANT;
    entries[1].content = "hello, C caller";
    Paladin__V1__AppendRequest append = PALADIN__V1__APPEND_REQUEST__INIT;
    append.session_id = session;
    append.n_entries = 2;
    append.entries = pointers;
    ProtobufCMessage *response = NULL;
    pld_result result = pld_unary(conn, "paladin.v1.GarrisonService/Append", &append.base,
                                  &paladin__v1__append_response__descriptor, 0, &response, &error);
    report("garrison append", result, &error);
    CHECK(result == PLD_OK && ((Paladin__V1__AppendResponse *)response)->n_ids == 2, "Append");
    if (response) protobuf_c_message_free_unpacked(response, NULL);

    Paladin__V1__HistoryRequest history = PALADIN__V1__HISTORY_REQUEST__INIT;
    history.session_id = session;
    result = pld_unary(conn, "paladin.v1.GarrisonService/History", &history.base,
                       &paladin__v1__history_response__descriptor, 0, &response, &error);
    report("garrison history", result, &error);
    CHECK(result == PLD_OK, "History");
    if (response) {
        Paladin__V1__HistoryResponse *h = (Paladin__V1__HistoryResponse *)response;
        for (size_t i = 0; i < h->n_entries; i++) printf("  entry %llu: %s\n", (unsigned long long)h->entries[i]->id, h->entries[i]->content);
        CHECK(h->n_entries == 2 && strcmp(h->entries[1]->content, "hello, C caller") == 0, "History content");
        protobuf_c_message_free_unpacked(response, NULL);
    }

    Paladin__V1__DeleteSessionRequest del = PALADIN__V1__DELETE_SESSION_REQUEST__INIT;
    del.session_id = "c-example-no-such-session";
    result = pld_unary(conn, "paladin.v1.GarrisonService/DeleteSession", &del.base,
                       &paladin__v1__delete_session_response__descriptor, 0, &response, &error);
    report("delete unknown session", result, &error);
    CHECK(result == PLD_ERR_STATUS && error.code == PLD_CODE_NOT_FOUND, "NOT_FOUND");

    history.session_id = "not a valid id!";
    result = pld_unary(conn, "paladin.v1.GarrisonService/History", &history.base,
                       &paladin__v1__history_response__descriptor, 0, &response, &error);
    report("history of an invalid id", result, &error);
    CHECK(result == PLD_ERR_STATUS && error.code == PLD_CODE_INVALID_ARGUMENT && strcmp(error.field, "session_id") == 0, "INVALID_ARGUMENT");

    Paladin__V1__HealthCheckRequest nope = PALADIN__V1__HEALTH_CHECK_REQUEST__INIT;
    result = pld_unary(conn, "paladin.v1.Nope/Nope", &nope.base, &paladin__v1__health_check_response__descriptor, 0, &response, &error);
    report("unknown method", result, &error);
    CHECK(result == PLD_ERR_STATUS && error.code == PLD_CODE_UNIMPLEMENTED, "UNIMPLEMENTED");
}

/* StartRun answers at once with the run RUNNING; the run goes on without this call, so the
 * example polls GetRun until it has ended. */
static void detached_run(pld_conn *conn, const char *battalion) {
    pld_error error;
    Paladin__V1__RunRequest start = PALADIN__V1__RUN_REQUEST__INIT;
    start.battalion = (char *)battalion;
    start.input = "from C";
    ProtobufCMessage *response = NULL;
    pld_result result = pld_unary(conn, "paladin.v1.BattalionService/StartRun", &start.base,
                                  &paladin__v1__battalion_run__descriptor, 5000000, &response, &error);
    report("start run", result, &error);
    CHECK(result == PLD_OK, "StartRun");
    if (!response) return;
    Paladin__V1__BattalionRun *run = (Paladin__V1__BattalionRun *)response;
    CHECK(run->status == PALADIN__V1__RUN_STATUS__RUN_STATUS_RUNNING && strncmp(run->id, "run-", 4) == 0, "StartRun answer");
    char id[64];
    snprintf(id, sizeof id, "%s", run->id);
    protobuf_c_message_free_unpacked(response, NULL);

    Paladin__V1__GetRunRequest get = PALADIN__V1__GET_RUN_REQUEST__INIT;
    get.id = id;
    Paladin__V1__RunStatus status = PALADIN__V1__RUN_STATUS__RUN_STATUS_RUNNING;
    for (int polls = 0; polls < 500 && status == PALADIN__V1__RUN_STATUS__RUN_STATUS_RUNNING; polls++) {
        if (polls) nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
        result = pld_unary(conn, "paladin.v1.BattalionService/GetRun", &get.base, &paladin__v1__battalion_run__descriptor,
                           5000000, &response, &error);
        if (result != PLD_OK) break;
        status = ((Paladin__V1__BattalionRun *)response)->status;
        if (status != PALADIN__V1__RUN_STATUS__RUN_STATUS_RUNNING)
            printf("run %s ended: status %d, %zu steps\n", id, status, ((Paladin__V1__BattalionRun *)response)->n_steps);
        protobuf_c_message_free_unpacked(response, NULL);
    }
    report("get run", result, &error);
    CHECK(status == PALADIN__V1__RUN_STATUS__RUN_STATUS_COMPLETED, "the started run completed");

    start.battalion = "no-such-battalion";
    result = pld_unary(conn, "paladin.v1.BattalionService/StartRun", &start.base, &paladin__v1__battalion_run__descriptor,
                       5000000, &response, &error);
    report("start run of an unknown battalion", result, &error);
    CHECK(result == PLD_ERR_STATUS && error.code == PLD_CODE_NOT_FOUND, "StartRun NOT_FOUND");
}

int main(int argc, char **argv) {
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    uint16_t port = (uint16_t)(argc > 2 ? atoi(argv[2]) : 50051);
    pld_error error;
    pld_conn *conn = NULL;
    pld_connect_options options = {.agent = "paladin-example-c/1.0"};
    pld_result result = pld_connect(host, port, &options, &conn, &error);
    report("connect", result, &error);
    if (result != PLD_OK) return 1;
    printf("connected: max_concurrent_streams %u, max_frame_size %u\n", pld_conn_max_concurrent_streams(conn),
           pld_conn_max_frame_size(conn));
    health_and_info(conn);
    watch(conn);
    garrison(conn);
    if (argc > 3) detached_run(conn, argv[3]);
    uint64_t rtt = 0;
    result = pld_ping(conn, 5000, &rtt, &error);
    report("ping", result, &error);
    CHECK(result == PLD_OK, "PING");
    CHECK(pld_conn_open_streams(conn) <= 1, "open streams after the calls");
    pld_conn_close(conn);
    printf("%s\n", failures ? "example: FAILED" : "example: OK");
    return failures ? 1 : 0;
}
