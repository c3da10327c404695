/* admin_form: parsing and checks of the admin pages' inputs. */
#include "web/admin_form.h"

static bool digits(str s, size_t from, size_t n)
{
	for (size_t i = from; i < from + n; i++)
		if (i >= s.len || s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

int admin_date_parse(str s, char out[11])
{
	if (s.len != 10 || !digits(s, 0, 4) || s.p[4] != '-' || !digits(s, 5, 2) || s.p[7] != '-' ||
	    !digits(s, 8, 2))
		return -1;
	int y = (s.p[0] - '0') * 1000 + (s.p[1] - '0') * 100 + (s.p[2] - '0') * 10 + (s.p[3] - '0');
	int m = (s.p[5] - '0') * 10 + (s.p[6] - '0'), d = (s.p[8] - '0') * 10 + (s.p[9] - '0');
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1)
		return -1;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	memcpy(out, s.p, 10);
	out[10] = '\0';
	return 0;
}

int admin_price_parse(str s, int64_t max_cents, int64_t *cents)
{
	size_t i = 0;
	if (i < s.len && s.p[i] == '$')
		i++;
	int64_t whole = 0;
	int nd = 0, since_comma = -1;
	for (; i < s.len && s.p[i] != '.'; i++) {
		char ch = s.p[i];
		if (ch == ',') {
			/* a comma only between groups of three digits */
			if (nd == 0 || (since_comma < 0 && nd > 3) || (since_comma >= 0 && since_comma != 3))
				return -1;
			since_comma = 0;
			continue;
		}
		if (ch < '0' || ch > '9' || nd >= 10)
			return -1;
		whole = whole * 10 + (ch - '0');
		nd++;
		if (since_comma >= 0)
			since_comma++;
	}
	if (nd == 0 || (since_comma >= 0 && since_comma != 3))
		return -1;
	int64_t frac = 0;
	if (i < s.len) { /* '.' then one or two digits */
		size_t nf = s.len - i - 1;
		if (nf < 1 || nf > 2 || !digits(s, i + 1, nf))
			return -1;
		frac = (s.p[i + 1] - '0') * 10 + (nf == 2 ? s.p[i + 2] - '0' : 0);
	}
	int64_t v = whole * 100 + frac;
	if (v < 1 || v > max_cents)
		return -1;
	*cents = v;
	return 0;
}

int admin_title_ok(str s)
{
	if (s.len == 0 || s.len > 300)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.p[i];
		if (ch < 0x20 || ch == 0x7f)
			return -1;
	}
	return 0;
}
