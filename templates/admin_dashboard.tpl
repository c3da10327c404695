{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin dash">
{{>ADMIN_NAV}}
<h1>Dashboard</h1>
<p class="muted small">Counted: paid orders that still stand (confirmed, processing, shipped, delivered); not pending, cancelled, declined or returned ones.</p>
<div class="table-wrap">
<table class="lines kpis" id="kpis">
<caption class="sr-only">Orders, revenue, average order value and units</caption>
<thead><tr><th scope="col">Period</th><th scope="col" class="num">Orders</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Average order</th><th scope="col" class="num">Units</th></tr></thead>
<tbody>
{{#WINDOW}}<tr id="kpi-{{KEY}}"><th scope="row">{{NAME}}</th><td class="num" data-label="Orders">{{ORDERS}}</td><td class="num" data-label="Revenue">${{REVENUE}}</td><td class="num" data-label="Average order">${{AOV}}</td><td class="num" data-label="Units">{{UNITS}}</td></tr>{{/WINDOW}}
</tbody>
</table>
</div>
<div class="charts">
<figure class="chart-card" id="chart-orders"><figcaption>Orders per day, last 30 days</figcaption>{{ORDERS_CHART:none}}</figure>
<figure class="chart-card" id="chart-revenue"><figcaption>Revenue per day (dollars), last 30 days</figcaption>{{REVENUE_CHART:none}}</figure>
<figure class="chart-card" id="chart-top"><figcaption>Top products by units, last 30 days</figcaption>{{TOP_CHART:none}}
{{#TOP_NONE}}<p class="empty">No sales in the last 30 days.</p>{{/TOP_NONE}}
<ol class="top-list">{{#TOP}}<li><a href="/admin/products/{{PID}}">{{TITLE}}</a> <span class="muted">{{UNITS}} units, ${{REVENUE}}</span></li>{{/TOP}}</ol></figure>
</div>
<div class="dash-grid">
<section class="panel" aria-labelledby="low-h"><h2 id="low-h">Low stock (5 or fewer)</h2>
{{#LOW_NONE}}<p class="empty">No active sku is low.</p>{{/LOW_NONE}}
<ul class="plain" id="low-stock">{{#LOW}}<li><a href="/admin/products/{{PID}}">{{TITLE}}</a> <span class="muted">sku {{SKU}} ({{SELLER}})</span> <strong>{{AVAILABLE}} left</strong></li>{{/LOW}}</ul></section>
<section class="panel" aria-labelledby="zero-h"><h2 id="zero-h">Searches with no results (30 days)</h2>
{{#ZERO_DOWN}}<p class="empty">Not available right now (Redis is down).</p>{{/ZERO_DOWN}}
{{#ZERO_NONE}}<p class="empty">Every search found something.</p>{{/ZERO_NONE}}
<ul class="plain" id="zero-searches">{{#ZERO}}<li><a href="/search?q={{TEXT:u}}">{{TEXT}}</a> <span class="muted">{{COUNT}}&times;</span></li>{{/ZERO}}</ul></section>
</div>
</section>
{{>FOOTER}}
