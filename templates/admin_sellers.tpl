{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
<h1>Sellers</h1>
<form class="filters" method="get" action="/admin/sellers">
<label for="status">Status</label>
<select id="status" name="status">{{#STATUS_OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/STATUS_OPT}}</select>
<button class="btn btn-small" type="submit">Filter</button>
</form>
<p class="muted" id="found">{{FOUND}}</p>
{{#NONE}}<p class="empty">No sellers match.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list" id="sellers">
<thead><tr><th scope="col">Seller</th><th scope="col">Status</th><th scope="col">Contact</th><th scope="col">Applicant</th><th scope="col">Since</th></tr></thead>
<tbody>
{{#SELLER}}<tr data-seller-id="{{ID}}"><td><a href="/admin/sellers/{{ID}}">{{NAME}}</a></td><td data-label="Status"><span class="status">{{STATUS}}</span></td><td data-label="Contact">{{CONTACT}}</td><td data-label="Applicant">{{APPLICANT}}</td><td data-label="Since">{{SINCE}}</td></tr>{{/SELLER}}
</tbody>
</table>
</div>
<p class="pager">{{#PREV}}<a href="/admin/sellers?{{QS}}&amp;page={{P}}">&larr; Newer</a>{{/PREV}} {{#NEXT}}<a href="/admin/sellers?{{QS}}&amp;page={{P}}">Older &rarr;</a>{{/NEXT}}</p>
</section>
{{>FOOTER}}
