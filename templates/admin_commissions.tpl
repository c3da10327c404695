{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
<h1>Commission rates</h1>
<p class="muted">The rate a sale pays unless its seller has an override: 500 to 2000 basis points (5-20 %). Setting a category sets everything below it. Top-level categories, and those that differ from their parent:</p>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<div class="table-wrap">
<table class="lines" id="commissions">
<thead><tr><th scope="col">Category</th><th scope="col">Path</th><th scope="col" class="num">Rate</th><th scope="col">Set</th></tr></thead>
<tbody>
{{#CATEGORY}}<tr id="cat-{{ID}}"><td>{{NAME}}</td><td class="muted small">{{PATH}}</td><td class="num">{{PCT}} %</td>
<td><form class="inline-form" method="post" action="/admin/commissions/{{ID}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<label for="bps-{{ID}}">bps</label> <input id="bps-{{ID}}" name="bps" type="number" min="500" max="2000" value="{{BPS}}" required>
<button class="btn btn-small" type="submit">Save</button></form></td></tr>{{/CATEGORY}}
</tbody>
</table>
</div>
</section>
{{>FOOTER}}
