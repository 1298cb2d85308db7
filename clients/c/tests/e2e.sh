#!/usr/bin/env bash
# End-to-end test of the C client: start a real `paladin serve` on a free port, run the example
# against it (it checks every answer and exits non-zero on a surprise), then run it again under
# valgrind: no definite or indirect leaks, no memory errors.
# Usage: tests/e2e.sh build/paladin-example   (PALADIN_BIN: the server, default .build/debug/paladin)
set -euo pipefail
EXAMPLE=$1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BIN=${PALADIN_BIN:-$ROOT/.build/debug/paladin}
[ -x "$BIN" ] || { echo "e2e: paladin binary not found at $BIN (build it or set PALADIN_BIN)" >&2; exit 1; }

LOG=$(mktemp)
OUT=$(mktemp)
WORK=$(mktemp -d)   # the server's working directory: whatever it stores goes there
# A scripted provider, so the run the example starts needs no model.
cat > "$WORK/paladin.yaml" <<'YAML'
store: { path: ":memory:" }
providers: { offline: { kind: scripted } }
paladins: { echo: { provider: offline } }
battalions: { solo: { formation: { members: [echo] } } }
YAML
(cd "$WORK" && exec "$BIN" serve --config paladin.yaml --host 127.0.0.1 --port 0 --log-level warning) > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$LOG" "$OUT" "$WORK"' EXIT
PORT=""
for _ in $(seq 1 600); do
    PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$LOG" | head -1)
    [ -n "$PORT" ] && break
    kill -0 $SERVER 2>/dev/null || { cat "$LOG" >&2; echo "e2e: the server exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$LOG" >&2; echo "e2e: no listening line" >&2; exit 1; }

echo "[c e2e] example against 127.0.0.1:$PORT"
"$EXAMPLE" 127.0.0.1 "$PORT" solo | tee "$OUT"
for expected in "health status: 1" "start run: PLD_OK" "ended: status 2" "unknown battalion: PLD_ERR_STATUS NOT_FOUND" "watch server end: CANCELLED" "DEADLINE_EXCEEDED" \
                "delete unknown session: PLD_ERR_STATUS NOT_FOUND" "field=session_id" \
                "unknown method: PLD_ERR_STATUS UNIMPLEMENTED" "example: OK"; do
    grep -qF "$expected" "$OUT" || { echo "e2e: missing output: $expected" >&2; exit 1; }
done

if command -v valgrind >/dev/null 2>&1; then
    echo "[c e2e] example under valgrind"
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
        "$EXAMPLE" 127.0.0.1 "$PORT" solo > /dev/null
    echo "[c e2e] valgrind: no leaks, no errors"
else
    echo "e2e: valgrind is not installed (scripts/setup installs it)" >&2
    exit 1
fi
