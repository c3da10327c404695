{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="checkout">
{{>STEPS}}
<h1>Shipping method</h1>
<div class="co-grid">
<div class="co-main">
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<form class="stack" method="post" action="/checkout/shipping">
<input type="hidden" name="csrf" value="{{CSRF}}">
<fieldset class="choices"><legend>How fast?</legend>
{{#METHOD}}<label class="choice"><input type="radio" name="method" value="{{VALUE}}"{{#SEL}} checked{{/SEL}}> <span>{{NAME}}</span> <strong class="num">{{#FREE}}Free{{/FREE}}{{#PAID}}${{COST}}{{/PAID}}</strong></label>{{/METHOD}}
</fieldset>
<button class="btn" type="submit">Continue to payment</button>
</form>
<p><a href="/checkout">&larr; Change the address</a></p>
</div>
{{>SUMMARY}}
</div>
</section>
{{>FOOTER}}
