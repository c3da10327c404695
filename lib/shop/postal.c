/* postal: a pattern list per country ('9' a digit, 'A' a letter, ' ' an optional space, else literal). */
#include "shop/postal.h"

#include <ctype.h>
#include <string.h>

static const struct {
	const char *country, *example;
	const char *patterns[7];
} formats[] = {
	{"US", "12345 or 12345-6789", {"99999", "99999-9999"}},
	{"CA", "A1A 1A1", {"A9A 9A9"}},
	{"GB", "SW1A 1AA", {"A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA"}},
	{"DE", "12345", {"99999"}},
	{"FR", "75001", {"99999"}},
	{"NL", "1234 AB", {"9999 AA"}},
	{"ES", "28001", {"99999"}},
	{"IT", "00118", {"99999"}},
	{"AU", "2000", {"9999"}},
	{"JP", "123-4567", {"999-9999"}},
};

static bool match(const char *pat, const char *s)
{
	for (; *pat; pat++) {
		if (*pat == ' ') {
			if (*s == ' ')
				s++;
			continue;
		}
		unsigned char ch = (unsigned char)*s;
		if (!ch)
			return false;
		if (*pat == '9' ? !isdigit(ch) : *pat == 'A' ? !isalpha(ch) : toupper(ch) != *pat)
			return false;
		s++;
	}
	return *s == '\0';
}

bool postal_valid(const char *country, const char *code, const char **example)
{
	*example = NULL;
	if (!code)
		return false;
	/* trimmed copy: what people paste comes with spaces around */
	char t[24];
	while (*code == ' ')
		code++;
	size_t n = strlen(code);
	while (n && code[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof t)
		return false;
	memcpy(t, code, n);
	t[n] = '\0';
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (!country || strcmp(country, formats[i].country) != 0)
			continue;
		*example = formats[i].example;
		for (size_t k = 0; k < 7 && formats[i].patterns[k]; k++)
			if (match(formats[i].patterns[k], t))
				return true;
		return false;
	}
	bool alnum = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)t[i];
		if (!(isalnum(ch) || ch == ' ' || ch == '-'))
			return false;
		alnum |= isalnum(ch) != 0;
	}
	return alnum;
}
