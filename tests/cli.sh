#!/usr/bin/env bash
# The planverk command line, as TAP: help and version, clear one-line errors for unknown
# commands and options and missing files, init --demo, validated import that writes nothing
# on error, and export → import → export round trip. Uses $PLANVERK_BIN (the ASan build in
# scripts/test), else build/planverk.
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

# ---- help, version, usage errors
run version
check "version prints the version" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep '^planverk [0-9]')"
for cmd in serve init import export; do
    run "$cmd" --help
    check "$cmd --help prints its usage" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep "usage: planverk $cmd")"
done
run --help
check "--help lists the commands" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep -w import)"
run frobnicate
check "an unknown command is one line and exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run serve --bogus
check "an unknown option names it, one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1 -a -n "$(printf '%s' "$err" | grep -- "--bogus")"
run serve --port abc
check "a bad port is refused with exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run serve --port
check "an option without its value is refused with exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run export --format csv --db "$tmp/none.db"
check "an unknown export format is refused with exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run import "$tmp/no-such-file.json" --db "$tmp/x.db"
check "a missing import file is named, one line, exit 1" test $status -eq 1 -a "$(lines "$err")" -eq 1 -a -n "$(printf '%s' "$err" | grep no-such-file.json)"
run export --db "$tmp/no-such.db"
check "export of a missing database says so, exit 1" test $status -eq 1 -a -n "$(printf '%s' "$err" | grep 'no such database')"
check "export of a missing database does not create it" test ! -e "$tmp/no-such.db"

# ---- init
db=$tmp/demo.db
run init --demo --db "$db"
check "init --demo loads the Moss data" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'imported 58 plans, 49 goals, 9 indicators, 216 measures, 2 participation processes')"
# The demo hearing opens when the database is made and closes at the end of day 42 (Oslo time).
opens=$(sqlite3 "$db" "SELECT opens_at FROM process WHERE id = 'horing-medvirkningsplan'")
closes=$(sqlite3 "$db" "SELECT deadline FROM process WHERE id = 'horing-medvirkningsplan'")
check "the demo hearing opened just now" test $(( $(date +%s) - opens )) -lt 120
check "the demo hearing is open for six weeks" test "$(TZ=Europe/Oslo date -d @"$closes" '+%F %T')" = "$(TZ=Europe/Oslo date -d "$(TZ=Europe/Oslo date -d @"$opens" +%F) + 42 days" +%F) 23:59:59"
check "the concluded process keeps its reported 564 inputs and none invented" test "$(sqlite3 "$db" "SELECT registered_inputs || '/' || (SELECT count(*) FROM input) FROM process WHERE id = 'leve-hele-livet-samskaping'")" = 564/0
run init --demo --db "$db"
check "init --demo on a filled database loads nothing twice" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'already holds 58 plans')"

# ---- import validation: a bad record writes nothing and names file, record and field
run export --db "$db" --output "$tmp/before.json"
cat > "$tmp/plans.json" <<'JSON'
[{"id": "ny-plan", "name": "Ny plan", "adopted_year": 2024},
 {"id": "leve-hele-livet", "name": "Endret navn", "adopted_year": "2023"}]
JSON
run import --db "$db" "$tmp/plans.json"
check "a bad field is refused with exit 1" test $status -eq 1
check "the message names the file, the record and the field" test -n "$(printf '%s' "$err" | grep 'plans.json: plan 2 (id "leve-hele-livet"): field "adopted_year"')"
run export --db "$db" --output "$tmp/after.json"
check "nothing was written by the refused import" cmp -s "$tmp/before.json" "$tmp/after.json"

printf '[{"id": "x", "name": ' > "$tmp/plans.json"
run import --db "$db" "$tmp/plans.json"
check "broken JSON is refused with line and column" test $status -eq 1 -a -n "$(printf '%s' "$err" | grep -E 'plans.json: line [0-9]+, column [0-9]+')"
printf '[{"id": "x", "name": "\xff"}]' > "$tmp/plans.json"
run import --db "$db" "$tmp/plans.json"
check "invalid UTF-8 is refused" test $status -eq 1
printf '[]' > "$tmp/population.json"
run import --db "$db" "$tmp/population.json"
check "a file that is not an import file is refused" test $status -eq 1 -a -n "$(printf '%s' "$err" | grep 'not an import file')"

cat > "$tmp/plans.json" <<'JSON'
[{"id": "ny-plan", "name": "Ny plan for test", "adopted_year": 2024, "theme": "Areal og transport"}]
JSON
run import --db "$db" "$tmp/plans.json"
check "a valid plans.json is imported" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'imported 1 plans')"

cat > "$tmp/processes.json" <<'JSON'
[{"id": "ny-prosess", "title": "Ny prosess", "status": "planlagt", "ladder_step": "toppen"}]
JSON
run import --db "$db" "$tmp/processes.json"
check "a process on an unknown ladder step is refused" test $status -eq 1 -a -n "$(printf '%s' "$err" | grep 'process 1 (id "ny-prosess"): field "ladder_step"')"
cat > "$tmp/processes.json" <<'JSON'
[{"id": "ny-prosess", "title": "Ny prosess", "status": "planlagt", "deadline": "2025-02-29"}]
JSON
run import --db "$db" "$tmp/processes.json"
check "a day that does not exist is refused" test $status -eq 1 -a -n "$(printf '%s' "$err" | grep 'field "deadline": must be a date')"

# ---- export → import → export is stable, retired goals and heading texts included
sqlite3 "$db" "UPDATE goal SET retired = 1 WHERE id = 'mop-sarbare-grupper';
  UPDATE focus_area SET slik_vil_vi_ha_det = 'Seniorer i Moss er trygge.' WHERE name = 'Helsehjelp'"
run export --db "$db" --output "$tmp/one.json"
check "export writes a bundle" test $status -eq 0 -a -s "$tmp/one.json"
run import --db "$tmp/copy.db" "$tmp/one.json"
check "the export bundle imports into an empty database" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'imported 59 plans, 49 goals, 9 indicators, 216 measures')"
run export --db "$tmp/copy.db" --output "$tmp/two.json"
check "export of the copy equals the original export" cmp -s "$tmp/one.json" "$tmp/two.json"
check "the copy keeps the retired goal and the heading text" test "$(sqlite3 "$tmp/copy.db" "SELECT retired FROM goal WHERE id = 'mop-sarbare-grupper'")$(sqlite3 "$tmp/copy.db" "SELECT count(*) FROM focus_area WHERE slik_vil_vi_ha_det LIKE 'Seniorer%'")" = 11

# ---- an import killed with SIGKILL leaves the database as it was before or after, never
# half-written: the import is one transaction in WAL mode.
mkdir -p "$tmp/big"
node -e '
const plans = [];
for (let i = 0; i < 20000; i++)
  plans.push({ id: "massiv-" + i, name: "Plan nummer " + i, purpose: "Formål ".repeat(50),
               adopted_year: 2000 + (i % 25) });
require("fs").writeFileSync(process.argv[1], JSON.stringify(plans));' "$tmp/big/plans.json"
cp "$tmp/copy.db" "$tmp/kill.db"
plans_in() { sqlite3 "$1" 'SELECT count(*) FROM plan'; }
before=$(plans_in "$tmp/kill.db")
"$bin" import --db "$tmp/kill.db" "$tmp/big/plans.json" >/dev/null 2>&1 &
pid=$!
# Kill it once it has opened the database (its WAL file appears), whatever it is doing then.
for _ in $(seq 1 500); do [ -e "$tmp/kill.db-wal" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.01; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
after=$(plans_in "$tmp/kill.db")
check "an import killed with SIGKILL leaves all or nothing ($before → $after plans)" test "$after" = "$before" -o "$after" = "$((before + 20000))"
check "the database is intact after SIGKILL" test "$(sqlite3 "$tmp/kill.db" 'PRAGMA integrity_check')" = ok

# ---- planverk user: staff accounts
udb=$tmp/users.db
pw='en lang og god setning'
run user --help
check "user --help prints its usage" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'usage: planverk user')"
run user --db "$udb"
check "user without an action prints the usage, exit 2" test $status -eq 2 -a -n "$(printf '%s' "$err" | grep 'usage: planverk user')"
printf '%s\n' "$pw" | "$bin" user add --db "$udb" --email ada@moss.kommune.no --name "Ada Admin" --role admin --password-stdin >"$tmp/out" 2>"$tmp/err"
status=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
check "user add --password-stdin adds the user" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep '^added user 1: ada@moss.kommune.no$')"
check "user add --password-stdin prints no link" test -z "$(printf '%s' "$out" | grep 'lenke')"
check "the password is stored only as an Argon2id hash" test "$(sqlite3 "$udb" "SELECT substr(password_hash, 1, 10) FROM user WHERE id = 1")" = '$argon2id$'
check "the password appears nowhere in the database" test -z "$(sqlite3 "$udb" .dump | grep -F "$pw")"
run user add --db "$udb" --email pia@moss.kommune.no --name "Pia Planlegger" --role planlegger,leser --base-url https://planer.moss.kommune.no/
check "user add without a password prints a one-time link under --base-url" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep -E '^one-time sign-in link \(valid 72 hours\): https://planer\.moss\.kommune\.no/logg-inn/lenke/[A-Za-z0-9_-]{43}$')"
link_token=$(printf '%s' "$out" | grep -oE '[A-Za-z0-9_-]{43}$')
check "the link's token is not in the database (only its hash)" test -z "$(sqlite3 "$udb" .dump | grep -F "$link_token")" -a "$(sqlite3 "$udb" "SELECT count(*) FROM signin_link WHERE length(token_hash) = 32")" = 1
PLANVERK_BASE_URL=http://intern.moss.kommune.no:8080 "$bin" user link pia@moss.kommune.no --db "$udb" >"$tmp/out" 2>"$tmp/err"
status=$?; out=$(cat "$tmp/out")
check "user link prints a new link under \$PLANVERK_BASE_URL" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep -E '^one-time sign-in link \(valid 72 hours\): http://intern\.moss\.kommune\.no:8080/logg-inn/lenke/[A-Za-z0-9_-]{43}$')"
check "two links differ" test "$(printf '%s' "$out" | grep -oE '[A-Za-z0-9_-]{43}$')" != "$link_token"
run user list --db "$udb"
check "user list shows each user with roles and state" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep -E '^1 +ada@moss\.kommune\.no +Ada Admin +admin +active$')" -a -n "$(printf '%s' "$out" | grep -E '^2 +pia@moss\.kommune\.no +Pia Planlegger +leser,planlegger +no password yet$')"
run user set-role pia@moss.kommune.no radgiver,leser --db "$udb"
check "user set-role replaces the roles" test $status -eq 0 -a -n "$("$bin" user list --db "$udb" | grep -E '^2 .* leser,radgiver +no password yet$')"
run user disable pia@moss.kommune.no --db "$udb"
check "user disable marks the user disabled" test $status -eq 0 -a -n "$("$bin" user list --db "$udb" | grep -E '^2 .* disabled$')"
run user enable pia@moss.kommune.no --db "$udb"
check "user enable undoes it" test $status -eq 0 -a -n "$("$bin" user list --db "$udb" | grep -E '^2 .* no password yet$')"
sqlite3 "$udb" "UPDATE user SET failures = 10, failures_first_at = strftime('%s','now'), failures_last_at = strftime('%s','now'), locked_until = strftime('%s','now') + 900 WHERE id = 1"
check "a locked account is listed as locked" test -n "$("$bin" user list --db "$udb" | grep -E '^1 .* locked$')"
run user unlock ada@moss.kommune.no --db "$udb"
check "user unlock lifts the lock and forgets the failures" test $status -eq 0 -a -n "$("$bin" user list --db "$udb" | grep -E '^1 .* active$')" -a "$(sqlite3 "$udb" "SELECT failures || ',' || locked_until FROM user WHERE id = 1")" = "0,0"
check "each change is an audit event by «cli», in order" test "$(sqlite3 "$udb" "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_event WHERE actor = 'cli' ORDER BY id)")" = "user.add user.add user.link user.link user.roles user.disable user.enable user.unlock"
check "the audit trail holds no password, hash or link" test -z "$(sqlite3 "$udb" "SELECT changes FROM audit_event" | grep -E -e '\$argon2' -e "$link_token" -e "$pw")"
check "the audit trail says a password was given, not what" test "$(sqlite3 "$udb" "SELECT json_extract(changes, '\$.password[1]') FROM audit_event WHERE action = 'user.add' AND object_id = '1'")" = 1

# errors: one line, exit 1 (a runtime problem) or 2 (a usage error), nothing written
events=$(sqlite3 "$udb" "SELECT count(*) FROM audit_event")
run user add --db "$udb" --email ny@moss.kommune.no --name Ny --role sjef
check "an unknown role is refused, one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1 -a -n "$(printf '%s' "$err" | grep sjef)"
run user set-role pia@moss.kommune.no admin,sjef --db "$udb"
check "an unknown role in set-role is refused, one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run user disable ingen@moss.kommune.no --db "$udb"
check "an unknown user is named, one line, exit 1" test $status -eq 1 -a "$(lines "$err")" -eq 1 -a -n "$(printf '%s' "$err" | grep 'ingen@moss.kommune.no: no such user')"
for action in enable unlock link; do
    run user "$action" ingen@moss.kommune.no --db "$udb"
    check "user $action of an unknown user: one line, exit 1" test $status -eq 1 -a "$(lines "$err")" -eq 1
done
run user add --db "$udb" --email PIA@moss.kommune.no --name "Pia igjen" --role leser
check "a taken e-mail (in any case) is refused, one line, exit 1" test $status -eq 1 -a "$(lines "$err")" -eq 1 -a -n "$(printf '%s' "$err" | grep 'exists already')"
printf 'for kort\n' | "$bin" user add --db "$udb" --email kort@moss.kommune.no --name Kort --role leser --password-stdin >"$tmp/out" 2>"$tmp/err"
status=$?; err=$(cat "$tmp/err")
check "a short password is refused, one line, exit 1" test $status -eq 1 -a "$(lines "$err")" -eq 1 -a -n "$(printf '%s' "$err" | grep -E '12')"
"$bin" user add --db "$udb" --email tom@moss.kommune.no --name Tom --role leser --password-stdin </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?; err=$(cat "$tmp/err")
check "no password on standard input is refused, one line, exit 1" test $status -eq 1 -a "$(lines "$err")" -eq 1
run user add --db "$udb" --email ikke-en-adresse --name X --role leser
check "a malformed e-mail is refused, one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run user add --db "$udb" --name X --role leser
check "add without --email is refused, one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run user promote ada@moss.kommune.no --db "$udb"
check "an unknown user action is refused, one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run user disable --db "$udb"
check "disable without an e-mail is refused, one line, exit 2" test $status -eq 2 -a "$(lines "$err")" -eq 1
run user list --db "$tmp/no-users.db"
check "user list of a missing database says so, exit 1, and creates nothing" test $status -eq 1 -a ! -e "$tmp/no-users.db"
check "the refused commands wrote nothing" test "$(sqlite3 "$udb" "SELECT count(*) FROM audit_event")" = "$events" -a "$(sqlite3 "$udb" "SELECT count(*) FROM user")" = 2

echo "1..$n"
