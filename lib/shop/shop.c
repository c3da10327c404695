/* shop: checkout, the expiry and the order hooks, registered at once. */
#include "shop/shop.h"

#include "shop/checkout.h"
#include "shop/flash_release.h"
#include "shop/order_expiry.h"

void shop_register(void)
{
	checkout_register();
	order_expiry_register();
	flash_release_register(); /* the flash order hooks (cancel, return) */
}
