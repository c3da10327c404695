{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Orders and shipments</h1>
<p class="muted">Your part of each order, one shipment per fulfilment. Ship FBM shipments within two days; FBA shipments leave Souk's warehouses.</p>
{{#NONE}}<p class="empty">No orders yet.</p>{{/NONE}}
<table class="lines" id="shipments">
<thead><tr><th scope="col">Shipment</th><th scope="col">Order</th><th scope="col">Units</th><th scope="col">Fulfilment</th><th scope="col">Ship by</th><th scope="col">State</th><th scope="col">Tracking</th></tr></thead>
<tbody>
{{#SHIPMENT}}<tr id="shipment-{{ID}}"><td>#{{ID}}</td><td>{{ORDER}} <span class="muted small">{{ORDER_STATUS}}</span></td><td>{{UNITS}}</td><td>{{FULFILLMENT}}</td><td>{{DUE}}{{#LATE}} <span class="badge st-off">late</span>{{/LATE}}</td><td>{{SSTATUS}}</td>
<td>{{#TRACKED}}{{CARRIER}} <strong class="tracking">{{TRACKING}}</strong>{{/TRACKED}}{{#CONFIRM}}<form class="inline-form confirm-shipment" method="post" action="/seller/shipments/{{ID}}/confirm">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="carrier-{{ID}}">Carrier</label> <input id="carrier-{{ID}}" name="carrier" maxlength="64" required>
<label for="tracking-{{ID}}">Tracking number</label> <input id="tracking-{{ID}}" name="tracking" maxlength="64" required>
<button class="btn btn-small" type="submit">Confirm shipment</button>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
</form>{{/CONFIRM}}</td></tr>{{/SHIPMENT}}
</tbody>
</table>
</section>
{{>FOOTER}}
