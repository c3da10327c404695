{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<h1>Warehouses and stock</h1>
{{#NONE}}<p class="empty">No warehouses.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<caption class="sr-only">Warehouses</caption>
<thead><tr><th scope="col">Warehouse</th><th scope="col">Region</th><th scope="col">Owner</th><th scope="col" class="num">Skus</th><th scope="col" class="num">Available</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Sold</th></tr></thead>
<tbody>
{{#WH}}<tr><td><a href="/admin/warehouses/{{WID}}">{{NAME}}</a></td><td data-label="Region">{{REGION}}</td><td data-label="Owner">{{OWNER}}</td><td class="num" data-label="Skus">{{SKUS}}</td><td class="num" data-label="Available">{{AVAILABLE}}</td><td class="num" data-label="Reserved">{{RESERVED}}</td><td class="num" data-label="Sold">{{SOLD}}</td></tr>{{/WH}}
</tbody>
</table>
</div>
</section>
{{>FOOTER}}
