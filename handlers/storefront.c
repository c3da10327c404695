/* storefront: server-rendered shop pages (home, category, product). */
#include "app.h"
#include "catalog.h"
#include "views.h"

static int page_home(ctx *c)
{
	tmpl_dict *d = view_page(c, "Souk");
	return view_render(c, "home.tpl", d);
}

static const route storefront_routes[] = {
	{"GET", "/", page_home, 0},
	{"GET", "/healthz", app_healthz, ROUTE_JSON},
};

int main(void)
{
	static const app storefront = {"storefront", storefront_routes,
	                               sizeof(storefront_routes) / sizeof(storefront_routes[0]),
	                               view_error};
	catalog_register();
	return app_main(&storefront);
}
