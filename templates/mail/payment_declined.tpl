{{! text/plain mail body: headers are built and RFC 2047-encoded in lib/shop/mail.c; no escaping pragma, as ctemplate has no text context and a text body needs no escaping }}
Hello {{NAME}},

we could not take the payment for your order {{PUBLIC_ID}}: our card
processor did not answer when you placed it, and when it did, your card
was declined. The order is cancelled and the items are released:
nothing was charged.

{{#ITEM}}  {{QTY}} x {{TITLE}}{{#VARIANT}} ({{TEXT}}){{/VARIANT}}  {{LINE_TOTAL}}
{{/ITEM}}
Order total: {{TOTAL}} {{CURRENCY}}

To buy these items, please place the order again with another card at
{{URL}}

{{ORDER_LINK}}
(the link opens your order once, within 3 days; after that, sign in at
{{URL}}/login)

Souk
