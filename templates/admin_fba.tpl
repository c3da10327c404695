{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
<h1>FBA shipments</h1>
<p class="muted">Fulfilled by Souk: the platform ships these from its warehouses and records their delivery.</p>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#NONE}}<p class="empty">Nothing to ship.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines" id="fba">
<thead><tr><th scope="col">Shipment</th><th scope="col">Order</th><th scope="col">Seller</th><th scope="col">Units</th><th scope="col">Ship by</th><th scope="col">Action</th></tr></thead>
<tbody>
{{#SHIPMENT}}<tr id="fba-{{ID}}"><td>#{{ID}}</td><td><a href="/admin/orders/{{ORDER}}">{{ORDER}}</a> <span class="muted small">{{ORDER_STATUS}}</span></td><td>{{SELLER}}</td><td>{{UNITS}}</td><td>{{DUE}}</td>
<td>{{#SHIP}}<form class="inline-form" method="post" action="/admin/fba/{{ID}}/ship"><input type="hidden" name="csrf" value="{{CSRF}}">
<label for="carrier-{{ID}}">Carrier</label> <input id="carrier-{{ID}}" name="carrier" maxlength="64" required>
<label for="tracking-{{ID}}">Tracking</label> <input id="tracking-{{ID}}" name="tracking" maxlength="64" required>
<button class="btn btn-small" type="submit">Ship</button></form>{{/SHIP}}{{#DELIVER}}<form class="inline-form" method="post" action="/admin/fba/{{ID}}/deliver"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Mark delivered</button></form>{{/DELIVER}}</td></tr>{{/SHIPMENT}}
</tbody>
</table>
</div>
</section>
{{>FOOTER}}
