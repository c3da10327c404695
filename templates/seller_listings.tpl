{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Listings</h1>
<form class="filters" method="get" action="/seller/listings">
<label for="q">Sku, title or ref</label>
<input id="q" name="q" value="{{Q}}" maxlength="100">
<label for="status">Status</label>
<select id="status" name="status">{{#STATUS_OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/STATUS_OPT}}</select>
<label for="fulfillment">Fulfilment</label>
<select id="fulfillment" name="fulfillment">{{#FUL_OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/FUL_OPT}}</select>
<button class="btn btn-small" type="submit">Filter</button>
</form>
<p class="muted" id="found">{{FOUND}}</p>
{{#NONE}}<p class="empty">No offers match. <a href="/seller/listings/new">Offer a product</a>.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list" id="offers">
<thead><tr><th scope="col">Sku</th><th scope="col">Product</th><th scope="col" class="num">Price</th><th scope="col" class="num">Shipping</th><th scope="col">Fulfilment</th><th scope="col" class="num">Stock</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#OFFER}}<tr data-sku-id="{{SKU_ID}}"><td><a href="/seller/listings/{{SKU_ID}}">{{SKU}}</a></td><td data-label="Product"><a href="{{HREF}}">{{TITLE}}</a> <span class="muted">{{REF}} {{VARIANT}}</span></td><td class="num" data-label="Price">${{PRICE}}</td><td class="num" data-label="Shipping">${{SHIPPING}}</td><td data-label="Fulfilment">{{FULFILLMENT}}</td><td class="num" data-label="Stock">{{QTY}}</td><td data-label="Status"><span class="status">{{STATUS}}</span></td></tr>{{/OFFER}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/seller/listings?q={{Q:u}}&amp;status={{QS_STATUS:u}}&amp;fulfillment={{QS_FUL:u}}&amp;page={{P}}">&larr; Newer</a>{{/PREV}} {{#NEXT}}<a href="/seller/listings?q={{Q:u}}&amp;status={{QS_STATUS:u}}&amp;fulfillment={{QS_FUL:u}}&amp;page={{P}}">Older &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
