/* tmpl: C face of the ctemplate shim; templates auto-escape (HTML). */
#ifndef SOUK_TMPL_H
#define SOUK_TMPL_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

typedef struct tmpl_dict tmpl_dict;

/* Loads every *.tpl in dir once per process (call before fork). Returns 0,
 * or -1 naming the broken template on stderr. */
int tmpl_init(const char *dir);
/* Re-reads templates that changed on disk (SIGHUP). */
void tmpl_reload(void);

/* A root dictionary, deleted when the arena is reset. */
tmpl_dict *tmpl_dict_new(arena *a);
void tmpl_set(tmpl_dict *d, const char *key, const char *val);
void tmpl_setn(tmpl_dict *d, const char *key, str val);
void tmpl_set_i64(tmpl_dict *d, const char *key, int64_t v);
/* "12.34" from minor units */
void tmpl_set_money(tmpl_dict *d, const char *key, int64_t cents);
/* One more repetition of section `name`; owned by d. */
tmpl_dict *tmpl_section(tmpl_dict *d, const char *name);
void tmpl_show(tmpl_dict *d, const char *name);
/* {{>name}} filled from file, owned by d. */
tmpl_dict *tmpl_include(tmpl_dict *d, const char *name, const char *file);

/* Expands file with d, appending to out. 0 or -1 (unknown template). */
int tmpl_render(const char *file, tmpl_dict *d, buf *out);

/* Expands a plain-text template (mail bodies in templates/mail/) with
 * its whitespace and line breaks kept. Such templates carry no AUTOESCAPE
 * pragma: ctemplate knows no text context (only HTML, JAVASCRIPT, CSS,
 * JSON, XML), and text/plain needs no escaping; headers are built and
 * encoded in C (lib/shop/mail.c). Never use one for HTML. 0 or -1. */
int tmpl_render_text(const char *file, tmpl_dict *d, buf *out);

#endif
