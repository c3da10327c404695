/* multipart: multipart/form-data bodies (RFC 7578), for file uploads. */
#ifndef SOUK_MULTIPART_H
#define SOUK_MULTIPART_H

#include "core/arena.h"
#include "http/req.h"

/* Adds each part of body to out: its name -> its bytes (views into body),
 * and for a file part also "<name>_filename" -> the file's name. The
 * boundary is read from the body's first line (the Content-Type's
 * parameter is not kept by the request parser). 0, or -1 with a
 * client-facing reason in *why (malformed, more than max_parts parts). */
int multipart_parse(arena *a, str body, size_t max_parts, kvlist *out, const char **why);

#endif
