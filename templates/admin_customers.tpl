{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<h1>Customers</h1>
<form class="filters" method="get" action="/admin/customers" role="search">
<label for="q">E-mail contains</label>
<input id="q" name="q" value="{{Q}}" maxlength="254">
<button class="btn btn-small" type="submit">Find</button>
</form>
<p class="muted" id="found">{{FOUND}}</p>
{{#NONE}}<p class="empty">No accounts match.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<caption class="sr-only">Accounts, newest first</caption>
<thead><tr><th scope="col">E-mail</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col" class="num">Orders</th><th scope="col" class="num">Spent</th></tr></thead>
<tbody>
{{#CUSTOMER}}<tr><td><a href="/admin/customers/{{UID}}">{{CEMAIL}}</a></td><td data-label="Name">{{NAME}}</td><td data-label="Role">{{ROLE}}</td><td data-label="Since">{{SINCE}}</td><td class="num" data-label="Orders">{{ORDERS}}</td><td class="num" data-label="Spent">${{SPENT}}</td></tr>{{/CUSTOMER}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/customers?{{QS}}&amp;page={{P}}">&larr; Newer</a>{{/PREV}} {{#NEXT}}<a href="/admin/customers?{{QS}}&amp;page={{P}}">Older &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
