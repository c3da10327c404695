{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Dashboard</h1>
<dl class="figures" id="dashboard">
<dt>Orders today</dt><dd id="orders-today">{{ORDERS_TODAY}} (${{SALES_TODAY}})</dd>
<dt>Orders, 7 days</dt><dd id="orders-7d">{{ORDERS_7D}} (${{SALES_7D}})</dd>
<dt>Units waiting to ship</dt><dd id="units-to-ship">{{UNITS_TO_SHIP}}</dd>
<dt>Late shipments</dt><dd id="late">{{LATE}}</dd>
<dt>Balance available</dt><dd id="available">${{AVAILABLE}}</dd>
<dt>Balance pending</dt><dd id="pending">${{PENDING}}</dd>
<dt>Buy Box share</dt><dd id="buybox">{{BUYBOX_SHARE}} ({{BUYBOX_WINS}} of {{OFFERS}} offers)</dd>
<dt>Order defect rate (30 days, &lt; 1 %)</dt><dd id="defect-rate" data-n="{{DEFECTS}}" data-of="{{ORDERS_30D}}">{{DEFECT_RATE}}</dd>
<dt>Late shipment rate (&lt; 4 %)</dt><dd id="late-rate" data-n="{{LATE_30D}}" data-of="{{SHIPMENTS_DUE}}">{{LATE_RATE}}</dd>
<dt>Pre-fulfilment cancel rate (&lt; 2.5 %)</dt><dd id="cancel-rate" data-n="{{CANCELS}}" data-of="{{ORDERS_30D}}">{{CANCEL_RATE}}</dd>
</dl>
<p>Your account {{ELIGIBLE}} the Buy Box performance thresholds.</p>
<h2>Your listings and the Buy Box</h2>
<table class="lines" id="buybox-listings">
<thead><tr><th scope="col">Offer</th><th scope="col" class="num">Landed price</th><th scope="col">Buy Box</th></tr></thead>
<tbody>
{{#LISTING}}<tr id="listing-{{SKU_ID}}"><td>{{TITLE}}</td><td class="num">${{LANDED}}</td><td>{{#HOLDS}}<span class="badge feat">holds the Buy Box</span>{{/HOLDS}}{{#LOSES}}{{#TO_WIN}}not held: a landed price of ${{PRICE}} would win it{{/TO_WIN}}{{#NO_STOCK}}not held: out of stock{{/NO_STOCK}}{{/LOSES}}</td></tr>{{/LISTING}}
</tbody>
</table>
<p><a href="/seller/orders">Orders and shipments</a> · <a href="/seller/returns">Returns</a> · <a href="/seller/ledger">Ledger</a></p>
</section>
{{>FOOTER}}
