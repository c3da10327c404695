// tmpl_shim: the only C++ in Souk; wraps ctemplate behind the C API in tmpl.h.
#include <ctemplate/template.h>
#include <ctemplate/template_emitter.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <string>

extern "C" {
#define SOUK_ALLOW_UNSAFE 1
#include "http/tmpl.h"
}

using ctemplate::TemplateDictionary;

struct tmpl_dict;  // never defined: a TemplateDictionary in disguise

static TemplateDictionary *D(tmpl_dict *d) { return reinterpret_cast<TemplateDictionary *>(d); }
static tmpl_dict *T(TemplateDictionary *d) { return reinterpret_cast<tmpl_dict *>(d); }

namespace {
// Writes expanded text straight into a Souk buf (no std::string copy).
class BufEmitter : public ctemplate::ExpandEmitter {
 public:
  explicit BufEmitter(buf *b) : b_(b) {}
  void Emit(char c) override { buf_putc(b_, c); }
  void Emit(const std::string &s) override { buf_append(b_, s.data(), s.size()); }
  void Emit(const char *s) override { buf_puts(b_, s); }
  void Emit(const char *s, size_t n) override { buf_append(b_, s, n); }

 private:
  buf *b_;
};

void dict_delete(void *p) { delete static_cast<TemplateDictionary *>(p); }
}  // namespace

extern "C" int tmpl_init(const char *dir) {
  try {
    ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(dir);
    DIR *dh = opendir(dir);
    if (!dh) {
      fprintf(stderr, "souk: template dir %s: cannot open\n", dir);
      return -1;
    }
    int rc = 0;
    while (struct dirent *e = readdir(dh)) {
      size_t n = strlen(e->d_name);
      if (n < 5 || strcmp(e->d_name + n - 4, ".tpl") != 0) continue;
      if (!ctemplate::mutable_default_template_cache()->LoadTemplate(e->d_name,
                                                                     ctemplate::STRIP_WHITESPACE)) {
        fprintf(stderr, "souk: template %s/%s failed to load\n", dir, e->d_name);
        rc = -1;
      }
    }
    closedir(dh);
    return rc;
  } catch (...) {
    return -1;
  }
}

extern "C" void tmpl_reload(void) {
  try {
    ctemplate::mutable_default_template_cache()->ReloadAllIfChanged(
        ctemplate::TemplateCache::IMMEDIATE_RELOAD);
  } catch (...) {
  }
}

extern "C" tmpl_dict *tmpl_dict_new(arena *a) {
  try {
    TemplateDictionary *d = new TemplateDictionary("root");
    arena_defer(a, dict_delete, d);
    return T(d);
  } catch (...) {
    return NULL;
  }
}

extern "C" void tmpl_set(tmpl_dict *d, const char *key, const char *val) {
  try {
    D(d)->SetValue(key, val ? val : "");
  } catch (...) {
  }
}

extern "C" void tmpl_setn(tmpl_dict *d, const char *key, str val) {
  try {
    D(d)->SetValue(key, ctemplate::TemplateString(val.p, val.len));
  } catch (...) {
  }
}

extern "C" void tmpl_set_i64(tmpl_dict *d, const char *key, int64_t v) {
  char s[32];
  snprintf(s, sizeof(s), "%lld", (long long)v);
  tmpl_set(d, key, s);
}

extern "C" void tmpl_set_money(tmpl_dict *d, const char *key, int64_t cents) {
  char s[MONEY_MAX];
  money_display(s, cents);
  tmpl_set(d, key, s);
}

extern "C" tmpl_dict *tmpl_section(tmpl_dict *d, const char *name) {
  try {
    return T(D(d)->AddSectionDictionary(name));
  } catch (...) {
    return NULL;
  }
}

extern "C" void tmpl_show(tmpl_dict *d, const char *name) {
  try {
    D(d)->ShowSection(name);
  } catch (...) {
  }
}

extern "C" tmpl_dict *tmpl_include(tmpl_dict *d, const char *name, const char *file) {
  try {
    TemplateDictionary *sub = D(d)->AddIncludeDictionary(name);
    sub->SetFilename(file);
    return T(sub);
  } catch (...) {
    return NULL;
  }
}

extern "C" int tmpl_render(const char *file, tmpl_dict *d, buf *out) {
  try {
    BufEmitter em(out);
    bool ok = ctemplate::mutable_default_template_cache()->ExpandWithData(
        file, ctemplate::STRIP_WHITESPACE, D(d), NULL, &em);
    return ok && !out->failed ? 0 : -1;
  } catch (...) {
    return -1;
  }
}

extern "C" int tmpl_render_text(const char *file, tmpl_dict *d, buf *out) {
  try {
    BufEmitter em(out);
    bool ok = ctemplate::mutable_default_template_cache()->ExpandWithData(
        file, ctemplate::DO_NOT_STRIP, D(d), NULL, &em);
    return ok && !out->failed ? 0 : -1;
  } catch (...) {
    return -1;
  }
}
