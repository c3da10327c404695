/* test_typo: lib/search/typo (budget per word length, Damerau/OSA distance,
 * repeated letters, corrected-query ranking and the no-worse-split rule). */
#include <string.h>

#include "search/typo.h"
#include "tests.h"

static void test_budget(void)
{
	CU_ASSERT_EQUAL(typo_budget(""), 0);
	CU_ASSERT_EQUAL(typo_budget("sofa"), 0);      /* 4 letters: none */
	CU_ASSERT_EQUAL(typo_budget("shoes"), 1);     /* 5: one */
	CU_ASSERT_EQUAL(typo_budget("blutooth"), 1);  /* 8: one */
	CU_ASSERT_EQUAL(typo_budget("bluetooth"), 2); /* 9: two */
	CU_ASSERT_EQUAL(typo_budget("headphones"), 2);
	/* letters, not bytes: "café" is 4 letters in 5 bytes */
	CU_ASSERT_EQUAL(typo_budget("caf\xc3\xa9"), 0);
	CU_ASSERT_EQUAL(typo_budget("d\xc3\xa9" "cor"), 1);
}

static void test_osa(void)
{
	CU_ASSERT_EQUAL(typo_osa("speaker", "speaker"), 0);
	CU_ASSERT_EQUAL(typo_osa("speker", "speaker"), 1);   /* dropped */
	CU_ASSERT_EQUAL(typo_osa("speaaker", "speaker"), 1); /* doubled */
	CU_ASSERT_EQUAL(typo_osa("spaeker", "speaker"), 1);  /* swapped: one, not two */
	CU_ASSERT_EQUAL(typo_osa("speakr", "speaker"), 1);
	CU_ASSERT_EQUAL(typo_osa("spwaker", "speaker"), 1);  /* neighbouring key */
	CU_ASSERT_EQUAL(typo_osa("ca", "abc"), 3);           /* OSA, not full Damerau (2) */
	CU_ASSERT_EQUAL(typo_osa("", "abc"), 3);
	CU_ASSERT_EQUAL(typo_osa("kitten", "sitting"), 3);
	CU_ASSERT_EQUAL(typo_osa("blutooth", "bluetooth"), 1);
	CU_ASSERT_EQUAL(typo_osa("bluetooth", "blutooth"), 1); /* symmetric */
	CU_ASSERT_EQUAL(typo_osa("caf\xc3\xa9", "cafe"), 1);   /* one letter, two bytes */
	CU_ASSERT_EQUAL(typo_osa("\xff", "a"), -1);            /* not UTF-8 */
	char long_word[TYPO_MAX_WORD + 2];
	memset(long_word, 'a', sizeof(long_word) - 1);
	long_word[sizeof(long_word) - 1] = '\0';
	CU_ASSERT_EQUAL(typo_osa(long_word, "a"), -1);
}

static void test_distance_and_within(void)
{
	/* a held or double-struck key is no typo */
	CU_ASSERT_EQUAL(typo_distance("sofaaa", "sofa"), 0);
	CU_ASSERT_EQUAL(typo_distance("bedd", "bed"), 0);
	CU_ASSERT_EQUAL(typo_distance("cofee", "coffee"), 0);
	CU_ASSERT_EQUAL(typo_distance("speker", "speaker"), 1);
	CU_ASSERT_TRUE(typo_within("blutooth", "bluetooth"));
	CU_ASSERT_TRUE(typo_within("speker", "speaker"));
	CU_ASSERT_TRUE(typo_within("shose", "shoes"));      /* swap within a 5-letter budget */
	CU_ASSERT_FALSE(typo_within("blutooth", "bluetooth4")); /* two typos, budget one */
	CU_ASSERT_FALSE(typo_within("sofa", "soft"));       /* 4 letters: no typo allowed */
	CU_ASSERT_FALSE(typo_within("mens", "men"));
	CU_ASSERT_TRUE(typo_within("zephyrina", "zephyrine"));
	CU_ASSERT_TRUE(typo_within("headphnoes", "headphones"));
	CU_ASSERT_TRUE(typo_within("hedphnoes", "headphones"));  /* 10 letters: two */
	CU_ASSERT_FALSE(typo_within("hedphnes", "headphones")); /* 8 letters: one */
	CU_ASSERT_FALSE(typo_within("speaker", "speaker"));     /* equal is no correction */
}

static void test_rank(void)
{
	/* "blutooth speker": the split brings less than the joined word */
	typo_cand v[] = {
		{"blu tooth speaker", 1, 2, true, 0},
		{"bluetooth speaker", 20, 2, false, 0},
		{"bluetooth speakers", 20, 3, false, 0},
		{"blutooth speaker", 0, 1, false, 0},
		{"bluetooth speaker", 20, 2, false, 0},
	};
	int n = typo_rank(v, 5);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	ASSERT_CSTR(v[0].text, "bluetooth speaker");   /* more results, then fewer typos */
	ASSERT_CSTR(v[1].text, "bluetooth speakers");
	for (int i = 0; i < n; i++)
		CU_ASSERT_FALSE(v[i].split);

	/* a split that brings more than every joined word stays ("firestick") */
	typo_cand w[] = {
		{"firestock", 2, 1, false, 0},
		{"fire stick", 30, 1, true, 0},
	};
	CU_ASSERT_EQUAL_FATAL(typo_rank(w, 2), 2);
	ASSERT_CSTR(w[0].text, "fire stick");

	/* a typo more must bring TYPO_WEIGH times the results */
	typo_cand y[] = {{"soft", 1433, 1, false, 0}, {"sofa", 93, 0, false, 0}};
	CU_ASSERT_EQUAL_FATAL(typo_rank(y, 2), 2);
	ASSERT_CSTR(y[0].text, "sofa");
	typo_cand z[] = {{"sofa", 2, 0, false, 0}, {"soft", 1433, 1, false, 0}};
	CU_ASSERT_EQUAL_FATAL(typo_rank(z, 2), 2);
	ASSERT_CSTR(z[0].text, "soft");
	typo_cand e[] = {{"b", 50, 0, false, 0}, {"a", 1, 1, false, 0}};
	CU_ASSERT_EQUAL_FATAL(typo_rank(e, 2), 2); /* equal weight: fewer typos */
	ASSERT_CSTR(e[0].text, "b");

	/* equal results and typos: the more common words */
	typo_cand l[] = {{"fan without lift", 40, 1, false, 30}, {"fan without light", 40, 1, false, 90}};
	CU_ASSERT_EQUAL_FATAL(typo_rank(l, 2), 2);
	ASSERT_CSTR(l[0].text, "fan without light");

	/* equal results: fewer typos first, then the text */
	typo_cand x[] = {{"b", 5, 2, false, 0}, {"c", 5, 1, false, 0}, {"a", 5, 1, false, 0}};
	CU_ASSERT_EQUAL_FATAL(typo_rank(x, 3), 3);
	ASSERT_CSTR(x[0].text, "a");
	ASSERT_CSTR(x[1].text, "c");
	ASSERT_CSTR(x[2].text, "b");
	CU_ASSERT_EQUAL(typo_rank(x, 0), 0);
}

static void test_much_more(void)
{
	CU_ASSERT_TRUE(typo_much_more(1, 0));
	CU_ASSERT_FALSE(typo_much_more(0, 0));
	CU_ASSERT_TRUE(typo_much_more(20, 1));
	CU_ASSERT_FALSE(typo_much_more(3, 1));
	CU_ASSERT_TRUE(typo_much_more(4 * 5, 5));
	CU_ASSERT_FALSE(typo_much_more(19, 5));
}

void add_typo_tests(void)
{
	CU_pSuite s = CU_add_suite("typo", NULL, NULL);
	CU_add_test(s, "budget: 0 under 5 letters, 1 from 5, 2 from 9", test_budget);
	CU_add_test(s, "OSA distance: a swap is one typo; UTF-8 letters", test_osa);
	CU_add_test(s, "repeated letters; within the budget", test_distance_and_within);
	CU_add_test(s, "ranking: results weighed against typos; no worse split", test_rank);
	CU_add_test(s, "much more results", test_much_more);
}
