{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Inventory file report</h1>
<p id="summary">{{ROWS}} rows: <strong>{{APPLIED}} applied</strong>, <strong>{{REJECTED}} rejected</strong> ({{SECONDS}} s).</p>
{{#DOWNLOAD}}<p><a class="btn btn-small" id="download" href="/seller/inventory-file/reports/{{RID}}">Download the report (CSV)</a> <span class="muted">kept one hour</span></p>{{/DOWNLOAD}}
<div class="table-wrap">
<table class="lines" id="report">
<thead><tr><th scope="col" class="num">Line</th><th scope="col">Sku</th><th scope="col">Result</th><th scope="col">Reason</th></tr></thead>
<tbody>
{{#ROW}}<tr><td class="num">{{LINE}}</td><td>{{SKU}}</td><td><span class="status {{CLASS}}">{{RESULT}}</span></td><td>{{REASON}}</td></tr>{{/ROW}}
</tbody>
</table>
</div>
<p><a href="/seller/inventory-file">Upload another file</a></p>
</section>
{{>FOOTER}}
