{{! text/plain mail body: headers are built and RFC 2047-encoded in lib/shop/mail.c; no escaping pragma, as ctemplate has no text context and a text body needs no escaping }}
Hello {{NAME}},

your order {{PUBLIC_ID}} has been delivered. We hope you enjoy it.

If something is not right, you can request a return within 30 days at
{{ORDER_LINK}}
(the link opens your order once, within 3 days; after that, sign in at
{{URL}}/login)

Souk
