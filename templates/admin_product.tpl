{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<p class="crumbs small"><a href="/admin/products">Products</a> &rsaquo; {{PID}}</p>
<h1 id="product-title">{{PTITLE}}</h1>
<p class="muted">Ref {{REF}} &middot; status <strong id="product-status">{{PSTATUS}}</strong>{{#ACTIVE}} &middot; <a href="{{SHOP_HREF}}">see it in the shop</a>{{/ACTIVE}}</p>
<section class="panel" aria-labelledby="edit-h"><h2 id="edit-h">Title</h2>
<form class="inline-form" method="post" action="/admin/products/{{PID}}/title"><input type="hidden" name="csrf" value="{{CSRF}}">
<label for="title">Title</label> <input id="title" name="title" value="{{PTITLE}}" required maxlength="300" class="wide">
<button class="btn" type="submit">Save title</button></form>
</section>
<section class="panel" aria-labelledby="offers-h"><h2 id="offers-h">Offers and prices</h2>
<div class="table-wrap">
<table class="lines admin-list">
<thead><tr><th scope="col">Sku</th><th scope="col">Variant</th><th scope="col">Seller</th><th scope="col" class="num">Available</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Sold</th><th scope="col">Price</th></tr></thead>
<tbody>
{{#OFFER}}<tr><td>{{SKU}}</td><td data-label="Variant">{{VARIANT}}</td><td data-label="Seller">{{SELLER}}</td><td class="num" data-label="Available">{{AVAILABLE}}</td><td class="num" data-label="Reserved">{{RESERVED}}</td><td class="num" data-label="Sold">{{SOLD}}</td>
<td><form class="inline-form" method="post" action="/admin/products/{{PID}}/price"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="sku_id" value="{{SKU_ID}}">
<label for="price-{{SKU_ID}}" class="sr-only">Price of sku {{SKU}} in dollars</label><input id="price-{{SKU_ID}}" name="price" value="{{PRICE}}" inputmode="decimal" class="narrow" required>
<button class="btn btn-small" type="submit">Save price</button></form></td></tr>{{/OFFER}}
</tbody>
</table>
</div>
</section>
<section class="panel" aria-labelledby="stock-h"><h2 id="stock-h">Stock per warehouse</h2>
<p class="muted small">Received is everything the warehouse got of a sku; available = received &minus; reserved &minus; sold.</p>
<div class="table-wrap">
<table class="lines admin-list">
<thead><tr><th scope="col">Sku</th><th scope="col">Warehouse</th><th scope="col" class="num">Available</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Sold</th><th scope="col">Received</th></tr></thead>
<tbody>
{{#STOCK}}<tr><td>{{SKU}}</td><td data-label="Warehouse"><a href="/admin/warehouses/{{WID}}">{{WAREHOUSE}}</a></td><td class="num" data-label="Available">{{AVAILABLE}}</td><td class="num" data-label="Reserved">{{RESERVED}}</td><td class="num" data-label="Sold">{{SOLD}}</td>
<td><form class="inline-form" method="post" action="/admin/stock"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="sku_id" value="{{SKU_ID}}"><input type="hidden" name="warehouse_id" value="{{WID}}"><input type="hidden" name="back" value="/admin/products/{{PID}}">
<label for="recv-{{SKU_ID}}-{{WID}}" class="sr-only">Received of sku {{SKU}} in {{WAREHOUSE}}</label><input id="recv-{{SKU_ID}}-{{WID}}" name="received" value="{{RECEIVED}}" inputmode="numeric" class="narrow" required>
<button class="btn btn-small" type="submit">Save stock</button></form></td></tr>{{/STOCK}}
</tbody>
</table>
</div>
</section>
<section class="panel danger-zone" aria-labelledby="status-h"><h2 id="status-h">On sale</h2>
{{#ACTIVE}}<form method="post" action="/admin/products/{{PID}}/withdraw" data-confirm="Withdraw product {{PID}} ({{PTITLE}})? It leaves the shop and search at once; you can put it back on sale later."><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-danger" type="submit" id="withdraw">Withdraw from sale</button></form>{{/ACTIVE}}
{{#WITHDRAWN}}<form method="post" action="/admin/products/{{PID}}/restore"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn" type="submit" id="restore">Put back on sale</button></form>{{/WITHDRAWN}}
</section>
</section>
{{>FOOTER}}
