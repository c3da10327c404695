{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<p class="crumbs small"><a href="/admin/customers">Customers</a> &rsaquo; {{CEMAIL}}</p>
<h1>{{CEMAIL}}</h1>
<p class="muted">{{NAME}} &middot; {{ROLE}} &middot; since {{SINCE}}</p>
<h2>Orders</h2>
{{#NONE}}<p class="empty">No orders.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col" class="num">Items</th><th scope="col" class="num">Total</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#ORDER}}<tr><td><a href="{{HREF}}">{{PUBLIC_ID}}</a></td><td data-label="Placed">{{PLACED}}</td><td class="num" data-label="Items">{{ITEM_COUNT}}</td><td class="num" data-label="Total">${{TOTAL}}</td><td data-label="Status"><span class="status">{{STATE}}</span></td></tr>{{/ORDER}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/customers/{{UID}}?page={{P}}">&larr; Newer</a>{{/PREV}} {{#NEXT}}<a href="/admin/customers/{{UID}}?page={{P}}">Older &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
