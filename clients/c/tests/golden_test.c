/* golden-test: the C library encodes exactly the conformance vectors of
 * Tests/PaladinWireTests/Fixtures/golden-frames.txt and decodes them back. Usage: golden-test FILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paladin_client.h"
#include "paladin/v1/frame.pb-c.h"
#include "paladin/v1/garrison.pb-c.h"
#include "paladin/v1/health.pb-c.h"

#define MAX_VECTORS 64
static struct { char name[64]; uint8_t bytes[512]; size_t size; } vectors[MAX_VECTORS];
static size_t count = 0;
static int failures = 0, checked = 0;

static const uint8_t *vector(const char *name, size_t *size) {
    for (size_t i = 0; i < count; i++)
        if (strcmp(vectors[i].name, name) == 0) {
            *size = vectors[i].size;
            return vectors[i].bytes;
        }
    fprintf(stderr, "missing vector %s\n", name);
    exit(2);
}

static size_t out; /* size written by the encoder of the current check */

static void expect(const char *name, uint8_t *encoded) {
    size_t size = out;
    size_t want_size;
    const uint8_t *want = vector(name, &want_size);
    checked++;
    if (!encoded || size != want_size || memcmp(encoded, want, size) != 0) {
        fprintf(stderr, "FAILED: %s: encoding differs (%zu vs %zu bytes)\n", name, size, want_size);
        failures++;
    }
    free(encoded);
}

static void load(const char *path) {
    FILE *file = fopen(path, "r");
    if (!file) {
        perror(path);
        exit(2);
    }
    char line[2048];
    while (fgets(line, sizeof line, file)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char *space = strchr(line, ' ');
        if (!space || count == MAX_VECTORS) continue;
        *space = '\0';
        snprintf(vectors[count].name, sizeof vectors[count].name, "%.63s", line);
        size_t n = 0;
        for (char *p = space + 1; p[0] && p[1] && p[0] != '\n' && n < sizeof vectors[count].bytes; p += 2) {
            unsigned byte;
            sscanf(p, "%2x", &byte);
            vectors[count].bytes[n++] = (uint8_t)byte;
        }
        vectors[count++].size = n;
    }
    fclose(file);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: golden-test golden-frames.txt\n");
        return 2;
    }
    load(argv[1]);
    size_t size;
    const uint8_t *preface = vector("preface", &size);
    checked++;
    if (size != 8 || memcmp(preface, PLD_PREFACE, 8) != 0) { fprintf(stderr, "FAILED: preface\n"); failures++; }

    Paladin__V1__Hello hello = PALADIN__V1__HELLO__INIT;
    hello.agent = "example-client/1.0";
    expect("hello_client", pld_encode_frame(PLD_FRAME_HELLO, 0, 0, &hello.base, NULL, 0, &out));
    Paladin__V1__Hello ack = PALADIN__V1__HELLO__INIT;
    ack.agent = "paladin/0.1.0";
    ack.max_frame_size = 4194304;
    ack.max_concurrent_streams = 100;
    ack.max_metadata_size = 8192;
    expect("hello_ack", pld_encode_frame(PLD_FRAME_HELLO, PLD_FLAG_ACK, 0, &ack.base, NULL, 0, &out));

    Paladin__V1__HealthCheckRequest check = PALADIN__V1__HEALTH_CHECK_REQUEST__INIT;
    const char *metadata[] = {"x-request-id", "42"};
    expect("request_health_check", pld_encode_request(1, "paladin.v1.Health/Check", &check.base, 5000000, 1, metadata, &out));

    Paladin__V1__HealthCheckResponse serving = PALADIN__V1__HEALTH_CHECK_RESPONSE__INIT;
    serving.status = PALADIN__V1__SERVING_STATUS__SERVING_STATUS_SERVING;
    expect("message_health_serving", pld_encode_frame(PLD_FRAME_MESSAGE, 0, 1, &serving.base, NULL, 0, &out));
    Paladin__V1__Status ok = PALADIN__V1__STATUS__INIT;
    expect("end_ok", pld_encode_frame(PLD_FRAME_END, 0, 1, &ok.base, NULL, 0, &out));
    Paladin__V1__Status unimplemented = PALADIN__V1__STATUS__INIT;
    unimplemented.code = 12;
    unimplemented.message = "unknown method paladin.v1.Nope/Nope";
    expect("end_unimplemented", pld_encode_frame(PLD_FRAME_END, 0, 3, &unimplemented.base, NULL, 0, &out));

    Paladin__V1__GarrisonEntry__MetadataEntry lang = PALADIN__V1__GARRISON_ENTRY__METADATA_ENTRY__INIT;
    lang.key = "lang";
    lang.value = "fr";
    Paladin__V1__GarrisonEntry__MetadataEntry *langs[] = {&lang};
    Paladin__V1__GarrisonEntry entry = PALADIN__V1__GARRISON_ENTRY__INIT;
    entry.role = PALADIN__V1__ROLE__ROLE_USER;
    entry.content = "h\xc3\xa9llo \xe2\x9a\x94";
    entry.importance = 50;
    entry.n_metadata = 1;
    entry.metadata = langs;
    Paladin__V1__GarrisonEntry *entries[] = {&entry};
    Paladin__V1__AppendRequest append = PALADIN__V1__APPEND_REQUEST__INIT;
    append.session_id = "s1";
    append.n_entries = 1;
    append.entries = entries;
    expect("request_garrison_append", pld_encode_request(5, "paladin.v1.GarrisonService/Append", &append.base, 0, 0, NULL, &out));

    const uint8_t eight[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    expect("cancel", pld_encode_frame(PLD_FRAME_CANCEL, 0, 5, NULL, NULL, 0, &out));
    expect("ping", pld_encode_frame(PLD_FRAME_PING, 0, 0, NULL, eight, 8, &out));
    expect("ping_ack", pld_encode_frame(PLD_FRAME_PING, PLD_FLAG_ACK, 0, NULL, eight, 8, &out));
    Paladin__V1__GoAway shutdown = PALADIN__V1__GO_AWAY__INIT;
    shutdown.last_stream_id = 7;
    shutdown.message = "server shutting down";
    expect("goaway_shutdown", pld_encode_frame(PLD_FRAME_GOAWAY, 0, 0, &shutdown.base, NULL, 0, &out));
    Paladin__V1__GoAway oversize = PALADIN__V1__GO_AWAY__INIT;
    oversize.code = 8;
    oversize.message = "frame of 4194305 bytes exceeds the limit of 4194304";
    expect("goaway_oversize", pld_encode_frame(PLD_FRAME_GOAWAY, 0, 0, &oversize.base, NULL, 0, &out));
    expect("unknown_ignorable", pld_encode_frame(0x40, PLD_FLAG_IGNORABLE, 0, NULL, (const uint8_t *)"hi", 2, &out));

    /* Decoding: the header and payload of a vector read back to the described values. */
    const uint8_t *bytes = vector("end_unimplemented", &size);
    uint32_t length, id;
    uint8_t type, flags;
    pld_decode_header(bytes, &length, &type, &flags, &id);
    Paladin__V1__Status *status = paladin__v1__status__unpack(NULL, length, bytes + PLD_HEADER_SIZE);
    checked++;
    if (type != PLD_FRAME_END || id != 3 || length + PLD_HEADER_SIZE != size || !status || status->code != 12 ||
        strcmp(status->message, "unknown method paladin.v1.Nope/Nope") != 0) {
        fprintf(stderr, "FAILED: decoding end_unimplemented\n");
        failures++;
    }
    if (status) paladin__v1__status__free_unpacked(status, NULL);

    if (checked != (int)count + 1) { /* + the decoding check */
        fprintf(stderr, "FAILED: %zu vectors in the file, %d checked\n", count, checked);
        failures++;
    }
    printf("golden-test: %d checks, %d failures\n", checked, failures);
    return failures ? 1 : 0;
}
