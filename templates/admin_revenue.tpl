{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
<h1>Platform revenue</h1>
<p class="muted">From the ledger, the last {{DAYS}} days. Captured: what shoppers paid; commission is the platform's revenue; refunds and payouts left the clearing account.</p>
{{#NONE}}<p class="empty">No ledger entries in this period.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines" id="revenue">
<thead><tr><th scope="col">Day</th><th scope="col" class="num">Captured</th><th scope="col" class="num">Commission</th><th scope="col" class="num">Shipping</th><th scope="col" class="num">Tax</th><th scope="col" class="num">Refunds</th><th scope="col" class="num">Payouts</th></tr></thead>
<tbody>
{{#DAY}}<tr><td>{{DAY}}</td><td class="num">${{C0}}</td><td class="num">${{C1}}</td><td class="num">${{C2}}</td><td class="num">${{C3}}</td><td class="num">${{C4}}</td><td class="num">${{C5}}</td></tr>{{/DAY}}
</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num">${{T0}}</td><td class="num" id="total-commission">${{T1}}</td><td class="num">${{T2}}</td><td class="num">${{T3}}</td><td class="num">${{T4}}</td><td class="num">${{T5}}</td></tr></tfoot>
</table>
</div>
</section>
{{>FOOTER}}
