{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Returns</h1>
<p class="muted">Returns of your items. Approving refunds the shopper the returned units and their share of the tax; your balance gives back the sale less its commission. The returned units go back into the warehouse they were sent from and can be sold again (set a damaged unit's stock down on its listing).</p>
{{#NONE}}<p class="empty">No returns.</p>{{/NONE}}
<table class="lines">
<thead><tr><th scope="col">Return</th><th scope="col">Order</th><th scope="col">Units</th><th scope="col">Reason</th><th scope="col">Requested</th><th scope="col">State</th></tr></thead>
<tbody>
{{#RETURN}}<tr id="return-{{ID}}"><td>#{{ID}}</td><td>{{ORDER}}</td><td>{{UNITS}}</td><td>{{REASON}}</td><td>{{AT}}</td><td>{{RSTATUS}}{{#DECIDE}}
<form class="inline-form" method="post" action="/seller/returns/{{ID}}/approve"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Approve and refund</button></form>
<form class="inline-form" method="post" action="/seller/returns/{{ID}}/reject"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Reject</button></form>{{/DECIDE}}</td></tr>{{/RETURN}}
</tbody>
</table>
</section>
{{>FOOTER}}
