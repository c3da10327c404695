{{! text/plain mail body: headers are built and RFC 2047-encoded in lib/shop/mail.c; no escaping pragma, as ctemplate has no text context and a text body needs no escaping }}
Hello {{NAME}},

thank you for your order {{PUBLIC_ID}}. We have received your payment
and your order is confirmed.

{{#ITEM}}  {{QTY}} x {{TITLE}}{{#VARIANT}} ({{TEXT}}){{/VARIANT}}  {{LINE_TOTAL}}
{{/ITEM}}
Subtotal: {{SUBTOTAL}} {{CURRENCY}}
Shipping ({{SHIPPING_METHOD}}): {{SHIPPING}} {{CURRENCY}}
Tax: {{TAX}} {{CURRENCY}}
Total: {{TOTAL}} {{CURRENCY}}

You can follow your order at {{ORDER_LINK}}
(the link opens your order once, within 3 days; after that, sign in at
{{URL}}/login)

Souk
