{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>{{TITLE}}</h1>
<p class="muted">Sku <strong id="sku">{{SKU}}</strong> · {{REF}} {{VARIANT}} · <a href="{{HREF}}">product page</a> · status <span class="status" id="offer-status">{{STATUS}}</span></p>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#CREATED}}<p class="notice" role="status">Your offer is listed.</p>{{/CREATED}}
{{#SAVED}}<p class="notice" role="status">Saved.</p>{{/SAVED}}
{{#PHOTOS}}<section id="offer-photos"><h2>Photos</h2>
<p>This product is yours: <a href="/seller/products/{{PID}}/photos" id="photos-link">its photos ({{N}})</a>, to add, delete or choose the main one.</p>
<form class="inline-form" method="post" action="/seller/products/{{PID}}/photos" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{{CSRF}}"><label for="photo">Add a photo (JPEG, PNG or WebP, up to 10 MB)</label><input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" required><button class="btn btn-small" type="submit">Upload</button></form>
</section>{{/PHOTOS}}
<form class="stack" method="post" action="/seller/listings/{{SKU_ID}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="price">Price ($)</label><input id="price" name="price" inputmode="decimal" value="{{PRICE}}" required>
<label for="shipping">Shipping ($)</label><input id="shipping" name="shipping" inputmode="decimal" value="{{SHIPPING}}" required>
<label for="condition">Condition</label><select id="condition" name="condition">{{#COND_OPT}}<option{{#SEL}} selected{{/SEL}}>{{V}}</option>{{/COND_OPT}}</select>
<label for="fulfillment">Fulfilment</label><select id="fulfillment" name="fulfillment"><option{{#FBM_SEL}} selected{{/FBM_SEL}}>FBM</option><option{{#FBA_SEL}} selected{{/FBA_SEL}}>FBA</option></select>
<button class="btn" type="submit">Save</button>
</form>
<h2>Stock</h2>
{{#FBA_NOTE}}<p class="muted">Fulfilled by Souk: the stock sits in Souk's warehouses and is read-only here.</p>{{/FBA_NOTE}}
<table class="lines" id="stock">
<thead><tr><th scope="col">Warehouse</th><th scope="col" class="num">Available</th><th scope="col" class="num">Reserved</th><th scope="col">Set</th></tr></thead>
<tbody>
{{#WAREHOUSE}}<tr><td>{{NAME}}{{#PLATFORM}} <span class="muted">(Souk)</span>{{/PLATFORM}}</td><td class="num">{{QTY}}</td><td class="num">{{RESERVED}}</td><td>{{#EDITABLE}}<form class="inline-form" method="post" action="/seller/listings/{{SKU_ID}}/stock"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="warehouse_id" value="{{WID}}"><label for="qty-{{WID}}">Quantity</label><input id="qty-{{WID}}" name="quantity" inputmode="numeric" value="{{QTY}}" required><button class="btn btn-small" type="submit">Set</button></form>{{/EDITABLE}}{{#READ_ONLY}}<span class="muted">read-only</span>{{/READ_ONLY}}</td></tr>{{/WAREHOUSE}}
</tbody>
</table>
{{#CAN_WITHDRAW}}<form method="post" action="/seller/listings/{{SKU_ID}}/withdraw"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Withdraw this offer</button></form>{{/CAN_WITHDRAW}}
{{#CAN_REACTIVATE}}<form method="post" action="/seller/listings/{{SKU_ID}}/reactivate"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Reactivate this offer</button></form>{{/CAN_REACTIVATE}}
</section>
{{>FOOTER}}
