{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin order-page">
{{>ADMIN_NAV}}
<p class="crumbs small"><a href="/admin/orders">Orders</a> &rsaquo; {{PUBLIC_ID}}</p>
<h1>Order {{PUBLIC_ID}}</h1>
<p class="muted">Customer: {{OEMAIL}}</p>
<div class="order-actions">
{{#CAN_PROCESS}}<form method="post" action="/admin/orders/{{PUBLIC_ID}}/process"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn" type="submit">Mark PROCESSING</button></form>{{/CAN_PROCESS}}
{{#CAN_SHIP}}<form class="inline-form" method="post" action="/admin/orders/{{PUBLIC_ID}}/ship"><input type="hidden" name="csrf" value="{{CSRF}}">
<label for="carrier">Carrier</label> <input id="carrier" name="carrier" required maxlength="64">
<label for="tracking">Tracking</label> <input id="tracking" name="tracking" required maxlength="64">
<button class="btn" type="submit">Mark SHIPPED</button></form>{{/CAN_SHIP}}
{{#CAN_DELIVER}}<form method="post" action="/admin/orders/{{PUBLIC_ID}}/deliver"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn" type="submit">Mark DELIVERED</button></form>{{/CAN_DELIVER}}
{{#CAN_CANCEL}}<form method="post" action="/admin/orders/{{PUBLIC_ID}}/cancel" data-confirm="Cancel order {{PUBLIC_ID}}? Its stock is released and its payment voided or refunded. This cannot be undone."><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-danger" type="submit" id="cancel-order-admin">Cancel order</button></form>{{/CAN_CANCEL}}
{{#OPEN_RETURN}}<div class="return-desk"><p>Return #{{RID}}: <strong>{{RSTATUS}}</strong></p>
{{#REQUESTED}}<form method="post" action="/admin/returns/{{RID}}/approve"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="order" value="{{PUBLIC_ID}}"><button class="btn" type="submit">Approve return</button></form>
<form method="post" action="/admin/returns/{{RID}}/reject" data-confirm="Reject return #{{RID}}? The customer keeps the items and gets no refund."><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="order" value="{{PUBLIC_ID}}"><button class="btn btn-ghost" type="submit">Reject return</button></form>{{/REQUESTED}}
{{#APPROVED}}<form method="post" action="/admin/returns/{{RID}}/receive" data-confirm="Receive return #{{RID}}? Its items go back into stock and the payment is refunded in full."><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="order" value="{{PUBLIC_ID}}"><button class="btn" type="submit">Return received: refund and restock</button></form>{{/APPROVED}}
</div>{{/OPEN_RETURN}}
</div>
<section class="panel" aria-labelledby="sellers-h"><h2 id="sellers-h">Sellers</h2>
<ul class="plain" id="order-sellers">{{#SELLER_LINE}}<li>{{QTY}} &times; {{TITLE}} <span class="muted">{{VARIANT}}</span> &mdash; <strong>{{SELLER}}</strong> <span class="muted small">({{FULFILLMENT}})</span></li>{{/SELLER_LINE}}</ul>
</section>
{{>DETAIL}}
</section>
{{>FOOTER}}
