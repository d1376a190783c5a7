#!/usr/bin/env bash
# Static checks, as TAP: the message catalogs and the layering rules.
#  - msgfmt -c accepts po/nb.po, po/nn.po, po/en.po;
#  - every UI string of the templates and of src/ is in every catalog, and translated in
#    nn and en (nb is the source language: its msgstr may stay empty);
#  - no catalog keeps strings the sources no longer use;
#  - SQL text is written only in src/store/ (STYLE.md habit 2);
#  - templates print unescaped HTML ({{{x}}} / {{&x}}) only for names ending in _html.
set -uo pipefail
cd "$(dirname "$0")/.."
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
result() { # ok|not ok, description, [details file]
    n=$((n + 1))
    echo "$1 $n - $2"
    if [ "$1" = "not ok" ] && [ -n "${3:-}" ] && [ -s "$3" ]; then sed 's/^/# /' "$3"; fi
}

for lang in nb nn en; do
    if msgfmt -c -o /dev/null "po/$lang.po" 2>"$tmp/msgfmt-$lang"; then
        result ok "msgfmt -c accepts po/$lang.po"
    else
        result "not ok" "msgfmt -c accepts po/$lang.po" "$tmp/msgfmt-$lang"
    fi
done

if scripts/i18n-extract "$tmp/current.pot" 2>"$tmp/extract"; then
    result ok "the UI strings of templates/ and src/ can be extracted"
    for lang in nb nn en; do
        flags=()
        [ "$lang" = nb ] && flags=(--use-untranslated)
        if msgcmp "${flags[@]}" "po/$lang.po" "$tmp/current.pot" 2>"$tmp/cmp-$lang"; then
            result ok "every UI string is in po/$lang.po$([ "$lang" != nb ] && echo ' and translated')"
        else
            result "not ok" "every UI string is in po/$lang.po$([ "$lang" != nb ] && echo ' and translated')" "$tmp/cmp-$lang"
        fi
        # Strings the sources no longer use become obsolete (#~) when merged.
        msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/current.pot" 2>/dev/null \
            | grep '^#~ msgid' > "$tmp/stale-$lang" || true
        if [ -s "$tmp/stale-$lang" ]; then
            result "not ok" "po/$lang.po holds no unused strings (run scripts/i18n-update)" "$tmp/stale-$lang"
        else
            result ok "po/$lang.po holds no unused strings"
        fi
    done
else
    result "not ok" "the UI strings of templates/ and src/ can be extracted" "$tmp/extract"
fi

# SQL keywords at the start of a C string literal, outside src/store/.
grep -rnE '"\s*(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW)|DROP\s+(TABLE|INDEX)|ALTER\s+TABLE|PRAGMA\s|WITH\s+RECURSIVE|BEGIN(\s+IMMEDIATE)?"|COMMIT")' \
    src --include='*.c' --include='*.h' | grep -v '^src/store/' > "$tmp/sql" || true
if [ -s "$tmp/sql" ]; then
    result "not ok" "SQL text appears only in src/store/" "$tmp/sql"
else
    result ok "SQL text appears only in src/store/"
fi

grep -rnoE '\{\{\{[^}]*\}\}\}|\{\{&[^}]*\}\}' templates | grep -vE '(\{\{\{|\{\{&) *[a-z0-9_.]*_html *\}' > "$tmp/raw" || true
if [ -s "$tmp/raw" ]; then
    result "not ok" "templates print unescaped HTML only from *_html values" "$tmp/raw"
else
    result ok "templates print unescaped HTML only from *_html values"
fi
echo "1..$n"
