{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Offer a product</h1>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form class="filters" method="get" action="/seller/listings/new">
<label for="q">Ref (ASIN) or words of the title</label>
<input id="q" name="q" value="{{Q}}" maxlength="100" required>
<button class="btn btn-small" type="submit">Find</button>
</form>
<p class="muted">Not in the catalog? <a href="/seller/products/new">Create a new product</a>.</p>
{{#NO_MATCH}}<p class="empty">No product matches.</p>{{/NO_MATCH}}
{{#VARIANT}}<div class="card offer-variant" data-variant-id="{{VARIANT_ID}}">
<p><a href="{{HREF}}">{{TITLE}}</a> <span class="muted">{{REF}} {{VNAME}} · list ${{LIST}}</span></p>
{{#MINE}}<p class="muted">You already offer this variant.</p>{{/MINE}}
{{#CAN_OFFER}}<form class="inline-form" method="post" action="/seller/listings">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="q" value="{{Q}}">
<input type="hidden" name="variant_id" value="{{VARIANT_ID}}">
<label for="sku-{{VARIANT_ID}}">Your sku</label><input id="sku-{{VARIANT_ID}}" name="sku" maxlength="64" required value="{{SKU}}">
<label for="price-{{VARIANT_ID}}">Price ($)</label><input id="price-{{VARIANT_ID}}" name="price" inputmode="decimal" required value="{{PRICE}}">
<label for="shipping-{{VARIANT_ID}}">Shipping ($)</label><input id="shipping-{{VARIANT_ID}}" name="shipping" inputmode="decimal" value="{{SHIPPING}}">
<label for="condition-{{VARIANT_ID}}">Condition</label><select id="condition-{{VARIANT_ID}}" name="condition"><option>new</option><option>like_new</option><option>used</option><option>refurbished</option></select>
<label for="fulfillment-{{VARIANT_ID}}">Fulfilment</label><select id="fulfillment-{{VARIANT_ID}}" name="fulfillment"><option>FBM</option><option>FBA</option></select>
<label for="quantity-{{VARIANT_ID}}">Stock (FBM)</label><input id="quantity-{{VARIANT_ID}}" name="quantity" inputmode="numeric" value="{{QUANTITY}}">
<button class="btn" type="submit">List it</button>
</form>{{/CAN_OFFER}}
</div>{{/VARIANT}}
</section>
{{>FOOTER}}
