/* admin_nav: the admin's navigation and its notices, one line each. A new
 * admin page adds its line to admin_nav (and its notices to
 * admin_notices); nothing else in the frame changes. */
#include "admin.h"

/* key (the page's admin_page argument), href, name; in menu order */
const admin_nav_item admin_nav[] = {
	{"dashboard", "/admin", "Dashboard"},
	{"orders", "/admin/orders", "Orders"},
	{"returns", "/admin/returns", "Returns"},
	{"products", "/admin/products", "Products"},
	{"customers", "/admin/customers", "Customers"},
	{"stock", "/admin/warehouses", "Warehouses & stock"},
	{NULL, NULL, NULL},
};

/* ?notice=code after a 303: what the action did */
const admin_notice admin_notices[] = {
	{"processing", "Order marked PROCESSING."},
	{"shipped", "Order marked SHIPPED; the customer is told."},
	{"delivered", "Order marked DELIVERED."},
	{"cancelled", "Order cancelled: stock released and the payment voided or refunded."},
	{"return_approved", "Return approved: the customer can send the items back."},
	{"return_rejected", "Return rejected."},
	{"return_received", "Return received: items restocked and the payment refunded."},
	{"title_saved", "Title saved; the shop and search show it within seconds."},
	{"price_saved", "Price saved; the shop and search show it within seconds."},
	{"withdrawn", "Product withdrawn: it left the shop and search."},
	{"restored", "Product back on sale."},
	{"stock_saved", "Stock saved: available = received - reserved - sold."},
	{NULL, NULL},
};
