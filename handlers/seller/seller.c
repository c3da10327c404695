/* seller: the seller center at /seller/ and its route table; a pool of its
 * own so sellers' work is never cached and never takes shoppers' workers. */
#include "seller.h"
#include "http/app.h"
#include "shop/auth.h"

static const route seller_routes[] = {
	{"GET", "/seller", page_seller_home, 0},
	{"GET", "/seller/keys", page_seller_keys, 0},
	{"POST", "/seller/keys", post_seller_key_create, 0},
	{"POST", "/seller/keys/{id}/revoke", post_seller_key_revoke, 0},
	{"GET", "/seller/listings", page_seller_listings, 0},
	{"POST", "/seller/listings", post_seller_offer_create, 0},
	{"GET", "/seller/listings/new", page_seller_offer_new, 0},
	{"GET", "/seller/listings/{sku_id}", page_seller_offer, 0},
	{"POST", "/seller/listings/{sku_id}", post_seller_offer_update, 0},
	{"POST", "/seller/listings/{sku_id}/stock", post_seller_offer_stock, 0},
	{"POST", "/seller/listings/{sku_id}/{action}", post_seller_offer_status, 0},
	{"GET", "/seller/products/new", page_seller_product_new, 0},
	{"POST", "/seller/products", post_seller_product_create, 0},
	{"GET", "/seller/products/{id}/photos", page_seller_photos, 0},
	{"POST", "/seller/products/{id}/photos", post_seller_photo_add, ROUTE_UPLOAD},
	{"POST", "/seller/products/{id}/photos/{photo}/{action}", post_seller_photo_action, 0},
	{"GET", "/seller/inventory-file", page_seller_inventory, 0},
	{"POST", "/seller/inventory-file", post_seller_inventory, 0},
	{"GET", "/seller/inventory-file/reports/{rid}", page_seller_inventory_report, 0},
	{"GET", "/seller/dashboard", page_seller_dashboard, 0},
	{"GET", "/seller/orders", page_seller_orders, 0},
	{"POST", "/seller/shipments/{id}/confirm", post_seller_shipment_confirm, 0},
	{"GET", "/seller/returns", page_seller_returns, 0},
	{"POST", "/seller/returns/{id}/approve", post_seller_return_approve, 0},
	{"POST", "/seller/returns/{id}/reject", post_seller_return_reject, 0},
	{"GET", "/seller/ledger", page_seller_ledger, 0},
	{"GET", "/seller/healthz", app_healthz, ROUTE_JSON},
};

int main(void)
{
	static const app seller_app = {"seller", seller_routes,
	                               sizeof(seller_routes) / sizeof(seller_routes[0]), view_error};
	seller_register(); /* catalog too */
	auth_register_sql();
	seller_orders_register();
	return app_main(&seller_app);
}
