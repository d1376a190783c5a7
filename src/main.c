/* The planverk command line: serve, init, import, export, user, outbox, gdpr, version.
 * Layer: top level. It wires the layers together, and is the only place that prints to
 * the user and decides exit codes. Settings come from options, then PLANVERK_* variables,
 * then defaults. */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/secret.h"
#include "core/utf8.h"
#include "domain/retention.h"
#include "domain/auth.h"
#include "domain/outbox.h"
#include "http/server.h"
#include "mail/sender.h"
#include "mail/smtp.h"
#include "store/db.h"
#include "store/export.h"
#include "store/gdpr.h"
#include "store/import.h"
#include "store/measures.h"
#include "store/outbox.h"
#include "store/plans.h"
#include "store/users.h"
#include "web/app.h"
#include "web/dispatch.h"

#define DEFAULT_DB "planverk.db"
#define DEFAULT_LISTEN "127.0.0.1"
#define DEFAULT_PORT 8080

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* A boolean setting from the environment: "1", "true", "yes" or "on". */
static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
                 strcmp(v, "on") == 0);
}

PV_PRINTF(2, 3) static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "planverk %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'planverk %s --help')\n", cmd);
    return 2;
}

/* Parses the options of a subcommand. Unknown options and missing values are errors. */
static int parse_options(const char *cmd, int argc, char **argv, const struct option *opts,
                         int (*each)(int opt, const char *arg, void *ctx), void *ctx)
{
    optind = 1;
    opterr = 0;
    int c, idx;
    while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (c == ':')
                return usage_error(cmd, "option '%s' needs a value", bad);
            return usage_error(cmd, "unknown option '%s'", bad);
        }
        int rc = each(c, optarg, ctx);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The folder with templates/, static/, data/ and docs/: PLANVERK_ROOT, else the source
 * tree this binary was built from. */
static const char *resource_root(void)
{
    return env_or("PLANVERK_ROOT", PV_SOURCE_ROOT);
}

/* The folder of the running binary, where the build puts the .mo catalogs. */
static void binary_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    if (n <= 0) {
        snprintf(out, size, ".");
        return;
    }
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
}

/* ---------------------------------------------------------------- progress */

static void progress_bar(void *ctx, const char *phase, size_t done, size_t total)
{
    (void)ctx;
    if (!isatty(STDERR_FILENO) || total == 0)
        return;
    if (done != total && done % 50 != 0)
        return;
    int width = 30, filled = (int)(width * done / total);
    fprintf(stderr, "\r%-9s [%.*s%*s] %zu/%zu", phase, filled,
            "##############################", width - filled, "", done, total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* ---------------------------------------------------------------- import / init */

static int import_file(store *db, const char *path, import_counts *total)
{
    buf err = BUF_INIT;
    json_t *doc = store_import_load_file(path, &err);
    int rc = 1;
    if (doc) {
        import_counts c;
        if (store_import(db, path, doc, &c, progress_bar, NULL, &err) == 0) {
            total->units += c.units;
            total->plans += c.plans;
            total->goals += c.goals;
            total->indicators += c.indicators;
            total->measures += c.measures;
            rc = 0;
        }
        json_decref(doc);
    }
    if (rc)
        fprintf(stderr, "planverk: %s\n", buf_cstr(&err));
    buf_finish(&err);
    return rc;
}

static void print_counts(const import_counts *c)
{
    printf("imported %zu plans, %zu goals, %zu indicators, %zu measures", c->plans, c->goals,
           c->indicators, c->measures);
    if (c->processes)
        printf(", %zu participation processes", c->processes);
    if (c->units)
        printf(", %zu units", c->units);
    putchar('\n');
}

/* Loads the files of data/moss/ as one bundle, so the demo goes in whole or not at
 * all. */
static int import_demo(store *db)
{
    static const char *const kinds[] = {"units", "plans", "goals", "indicators", "measures",
                                        "processes"};
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/data/moss", resource_root());
    json_t *bundle = json_object();
    buf err = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < PV_ARRAY_LEN(kinds) && rc == 0; i++) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%s.json", dir, kinds[i]);
        if (i == 0 && access(path, F_OK) != 0)
            continue; /* units.json is optional */
        json_t *doc = store_import_load_file(path, &err);
        if (doc)
            json_object_set_new(bundle, kinds[i], doc);
        else
            rc = 1;
    }
    import_counts counts;
    if (rc == 0 && store_import(db, dir, bundle, &counts, progress_bar, NULL, &err) != 0)
        rc = 1;
    if (rc == 0)
        print_counts(&counts);
    else
        fprintf(stderr, "planverk init: %s\n", buf_cstr(&err));
    json_decref(bundle);
    buf_finish(&err);
    return rc;
}

typedef struct db_opts {
    const char *db;
    bool demo;
    const char *format;
    const char *output;
} db_opts;

static int on_db_option(int opt, const char *arg, void *ctx)
{
    db_opts *o = ctx;
    switch (opt) {
    case 'd': o->db = arg; break;
    case 'D': o->demo = true; break;
    case 'f': o->format = arg; break;
    case 'o': o->output = arg; break;
    case 'h': return -1;
    }
    return 0;
}

static store *open_db(const char *cmd, const char *path, bool create)
{
    char err[1024];
    if (!create && access(path, F_OK) != 0) {
        fprintf(stderr, "planverk %s: %s: no such database (create it with 'planverk init --db %s')\n",
                cmd, path, path);
        return NULL;
    }
    store *db = store_open(path, create, err, sizeof err);
    if (!db)
        fprintf(stderr, "planverk %s: %s\n", cmd, err);
    return db;
}

static const char INIT_HELP[] =
    "usage: planverk init [--demo] [--db FILE]\n\n"
    "Creates the database (or brings its schema up to date).\n"
    "  --demo       load the Moss demo data (data/moss/) into an empty database\n"
    "  --db FILE    the database file (default $PLANVERK_DB or " DEFAULT_DB ")\n";

static int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"demo", no_argument, 0, 'D'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    db_opts o = {.db = env_or("PLANVERK_DB", DEFAULT_DB)};
    int rc = parse_options("init", argc, argv, opts, on_db_option, &o);
    if (rc == -1) {
        fputs(INIT_HELP, stdout);
        return 0;
    }
    if (rc)
        return rc;
    if (optind < argc)
        return usage_error("init", "unexpected argument '%s'", argv[optind]);
    store *db = open_db("init", o.db, true);
    if (!db)
        return 1;
    printf("database %s is at schema version %d\n", o.db, store_schema_version(db));
    rc = 0;
    if (o.demo) {
        json_t *counts = NULL;
        json_int_t existing = 0;
        if (store_counts(db, &counts) == 0)
            existing = json_integer_value(json_object_get(counts, "plans"));
        json_decref(counts);
        if (existing > 0) {
            printf("the database already holds %lld plans; the demo data were not loaded\n",
                   (long long)existing);
        } else {
            rc = import_demo(db);
        }
    }
    store_close(db);
    return rc;
}

static const char IMPORT_HELP[] =
    "usage: planverk import [--db FILE] FILE.json...\n\n"
    "Imports units.json, plans.json, goals.json, indicators.json or measures.json in the\n"
    "format of "
    "data/moss/, or a bundle written by 'planverk export'. Records replace those with the\n"
    "same id. A file with an error is not imported at all; the message names the record\n"
    "and the field.\n"
    "  --db FILE    the database file (default $PLANVERK_DB or " DEFAULT_DB ")\n";

static int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    db_opts o = {.db = env_or("PLANVERK_DB", DEFAULT_DB)};
    int rc = parse_options("import", argc, argv, opts, on_db_option, &o);
    if (rc == -1) {
        fputs(IMPORT_HELP, stdout);
        return 0;
    }
    if (rc)
        return rc;
    if (optind >= argc)
        return usage_error("import", "%s", "name at least one file to import");
    for (int i = optind; i < argc; i++) {
        if (access(argv[i], R_OK) != 0) {
            fprintf(stderr, "planverk import: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
    }
    store *db = open_db("import", o.db, true);
    if (!db)
        return 1;
    import_counts total = {0};
    for (int i = optind; i < argc && rc == 0; i++)
        rc = import_file(db, argv[i], &total);
    if (rc == 0)
        print_counts(&total);
    store_close(db);
    return rc;
}

static const char EXPORT_HELP[] =
    "usage: planverk export --format json [--db FILE] [--output FILE]\n\n"
    "Writes plans, goals, indicators and measures as one JSON bundle that\n"
    "'planverk import' reads back.\n"
    "  --format json   the format (json is the only one so far)\n"
    "  --output FILE   write to FILE instead of standard output\n"
    "  --db FILE       the database file (default $PLANVERK_DB or " DEFAULT_DB ")\n";

static int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"format", required_argument, 0, 'f'},
                                         {"output", required_argument, 0, 'o'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    db_opts o = {.db = env_or("PLANVERK_DB", DEFAULT_DB), .format = "json"};
    int rc = parse_options("export", argc, argv, opts, on_db_option, &o);
    if (rc == -1) {
        fputs(EXPORT_HELP, stdout);
        return 0;
    }
    if (rc)
        return rc;
    if (strcmp(o.format, "json") != 0)
        return usage_error("export", "unknown format '%s': only json is supported", o.format);
    if (optind < argc)
        return usage_error("export", "unexpected argument '%s'", argv[optind]);
    store *db = open_db("export", o.db, false);
    if (!db)
        return 1;
    json_t *bundle;
    rc = store_export(db, &bundle);
    store_close(db);
    if (rc != 0) {
        fprintf(stderr, "planverk export: cannot read the database\n");
        return 1;
    }
    size_t flags = JSON_INDENT(2) | JSON_REAL_PRECISION(15);
    if (o.output) {
        if (json_dump_file(bundle, o.output, flags) != 0) {
            fprintf(stderr, "planverk export: %s: cannot write the file\n", o.output);
            rc = 1;
        }
    } else {
        rc = json_dumpf(bundle, stdout, flags) == 0 && fputc('\n', stdout) != EOF ? 0 : 1;
    }
    json_decref(bundle);
    return rc;
}

/* ---------------------------------------------------------------- serve */

typedef struct serve_opts {
    http_config http;
    const char *db;
    bool no_cache;
    long cache_mb;          /* per event loop; 0: the default */
    bool access_log;
    const char *trusted_proxy;
    const char *map_tiles;
    int retention_months;   /* contact data kept this long after a process ends */
    const char *smtp_url;   /* the mail relay, or NULL: mail waits in the outbox */
    const char *mail_from;
    long retry_base;        /* seconds per unit of the outbox's retry schedule */
} serve_opts;

static int on_serve_option(int opt, const char *arg, void *ctx)
{
    serve_opts *o = ctx;
    long v;
    switch (opt) {
    case 'l': o->http.listen = arg; break;
    case 'd': o->db = arg; break;
    case 'n': o->no_cache = true; break;
    case 'A': o->access_log = true; break;
    case 'C':
        if (pv_parse_long(arg, 1, 4096, &o->cache_mb) != 0)
            return usage_error("serve", "--cache-size needs a number of megabytes from 1 to 4096, not '%s'", arg);
        break;
    case 'x': o->trusted_proxy = arg; break;
    case 'm': o->map_tiles = arg; break;
    case 'R':
        if (retention_parse_months(arg, &o->retention_months) != 0)
            return usage_error("serve", "--retention-months needs a number from 0 to %d, not '%s'",
                               RETENTION_MAX_MONTHS, arg);
        break;
    case 's': o->smtp_url = arg; break;
    case 'f': o->mail_from = arg; break;
    case 'r':
        if (pv_parse_long(arg, 1, 3600, &o->retry_base) != 0)
            return usage_error("serve", "--outbox-retry-base needs a number from 1 to 3600, not '%s'", arg);
        break;
    case 'p':
        if (pv_parse_long(arg, 0, 65535, &v) != 0)
            return usage_error("serve", "--port needs a number from 0 to 65535, not '%s'", arg);
        o->http.port = (int)v;
        break;
    case 't':
        if (pv_parse_long(arg, 0, HTTP_MAX_THREADS, &v) != 0)
            return usage_error("serve", "--threads needs a number from 0 to 64, not '%s'", arg);
        o->http.threads = (int)v;
        break;
    case 'h': return -1;
    }
    return 0;
}

static const char SERVE_HELP[] =
    "usage: planverk serve [--listen ADDR] [--port N] [--db FILE] [--threads N] [--no-cache]\n"
    "                      [--cache-size MB] [--access-log]\n"
    "                      [--trusted-proxy ADDR] [--map-tiles URL]\n"
    "                      [--smtp-url URL --mail-from ADDR] [--outbox-retry-base SECONDS]\n\n"
    "Serves the portal and the JSON API over HTTP until stopped (Ctrl-C or SIGTERM).\n"
    "The database is created and migrated if needed.\n"
    "  --listen ADDR   address to listen on (default $PLANVERK_LISTEN or " DEFAULT_LISTEN ")\n"
    "  --port N        port (default $PLANVERK_PORT or 8080; 0 picks a free one)\n"
    "  --db FILE       the database file (default $PLANVERK_DB or " DEFAULT_DB ")\n"
    "  --threads N     event loops (default: one per core)\n"
    "  --no-cache      render every page anew (the cache of public pages is on by default)\n"
    "  --cache-size MB the most each event loop keeps of rendered pages (default 32); the\n"
    "                  least recently used are dropped first\n"
    "  --access-log    one line per request on standard error (logfmt: time, id, method,\n"
    "                  route, status, bytes, us)\n"
    "  --trusted-proxy ADDR  the TLS proxy in front (e.g. 127.0.0.1): only from it are\n"
    "                  X-Forwarded-For and X-Forwarded-Proto believed (default\n"
    "                  $PLANVERK_TRUSTED_PROXY, else none)\n"
    "  --map-tiles URL the map's tile URL with {z}, {y} and {x} (default $PLANVERK_MAP_TILES\n"
    "                  or Kartverket's open topographic map); the Content-Security-Policy\n"
    "                  allows images from its origin and no other\n"
    "  --retention-months N  months senders' contact data are kept after a process ends,\n"
    "                  when the process sets none (default $PLANVERK_RETENTION_MONTHS or 12);\n"
    "                  the purge runs at start and once a day\n"
    "  --smtp-url URL  the mail relay, smtp://host:port or smtps://host:port (default\n"
    "                  $PLANVERK_SMTP_URL); without one, e-mail waits in the outbox\n"
    "  --mail-from ADDR  the sender address of e-mail (default $PLANVERK_MAIL_FROM)\n"
    "  --outbox-retry-base SECONDS  the unit of the retry schedule (1, 5, 30, 120, 360 units;\n"
    "                  given up after 3 days' worth); default 60, tests use 1\n";

/* The daily purge of contact data (store_gdpr_purge): a timer on the first event loop, run
 * at start and then every 24 hours, on that loop's own database connection. It erases in
 * short transactions, so requests on the loop wait at most one batch. */
#define PURGE_INTERVAL_SECONDS (24 * 3600)

typedef struct purge_job {
    int months;
    pv_worker *worker; /* the loop the timer runs on */
    struct event *timer;
} purge_job;

static purge_job PURGE = {RETENTION_DEFAULT_MONTHS, NULL, NULL};

static void purge_run(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    purge_job *j = arg;
    int erased = 0;
    if (store_gdpr_purge(j->worker->db, (int64_t)time(NULL), j->months, &erased) != 0)
        pv_error("gdpr purge: database error; tried again in 24 hours");
    else if (erased > 0)
        pv_info("gdpr purge: erased the contact data of %d inputs", erased);
    struct timeval day = {PURGE_INTERVAL_SECONDS, 0};
    evtimer_add(j->timer, &day);
}

static void *serve_worker_start(void *app, int index, struct event_base *base)
{
    pv_worker *w = web_worker_start(app, index, base);
    if (w && index == 0) {
        PURGE.worker = w;
        PURGE.timer = evtimer_new(base, purge_run, &PURGE);
        struct timeval now = {0, 0};
        if (PURGE.timer)
            evtimer_add(PURGE.timer, &now);
    }
    return w;
}

static void serve_worker_stop(void *worker)
{
    if (worker && worker == PURGE.worker) {
        if (PURGE.timer)
            event_free(PURGE.timer);
        PURGE.timer = NULL;
        PURGE.worker = NULL;
    }
    web_worker_stop(worker);
}

/* Called once a stop signal arrived: lets sign-ins in progress finish and reply. */
static void app_before_stop(void *app)
{
    web_app_stopping(app);
}

static int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, 0, 'l'}, {"port", required_argument, 0, 'p'},
        {"db", required_argument, 0, 'd'},     {"threads", required_argument, 0, 't'},
        {"no-cache", no_argument, 0, 'n'},     {"trusted-proxy", required_argument, 0, 'x'},
        {"cache-size", required_argument, 0, 'C'}, {"access-log", no_argument, 0, 'A'},
        {"map-tiles", required_argument, 0, 'm'}, {"help", no_argument, 0, 'h'},
        {"retention-months", required_argument, 0, 'R'},
        {"smtp-url", required_argument, 0, 's'}, {"mail-from", required_argument, 0, 'f'},
        {"outbox-retry-base", required_argument, 0, 'r'},
        {0, 0, 0, 0}};
    serve_opts o = {.http = {.listen = env_or("PLANVERK_LISTEN", DEFAULT_LISTEN),
                             .port = DEFAULT_PORT,
                             /* libevent answers past these by itself, with a bare
                              * page; below them our own 413/414 carry every header. */
                             .max_body = 8 * PV_MAX_BODY,
                             .max_headers = 16 * PV_MAX_URI,
                             .idle_timeout = 30},
                    .db = env_or("PLANVERK_DB", DEFAULT_DB),
                    .trusted_proxy = getenv("PLANVERK_TRUSTED_PROXY"),
                    .map_tiles = getenv("PLANVERK_MAP_TILES"),
                    .retention_months = RETENTION_DEFAULT_MONTHS,
                    .smtp_url = getenv("PLANVERK_SMTP_URL"),
                    .mail_from = getenv("PLANVERK_MAIL_FROM"),
                    .retry_base = OUTBOX_RETRY_BASE};
    long env_port;
    if (getenv("PLANVERK_PORT") && pv_parse_long(getenv("PLANVERK_PORT"), 0, 65535, &env_port) == 0)
        o.http.port = (int)env_port;
    const char *env_months = getenv("PLANVERK_RETENTION_MONTHS");
    if (env_months && *env_months && retention_parse_months(env_months, &o.retention_months) != 0)
        return usage_error("serve", "PLANVERK_RETENTION_MONTHS needs a number from 0 to %d, not '%s'",
                           RETENTION_MAX_MONTHS, env_months);
    int rc = parse_options("serve", argc, argv, opts, on_serve_option, &o);
    if (rc == -1) {
        fputs(SERVE_HELP, stdout);
        return 0;
    }
    if (rc)
        return rc;
    if (optind < argc)
        return usage_error("serve", "unexpected argument '%s'", argv[optind]);

    store *db = open_db("serve", o.db, true); /* creates and migrates before loops start */
    if (!db)
        return 1;
    store_close(db);
    char locale_dir[PATH_MAX], err[1024];
    binary_dir(locale_dir, sizeof locale_dir);
    web_app_options app_opts = {.root = resource_root(),
                            .db_path = o.db,
                            .locale_dir = env_or("PLANVERK_LOCALEDIR", locale_dir),
                            .trusted_proxy = o.trusted_proxy,
                            .map_tiles = o.map_tiles,
                            .cache = !o.no_cache,
                            .cache_bytes = (size_t)o.cache_mb << 20,
                            .access_log = o.access_log || env_flag("PLANVERK_ACCESS_LOG")};
    pv_app app;
    if (web_app_create(&app, &app_opts, err, sizeof err) != 0) {
        fprintf(stderr, "planverk serve: %s\n", err);
        rc = 1;
    }
    /* The outbox's sender runs beside the loops, on its own thread and connection. */
    mail_sender *sender = NULL;
    if (rc == 0) {
        mail_sender_options mo = {o.db, {o.smtp_url, o.mail_from}, o.retry_base};
        err[0] = '\0';
        sender = mail_sender_start(&mo, err, sizeof err);
        if (!sender && err[0]) {
            fprintf(stderr, "planverk serve: %s\n", err);
            rc = 1;
        }
    }
    /* A file size limit reached (RLIMIT_FSIZE) makes a write fail, which is answered 503
     * like a full disk, instead of ending the process. */
    signal(SIGXFSZ, SIG_IGN);
    if (rc == 0) {
        PURGE.months = o.retention_months;
        http_handlers h = {serve_worker_start, serve_worker_stop, app_before_stop, web_handle};
        if (http_server_run(&o.http, &h, &app, err, sizeof err) != 0) {
            fprintf(stderr, "planverk serve: %s\n", err);
            rc = 1;
        }
    }
    mail_sender_stop(sender);
    web_app_finish(&app);
    return rc;
}

/* ---------------------------------------------------------------- user */

#define DEFAULT_BASE_URL "http://127.0.0.1:8080"
#define LINK_LIFETIME_SECONDS (72 * 3600)

static const char USER_HELP[] =
    "usage: planverk user add --email E --name N --role R[,R…] [--unit ID[,ID…]]\n"
    "                         [--password-stdin]\n"
    "       planverk user list\n"
    "       planverk user disable|enable|unlock|link EMAIL\n"
    "       planverk user set-role EMAIL R[,R…]\n"
    "       planverk user units EMAIL [ID[,ID…]]\n"
    "  (each also takes --db FILE; add and link take --base-url URL)\n\n"
    "Manages the staff accounts. Roles: admin, radgiver, planlegger, prosesseier, leser.\n"
    "  add        creates a user and prints a one-time sign-in link (valid 72 hours) where\n"
    "             the user chooses a password; with --password-stdin the password is read\n"
    "             from standard input instead (at least 12 characters)\n"
    "  list       lists the users with their roles and whether they are disabled or locked\n"
    "  disable    ends the user's sessions and refuses sign-in; enable undoes it\n"
    "  unlock     lifts a lock after too many failed sign-ins\n"
    "  link       prints a new one-time sign-in link (a forgotten password)\n"
    "  set-role   replaces the user's roles\n"
    "  units      replaces the units the user belongs to (ids of GET /api/v1/units; none:\n"
    "             belongs to no unit); a member edits and reports the unit's measures\n"
    "  --base-url URL   the address users reach planverk at (default $PLANVERK_BASE_URL or\n"
    "                   " DEFAULT_BASE_URL ")\n";

typedef struct user_opts {
    const char *db, *email, *name, *roles, *base_url, *units;
    bool password_stdin;
} user_opts;

static int on_user_option(int opt, const char *arg, void *ctx)
{
    user_opts *o = ctx;
    switch (opt) {
    case 'd': o->db = arg; break;
    case 'e': o->email = arg; break;
    case 'n': o->name = arg; break;
    case 'r': o->roles = arg; break;
    case 'b': o->base_url = arg; break;
    case 's': o->password_stdin = true; break;
    case 'u': o->units = arg; break;
    case 'h': return -1;
    }
    return 0;
}

static const actor CLI_ACTOR = {0, "cli", NULL};

/* Sets the units of user_id from "id,id" (NULL or "": none); prints why on an error. */
static int set_units(store *db, int64_t user_id, const char *list)
{
    json_t *ids = json_array(), *errors = json_array();
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n)
            json_array_append_new(ids, json_stringn(p, n));
        p += n + (p[n] == ',');
    }
    int rc = store_user_units_set(db, &CLI_ACTOR, (int64_t)time(NULL), user_id, ids, errors);
    if (rc == PV_EINVAL)
        fprintf(stderr, "planverk user: no unit '%s' (see GET /api/v1/units)\n",
                json_string_value(json_object_get(json_array_get(errors, 0), "detail")));
    else if (rc != 0)
        fprintf(stderr, "planverk user: cannot set the units\n");
    json_decref(ids);
    json_decref(errors);
    return rc == 0 ? 0 : 1;
}

/* Makes a one-time sign-in link for user_id and prints it. */
static int print_link(store *db, const user_opts *o, int64_t user_id)
{
    char token[SECRET_TOKEN_CHARS + 1];
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token(token);
    secret_token_hash(token, hash);
    int64_t now = (int64_t)time(NULL);
    if (store_link_create(db, &CLI_ACTOR, now, user_id, hash, now + LINK_LIFETIME_SECONDS) != 0) {
        fprintf(stderr, "planverk user: cannot store the sign-in link\n");
        return 1;
    }
    const char *base = o->base_url ? o->base_url : env_or("PLANVERK_BASE_URL", DEFAULT_BASE_URL);
    size_t n = strlen(base);
    printf("one-time sign-in link (valid 72 hours): %.*s/logg-inn/lenke/%s\n",
           (int)(n && base[n - 1] == '/' ? n - 1 : n), base, token);
    secret_wipe(token, sizeof token);
    return 0;
}

/* Reads one line from standard input (the password), without its line end. */
static int read_password(char *out, size_t size)
{
    if (!fgets(out, (int)size, stdin))
        return PV_EINVAL;
    out[strcspn(out, "\r\n")] = '\0';
    return PV_OK;
}

static int user_add(store *db, const user_opts *o)
{
    unsigned roles;
    if (!o->email || !o->name || !o->roles)
        return usage_error("user", "%s", "add needs --email, --name and --role");
    if (!strchr(o->email, '@') || strlen(o->email) > USER_EMAIL_MAX ||
        !utf8_valid(o->email, strlen(o->email)))
        return usage_error("user", "'%s' is not an e-mail address", o->email);
    if (strlen(o->name) > USER_NAME_MAX || !utf8_valid(o->name, strlen(o->name)))
        return usage_error("user", "%s", "the name is too long or not valid UTF-8");
    if (auth_roles_parse(o->roles, &roles) != 0)
        return usage_error("user", "unknown role in '%s' (admin, radgiver, planlegger, "
                                   "prosesseier, leser)", o->roles);
    char hash[SECRET_PASSWORD_HASH_MAX] = "";
    if (o->password_stdin) {
        char password[SECRET_PASSWORD_MAX_BYTES + 2];
        const char *problem = read_password(password, sizeof password) != 0
                                  ? "no password on standard input"
                              : auth_password_problem(password)
                                  ? "the password must have at least 12 characters (at most "
                                    "1024 bytes of UTF-8)"
                                  : NULL;
        if (!problem && secret_password_hash(password, hash) != 0)
            problem = "not enough memory to hash the password";
        secret_wipe(password, sizeof password);
        if (problem) {
            fprintf(stderr, "planverk user: %s\n", problem);
            return 1;
        }
    }
    int64_t id;
    int rc = store_user_add(db, &CLI_ACTOR, (int64_t)time(NULL), o->email, o->name, roles,
                            hash[0] ? hash : NULL, &id);
    if (rc == PV_ECONFLICT) {
        fprintf(stderr, "planverk user: %s: a user with this e-mail exists already\n", o->email);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "planverk user: cannot add the user\n");
        return 1;
    }
    printf("added user %lld: %s\n", (long long)id, o->email);
    if (o->units && set_units(db, id, o->units) != 0)
        return 1;
    return hash[0] ? 0 : print_link(db, o, id);
}

static int user_list(store *db)
{
    json_t *users;
    if (store_users_list(db, &users) != 0) {
        fprintf(stderr, "planverk user: cannot read the users\n");
        return 1;
    }
    int64_t now = (int64_t)time(NULL);
    size_t i;
    json_t *u;
    printf("%-5s %-32s %-28s %-30s %s\n", "id", "e-mail", "name", "roles", "state");
    json_array_foreach(users, i, u) {
        buf roles = BUF_INIT;
        size_t k;
        json_t *role;
        json_array_foreach(json_object_get(u, "roles"), k, role) {
            if (k)
                buf_puts(&roles, ",");
            buf_puts(&roles, json_string_value(role));
        }
        const char *state = json_is_true(json_object_get(u, "disabled")) ? "disabled"
                            : json_integer_value(json_object_get(u, "locked_until")) > now ? "locked"
                            : json_is_true(json_object_get(u, "has_password")) ? "active"
                                                                              : "no password yet";
        printf("%-5lld %-32s %-28s %-30s %s\n",
               (long long)json_integer_value(json_object_get(u, "id")),
               json_string_value(json_object_get(u, "email")),
               json_string_value(json_object_get(u, "name")), buf_cstr(&roles), state);
        buf_finish(&roles);
    }
    json_decref(users);
    return 0;
}

/* disable, enable, unlock, link, set-role: each names a user by e-mail. */
static int user_change(store *db, const user_opts *o, const char *what, char **args, int n)
{
    bool set_role = strcmp(what, "set-role") == 0, units = strcmp(what, "units") == 0;
    if (units ? n < 1 || n > 2 : n != (set_role ? 2 : 1))
        return usage_error("user", set_role ? "%s needs an e-mail and roles"
                                   : units  ? "%s needs an e-mail and unit ids"
                                            : "%s needs an e-mail", what);
    user_row user;
    int rc = store_user_by_email(db, args[0], &user);
    if (rc == PV_ENOTFOUND) {
        fprintf(stderr, "planverk user: %s: no such user\n", args[0]);
        return 1;
    }
    int64_t now = (int64_t)time(NULL);
    if (rc == 0 && strcmp(what, "disable") == 0)
        rc = store_user_set_disabled(db, &CLI_ACTOR, now, user.id, true);
    else if (rc == 0 && strcmp(what, "enable") == 0)
        rc = store_user_set_disabled(db, &CLI_ACTOR, now, user.id, false);
    else if (rc == 0 && strcmp(what, "unlock") == 0)
        rc = store_user_unlock(db, &CLI_ACTOR, now, user.id);
    else if (rc == 0 && strcmp(what, "link") == 0)
        return print_link(db, o, user.id);
    else if (rc == 0 && units) {
        if (set_units(db, user.id, n > 1 ? args[1] : NULL) != 0)
            return 1;
    }
    else if (rc == 0) {
        unsigned roles;
        if (auth_roles_parse(args[1], &roles) != 0)
            return usage_error("user", "unknown role in '%s'", args[1]);
        rc = store_user_set_roles(db, &CLI_ACTOR, now, user.id, roles);
    }
    if (rc != 0) {
        fprintf(stderr, "planverk user: cannot change %s\n", args[0]);
        return 1;
    }
    printf("%s: %s done\n", args[0], what);
    return 0;
}

static int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},    {"email", required_argument, 0, 'e'},
        {"name", required_argument, 0, 'n'},  {"role", required_argument, 0, 'r'},
        {"base-url", required_argument, 0, 'b'}, {"password-stdin", no_argument, 0, 's'},
        {"unit", required_argument, 0, 'u'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    user_opts o = {.db = env_or("PLANVERK_DB", DEFAULT_DB)};
    int rc = parse_options("user", argc, argv, opts, on_user_option, &o);
    if (rc == -1 || (rc == 0 && optind >= argc)) {
        fputs(USER_HELP, rc == -1 ? stdout : stderr);
        return rc == -1 ? 0 : 2;
    }
    if (rc)
        return rc;
    const char *what = argv[optind];
    static const char *const known[] = {"add", "list", "disable", "enable", "unlock", "link",
                                        "set-role", "units"};
    bool ok = false;
    for (size_t i = 0; i < PV_ARRAY_LEN(known); i++)
        ok |= strcmp(what, known[i]) == 0;
    if (!ok)
        return usage_error("user", "unknown action '%s'", what);
    store *db = open_db("user", o.db, strcmp(what, "add") == 0);
    if (!db)
        return 1;
    if (strcmp(what, "add") == 0)
        rc = optind + 1 < argc ? usage_error("user", "unexpected argument '%s'", argv[optind + 1])
                               : user_add(db, &o);
    else if (strcmp(what, "list") == 0)
        rc = user_list(db);
    else
        rc = user_change(db, &o, what, argv + optind + 1, argc - optind - 1);
    store_close(db);
    return rc;
}

/* ---------------------------------------------------------------- outbox */

static const char OUTBOX_HELP[] =
    "usage: planverk outbox list [--db FILE]\n"
    "       planverk outbox send [--db FILE] [--smtp-url URL] [--mail-from ADDR]\n\n"
    "The e-mails waiting for the relay, and those sent or given up.\n"
    "  list   the newest 100, one a line: id, state, attempts, address, subject, last error\n"
    "  send   one pass now: sends the due e-mails (planverk serve does this every second)\n"
    "  --db FILE         the database file (default $PLANVERK_DB or " DEFAULT_DB ")\n"
    "  --smtp-url URL    the relay (default $PLANVERK_SMTP_URL)\n"
    "  --mail-from ADDR  the sender address (default $PLANVERK_MAIL_FROM)\n";

typedef struct outbox_opts {
    const char *db, *smtp_url, *mail_from;
} outbox_opts;

static int on_outbox_option(int opt, const char *arg, void *ctx)
{
    outbox_opts *o = ctx;
    switch (opt) {
    case 'd': o->db = arg; break;
    case 's': o->smtp_url = arg; break;
    case 'f': o->mail_from = arg; break;
    case 'h': return -1;
    }
    return 0;
}

static int outbox_list(store *db)
{
    json_t *rows;
    if (store_outbox_list(db, 100, &rows) != 0) {
        fprintf(stderr, "planverk outbox: cannot read the outbox\n");
        return 1;
    }
    size_t i;
    json_t *m;
    json_array_foreach(rows, i, m) {
        const char *to = json_string_value(json_object_get(m, "to"));
        const char *e = json_string_value(json_object_get(m, "last_error"));
        printf("%lld\t%s\t%lld\t%s\t%s\t%s\n",
               (long long)json_integer_value(json_object_get(m, "id")),
               json_string_value(json_object_get(m, "state")),
               (long long)json_integer_value(json_object_get(m, "attempts")), to ? to : "-",
               json_string_value(json_object_get(m, "subject")), e ? e : "");
    }
    json_decref(rows);
    return 0;
}

static int outbox_send(store *db, const outbox_opts *o)
{
    smtp_relay relay = {o->smtp_url, o->mail_from};
    if (!o->smtp_url || !*o->smtp_url || !smtp_address_valid(o->mail_from))
        return usage_error("outbox", "%s", "send needs --smtp-url and --mail-from");
    mail_pass_counts c = {0};
    if (mail_send_due(db, &relay, (int64_t)time(NULL), OUTBOX_RETRY_BASE, &c) != 0) {
        fprintf(stderr, "planverk outbox: database error\n");
        return 1;
    }
    printf("%d sent, %d to retry, %d given up\n", c.sent, c.retried, c.given_up);
    return c.retried || c.given_up ? 1 : 0;
}

static int cmd_outbox(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"smtp-url", required_argument, 0, 's'},
                                         {"mail-from", required_argument, 0, 'f'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    outbox_opts o = {env_or("PLANVERK_DB", DEFAULT_DB), getenv("PLANVERK_SMTP_URL"),
                     getenv("PLANVERK_MAIL_FROM")};
    int rc = parse_options("outbox", argc, argv, opts, on_outbox_option, &o);
    if (rc == -1) {
        fputs(OUTBOX_HELP, stdout);
        return 0;
    }
    if (rc)
        return rc;
    if (optind >= argc)
        return usage_error("outbox", "%s", "name an action: list or send");
    const char *what = argv[optind];
    if (strcmp(what, "list") != 0 && strcmp(what, "send") != 0)
        return usage_error("outbox", "unknown action '%s'", what);
    if (optind + 1 < argc)
        return usage_error("outbox", "unexpected argument '%s'", argv[optind + 1]);
    store *db = open_db("outbox", o.db, false);
    if (!db)
        return 1;
    rc = strcmp(what, "list") == 0 ? outbox_list(db) : outbox_send(db, &o);
    store_close(db);
    return rc;
}

/* ---------------------------------------------------------------- gdpr */

static const char GDPR_HELP[] =
    "usage: planverk gdpr purge [--now YYYY-MM-DD] [--retention-months N] [--db FILE]\n"
    "       planverk gdpr export --email E [--db FILE]\n"
    "       planverk gdpr erase --email E [--db FILE]\n\n"
    "Senders' personal data (their contact data; the inputs themselves are kept).\n"
    "  purge   erase the contact data whose retention has run out (the process's end plus\n"
    "          its retention, else --retention-months); planverk serve does this daily\n"
    "  export  print every input with contact e-mail E, with its contact data, as JSON\n"
    "  erase   erase the contact data of e-mail E now\n"
    "  --now YYYY-MM-DD       purge as if it were the start of that day (default: now)\n"
    "  --retention-months N   default retention (default $PLANVERK_RETENTION_MONTHS or 12)\n"
    "  --email E              the sender's e-mail address (case does not matter)\n"
    "  --db FILE              the database file (default $PLANVERK_DB or " DEFAULT_DB ")\n"
    "Each erasure is written to the audit log.\n";

typedef struct gdpr_opts {
    const char *db, *now, *email, *months;
} gdpr_opts;

static int on_gdpr_option(int opt, const char *arg, void *ctx)
{
    gdpr_opts *o = ctx;
    switch (opt) {
    case 'd': o->db = arg; break;
    case 'n': o->now = arg; break;
    case 'e': o->email = arg; break;
    case 'R': o->months = arg; break;
    case 'h': return -1;
    }
    return 0;
}

static int gdpr_purge(store *db, const gdpr_opts *o)
{
    int64_t now = (int64_t)time(NULL);
    pv_date day;
    if (o->now) {
        if (pv_parse_date(o->now, &day) != 0)
            return usage_error("gdpr", "--now needs a date as YYYY-MM-DD, not '%s'", o->now);
        now = pv_date_local(day, 0, 0, 0);
    }
    int months = RETENTION_DEFAULT_MONTHS;
    if (o->months && retention_parse_months(o->months, &months) != 0)
        return usage_error("gdpr", "--retention-months needs a number from 0 to %d, not '%s'",
                           RETENTION_MAX_MONTHS, o->months);
    int erased = 0;
    if (store_gdpr_purge(db, now, months, &erased) != 0) {
        fprintf(stderr, "planverk gdpr: database error; nothing more was erased\n");
        return 1;
    }
    printf("erased the contact data of %d inputs\n", erased);
    return 0;
}

static int gdpr_by_email(store *db, const char *what, const char *email)
{
    if (!email || !*email)
        return usage_error("gdpr", "%s needs --email", what);
    if (strlen(email) > 254 || !utf8_valid(email, strlen(email)))
        return usage_error("gdpr", "%s", "the e-mail address is too long or not valid UTF-8");
    if (strcmp(what, "export") == 0) {
        json_t *rows;
        if (store_gdpr_export(db, email, &rows) != 0) {
            fprintf(stderr, "planverk gdpr: database error\n");
            return 1;
        }
        json_t *doc = json_pack("{s:s, s:o}", "email", email, "inputs", rows);
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
        return 0;
    }
    int erased = 0;
    if (store_gdpr_erase(db, &CLI_ACTOR, (int64_t)time(NULL), email, &erased) != 0) {
        fprintf(stderr, "planverk gdpr: database error; nothing was erased\n");
        return 1;
    }
    if (erased == 0)
        printf("no contact data with %s\n", email);
    else
        printf("erased the contact data of %d inputs\n", erased);
    return 0;
}

static int cmd_gdpr(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"now", required_argument, 0, 'n'},
                                         {"email", required_argument, 0, 'e'},
                                         {"retention-months", required_argument, 0, 'R'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    gdpr_opts o = {.db = env_or("PLANVERK_DB", DEFAULT_DB),
                   .months = getenv("PLANVERK_RETENTION_MONTHS")};
    if (o.months && !*o.months)
        o.months = NULL;
    int rc = parse_options("gdpr", argc, argv, opts, on_gdpr_option, &o);
    if (rc == -1) {
        fputs(GDPR_HELP, stdout);
        return 0;
    }
    if (rc)
        return rc;
    if (optind >= argc)
        return usage_error("gdpr", "%s", "name an action: purge, export or erase");
    const char *what = argv[optind];
    if (strcmp(what, "purge") != 0 && strcmp(what, "export") != 0 && strcmp(what, "erase") != 0)
        return usage_error("gdpr", "unknown action '%s'", what);
    if (optind + 1 < argc)
        return usage_error("gdpr", "unexpected argument '%s'", argv[optind + 1]);
    if (strcmp(what, "purge") == 0 ? o.email != NULL : o.now != NULL)
        return usage_error("gdpr", "%s", strcmp(what, "purge") == 0
                                             ? "purge takes no --email (use erase)"
                                             : "--now is for purge only");
    store *db = open_db("gdpr", o.db, false);
    if (!db)
        return 1;
    rc = strcmp(what, "purge") == 0 ? gdpr_purge(db, &o) : gdpr_by_email(db, what, o.email);
    store_close(db);
    return rc;
}

/* ---------------------------------------------------------------- main */

static const char MAIN_HELP[] =
    "usage: planverk COMMAND [OPTIONS]\n\n"
    "planverk: the plan portfolio, goal tree and citizen participation of a municipality.\n\n"
    "commands:\n"
    "  serve     serve the portal and the JSON API over HTTP\n"
    "  init      create the database; --demo loads the Moss demo data\n"
    "  import    import plans, goals, indicators or measures from JSON files\n"
    "  export    write the portfolio as JSON\n"
    "  user      add, list and change staff accounts\n"
    "  gdpr      erase senders' contact data when due, or export or erase them by e-mail\n"
    "  outbox    list the e-mails waiting for the relay, or send the due ones now\n"
    "  version   print the version of planverk and its libraries\n\n"
    "'planverk COMMAND --help' tells more about each.\n";

static int cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1 && strcmp(argv[1], "--help") != 0)
        return usage_error("version", "unexpected argument '%s'", argv[1]);
    printf("planverk %s (SQLite %s, libevent %s, jansson %s)\n", PV_VERSION, sqlite3_libversion(),
           event_get_version(), jansson_version_str());
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {{"serve", cmd_serve},   {"init", cmd_init},       {"import", cmd_import},
                    {"export", cmd_export}, {"user", cmd_user}, {"gdpr", cmd_gdpr},       {"version", cmd_version},
                    {"outbox", cmd_outbox},   {"--version", cmd_version}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(MAIN_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    /* Deadlines and dates are the municipality's: Norwegian time unless told otherwise. */
    setenv("TZ", "Europe/Oslo", 0);
    tzset();
    if (secret_init() != 0) {
        fprintf(stderr, "planverk: libsodium cannot start\n");
        return 1;
    }
    if (smtp_global_init() != 0) {
        fprintf(stderr, "planverk: libcurl cannot start\n");
        return 1;
    }
    for (size_t i = 0; i < PV_ARRAY_LEN(commands); i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].run(argc - 1, argv + 1);
            smtp_global_cleanup();
            return rc;
        }
    smtp_global_cleanup();
    fprintf(stderr, "planverk: unknown command '%s' (see 'planverk --help')\n", argv[1]);
    return 2;
}
