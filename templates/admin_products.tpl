{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
{{>ADMIN_NAV}}
<h1>Products</h1>
<form class="filters" method="get" action="/admin/products" role="search">
<label for="q">Ref or title</label>
<input id="q" name="q" value="{{Q}}" maxlength="200">
<button class="btn btn-small" type="submit">Find</button>
</form>
{{#NONE}}<p class="empty">No products match.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list">
<caption class="sr-only">Products</caption>
<thead><tr><th scope="col">Id</th><th scope="col">Ref</th><th scope="col">Title</th><th scope="col" class="num">From</th><th scope="col" class="num">Available</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#PRODUCT}}<tr><td><a href="/admin/products/{{PID}}">{{PID}}</a></td><td data-label="Ref">{{REF}}</td><td data-label="Title">{{TITLE}}</td><td class="num" data-label="From">${{PRICE}}</td><td class="num" data-label="Available">{{AVAILABLE}}</td><td data-label="Status"><span class="status">{{PSTATUS}}</span></td></tr>{{/PRODUCT}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/products?{{QS}}&amp;page={{P}}">&larr; Previous</a>{{/PREV}} {{#NEXT}}<a href="/admin/products?{{QS}}&amp;page={{P}}">Next &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
