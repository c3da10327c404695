/* test_csv: lib/shop/seller_csv — the inventory file's parsing (libcsv),
 * every per-row rejection reason, file-level refusals, duplicates, and
 * the CSV report. No database. */
#include <string.h>

#include "shop/seller_csv.h"
#include "shop/seller_offer.h"
#include "tests.h"

static const char *check(int nf, const char *a, const char *b, const char *c, const char *d, scsv_row *r)
{
	const char *f[] = {a, b, c, d};
	memset(r, 0, sizeof(*r));
	return scsv_check_row(t_c->a, nf, f, r);
}

static void test_row_rules(void)
{
	scsv_row r;
	CU_ASSERT_PTR_NULL(check(3, "SKU-1", "1999", "5", NULL, &r));
	CU_ASSERT_EQUAL(r.price, 1999);
	CU_ASSERT_EQUAL(r.quantity, 5);
	CU_ASSERT_EQUAL(r.warehouse_id, 0);
	CU_ASSERT_PTR_NULL(check(4, "SKU-1", "19.99", "", "7", &r));
	CU_ASSERT_EQUAL(r.price, 1999);
	CU_ASSERT_EQUAL(r.quantity, SOFFER_KEEP);
	CU_ASSERT_EQUAL(r.warehouse_id, 7);
	CU_ASSERT_PTR_NULL(check(3, "SKU-1", "", "0", NULL, &r));
	CU_ASSERT_EQUAL(r.price, SOFFER_KEEP);
	CU_ASSERT_EQUAL(r.quantity, 0);
	/* each rejection reason */
	CU_ASSERT_STRING_EQUAL(check(2, "SKU-1", "1", NULL, NULL, &r), "too few fields (sku,price,quantity[,warehouse])");
	CU_ASSERT_PTR_NOT_NULL(strstr(check(5, "SKU-1", "1", "1", "1", &r), "too many fields"));
	CU_ASSERT_STRING_EQUAL(check(3, "", "1", "1", NULL, &r), "sku is empty");
	CU_ASSERT_PTR_NOT_NULL(strstr(check(3, "a b", "1", "1", NULL, &r), "not a valid sku"));
	CU_ASSERT_PTR_NOT_NULL(strstr(check(3, "SKU-1", NULL, "1", NULL, &r), "longer than 200"));
	CU_ASSERT_STRING_EQUAL(check(3, "SKU-1", "0", "1", NULL, &r), "price must be more than 0");
	CU_ASSERT_STRING_EQUAL(check(3, "SKU-1", "-5", "1", NULL, &r), "price must be more than 0");
	CU_ASSERT_STRING_EQUAL(check(3, "SKU-1", "0.00", "1", NULL, &r), "price must be more than 0");
	CU_ASSERT_PTR_NOT_NULL(strstr(check(3, "SKU-1", "abc", "1", NULL, &r), "not a number"));
	CU_ASSERT_PTR_NOT_NULL(strstr(check(3, "SKU-1", "1.999", "1", NULL, &r), "not a number"));
	CU_ASSERT_PTR_NOT_NULL(strstr(check(3, "SKU-1", "100000001", "1", NULL, &r), "absurd"));
	CU_ASSERT_PTR_NOT_NULL(strstr(check(3, "SKU-1", "99999999999999999999", "1", NULL, &r), "not a number"));
	CU_ASSERT_STRING_EQUAL(check(3, "SKU-1", "1", "-1", NULL, &r), "quantity must not be negative");
	CU_ASSERT_STRING_EQUAL(check(3, "SKU-1", "1", "1000001", NULL, &r), "quantity is more than 1000000");
	CU_ASSERT_STRING_EQUAL(check(3, "SKU-1", "1", "99999999999999999999", NULL, &r), "quantity is more than 1000000");
	CU_ASSERT_STRING_EQUAL(check(3, "SKU-1", "1", "2.5", NULL, &r), "quantity is not a whole number");
	CU_ASSERT_STRING_EQUAL(check(4, "SKU-1", "1", "1", "x", &r), "warehouse is not a warehouse id");
	CU_ASSERT_STRING_EQUAL(check(4, "SKU-1", "1", "1", "0", &r), "warehouse is not a warehouse id");
	CU_ASSERT_PTR_NOT_NULL(strstr(check(3, "SKU-1", "", "", NULL, &r), "nothing to change"));
}

static int parse(const char *text, scsv_file *f)
{
	ctx_clear(t_c);
	return scsv_parse(t_c, str_c(text), f);
}

static void test_file_rules(void)
{
	scsv_file f;
	CU_ASSERT_EQUAL(parse("sku,price,quantity\r\nA,1,2\r\n\"B,1\",3,4\r\n", &f), SOUK_OK);
	CU_ASSERT_EQUAL(f.n, 2);
	CU_ASSERT_EQUAL(f.rows[0].line, 2);
	CU_ASSERT_PTR_NULL(f.rows[0].reason);
	CU_ASSERT_STRING_EQUAL(f.rows[1].sku, "B,1"); /* quoted comma: libcsv, then rejected as a sku */
	CU_ASSERT_PTR_NOT_NULL(f.rows[1].reason);
	/* a spreadsheet's BOM and upper-case header */
	CU_ASSERT_EQUAL(parse("\xef\xbb\xbfSKU,Price,Quantity,Warehouse\nA,1,2,\n", &f), SOUK_OK);
	CU_ASSERT_EQUAL(f.n, 1);
	/* file-level refusals: 400 with the reason */
	CU_ASSERT_EQUAL(parse("", &f), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 400);
	CU_ASSERT_EQUAL(parse("sku;price;quantity\nA;1;2\n", &f), SOUK_ERR);
	CU_ASSERT_PTR_NOT_NULL(strstr(t_c->err_msg, "sku,price,quantity"));
	CU_ASSERT_EQUAL(parse("sku,qty,price\nA,1,2\n", &f), SOUK_ERR);
	CU_ASSERT_PTR_NOT_NULL(strstr(t_c->err_msg, "found: sku,qty,price"));
	CU_ASSERT_EQUAL(parse("sku,price,quantity\nA,\xff,2\n", &f), SOUK_ERR);
	CU_ASSERT_PTR_NOT_NULL(strstr(t_c->err_msg, "UTF-8"));
	CU_ASSERT_EQUAL(parse("sku,price,quantity\n\"A,1,2\n", &f), SOUK_ERR);
	CU_ASSERT_PTR_NOT_NULL(strstr(t_c->err_msg, "not valid CSV"));
	ctx_clear(t_c);
}

static void test_duplicates(void)
{
	scsv_file f;
	CU_ASSERT_EQUAL_FATAL(parse("sku,price,quantity,warehouse\n"
	                            "A,1,1,\n" /* 2: duplicate of 4 */
	                            "A,1,1,9\n" /* 3: another warehouse: fine */
	                            "A,2,2,\n" /* 4 */
	                            "A,-1,2,\n" /* 5: bad on its own, not a duplicate */
	                            "B,1,1,\n", &f), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(f.n, 5);
	CU_ASSERT_STRING_EQUAL(f.rows[0].reason, "duplicate sku and warehouse (also on line 4)");
	CU_ASSERT_PTR_NULL(f.rows[1].reason);
	CU_ASSERT_STRING_EQUAL(f.rows[2].reason, "duplicate sku and warehouse (also on line 2)");
	CU_ASSERT_STRING_EQUAL(f.rows[3].reason, "price must be more than 0");
	CU_ASSERT_PTR_NULL(f.rows[4].reason);
}

static void test_report(void)
{
	scsv_file f;
	CU_ASSERT_EQUAL_FATAL(parse("sku,price,quantity\nA,1,1\n\"B\"\"x\",0,1\n", &f), SOUK_OK);
	f.rows[0].applied = true;
	str t = scsv_report_csv(t_c, &f);
	CU_ASSERT_EQUAL(strncmp(t.p, "line,sku,result,reason\r\n2,\"A\",applied,\"\"\r\n3,\"B\"\"x\",rejected,\"sku is not a valid sku (letters, digits, - _ .)\"\r\n", t.len), 0);
}

void add_csv_tests(void)
{
	CU_pSuite s = CU_add_suite("seller_csv", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "row rules: each rejection reason", test_row_rules);
	CU_add_test(s, "file rules: header, UTF-8, quotes, empty", test_file_rules);
	CU_add_test(s, "duplicate sku and warehouse", test_duplicates);
	CU_add_test(s, "the CSV report", test_report);
}
