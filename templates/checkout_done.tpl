{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="checkout">
{{>STEPS}}
<div class="thanks">
<h1>Thank you, your order is placed</h1>
<p class="lead">Order <strong id="order-id">{{PUBLIC_ID}}</strong> is <span class="status">{{STATUS}}</span>. A receipt goes to {{EMAIL}}.</p>
<p><a class="btn" id="order-link" href="{{ORDER_HREF}}">View your order</a> <a class="btn btn-ghost" href="/">Continue shopping</a></p>
<p class="muted small">Keep the order link: it shows your order and lets you cancel it.</p>
</div>
{{>DETAIL}}
</section>
{{>FOOTER}}
