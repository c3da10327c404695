{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="admin">
<h1>Flash sales</h1>
{{#ERROR}}<p class="alert" role="alert" id="flash-error">{{MESSAGE}}</p>{{/ERROR}}
{{#NONE}}<p class="empty">No flash sales yet.</p>{{/NONE}}
<div class="table-wrap">
<table class="lines admin-list" id="flash-sales">
<thead><tr><th scope="col">Sale</th><th scope="col">Product</th><th scope="col">Offer</th><th scope="col">State</th><th scope="col" class="num">Price</th><th scope="col" class="num">Sold / units</th><th scope="col">Starts (UTC)</th><th scope="col">Ends (UTC)</th></tr></thead>
<tbody>
{{#SALE}}<tr><td><a href="/admin/flash/{{ID}}">#{{ID}}</a></td><td>{{TITLE}}</td><td>{{SKU}}</td><td><span class="status">{{STATE}}</span></td><td class="num">${{PRICE}}</td><td class="num">{{SOLD}} / {{UNITS}}</td><td>{{STARTS}}</td><td>{{ENDS}}</td></tr>{{/SALE}}
</tbody>
</table>
</div>
<h2>Schedule a sale</h2>
<form class="stack" method="post" action="/admin/flash" id="flash-create">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="sku">Offer (sku id)</label><input id="sku" name="sku" inputmode="numeric" required>
<label for="units">Units set aside (taken out of normal stock)</label><input id="units" name="units" inputmode="numeric" required>
<label for="price">Sale price (cents)</label><input id="price" name="price" inputmode="numeric" required>
<label for="prequeue">Pre-queue opens (UTC, empty: at the start)</label><input id="prequeue" name="prequeue" type="datetime-local">
<label for="starts">Starts (UTC)</label><input id="starts" name="starts" type="datetime-local" required>
<label for="ends">Ends (UTC)</label><input id="ends" name="ends" type="datetime-local" required>
<label for="limit">Limit per customer</label><input id="limit" name="limit" inputmode="numeric" value="2">
<label for="max_active">Max active passes</label><input id="max_active" name="max_active" inputmode="numeric" value="100">
<label for="admit_per_min">Admissions per minute</label><input id="admit_per_min" name="admit_per_min" inputmode="numeric" value="600">
<label for="pass_minutes">Pass lifetime (minutes)</label><input id="pass_minutes" name="pass_minutes" inputmode="numeric" value="10">
<button class="btn" type="submit">Schedule</button>
</form>
</section>
{{>FOOTER}}
