{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="orders-page">
<h1>Your orders</h1>
<p class="muted">Signed in as {{EMAIL}}</p>
{{#NONE}}<p class="empty">You have no orders yet. <a href="/">Start shopping</a></p>{{/NONE}}
<ul class="order-list">
{{#ORDER}}<li><a class="ol-id" href="{{HREF}}">{{PUBLIC_ID}}</a> <span class="muted small">{{PLACED}}</span> <span>{{ITEMS}}</span> <strong>${{TOTAL}}</strong> <span class="status {{STATUS_CLASS}}">{{STATUS}}</span></li>{{/ORDER}}
</ul>
</section>
{{>FOOTER}}
