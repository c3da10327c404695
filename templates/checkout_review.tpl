{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="checkout">
{{>STEPS}}
<h1>Review your order</h1>
<div class="co-grid">
<div class="co-main">
<dl class="review">
<dt>Ship to</dt><dd>{{NAME}}<br>{{LINE1}}<br>{{#LINE2}}{{TEXT}}<br>{{/LINE2}}{{POSTAL}} {{CITY}}<br>{{COUNTRY}} <a class="small" href="/checkout">Change</a></dd>
<dt>Receipt to</dt><dd>{{EMAIL}}</dd>
<dt>Shipping</dt><dd>{{METHOD}} <a class="small" href="/checkout/shipping">Change</a></dd>
<dt>Payment</dt><dd><span class="brand">{{BRAND}}</span> ending in {{LAST4}} <a class="small" href="/checkout/payment">Change</a></dd>
</dl>
<form method="post" action="/checkout/place">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="key" value="{{KEY}}">
<p class="place-total">Order total: <strong class="price" id="place-total">${{ORDER_TOTAL}}</strong></p>
<button class="btn btn-cart btn-wide" type="submit">Place your order</button>
</form>
<p class="muted small">By placing your order you agree to pay the order total shown.</p>
</div>
{{>SUMMARY}}
</div>
</section>
{{>FOOTER}}
