{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="checkout">
{{>STEPS}}
<h1>Shipping address</h1>
<div class="co-grid">
<div class="co-main">
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#GUEST}}<p class="muted">Checking out as a guest. <a href="/login?next=/checkout">Sign in</a> to see your orders in your account.</p>{{/GUEST}}
<form class="stack" method="post" action="/checkout/address">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="email">E-mail address <span class="muted small">(for the receipt)</span></label>{{#ERR_email}}<p class="field-error" id="email-error" role="alert">{{MESSAGE}}</p>{{/ERR_email}}
<input id="email" name="email"{{#ERR_email}} aria-invalid="true" aria-describedby="email-error"{{/ERR_email}} type="email" autocomplete="email" required maxlength="254" value="{{V_email}}">
<label for="name">Full name</label>{{#ERR_name}}<p class="field-error" id="name-error" role="alert">{{MESSAGE}}</p>{{/ERR_name}}
<input id="name" name="name"{{#ERR_name}} aria-invalid="true" aria-describedby="name-error"{{/ERR_name}} autocomplete="name" required maxlength="200" value="{{V_name}}">
<label for="line1">Address line 1</label>{{#ERR_line1}}<p class="field-error" id="line1-error" role="alert">{{MESSAGE}}</p>{{/ERR_line1}}
<input id="line1" name="line1"{{#ERR_line1}} aria-invalid="true" aria-describedby="line1-error"{{/ERR_line1}} autocomplete="address-line1" required maxlength="200" value="{{V_line1}}">
<label for="line2">Address line 2 <span class="muted small">(optional)</span></label>{{#ERR_line2}}<p class="field-error" id="line2-error" role="alert">{{MESSAGE}}</p>{{/ERR_line2}}
<input id="line2" name="line2"{{#ERR_line2}} aria-invalid="true" aria-describedby="line2-error"{{/ERR_line2}} autocomplete="address-line2" maxlength="200" value="{{V_line2}}">
<div class="row2">
<div><label for="city">City</label>{{#ERR_city}}<p class="field-error" id="city-error" role="alert">{{MESSAGE}}</p>{{/ERR_city}}
<input id="city" name="city"{{#ERR_city}} aria-invalid="true" aria-describedby="city-error"{{/ERR_city}} autocomplete="address-level2" required maxlength="100" value="{{V_city}}"></div>
<div><label for="postal_code">Postal code</label>{{#ERR_postal_code}}<p class="field-error" id="postal_code-error" role="alert">{{MESSAGE}}</p>{{/ERR_postal_code}}
<input id="postal_code" name="postal_code"{{#ERR_postal_code}} aria-invalid="true" aria-describedby="postal_code-error"{{/ERR_postal_code}} autocomplete="postal-code" required maxlength="20" value="{{V_postal_code}}"></div>
</div>
<label for="country">Country</label>{{#ERR_country}}<p class="field-error" id="country-error" role="alert">{{MESSAGE}}</p>{{/ERR_country}}
<select id="country" name="country"{{#ERR_country}} aria-invalid="true" aria-describedby="country-error"{{/ERR_country}} autocomplete="country">{{#COUNTRY}}<option value="{{CODE}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/COUNTRY}}</select>
<button class="btn" type="submit">Continue to shipping</button>
</form>
</div>
{{>SUMMARY}}
</div>
</section>
{{>FOOTER}}
