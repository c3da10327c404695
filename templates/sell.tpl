{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="form-page">
<h1>Sell on Souk</h1>
{{#SENT}}<p class="notice" role="status">Thank you: your application is waiting for a Souk admin.</p>{{/SENT}}
{{#STANDING}}<p id="seller-state">Your seller account is <strong>{{STATUS}}</strong> (pending: waiting for a Souk admin; rejected: you may apply again). Once active, run your business from the <a href="/seller/">seller center</a>.</p>{{/STANDING}}
{{#ERROR}}<p class="alert" role="alert" data-field="{{FIELD}}">{{MESSAGE}}</p>{{/ERROR}}
{{#FORM}}<form class="stack" method="post" action="/sell">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="name">Business name</label>
<input id="name" name="name" maxlength="120" required value="{{NAME}}">
<label for="email">Contact e-mail</label>
<input id="email" name="email" type="email" maxlength="254" required value="{{EMAIL}}">
<label for="payout">Payout account (sandbox account number)</label>
<input id="payout" name="payout" inputmode="numeric" maxlength="34" required value="{{PAYOUT}}">
<button class="btn" type="submit">Apply to sell</button>
</form>{{/FORM}}
</section>
{{>FOOTER}}
