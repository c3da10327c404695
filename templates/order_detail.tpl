{{%AUTOESCAPE context="HTML"}}<div class="order-detail">
{{#PAY_PENDING}}<p class="notice" id="payment-pending" role="status">We are confirming your payment with the card issuer. Your items are held for you; nothing is charged until it is confirmed, and we will e-mail you if it cannot be.</p>{{/PAY_PENDING}}
<p class="order-meta">Placed {{PLACED}} &middot; <span class="status {{STATUS_CLASS}}" id="order-status">{{STATUS}}</span></p>
<div class="od-grid">
<section class="od-items" aria-labelledby="h-items">
<h2 id="h-items" class="h-small">Items</h2>
<table class="lines">
<thead><tr><th scope="col">Item</th><th scope="col" class="num">Price</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Total</th></tr></thead>
<tbody>
{{#ITEM}}<tr><td data-label="Item"><a href="{{HREF}}">{{TITLE}}</a>{{#VARIANT}}<br><span class="muted small">{{TEXT}}</span>{{/VARIANT}}</td><td class="num" data-label="Price">${{UNIT}}</td><td class="num" data-label="Qty">{{QTY}}</td><td class="num" data-label="Total">${{TOTAL}}</td></tr>{{/ITEM}}
</tbody>
</table>
<dl class="totals">
<dt>Items</dt><dd>${{SUBTOTAL}}</dd>
<dt>Shipping ({{METHOD}})</dt><dd>{{#FREE_SHIP}}Free{{/FREE_SHIP}}{{#PAID_SHIP}}${{SHIPPING}}{{/PAID_SHIP}}</dd>
<dt>Tax</dt><dd>${{TAX}}</dd>
<dt class="grand">Total</dt><dd class="grand" id="order-total">${{TOTAL}}</dd>
</dl>
</section>
<section class="od-side">
<h2 class="h-small">Ship to</h2>
<p class="addr">{{#ADDR}}{{TEXT}}<br>{{/ADDR}}</p>
{{#PAYMENT}}<h2 class="h-small">Payment</h2>
<p>{{#CARD}}<span class="brand">{{BRAND}}</span> ending in {{LAST4}}{{/CARD}}{{#SOME_CARD}}Your card{{/SOME_CARD}} <span class="muted small" id="payment-status">({{PAY_STATUS}})</span>{{#REFUNDED}}<br>Refunded ${{AMOUNT}}{{/REFUNDED}}</p>{{/PAYMENT}}
{{#SHIPMENT}}<h2 class="h-small">Shipment {{N}} of {{OF}} <span class="muted">({{SSTATUS}})</span></h2><p class="shipment">{{#TRACKED}}{{CARRIER}} &middot; tracking <strong class="tracking">{{TRACKING}}</strong>{{/TRACKED}}{{#PREPARING}}Being prepared by the seller{{/PREPARING}}</p>{{/SHIPMENT}}
{{#RETURN}}<h2 class="h-small">Return</h2><p>Return {{RSTATUS}} on {{AT}}{{#REASON}}<br><span class="muted small">{{TEXT}}</span>{{/REASON}}</p>{{/RETURN}}
<h2 class="h-small">Timeline</h2>
<ol class="timeline">
{{#EVENT}}<li><span class="tl-status">{{TO}}</span> <span class="muted small">{{AT}} &middot; by {{BY}}</span>{{#NOTE}}<br><span class="small">{{TEXT}}</span>{{/NOTE}}</li>{{/EVENT}}
</ol>
</section>
</div>
</div>
