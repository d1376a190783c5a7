#!/usr/bin/env bash
# The planverk gdpr command, as TAP: help, usage errors (exit 2, one line), purge with --now
# (nothing before the retention runs out, everything after, one audit event per contact by
# «system», the input and its feedback kept), export and erase by e-mail (any case, audited
# as «cli»), and the daily purge of `planverk serve` at start. Uses $PLANVERK_BIN, else
# build/planverk.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${PLANVERK_BIN:-$PWD/build/planverk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
check() { # description, then a command that must succeed
    local d=$1; shift
    if "$@" >"$tmp/check.out" 2>&1; then ok "$d"; else fail "$d" "$(cat "$tmp/check.out")"; fi
}
run() { # runs planverk with args; sets $status, $out, $err
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}
lines() { printf '%s' "$1" | grep -c '' ; }
q() { sqlite3 -cmd '.timeout 10000' "$db" "$1"; }

db=$tmp/gdpr.db
"$bin" init --db "$db" >/dev/null || { echo "Bail out! init failed"; exit 1; }
# A process that closed on 15 June 2025 with 6 months' retention (erased from 16 December
# 2025), and an input outside any process received 31 March 2025 (default 12 months: erased
# from 1 April 2026).
q "INSERT INTO process (id, title, status, closed_at, retention_months, created_at, position)
     VALUES ('p', 'P', 'avsluttet', strftime('%s', '2025-06-15 10:00'), 6, 1, 1);
   INSERT INTO input (id, process_id, channel, text, received_at) VALUES
     (1, 'p', 'web', 'Innspill en', 1), (2, NULL, 'meld-fra', 'Innspill to', strftime('%s', '2025-03-31 12:00'));
   INSERT INTO contact (input_id, name, email, consent) VALUES
     (1, 'Kari', 'kari@example.no', 1), (2, 'Ola', 'Ola@Example.no', 1);
   INSERT INTO assessment (id, process_id, outcome, assessed_at) VALUES (1, 'p', 'tatt til følge', 1);
   INSERT INTO feedback (input_id, assessment_id, language, body, written_at) VALUES (1, 1, 'nb', 'Takk', 2);"

run gdpr --help
check "gdpr --help prints its usage" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'usage: planverk gdpr purge')"
run --help
check "--help lists gdpr" test -n "$(printf '%s' "$out" | grep -w gdpr)"
run gdpr --db "$db"
check "gdpr without an action: one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run gdpr forget --db "$db"
check "an unknown action: one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1 -a -n "$(printf '%s' "$err" | grep forget)"
run gdpr purge --db "$db" --now 2025-02-30
check "a date that does not exist: one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run gdpr purge --db "$db" --retention-months 500
check "a retention out of range: one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run gdpr erase --db "$db"
check "erase without --email: one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run gdpr purge --db "$tmp/none.db"
check "a missing database: exit 1, nothing created" test $status -eq 1 -a ! -e "$tmp/none.db"
check "the refused commands erased nothing" test "$(q 'SELECT count(*) FROM contact')" = 2

run gdpr purge --db "$db" --now 2025-12-15
check "the day before the retention runs out: nothing erased" test $status -eq 0 -a "$out" = "erased the contact data of 0 inputs" -a "$(q 'SELECT count(*) FROM contact')" = 2
run gdpr purge --db "$db" --now 2025-12-16
check "from the day after: the closed process's contact erased" test $status -eq 0 -a "$out" = "erased the contact data of 1 inputs" -a "$(q 'SELECT group_concat(input_id) FROM contact')" = 2
check "the input and its feedback are kept" test "$(q "SELECT text FROM input WHERE id = 1")" = "Innspill en" -a "$(q 'SELECT count(*) FROM feedback')" = 1
check "one audit event by «system», without the person" test "$(q "SELECT count(*) FROM audit_event WHERE action = 'contact.erase' AND actor = 'system' AND object_id = '1' AND changes NOT LIKE '%kari%'")" = 1

run gdpr export --db "$db" --email ola@EXAMPLE.no
check "export finds the e-mail in any case, as JSON" test $status -eq 0 -a "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["inputs"]), d["inputs"][0]["contact"]["name"], d["inputs"][0]["text"])')" = "1 Ola Innspill to"
run gdpr erase --db "$db" --email ola@example.no
check "erase by e-mail erases now" test $status -eq 0 -a "$out" = "erased the contact data of 1 inputs" -a "$(q 'SELECT count(*) FROM contact')" = 0
check "the erasure is audited as «cli» on request" test "$(q "SELECT count(*) FROM audit_event WHERE action = 'contact.erase' AND actor = 'cli' AND changes LIKE '%request%'")" = 1
run gdpr erase --db "$db" --email ola@example.no
check "erasing again finds nothing, exit 0" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'no contact data')"

# the daily purge runs when the server starts
q "INSERT INTO input (id, process_id, channel, text, received_at) VALUES (3, 'p', 'web', 'Tre', 1);
   INSERT INTO contact (input_id, email, consent) VALUES (3, 'tre@example.no', 1);"
"$bin" serve --db "$db" --port 0 --threads 1 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 1 200); do
    [ "$(q 'SELECT count(*) FROM contact')" = 0 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
check "serve purges due contact data at start" test "$(q 'SELECT count(*) FROM contact')" = 0
kill -TERM $pid
wait $pid
check "serve stops cleanly after the purge" test $? -eq 0

echo "1..$n"
