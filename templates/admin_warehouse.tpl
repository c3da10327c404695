{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<p class="crumbs small"><a href="/admin/warehouses">Warehouses</a> &rsaquo; {{WNAME}}</p>
<h1>Stock in {{WNAME}}</h1>
<p class="muted">{{REGION}}. Received is everything this warehouse got of a sku; available = received &minus; reserved &minus; sold.</p>
<form class="filters" method="get" action="/admin/warehouses/{{WID}}" role="search">
<label for="q">Sku or title</label>
<input id="q" name="q" value="{{Q}}" maxlength="200">
<button class="btn btn-small" type="submit">Find</button>
</form>
{{#NONE}}<p class="empty">No stock rows match.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<caption class="sr-only">Stock per sku</caption>
<thead><tr><th scope="col">Sku</th><th scope="col">Product</th><th scope="col" class="num">Available</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Sold</th><th scope="col">Received</th></tr></thead>
<tbody>
{{#STOCK}}<tr><td>{{SKU}}</td><td data-label="Product"><a href="/admin/products/{{PID}}">{{TITLE}}</a></td><td class="num" data-label="Available">{{AVAILABLE}}</td><td class="num" data-label="Reserved">{{RESERVED}}</td><td class="num" data-label="Sold">{{SOLD}}</td>
<td><form class="inline-form" method="post" action="/admin/stock"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="sku_id" value="{{SKU_ID}}"><input type="hidden" name="warehouse_id" value="{{WID}}">
<label for="recv-{{SKU_ID}}" class="sr-only">Received of sku {{SKU}}</label><input id="recv-{{SKU_ID}}" name="received" value="{{RECEIVED}}" inputmode="numeric" class="narrow" required>
<button class="btn btn-small" type="submit">Save</button></form></td></tr>{{/STOCK}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/warehouses/{{WID}}?{{QS}}&amp;page={{P}}">&larr; Previous</a>{{/PREV}} {{#NEXT}}<a href="/admin/warehouses/{{WID}}?{{QS}}&amp;page={{P}}">Next &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
