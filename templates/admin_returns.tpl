{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<h1>Returns</h1>
<form class="filters" method="get" action="/admin/returns">
<label for="status">State</label>
<select id="status" name="status">{{#STATUS_OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/STATUS_OPT}}</select>
<button class="btn btn-small" type="submit">Filter</button>
</form>
<p class="muted" id="found">{{FOUND}}</p>
{{#NONE}}<p class="empty">No returns match.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<caption class="sr-only">Returns, newest first</caption>
<thead><tr><th scope="col">Return</th><th scope="col">Order</th><th scope="col">Asked</th><th scope="col">E-mail</th><th scope="col">Reason</th><th scope="col" class="num">Order total</th><th scope="col">State</th><th scope="col">Action</th></tr></thead>
<tbody>
{{#RET}}<tr id="return-{{RID}}"><td>#{{RID}}</td><td><a href="/admin/orders/{{PUBLIC_ID}}">{{PUBLIC_ID}}</a></td><td data-label="Asked">{{AT}}</td><td data-label="E-mail">{{OEMAIL}}</td><td data-label="Reason">{{REASON}}</td><td class="num" data-label="Order total">${{TOTAL}}</td><td data-label="State"><span class="status">{{RSTATUS}}</span></td><td class="row-actions">
{{#REQUESTED}}<form method="post" action="/admin/returns/{{RID}}/approve"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="order" value="{{PUBLIC_ID}}"><input type="hidden" name="from" value="returns"><button class="btn btn-small" type="submit">Approve</button></form>
<form method="post" action="/admin/returns/{{RID}}/reject" data-confirm="Reject return #{{RID}} of order {{PUBLIC_ID}}? The customer keeps the items and gets no refund."><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="order" value="{{PUBLIC_ID}}"><input type="hidden" name="from" value="returns"><button class="btn btn-small btn-ghost" type="submit">Reject</button></form>{{/REQUESTED}}
{{#APPROVED}}<form method="post" action="/admin/returns/{{RID}}/receive" data-confirm="Receive return #{{RID}} of order {{PUBLIC_ID}}? Its items go back into stock and the payment is refunded in full."><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="order" value="{{PUBLIC_ID}}"><input type="hidden" name="from" value="returns"><button class="btn btn-small" type="submit">Received</button></form>{{/APPROVED}}
</td></tr>{{/RET}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/returns?{{QS}}&amp;page={{P}}">&larr; Newer</a>{{/PREV}} {{#NEXT}}<a href="/admin/returns?{{QS}}&amp;page={{P}}">Older &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
