{{! text/plain mail body: headers are built and RFC 2047-encoded in lib/shop/mail.c; no escaping pragma, as ctemplate has no text context and a text body needs no escaping }}
Hello {{NAME}},

we have refunded {{AMOUNT}} {{CURRENCY}} for your order {{PUBLIC_ID}} to the
card you paid with. Depending on your bank it can take a few days to
appear on your statement.

Order total: {{TOTAL}} {{CURRENCY}}

{{ORDER_LINK}}
(the link opens your order once, within 3 days; after that, sign in at
{{URL}}/login)

Souk
