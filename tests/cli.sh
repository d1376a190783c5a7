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
check "init --demo loads the Moss data" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'imported 58 plans, 49 goals, 9 indicators, 216 measures')"
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

# ---- export → import → export is stable
run export --db "$db" --output "$tmp/one.json"
check "export writes a bundle" test $status -eq 0 -a -s "$tmp/one.json"
run import --db "$tmp/copy.db" "$tmp/one.json"
check "the export bundle imports into an empty database" test $status -eq 0 -a -n "$(printf '%s' "$out" | grep 'imported 59 plans, 49 goals, 9 indicators, 216 measures')"
run export --db "$tmp/copy.db" --output "$tmp/two.json"
check "export of the copy equals the original export" cmp -s "$tmp/one.json" "$tmp/two.json"

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

echo "1..$n"
