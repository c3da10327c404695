/* admin: the operator's pages (orders, returns) and their route table; a
 * pool of its own so that admin work is never cached and never competes
 * with shoppers for storefront workers. */
#include "admin.h"
#include "http/app.h"
#include "shop/auth.h"
#include "shop/checkout.h"
#include "shop/pay_choose.h"
#include "shop/seller.h"

static const route admin_routes[] = {
	{"GET", "/admin/orders", page_admin_orders, 0},
	{"GET", "/admin/orders/{public_id}", page_admin_order, 0},
	{"POST", "/admin/orders/{public_id}/{action}", post_admin_order, 0},
	{"POST", "/admin/returns/{id}/{action}", post_admin_return, 0},
	{"GET", "/admin/sellers", page_admin_sellers, 0},
	{"GET", "/admin/sellers/{id}", page_admin_seller, 0},
	{"POST", "/admin/sellers/{id}/{action}", post_admin_seller, 0},
	{"GET", "/admin/commissions", page_admin_commissions, 0},
	{"POST", "/admin/commissions/{id}", post_admin_commission, 0},
	{"GET", "/admin/revenue", page_admin_revenue, 0},
	{"GET", "/admin/fba", page_admin_fba, 0},
	{"POST", "/admin/fba/{id}/{action}", post_admin_fba, 0},
	{"GET", "/admin/healthz", app_healthz, ROUTE_JSON},
};

int main(void)
{
	static const app admin_app = {"admin", admin_routes, sizeof(admin_routes) / sizeof(admin_routes[0]),
	                              view_error};
	checkout_register(); /* cart, inventory, payment, order too */
	if (pay_choose_configured() < 0) /* an unknown provider: refuse to start */
		return 2;
	auth_register_sql();
	seller_register();
	admin_market_register();
	return app_main(&admin_app);
}
