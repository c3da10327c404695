{{! text/plain mail body: headers are built and RFC 2047-encoded in lib/shop/mail.c; no escaping pragma, as ctemplate has no text context and a text body needs no escaping }}
Hello {{NAME}},

your order {{PUBLIC_ID}} is on its way.
{{#SHIPMENT}}
Carrier: {{CARRIER}}
Tracking number: {{TRACKING}}
{{/SHIPMENT}}
{{#ITEM}}  {{QTY}} x {{TITLE}}{{#VARIANT}} ({{TEXT}}){{/VARIANT}}
{{/ITEM}}
You can follow your order at {{ORDER_LINK}}
(the link opens your order once, within 3 days; after that, sign in at
{{URL}}/login)

Souk
