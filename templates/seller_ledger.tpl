{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Ledger</h1>
<p>Balance <strong>${{TOTAL}}</strong>: available <strong id="available">${{AVAILABLE}}</strong> (paid out on the next payout), pending ${{PENDING}} (orders still inside the return window).</p>
<form class="inline-form" method="get" action="/seller/ledger">
<label for="from">From</label> <input id="from" name="from" type="date" value="{{FROM}}">
<label for="to">To</label> <input id="to" name="to" type="date" value="{{TO}}">
<button class="btn btn-small" type="submit">Filter</button>
<a href="/seller/ledger?{{QUERY}}&amp;format=csv">Export CSV</a>
</form>
{{#NONE}}<p class="empty">No entries in this period.</p>{{/NONE}}
<table class="lines" id="ledger">
<thead><tr><th scope="col">When</th><th scope="col">Entry</th><th scope="col">Order</th><th scope="col" class="num">Amount ($)</th><th scope="col" class="num">Balance ($)</th></tr></thead>
<tbody>
{{#ENTRY}}<tr><td>{{AT}}</td><td>{{KIND}}</td><td>{{ORDER}}</td><td class="num">{{AMOUNT}}</td><td class="num">{{BALANCE}}</td></tr>{{/ENTRY}}
</tbody>
</table>
</section>
{{>FOOTER}}
