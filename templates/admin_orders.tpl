{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
<h1>Orders</h1>
<form class="filters" method="get" action="/admin/orders">
<label for="status">Status</label>
<select id="status" name="status">{{#STATUS_OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/STATUS_OPT}}</select>
<label for="email">E-mail contains</label>
<input id="email" name="email" value="{{EMAIL}}" maxlength="254">
<button class="btn btn-small" type="submit">Filter</button>
</form>
<p class="muted" id="found">{{FOUND}}</p>
{{#NONE}}<p class="empty">No orders match.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">E-mail</th><th scope="col" class="num">Items</th><th scope="col" class="num">Total</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#ORDER}}<tr><td><a href="{{HREF}}">{{PUBLIC_ID}}</a></td><td data-label="Placed">{{PLACED}}</td><td data-label="E-mail">{{OEMAIL}}</td><td class="num" data-label="Items">{{ITEM_COUNT}}</td><td class="num" data-label="Total">${{TOTAL}}</td><td data-label="Status"><span class="status">{{STATUS}}</span></td></tr>{{/ORDER}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/orders?status={{QS_STATUS:u}}&amp;email={{EMAIL:u}}&amp;page={{P}}">&larr; Newer</a>{{/PREV}} {{#NEXT}}<a href="/admin/orders?status={{QS_STATUS:u}}&amp;email={{EMAIL:u}}&amp;page={{P}}">Older &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
