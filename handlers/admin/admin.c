/* admin: the operator's pages (dashboard, orders, returns, products,
 * customers, stock) and their route table; a
 * pool of its own so that admin work is never cached and never competes
 * with shoppers for storefront workers. */
#include "admin.h"
#include "admin_flash.h"
#include "http/app.h"
#include "shop/auth.h"
#include "shop/flash.h"
#include "shop/pay_choose.h"
#include "shop/admin_lists.h"
#include "shop/admin_stats.h"
#include "shop/catalog.h"
#include "shop/catalog_admin.h"
#include "shop/seller.h"
#include "shop/shop.h"

static const route admin_routes[] = {
	{"GET", "/admin", page_admin_dashboard, 0},
	{"GET", "/admin/orders", page_admin_orders, 0},
	{"GET", "/admin/orders/{public_id}", page_admin_order, 0},
	{"POST", "/admin/orders/{public_id}/{action}", post_admin_order, 0},
	{"POST", "/admin/returns/{id}/{action}", post_admin_return, 0},
	{"GET", "/admin/returns", page_admin_returns, 0},
	{"GET", "/admin/products", page_admin_products, 0},
	{"GET", "/admin/products/{id}", page_admin_product, 0},
	{"POST", "/admin/products/{id}/{action}", post_admin_product, 0},
	{"GET", "/admin/customers", page_admin_customers, 0},
	{"GET", "/admin/customers/{id}", page_admin_customer, 0},
	{"GET", "/admin/warehouses", page_admin_warehouses, 0},
	{"GET", "/admin/warehouses/{id}", page_admin_warehouse, 0},
	{"POST", "/admin/stock", post_admin_stock, 0},
	{"GET", "/admin/sellers", page_admin_sellers, 0},
	{"GET", "/admin/sellers/{id}", page_admin_seller, 0},
	{"POST", "/admin/sellers/{id}/{action}", post_admin_seller, 0},
	{"GET", "/admin/commissions", page_admin_commissions, 0},
	{"POST", "/admin/commissions/{id}", post_admin_commission, 0},
	{"GET", "/admin/revenue", page_admin_revenue, 0},
	{"GET", "/admin/fba", page_admin_fba, 0},
	{"POST", "/admin/fba/{id}/{action}", post_admin_fba, 0},
	{"GET", "/admin/healthz", app_healthz, ROUTE_JSON},
	/* admin_flash.c */
	{"GET", "/admin/flash", page_admin_flash, 0}, {"POST", "/admin/flash", post_admin_flash, 0},
	{"GET", "/admin/flash/{id}", page_admin_flash_sale, 0},
	{"POST", "/admin/flash/{id}/{action}", post_admin_flash_sale, 0},
};

int main(void)
{
	static const app admin_app = {"admin", admin_routes, sizeof(admin_routes) / sizeof(admin_routes[0]),
	                              view_error};
	shop_register(); /* checkout, orders, the expiry, the order hooks */
	if (pay_choose_configured() < 0) /* an unknown provider: refuse to start */
		return 2;
	auth_register_sql();
	catalog_register();
	catalog_admin_register();
	admin_stats_register();
	admin_lists_register();
	flash_register();
	seller_register();
	admin_market_register();
	return app_main(&admin_app);
}
