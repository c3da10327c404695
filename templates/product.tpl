{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
{{>CRUMBS}}
<div class="product">
<div class="p-head">
<h1 class="p-title">{{TITLE}}</h1>
{{#BRAND}}<p class="p-brand">Brand: <strong>{{BRAND_NAME}}</strong></p>{{/BRAND}}
<p class="rating">{{#RATED}}<span class="stars {{STARS}}" role="img" aria-label="{{RATING}} out of 5 stars"></span> <span>{{RATING}} out of 5</span> <span class="muted">({{RATINGS}})</span>{{/RATED}}{{#UNRATED}}<span class="muted">No ratings yet</span>{{/UNRATED}}</p>
{{#DIM}}<div class="dim">
<p class="dim-label">{{LABEL}}: <strong>{{CURRENT}}</strong></p>
<ul class="opts">
{{#OPT}}<li><a class="{{CLASS}}" href="{{HREF}}" title="{{TITLE}}"{{#SEL}} aria-current="true"{{/SEL}}>{{NAME}}</a></li>{{/OPT}}
</ul>
</div>{{/DIM}}
</div>
{{>GALLERY}}
<aside class="buybox" aria-label="Buying options">
{{#FLASH}}<div class="flash-deal" id="flash-deal"><p class="flash-tag">Flash sale {{#UPCOMING}}starts in <strong id="flash-countdown">{{STARTS_IN}}</strong>{{/UPCOMING}}{{#LIVE}}on now, ends in {{ENDS_IN}}{{/LIVE}}</p>
<p class="bb-price"><span class="price big">${{FLASH_PRICE}}</span> <s class="muted">${{FLASH_LIST}}</s></p>
<progress class="flash-bar" max="{{UNITS}}" value="{{LEFT}}">{{LEFT}} of {{UNITS}}</progress><p class="small" id="flash-left">{{LEFT}} of {{UNITS}} left &middot; limit {{LIMIT}} per customer</p>
{{#GONE}}<p class="stock out">Sold out</p>{{/GONE}}<a class="btn btn-cart" id="join-line" href="{{FLASH_ORIGIN}}/flash/{{SALE_ID}}">Join the line</a></div>{{/FLASH}}
{{#WIN}}<p class="bb-price"><span class="price big">${{PRICE}}</span></p>
{{#LIST}}<p class="bb-list">List price: <s>${{LIST_PRICE}}</s> <span class="save">Save ${{SAVE}} ({{SAVE_PCT}}%)</span></p>{{/LIST}}
<p class="bb-ship">{{#FREE_SHIP}}<strong>Free shipping</strong>{{/FREE_SHIP}}{{#PAID_SHIP}}+ ${{SHIPPING}} shipping{{/PAID_SHIP}}</p>
<p class="stock {{STOCK_CLASS}}">{{STOCK}}</p>
{{#FBA}}<p class="fba">Fulfilled by Souk</p>{{/FBA}}
<dl class="bb-meta">
<dt>Sold by</dt><dd>{{SELLER}}</dd>
<dt>Ships from</dt><dd>{{#FBA}}Souk{{/FBA}}{{#FBM}}{{SELLER}}{{/FBM}}</dd>
<dt>Condition</dt><dd>{{CONDITION}}</dd>
</dl>
<form class="add-cart" method="post" action="/cart/add">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="sku_id" value="{{SKU_ID}}">
<label class="qty-label" for="qty">Quantity</label>
<select id="qty" name="qty">{{#QTY}}<option value="{{N}}">{{N}}</option>{{/QTY}}</select>
<button class="btn btn-cart" type="submit">Add to cart</button>
</form>{{/WIN}}
{{#NO_WIN}}<p class="bb-price"><span class="unavailable">Currently unavailable</span></p>
{{#LIST}}<p class="bb-list">List price: ${{LIST_PRICE}}</p>{{/LIST}}
<p class="stock out">Out of stock</p>
<button class="btn btn-cart" type="button" disabled>Add to cart</button>{{/NO_WIN}}
</aside>
{{#ABOUT}}<div class="p-about">
<h2 class="h-small">About this item</h2>
<ul class="bullets">
{{#BULLET}}<li>{{TEXT}}</li>{{/BULLET}}
</ul>
</div>{{/ABOUT}}
</div>
{{#OFFERS}}<section class="block" id="offers" aria-labelledby="h-offers">
<h2 id="h-offers">Other sellers on Souk <span class="muted">({{OFFER_COUNT}}){{#FROM}} from ${{FROM_PRICE}}{{/FROM}}</span></h2>
<div class="table-wrap">
<table class="offers">
<thead><tr><th scope="col">Seller</th><th scope="col">Condition</th><th scope="col" class="num">Price</th><th scope="col" class="num">Shipping</th><th scope="col" class="num">Total</th><th scope="col">Fulfilment</th><th scope="col">Stock</th></tr></thead>
<tbody>
{{#OFFER}}<tr>
<td><span class="seller">{{SELLER}}</span>{{#WINNER}} <span class="badge feat">Featured</span>{{/WINNER}}{{#SELLER_RATED}}<br><span class="muted small">Seller rating {{SELLER_RATING}}/5</span>{{/SELLER_RATED}}</td>
<td data-label="Condition">{{CONDITION}}</td>
<td class="num" data-label="Price">${{PRICE}}</td>
<td class="num" data-label="Shipping">{{#FREE_SHIP}}Free{{/FREE_SHIP}}{{#PAID_SHIP}}${{SHIPPING}}{{/PAID_SHIP}}</td>
<td class="num" data-label="Total"><strong>${{TOTAL}}</strong></td>
<td data-label="Fulfilment">{{#FBA}}Fulfilled by Souk{{/FBA}}{{#FBM}}Ships from seller{{/FBM}}</td>
<td data-label="Stock"><span class="stock {{STOCK_CLASS}}">{{STOCK}}</span>{{#ADD}}<form class="add-offer" method="post" action="/cart/add"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="sku_id" value="{{SKU_ID}}"><input type="hidden" name="qty" value="1"><button class="btn btn-small" type="submit">Add to cart</button></form>{{/ADD}}</td>
</tr>{{/OFFER}}
</tbody>
</table>
</div>
</section>{{/OFFERS}}
{{#NO_OFFERS}}<section class="block"><h2>Other sellers</h2><p class="empty">No seller offers this option right now.</p></section>{{/NO_OFFERS}}
{{#DESCRIPTION}}<section class="block prose" aria-labelledby="h-desc">
<h2 id="h-desc">Product description</h2>
{{#PARA}}<p>{{TEXT}}</p>{{/PARA}}
</section>{{/DESCRIPTION}}
{{#DETAILS}}<section class="block" aria-labelledby="h-details">
<h2 id="h-details">Product details</h2>
<table class="details">
<tbody>
{{#D_BRAND}}<tr><th scope="row">Brand</th><td>{{BRAND_NAME}}</td></tr>{{/D_BRAND}}
{{#D_COLOR}}<tr><th scope="row">Colour</th><td>{{COLOR}}</td></tr>{{/D_COLOR}}
{{#D_SIZE}}<tr><th scope="row">Size</th><td>{{SIZE}}</td></tr>{{/D_SIZE}}
{{#D_CATEGORY}}<tr><th scope="row">Category</th><td><a href="{{CATEGORY_HREF}}">{{CATEGORY}}</a></td></tr>{{/D_CATEGORY}}
{{#D_RANK}}<tr><th scope="row">Best sellers rank</th><td>#{{RANK}}</td></tr>{{/D_RANK}}
{{#D_REF}}<tr><th scope="row">Item number</th><td>{{REF}}</td></tr>{{/D_REF}}
{{#D_SKU}}<tr><th scope="row">SKU</th><td>{{SKU}}</td></tr>{{/D_SKU}}
</tbody>
</table>
</section>{{/DETAILS}}
{{>FOOTER}}
