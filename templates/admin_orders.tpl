{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<h1>Orders</h1>
<form class="filters" method="get" action="/admin/orders">
<label for="status">Status</label>
<select id="status" name="status">{{#STATUS_OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/STATUS_OPT}}</select>
<label for="pay">Payment</label>
<select id="pay" name="pay">{{#PAY_OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/PAY_OPT}}</select>
<label for="from">From</label>
<input id="from" name="from" type="date" value="{{FROM}}">
<label for="to">To</label>
<input id="to" name="to" type="date" value="{{TO}}">
<label for="email">Order id or e-mail</label>
<input id="email" name="q" value="{{Q}}" maxlength="254">
<label class="check"><input type="checkbox" name="declined" value="1" id="declined"{{#DECLINED_ON}} checked{{/DECLINED_ON}}> Show declined checkouts</label>
<button class="btn btn-small" type="submit">Filter</button>
</form>
<p class="muted" id="found">{{FOUND}}</p>
{{#NONE}}<p class="empty">No orders match.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<caption class="sr-only">Orders, newest first</caption>
<thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">E-mail</th><th scope="col">Sellers</th><th scope="col" class="num">Items</th><th scope="col" class="num">Total</th><th scope="col">Payment</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#ORDER}}<tr><td><a href="{{HREF}}">{{PUBLIC_ID}}</a></td><td data-label="Placed">{{PLACED}}</td><td data-label="E-mail">{{OEMAIL}}</td><td data-label="Sellers">{{SELLERS}}</td><td class="num" data-label="Items">{{ITEM_COUNT}}</td><td class="num" data-label="Total">${{TOTAL}}</td><td data-label="Payment"><span class="pay pay-{{PAY}}">{{PAY}}</span></td><td data-label="Status"><span class="status">{{STATE}}</span>{{#REASON}} <span class="muted small reason">({{TEXT}})</span>{{/REASON}}</td></tr>{{/ORDER}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/orders?{{QS}}&amp;page={{P}}">&larr; Newer</a>{{/PREV}} {{#NEXT}}<a href="/admin/orders?{{QS}}&amp;page={{P}}">Older &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
