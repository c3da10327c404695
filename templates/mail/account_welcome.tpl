{{! text/plain mail body: headers are built and RFC 2047-encoded in C (handlers/storefront/account.c, lib/shop/mail.c) }}
Hello,

your Souk account for {{EMAIL}} is ready. Sign in with the password
you chose at {{URL}}/login

If you did not create this account, you can ignore this message.

Souk
