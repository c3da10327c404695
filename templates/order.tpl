{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="order-page">
<p class="crumbs small">{{#MINE}}<a href="/orders">Your orders</a> &rsaquo; {{/MINE}}Order</p>
<h1>Order {{PUBLIC_ID}}</h1>
{{>DETAIL}}
<div class="order-actions">
{{#CAN_CANCEL}}<form method="post" action="/orders/{{PUBLIC_ID}}/cancel">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button class="btn btn-ghost" type="submit" id="cancel-order">Cancel this order</button>
</form>{{/CAN_CANCEL}}
{{#CAN_RETURN}}<form class="stack narrow" method="post" action="/orders/{{PUBLIC_ID}}/return">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="reason">Why are you returning it? <span class="muted small">(optional)</span></label>
<input id="reason" name="reason" maxlength="500">
<button class="btn btn-ghost" type="submit" id="request-return">Request a return</button>
</form>{{/CAN_RETURN}}
</div>
</section>
{{>FOOTER}}
