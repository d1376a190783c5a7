/* View-model rendering.
 * Layer: web. */
#include "web/render.h"

#include "core/log.h"
#include "pages/pages.h"

int render_view(pv_req *r, const char *template_name, json_t *vm, buf *out,
                const char **content_type)
{
    if (r->want_json || !template_name) {
        char *text = json_dumps(vm, JSON_COMPACT | JSON_REAL_PRECISION(15));
        buf_puts(out, text ? text : "null");
        free(text);
        *content_type = CONTENT_JSON;
        return PV_OK;
    }
    json_t *site = site_context(r);
    json_t *stack[2] = {site, vm};
    int rc = templates_render(r->app->templates, r->lang, template_name, stack, 2, out);
    json_decref(site);
    if (rc != 0)
        pv_error("render: template %s failed (%d)", template_name, rc);
    *content_type = CONTENT_HTML;
    return rc;
}

static const char *error_title(pv_req *r, int status)
{
    switch (status) {
    case 400: return T(r, "Forespørselen kan ikke behandles");
    case 401: return T(r, "Du må logge inn");
    case 403: return T(r, "Du har ikke tilgang");
    case 415: return T(r, "Denne typen innhold tar vi ikke imot");
    case 429: return T(r, "For mange forsøk");
    case 503: return T(r, "Tjenesten er opptatt");
    case 404: return T(r, "Vi finner ikke siden");
    case 405: return T(r, "Denne handlingen er ikke tillatt her");
    case 413: return T(r, "Forespørselen er for stor");
    case 414: return T(r, "Adressen er for lang");
    default: return T(r, "Noe gikk galt hos oss");
    }
}

static const char *error_detail(pv_req *r, int status)
{
    switch (status) {
    case 404: return T(r, "Adressen kan være feilskrevet, eller siden kan være flyttet.");
    case 413: return T(r, "Det du sendte er større enn vi tar imot.");
    case 414: return T(r, "Adressen er lengre enn vi tar imot. Prøv et kortere søk.");
    case 400: return T(r, "Noe i adressen eller skjemaet er ugyldig.");
    case 405: return T(r, "Siden finnes, men ikke for denne typen forespørsel.");
    case 401: return T(r, "Denne siden er for de ansatte i kommunen. Logg inn for å se den.");
    case 403: return T(r, "Kontoen din har ikke en rolle som gir tilgang til dette.");
    case 429: return T(r, "Vent litt før du prøver igjen.");
    case 503: return T(r, "Prøv igjen om et øyeblikk.");
    default: return T(r, "Prøv igjen om litt. Hvis feilen varer, kontakt kommunen.");
    }
}

void render_error(pv_req *r, int status, buf *out, const char **content_type)
{
    const char *detail = r->error ? r->error : error_detail(r, status);
    json_t *vm = json_pack("{s:i, s:s, s:s}", "status", status, "title", error_title(r, status),
                           "detail", detail);
    if (status >= 500) /* the id the user can quote, which finds the error in the log */
        json_object_set_new(vm, "request_id", json_string(r->id));
    if (r->want_json) {
        json_object_set_new(vm, "type", json_string("about:blank"));
        char *text = json_dumps(vm, JSON_COMPACT);
        buf_puts(out, text);
        free(text);
        *content_type = CONTENT_PROBLEM;
    } else if (render_view(r, "error", vm, out, content_type) != 0) {
        buf_reset(out);
        buf_puts(out, "<!doctype html><title>Error</title><p>Error</p>");
        *content_type = CONTENT_HTML;
    }
    json_decref(vm);
}
