-- The default texts feedback starts from: one per outcome and language (nb, nn, en), in the
-- municipality's voice. Staff edit them at /arbeid/tilbakemeldingsmaler. Placeholders are
-- Mustache tags filled in when feedback is written (pages/feedback.c, feedback_render):
-- {{prosess}} the process, {{innspill}} the input's text, {{mottatt}} the day it came,
-- {{utfall}} the outcome, {{begrunnelse}} the justification ({{#begrunnelse}}…{{/begrunnelse}}
-- shows a part only when there is one).

INSERT INTO feedback_template (outcome, language, subject, body) VALUES
('tatt til følge', 'nb', 'Innspillet ditt til {{prosess}} er tatt til følge',
'Takk for innspillet ditt til {{prosess}}, som vi fikk {{mottatt}}.

Du skrev:
«{{innspill}}»

Vi har vurdert innspillet, og det er tatt til følge. Det betyr at vi endrer planen slik du foreslo.
{{#begrunnelse}}
{{begrunnelse}}
{{/begrunnelse}}
Vennlig hilsen
Moss kommune'),
('delvis tatt til følge', 'nb', 'Innspillet ditt til {{prosess}} er delvis tatt til følge',
'Takk for innspillet ditt til {{prosess}}, som vi fikk {{mottatt}}.

Du skrev:
«{{innspill}}»

Vi har vurdert innspillet, og det er delvis tatt til følge. Dette er grunnen:
{{begrunnelse}}

Vennlig hilsen
Moss kommune'),
('ikke tatt til følge', 'nb', 'Svar på innspillet ditt til {{prosess}}',
'Takk for innspillet ditt til {{prosess}}, som vi fikk {{mottatt}}.

Du skrev:
«{{innspill}}»

Vi har vurdert innspillet nøye, men har ikke tatt det til følge. Dette er grunnen:
{{begrunnelse}}

Vennlig hilsen
Moss kommune'),
('utenfor mandat', 'nb', 'Svar på innspillet ditt til {{prosess}}',
'Takk for innspillet ditt til {{prosess}}, som vi fikk {{mottatt}}.

Du skrev:
«{{innspill}}»

Innspillet handler om noe som denne planen ikke kan avgjøre. Derfor har vi ikke vurdert det her.
{{begrunnelse}}

Vennlig hilsen
Moss kommune'),
('allerede ivaretatt', 'nb', 'Svar på innspillet ditt til {{prosess}}',
'Takk for innspillet ditt til {{prosess}}, som vi fikk {{mottatt}}.

Du skrev:
«{{innspill}}»

Det du ber om, er allerede tatt med i planen.
{{begrunnelse}}

Vennlig hilsen
Moss kommune'),

('tatt til følge', 'nn', 'Innspelet ditt til {{prosess}} er teke til følgje',
'Takk for innspelet ditt til {{prosess}}, som vi fekk {{mottatt}}.

Du skreiv:
«{{innspill}}»

Vi har vurdert innspelet, og det er teke til følgje. Det tyder at vi endrar planen slik du føreslo.
{{#begrunnelse}}
{{begrunnelse}}
{{/begrunnelse}}
Venleg helsing
Moss kommune'),
('delvis tatt til følge', 'nn', 'Innspelet ditt til {{prosess}} er delvis teke til følgje',
'Takk for innspelet ditt til {{prosess}}, som vi fekk {{mottatt}}.

Du skreiv:
«{{innspill}}»

Vi har vurdert innspelet, og det er delvis teke til følgje. Dette er grunnen:
{{begrunnelse}}

Venleg helsing
Moss kommune'),
('ikke tatt til følge', 'nn', 'Svar på innspelet ditt til {{prosess}}',
'Takk for innspelet ditt til {{prosess}}, som vi fekk {{mottatt}}.

Du skreiv:
«{{innspill}}»

Vi har vurdert innspelet nøye, men har ikkje teke det til følgje. Dette er grunnen:
{{begrunnelse}}

Venleg helsing
Moss kommune'),
('utenfor mandat', 'nn', 'Svar på innspelet ditt til {{prosess}}',
'Takk for innspelet ditt til {{prosess}}, som vi fekk {{mottatt}}.

Du skreiv:
«{{innspill}}»

Innspelet handlar om noko som denne planen ikkje kan avgjere. Difor har vi ikkje vurdert det her.
{{begrunnelse}}

Venleg helsing
Moss kommune'),
('allerede ivaretatt', 'nn', 'Svar på innspelet ditt til {{prosess}}',
'Takk for innspelet ditt til {{prosess}}, som vi fekk {{mottatt}}.

Du skreiv:
«{{innspill}}»

Det du ber om, er allereie teke med i planen.
{{begrunnelse}}

Venleg helsing
Moss kommune'),

('tatt til følge', 'en', 'Your input to {{prosess}} has been accepted',
'Thank you for your input to {{prosess}}, which we received on {{mottatt}}.

You wrote:
“{{innspill}}”

We have assessed your input and accepted it. This means we will change the plan as you suggested.
{{#begrunnelse}}
{{begrunnelse}}
{{/begrunnelse}}
Kind regards
Moss kommune (Moss municipality)'),
('delvis tatt til følge', 'en', 'Your input to {{prosess}} has been partly accepted',
'Thank you for your input to {{prosess}}, which we received on {{mottatt}}.

You wrote:
“{{innspill}}”

We have assessed your input and accepted part of it. This is why:
{{begrunnelse}}

Kind regards
Moss kommune (Moss municipality)'),
('ikke tatt til følge', 'en', 'Our answer to your input to {{prosess}}',
'Thank you for your input to {{prosess}}, which we received on {{mottatt}}.

You wrote:
“{{innspill}}”

We have assessed your input carefully, but have not accepted it. This is why:
{{begrunnelse}}

Kind regards
Moss kommune (Moss municipality)'),
('utenfor mandat', 'en', 'Our answer to your input to {{prosess}}',
'Thank you for your input to {{prosess}}, which we received on {{mottatt}}.

You wrote:
“{{innspill}}”

Your input is about something this plan cannot decide, so we have not assessed it here.
{{begrunnelse}}

Kind regards
Moss kommune (Moss municipality)'),
('allerede ivaretatt', 'en', 'Our answer to your input to {{prosess}}',
'Thank you for your input to {{prosess}}, which we received on {{mottatt}}.

You wrote:
“{{innspill}}”

What you ask for is already part of the plan.
{{begrunnelse}}

Kind regards
Moss kommune (Moss municipality)');
