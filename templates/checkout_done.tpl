{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="checkout">
{{>STEPS}}
<div class="thanks">
{{#PLACED}}<h1>Thank you, your order is placed</h1>
<p class="lead">Order <strong id="order-id">{{PUBLIC_ID}}</strong> is <span class="status">{{STATUS}}</span>. A receipt goes to {{EMAIL}}.</p>{{/PLACED}}
{{#PAY_WAIT}}<h1>Thank you, we have your order</h1>
<p class="lead">Order <strong id="order-id">{{PUBLIC_ID}}</strong> is waiting for your payment to be confirmed: our card processor did not answer in time, so we keep asking. Your items are held for you and nothing is charged until it is confirmed. We will e-mail {{EMAIL}} when it is confirmed, or if it cannot be.</p>{{/PAY_WAIT}}
<p><a class="btn" id="order-link" href="{{ORDER_HREF}}">View your order</a> <a class="btn btn-ghost" href="/">Continue shopping</a></p>
<p class="muted small">Keep the order link: it shows your order and lets you cancel it.</p>
</div>
{{>DETAIL}}
</section>
{{>FOOTER}}
