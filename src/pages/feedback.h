/* Pages of feedback to senders from templates, and the feedback API.
 * Layer: pages. Who may call what is declared in web/routes_feedback.inc; handlers never
 * check it again. */
#ifndef PV_PAGES_FEEDBACK_H
#define PV_PAGES_FEEDBACK_H

#include "web/router.h"

/* GET/POST /arbeid/prosesser/{slug}/innspill/{id}/tilbakemelding: the text starts from the
 * template of the input's outcome in the sender's language (bokmål when there is none);
 * saving stores it, marks the input 'tilbakemeldt' and queues an e-mail when the sender
 * asked for one (store/feedback.h). Only for an assessed input. */
int page_staff_feedback(pv_req *r, json_t **vm);
int page_staff_feedback_save(pv_req *r, json_t **vm);
/* POST /api/v1/processes/{slug}/inputs/{id}/feedback: {body?} → 201 (body left out: the
 * template's text). */
int page_api_feedback_create(pv_req *r, json_t **vm);
/* GET/POST /arbeid/prosesser/{slug}/tilbakemelding: the assessed inputs of the process that
 * have no feedback on their current assessment, each with the text its template gives in
 * the sender's language; the POST saves them all from the templates in one transaction
 * (store_feedback_create_many). */
int page_staff_feedback_bulk(pv_req *r, json_t **vm);
int page_staff_feedback_bulk_save(pv_req *r, json_t **vm);
/* GET/POST /arbeid/tilbakemeldingsmaler: the templates, one form each. */
int page_feedback_templates(pv_req *r, json_t **vm);
int page_feedback_templates_save(pv_req *r, json_t **vm);

/* The placeholders of a template: {{prosess}}, {{innspill}}, {{mottatt}}, {{utfall}},
 * {{begrunnelse}}, and sections {{#name}}…{{/name}} / {{^name}}…{{/name}} of them. */
#define FEEDBACK_PLACEHOLDERS "prosess, innspill, mottatt, utfall, begrunnelse"

/* Renders the template text tpl (plain text: nothing is HTML-escaped) with the string
 * values {prosess, innspill, mottatt, utfall, begrunnelse} into *out (malloc'ed). Returns
 * PV_EINVAL with the reason in err for an unknown placeholder or a broken tag or section. */
int feedback_render(const char *tpl, json_t *values, char **out, char *err,
                    size_t err_size) PV_NODISCARD;

/* An outcome in lang as it reads inside a sentence of feedback, in lower case ("tatt til
 * følge" …); headings and labels use assessment_outcome_label. */
const char *feedback_outcome_label(const i18n *t, const char *lang, const char *outcome);

#endif
