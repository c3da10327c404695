{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="checkout">
{{>STEPS}}
<h1>Payment</h1>
<div class="co-grid">
<div class="co-main">
{{#ERROR}}<p class="alert" role="alert" id="pay-error">{{MESSAGE}}</p>{{/ERROR}}
<form class="stack" method="post" action="/checkout/payment" autocomplete="off">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="card_number">Card number</label>{{#ERR_card_number}}<p class="field-error" id="card_number-error" role="alert">{{MESSAGE}}</p>{{/ERR_card_number}}
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required maxlength="23" aria-describedby="card_number-hint{{#ERR_card_number}} card_number-error{{/ERR_card_number}}"{{#ERR_card_number}} aria-invalid="true"{{/ERR_card_number}}>
<p class="muted small field-hint" id="card_number-hint">The long number on the front of your card, spaces allowed.</p>
<div class="row3">
<div><label for="exp_month">Month</label>{{#ERR_exp_month}}<p class="field-error" id="exp_month-error" role="alert">{{MESSAGE}}</p>{{/ERR_exp_month}}
<select id="exp_month" name="exp_month" autocomplete="cc-exp-month" required{{#ERR_exp_month}} aria-invalid="true" aria-describedby="exp_month-error"{{/ERR_exp_month}}><option value="">MM</option>{{#MONTH}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{V}}</option>{{/MONTH}}</select></div>
<div><label for="exp_year">Year</label>{{#ERR_exp_year}}<p class="field-error" id="exp_year-error" role="alert">{{MESSAGE}}</p>{{/ERR_exp_year}}
<select id="exp_year" name="exp_year" autocomplete="cc-exp-year" required{{#ERR_exp_year}} aria-invalid="true" aria-describedby="exp_year-error"{{/ERR_exp_year}}><option value="">YYYY</option>{{#YEAR}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{V}}</option>{{/YEAR}}</select></div>
<div><label for="cvc">Security code</label>{{#ERR_cvc}}<p class="field-error" id="cvc-error" role="alert">{{MESSAGE}}</p>{{/ERR_cvc}}
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required maxlength="4" aria-describedby="cvc-hint{{#ERR_cvc}} cvc-error{{/ERR_cvc}}"{{#ERR_cvc}} aria-invalid="true"{{/ERR_cvc}}><p class="muted small field-hint" id="cvc-hint">3 or 4 digits on the back.</p></div>
</div>
<button class="btn" type="submit">Review your order</button>
</form>
<p class="muted small">Test cards: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined. The card goes to the payment provider; Souk keeps only its token, the brand and the last four digits.</p>
<p><a href="/checkout/shipping">&larr; Change the shipping method</a></p>
</div>
{{>SUMMARY}}
</div>
</section>
{{>FOOTER}}
