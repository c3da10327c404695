{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="cart-page">
<h1>Your cart</h1>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#ADDED}}<p class="notice" role="status">Added to your cart.</p>{{/ADDED}}
{{#EMPTY}}<p class="empty">Your cart is empty. <a href="/">Continue shopping</a></p>{{/EMPTY}}
{{#FULL}}<div class="cart-grid">
<ul class="cart-lines">
{{#LINE}}<li class="cart-line" data-sku="{{SKU_ID}}">
<img class="cl-img" src="{{IMG}}" alt="" width="96" height="96" loading="lazy">
<div class="cl-info">
<a class="cl-title" href="{{HREF}}">{{TITLE}}</a>
{{#VARIANT}}<p class="muted small">{{TEXT}}</p>{{/VARIANT}}
{{#SELLER}}<p class="cl-seller small">Sold by {{NAME}}</p>{{/SELLER}}
<p class="cl-unit">${{UNIT}} each</p>
{{#GONE}}<p class="stock out">No longer sold: remove it to check out</p>{{/GONE}}
{{#SHORT}}<p class="stock low">Only {{LEFT}} left</p>{{/SHORT}}{{#FEW}}<p class="stock low cl-avail">Only {{LEFT}} left in stock</p>{{/FEW}}{{#IN_STOCK}}<p class="stock in cl-avail">In stock</p>{{/IN_STOCK}}
</div>
<div class="cl-actions">
<form class="cl-qty" method="post" action="/cart/update">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="sku_id" value="{{SKU_ID}}">
<label for="q{{SKU_ID}}">Qty</label>
<input id="q{{SKU_ID}}" name="qty" type="number" min="0" max="99" value="{{QTY}}" inputmode="numeric">
<button class="btn btn-small btn-ghost" type="submit">Update</button>
</form>
<form method="post" action="/cart/remove">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="sku_id" value="{{SKU_ID}}">
<button class="linkish" type="submit">Remove</button>
</form>
</div>
<p class="cl-total">${{LINE_TOTAL}}</p>
</li>{{/LINE}}
</ul>
<aside class="summary">
<p>Subtotal ({{ITEMS}}): <strong class="price" id="cart-subtotal">${{SUBTOTAL}}</strong></p>
<p class="muted small">Shipping and tax are added at checkout.</p>
{{#CAN_CHECKOUT}}<a class="btn btn-cart" href="/checkout">Proceed to checkout</a>{{/CAN_CHECKOUT}}
{{#BLOCKED}}<p class="alert">Remove the items that are no longer sold to check out.</p>{{/BLOCKED}}
</aside>
</div>{{/FULL}}
</section>
{{>FOOTER}}
