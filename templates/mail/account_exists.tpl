{{! text/plain mail body: headers are built and RFC 2047-encoded in C (handlers/storefront/account.c, lib/shop/mail.c) }}
Hello,

someone (probably you) tried to create a Souk account for {{EMAIL}},
but you already have an account with this address. No new account was
created and your password is unchanged.

Sign in at {{URL}}/login

If this was not you, you can ignore this message.

Souk
